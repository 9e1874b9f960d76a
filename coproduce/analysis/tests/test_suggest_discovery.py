"""Theme discovery, active learning, the language check and the fast scorer."""

import random

import numpy as np
import pytest

from coproduce.analysis.suggest import ask_first, check_text, discover, train_suggester
from coproduce.analysis.suggest import features as features_module
from coproduce.analysis.suggest.features import Featuriser, LinearScorer
from coproduce.analysis.suggest.language import check_texts

from .suggest_data import CODES, labelled


def uncoded(seed: int = 4) -> list[str]:
    rng = random.Random(seed)
    themes = {
        "wifi": [
            "The wifi kept dropping",
            "No wifi signal on the ward",
            "Wifi password never worked",
        ],
        "noise": [
            "Too noisy at night to sleep",
            "Noise from the nurses station at night",
            "Loud alarms all night, no sleep",
        ],
        "chaplain": [
            "The chaplain visit was a comfort",
            "Chaplain prayed with my family",
            "Lovely chaplain came to pray",
        ],
    }
    texts = []
    for _ in range(40):
        for sentences in themes.values():
            texts.append(rng.choice(sentences) + rng.choice(["", ".", " really", " again"]))
    return texts


def test_discovery_finds_themes_with_typical_comments_and_distinctive_words():
    texts = uncoded()
    found = discover(texts, themes=3, seed=1)
    assert len(found.themes) == 3
    assert sum(theme.size for theme in found.themes) == len(texts)
    words = [set(theme.words) for theme in found.themes]
    assert any("wifi" in w for w in words)
    assert any("chaplain" in w for w in words)
    assert any({"night", "noise", "sleep"} & w for w in words)
    for theme in found.themes:
        members = {texts[i].split()[1].lower() for i in theme.members}
        assert len(theme.typical) == len(set(theme.typical)) <= 5
        assert set(theme.typical) <= set(theme.members)
        assert theme.label and 0 < theme.cohesion <= 1
        # The most typical comment is the one most like the centre.
        closeness = dict(zip(theme.members, theme.closeness, strict=True))
        assert all(0 <= value <= 1 for value in closeness.values())
        assert closeness[theme.typical[0]] == max(closeness.values())
        assert abs(sum(theme.closeness) / theme.size - theme.cohesion) < 1e-6
        assert members  # every theme has comments


def test_discovery_is_the_same_for_the_same_seed():
    texts = uncoded()
    assert discover(texts, themes=3, seed=2) == discover(texts, themes=3, seed=2)


def test_discovery_leaves_out_empty_and_non_english_comments():
    texts = [*uncoded(), "", "Roedd y staff yn gyfeillgar iawn ac yn barod i helpu"]
    found = discover(texts, themes=3, seed=0)
    assert found.skipped == (len(texts) - 2, len(texts) - 1)
    assert all(i not in theme.members for theme in found.themes for i in found.skipped)


def test_discovery_refuses_too_few_comments():
    with pytest.raises(ValueError, match="Too few comments"):
        discover(["one comment", "another"], themes=3)


def test_the_comments_to_ask_about_first_are_the_least_certain_ones():
    texts, codings, _ = labelled(200, seed=8)
    model = train_suggester(texts, codings, codebook=[*CODES, "Chaplaincy"])
    clear = "The parking was awful on the ward."
    unclear = "The car was awful."
    questions = ask_first(model, [clear, unclear, unclear, "", "The food was great."], n=3)
    indices = [q.index for q in questions]
    assert indices[0] == 1  # the least certain first
    assert 2 not in indices  # asked once, not twice
    assert 3 not in indices  # nothing to ask about an empty comment
    assert all(q.reason.startswith("Unsure whether this is") for q in questions)


def test_codes_short_of_examples_get_comments_that_look_like_their_examples():
    texts, codings, _ = labelled(200, seed=8)
    chaplaincy = ["The chaplain visited and prayed with me.", "Chaplain was a comfort."]
    model = train_suggester(
        texts + chaplaincy, codings + [{"Chaplaincy"}] * 2, codebook=[*CODES, "Chaplaincy"]
    )
    pool = [
        "The food was cold.",
        "A chaplain came to pray with my husband.",
        "Parking was awful.",
    ] * 2
    questions = ask_first(model, pool, n=4, examples={"Chaplaincy": chaplaincy})
    assert questions[0].index == 1 and questions[0].code == "Chaplaincy"
    assert "needs 3 more coded examples" in questions[0].reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("???", "empty"),
        ("Excellent", None),
        ("N/A", None),
        ("Wifi.", None),
        ("Fresh air", None),
        ("The staff were kind and the food was good", None),
        ("Très bien, merci beaucoup pour tout", "not_english"),
        ("Roedd y staff yn gyfeillgar iawn ac yn barod i helpu", "not_english"),
        ("Diolch yn fawr", "not_english"),
        ("Personel był bardzo pomocny i miły", "not_english"),
        ("Staff bahut acha tha", "not_english"),
        ("Полный порядок", "not_english"),
        ("كان الطاقم رائعا", "not_english"),
        ("asdkj qwelkj zxcmn qwpoei lkjsdf mnbvc", "not_english"),
    ],
)
def test_the_language_check_flags_empty_and_non_english_comments(text, reason):
    assert check_text(text).reason == reason


def test_the_fast_scorer_gives_the_same_scores_as_the_feature_matrix():
    texts, _, _ = labelled(200, seed=6)
    featuriser = Featuriser.fit(texts)
    rng = np.random.default_rng(0)
    weights = rng.normal(size=(featuriser.n_features, 3)).astype(np.float32)
    intercept = rng.normal(size=3).astype(np.float32)
    scorer = LinearScorer(featuriser, weights, intercept)
    batch = [*texts[:50], "", "unseen wordz here", "a\x00b with the separator inside"]
    expected = featuriser.transform(batch) @ weights + intercept
    assert np.allclose(scorer.scores(batch), expected, atol=1e-5)


def test_the_featuriser_forgets_and_starts_again_without_changing_scores(monkeypatch):
    texts, _, _ = labelled(100, seed=6)
    featuriser = Featuriser.fit(texts)
    weights = np.ones((featuriser.n_features, 2), dtype=np.float32)
    scorer = LinearScorer(featuriser, weights, np.zeros(2, dtype=np.float32))
    scorer.scores(texts)
    monkeypatch.setattr(features_module, "_REMEMBERED_WORDS", 10)
    fresh = ["Brand new words like zebra and quokka", *texts[:20]]
    expected = featuriser.transform(fresh) @ weights
    assert featuriser.generation > 0
    assert np.allclose(scorer.scores(fresh), expected, atol=1e-5)


def test_checking_many_comments_at_once_agrees_with_checking_each():
    texts = ["", "Excellent", "Diolch yn fawr", "The staff were kind", "Полный порядок", "10/10!"]
    assert check_texts(texts) == [check_text(text).reason for text in texts]
