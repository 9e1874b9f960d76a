import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.analysis.identifiers import find, nhs_number_is_valid


def nhs_number(nine: str) -> str | None:
    """The valid NHS number that starts with these nine digits, if there is one."""
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return None if check == 10 else nine + str(check)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(span.kind, text[span.start : span.end]) for span in find(text)]


def test_a_published_example_nhs_number_passes_the_check_and_a_changed_digit_fails() -> None:
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")
    assert not nhs_number_is_valid("943476591")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_number_with_a_good_check_digit_is_found_however_it_is_spaced(nine: str) -> None:
    number = nhs_number(nine)
    if number is None:
        return
    for written in (
        number,
        f"{number[:3]} {number[3:6]} {number[6:]}",
        f"{number[:3]}-{number[3:6]}-{number[6:]}",
    ):
        assert kinds(f"My NHS number is {written}, please check.") == [("nhs_number", written)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ring me on 07700 900123 after six", [("phone", "07700 900123")]),
        ("Ring me on +44 7700 900123", [("phone", "+44 7700 900123")]),
        ("The ward is (0113) 496 0000", [("phone", "(0113) 496 0000")]),
        ("Email siân.jones@example.org.uk today", [("email", "siân.jones@example.org.uk")]),
        ("I live at LS1 4AP near the station", [("postcode", "LS1 4AP")]),
        ("postcode sw1a1aa", [("postcode", "sw1a1aa")]),
        ("DOB: 03/07/1958 and seen on 12/01/2024", [("date_of_birth", "03/07/1958")]),
        ("I was born on 3rd July 1958.", [("date_of_birth", "3rd July 1958")]),
        ("Seen on 12/01/2024 in clinic 4", []),
        ("It took 12 weeks and cost £1,234", []),
    ],
)
def test_identifiers_are_found_and_ordinary_numbers_are_not(text: str, expected: list) -> None:
    assert kinds(text) == expected


@given(st.text(max_size=300))
def test_spans_never_overlap_and_stay_inside_the_text(text: str) -> None:
    spans = find(text)
    for before, after in itertools.pairwise(spans):
        assert before.end <= after.start
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
