"""Three-point sentiment learnt from labels, and complex comments."""

import numpy as np
import pytest

from coproduce.analysis.suggest import (
    SENTIMENTS,
    Sentiment,
    SentimentModel,
    complex_comments,
    complexity,
    sentiment_from_score,
    train_sentiment,
)

from .suggest_data import development_sample, labelled


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    texts, _, tones = labelled(300, seed=5)
    neutral = [
        f"I came in for {thing} on a Tuesday." for thing in ["a scan", "bloods", "a check"] * 10
    ]
    more: list[Sentiment] = ["neutral or mixed"] * len(neutral)
    return train_sentiment(texts + neutral, tones + more)


@pytest.mark.parametrize(
    ("score", "sentiment"),
    [
        ("-5", "negative"),
        (-1, "negative"),
        ("0", "neutral or mixed"),
        (0.0, "neutral or mixed"),
        ("3", "positive"),
        (5, "positive"),
        ("-9", None),
        ("NA", None),
        ("-o", None),
        ("", None),
    ],
)
def test_a_signed_score_maps_to_three_points_and_anything_else_to_no_label(score, sentiment):
    assert sentiment_from_score(score) == sentiment


def test_sentiment_is_one_of_three_points_with_a_confidence(model):
    results = model.predict(
        [
            "The nurses were brilliant on the ward.",
            "The food was awful and cold.",
            "I came in for a scan on a Tuesday.",
        ]
    )
    assert [r.sentiment for r in results] == ["positive", "negative", "neutral or mixed"]
    assert all(1 / 3 < r.confidence <= 1 for r in results)


def test_sentiment_reports_its_cross_validated_quality(model):
    quality = model.quality()
    assert quality is not None
    assert quality.accuracy > 0.8
    assert set(quality.per_point) == set(SENTIMENTS)


def test_praise_and_criticism_together_is_mixed(model):
    mixed = model.mixed(
        [
            "The nurses were brilliant on the ward, but the food was awful and cold.",
            "The nurses were brilliant.",
        ]
    )
    assert mixed.tolist() == [True, False]


def test_sentiment_steps_aside_from_empty_and_non_english_comments(model):
    results = model.predict(["", "Roedd y staff yn gyfeillgar iawn ac yn barod i helpu"])
    assert [r.reason for r in results] == ["empty", "not_english"]
    assert [r.sentiment for r in results] == [None, None]


def test_sentiment_without_enough_examples_of_a_point_is_not_ready():
    texts, _, tones = labelled(60, seed=2)
    model = train_sentiment(texts, tones)
    assert not model.ready
    neutral = next(r for r in model.reports() if r.code == "neutral or mixed")
    assert neutral.needed == 5
    with pytest.raises(ValueError, match="enough labelled examples"):
        model.predict(["fine"])


def test_a_stored_sentiment_model_predicts_the_same(model):
    texts, _, _ = labelled(20, seed=9)
    loaded = SentimentModel.from_bytes(model.to_bytes())
    assert np.array_equal(model.probabilities(texts)[0], loaded.probabilities(texts)[0])


def test_unknown_sentiment_labels_are_refused():
    with pytest.raises(ValueError, match="must be one of"):
        train_sentiment(["fine"], ["happy"])  # type: ignore[list-item]


def test_sentiment_learnt_from_development_criticality_beats_a_floor():
    sample = development_sample(3000, seed=1)
    if sample is None:
        pytest.skip("The development data is not beside this checkout.")
    texts, _, criticality = sample
    model = train_sentiment(texts, [sentiment_from_score(c) for c in criticality])
    quality = model.quality()
    # About 0.72 accuracy out of fold on 3,000 comments (three points; 0.33 by chance).
    assert quality is not None and quality.accuracy >= 0.65


def test_long_comments_many_codes_and_mixed_sentiment_are_complex():
    long_text = " ".join(["word"] * 51)
    assert complexity(long_text).reasons == ("long",)
    assert complexity(" ".join(["word"] * 50)).reasons == ()
    assert complexity("short", codes=6).reasons == ("many codes",)
    assert complexity("short", codes=5).reasons == ()
    assert complexity("short", mixed=True).reasons == ("mixed sentiment",)
    flagged = complexity(long_text, codes=7, mixed=True)
    assert flagged.complex and flagged.reasons == ("long", "many codes", "mixed sentiment")
    assert "over 50 words" in flagged.message and "over 5" in flagged.message


def test_complex_comments_takes_a_batch_and_checks_its_lengths():
    found = complex_comments(["a", "b"], codes=[0, 9], mixed=[True, False])
    assert [c.reasons for c in found] == [("mixed sentiment",), ("many codes",)]
    with pytest.raises(ValueError):
        complex_comments(["a"], codes=[1, 2])
