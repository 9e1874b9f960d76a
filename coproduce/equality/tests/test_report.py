import pytest

from coproduce.equality.report import summarise, suppress


def test_counts_under_the_threshold_are_hidden() -> None:
    shown, hide_total = suppress({"a": 12, "b": 3, "c": 9, "d": 0, "e": 2}, threshold=5)
    assert shown == {"a": 12, "b": None, "c": 9, "d": 0, "e": None}
    assert hide_total is False


def test_a_single_hidden_count_takes_the_next_smallest_with_it() -> None:
    # Otherwise 3 could be worked out as the total minus the others.
    shown, _ = suppress({"a": 40, "b": 3, "c": 9, "d": 7}, threshold=5)
    assert shown == {"a": 40, "b": None, "c": 9, "d": None}


def test_a_small_total_is_hidden_too() -> None:
    summary = summarise("Age", [("x", "X"), ("y", "Y")], {"x": 2, "y": 1}, threshold=5)
    assert [cell.count for cell in summary.cells] == [None, None]
    assert summary.answered is None


@pytest.mark.parametrize("threshold", [3, 5, 10])
def test_the_threshold_is_a_setting(threshold: int) -> None:
    summary = summarise(
        "Sex", [("f", "Female"), ("m", "Male")], {"f": 40, "m": threshold}, threshold=threshold
    )
    assert [cell.display(threshold) for cell in summary.cells] == ["40", str(threshold)]
