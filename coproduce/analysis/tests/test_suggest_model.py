"""The code suggester: quality floors, too few examples, thresholds, storage, bad input."""

import numpy as np
import pytest

from coproduce.analysis.suggest import (
    CodeSuggester,
    Settings,
    Target,
    train_suggester,
)

from .suggest_data import CODES, development_sample, labelled


def f1_scores(
    truth: list[set[str]], predicted: list[set[str]], codes: list[str]
) -> tuple[float, float]:
    """Macro- and micro-F1 over `codes`, each comment's codes a set."""
    per_code = []
    tp_all = fp_all = fn_all = 0
    for code in codes:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if code in t and code in p)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if code not in t and code in p)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if code in t and code not in p)
        per_code.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
    return float(np.mean(per_code)), 2 * tp_all / (2 * tp_all + fp_all + fn_all)


def suggested(model: CodeSuggester, texts: list[str]) -> list[set[str]]:
    return [{s.code for s in comment.suggestions} for comment in model.suggest(texts)]


@pytest.fixture(scope="module")
def trained() -> tuple[CodeSuggester, list[str], list[set[str]]]:
    texts, codings, _ = labelled(300, seed=7, multi=0.3)
    return (
        train_suggester(texts[:240], codings[:240], codebook=list(CODES)),
        texts[240:],
        codings[240:],
    )


def test_suggestions_on_a_small_labelled_set_clear_a_quality_floor(trained):
    model, texts, codings = trained
    macro, micro = f1_scores(codings, suggested(model, texts), list(CODES))
    assert macro >= 0.85
    assert micro >= 0.85


def test_a_comment_about_two_things_gets_both_codes(trained):
    model, _, _ = trained
    [comment] = model.suggest(["The parking was awful and the food was cold on the ward."])
    assert {s.code for s in comment.suggestions} >= {"Parking", "Food"}
    assert all(0.0 < s.confidence <= 1.0 for s in comment.suggestions)
    confidences = [s.confidence for s in comment.suggestions]
    assert confidences == sorted(confidences, reverse=True)


def test_every_learnt_code_reports_its_cross_validated_precision_and_recall(trained):
    model, _, _ = trained
    reports = model.reports()
    assert [r.code for r in reports] == list(CODES)
    for report in reports:
        assert report.learnt and report.needed == 0
        assert report.precision is not None and report.precision > 0.5
        assert report.recall is not None and report.recall > 0.5
        assert "suggestions right" in report.message


def test_development_data_sample_clears_a_quality_floor():
    sample = development_sample(3000, seed=0)
    if sample is None:
        pytest.skip("The development data is not beside this checkout.")
    texts, labels, _ = sample
    model = train_suggester(texts[:2400], [{label} for label in labels[:2400]])
    held_out = [{label} for label in labels[2400:]]
    codes = sorted(set(labels[2400:]))
    macro, micro = f1_scores(held_out, suggested(model, texts[2400:]), codes)
    # Trained on 2,400 coded comments, the model reaches 0.29 macro-F1 and 0.51 micro-F1 over the
    # 36 sub-categories in the 600 held out (bench/suggest_quality.py: cross-validated figures).
    assert macro >= 0.25
    assert micro >= 0.45


def test_a_code_with_too_few_examples_says_how_many_more_it_needs_and_is_never_suggested():
    texts, codings, _ = labelled(120, seed=3)
    rare = ["Chaplaincy: the chaplain visited me, which was a comfort."] * 2
    model = train_suggester(
        texts + rare,
        codings + [{"Chaplaincy"}] * 2,
        codebook=[*CODES, "Chaplaincy", "Interpreters"],
    )
    reports = {r.code: r for r in model.reports()}
    assert reports["Chaplaincy"].examples == 2
    assert reports["Chaplaincy"].needed == Settings().min_examples - 2 == 3
    assert "code 3 more comments with it" in reports["Chaplaincy"].message
    assert reports["Interpreters"].needed == 5
    assert "Chaplaincy" not in model.learnt
    comments = model.suggest(["The chaplain visited me, which was a comfort."] * 3)
    assert all("Chaplaincy" not in {s.code for s in c.suggestions} for c in comments)


def test_a_higher_recall_target_finds_more_and_a_lower_one_fewer(trained):
    model, texts, _ = trained
    leaning = model.retarget(Target(beta=3.0))
    strict = model.retarget(Target(beta=0.3))
    for base, more, fewer in zip(model.operating, leaning.operating, strict.operating, strict=True):
        assert fewer.recall <= base.recall <= more.recall
        assert more.threshold <= base.threshold <= fewer.threshold
    count = lambda m: sum(len(c.suggestions) for c in m.suggest(texts))  # noqa: E731
    assert count(strict) <= count(model) <= count(leaning)


def test_a_recall_target_is_met_out_of_fold_for_every_code(trained):
    model, _, _ = trained
    for point in model.retarget(Target(recall=0.95)).operating:
        assert point.recall >= 0.95


def test_recall_targets_below_zero_or_above_one_are_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        Target(recall=1.5)
    with pytest.raises(ValueError, match="positive"):
        Target(beta=0)


def test_a_stored_model_loads_without_pickle_and_suggests_exactly_the_same(trained):
    model, texts, _ = trained
    data = model.to_bytes()
    loaded = CodeSuggester.from_bytes(data)
    before, after = model.score(texts), loaded.score(texts)
    assert np.array_equal(before.probabilities, after.probabilities)
    assert np.array_equal(before.suggested, after.suggested)
    assert loaded.reports() == model.reports()
    assert loaded.retarget(Target(beta=2)).reports() == model.retarget(Target(beta=2)).reports()


def test_something_that_is_not_a_stored_model_is_refused():
    with pytest.raises(ValueError):
        CodeSuggester.from_bytes(b"not a model")


def test_training_twice_on_the_same_coding_gives_the_same_model():
    texts, codings, _ = labelled(160, seed=11)
    assert train_suggester(texts, codings).to_bytes() == train_suggester(texts, codings).to_bytes()


def test_a_coding_with_a_code_outside_the_codebook_is_refused():
    texts, codings, _ = labelled(40, seed=1)
    with pytest.raises(ValueError, match="not in the codebook: Parking"):
        train_suggester(texts, codings, codebook=["Food", "Staff attitude", "Waiting"])


def test_texts_and_codings_must_pair_up():
    with pytest.raises(ValueError, match="one set of codes for each comment"):
        train_suggester(["one", "two"], [{"A"}])


def test_empty_and_non_english_comments_get_a_reason_instead_of_codes(trained):
    model, _, _ = trained
    comments = model.suggest(
        [
            "",
            "   ?!  ",
            "Roedd y staff yn gyfeillgar iawn ac yn barod i helpu",
            "Personel był bardzo pomocny, dziękuję",
            "The parking was awful.",
        ]
    )
    assert [c.reason for c in comments] == ["empty", "empty", "not_english", "not_english", None]
    assert all(not c.suggestions for c in comments[:4])
    assert "person should read it" in comments[2].message
    assert {s.code for s in comments[4].suggestions} == {"Parking"}


def test_scoring_an_empty_batch_gives_empty_arrays(trained):
    model, _, _ = trained
    scored = model.score([])
    assert len(scored) == 0 and scored.probabilities.shape == (0, len(model.learnt))


def test_with_no_code_learnt_yet_nothing_is_suggested_and_every_code_says_what_it_needs():
    model = train_suggester(
        ["The food was cold", "Parking was bad", "Staff were kind"], [{"Food"}, {"Parking"}, set()]
    )
    assert model.learnt == ()
    assert [r.needed for r in model.reports()] == [4, 4]
    [comment] = CodeSuggester.from_bytes(model.to_bytes()).suggest(["The food was cold"])
    assert comment.suggestions == () and comment.reason is None
