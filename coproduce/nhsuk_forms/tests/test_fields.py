import datetime

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from coproduce.nhsuk_forms.fields import DateField


class DateForm(forms.Form):
    when = DateField(label="When")


def parts(day: object, month: object, year: object) -> dict[str, object]:
    return {"when-day": day, "when-month": month, "when-year": year}


def test_a_real_date_in_three_boxes_is_accepted() -> None:
    form = DateForm(parts("5", "11", "2026"))
    assert form.is_valid()
    assert form.cleaned_data["when"] == datetime.date(2026, 11, 5)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter a date"),
        ("5", "", "2026", "Enter a day, month and year"),
        ("31", "2", "2026", "Enter a real date"),
        ("a", "b", "c", "Enter a real date"),
        ("1", "1", "26", "Enter a real date"),
    ],
)
def test_bad_dates_say_what_is_wrong(day: str, month: str, year: str, message: str) -> None:
    form = DateForm(parts(day, month, year))
    assert not form.is_valid()
    assert message in form.errors["when"][0]


@given(st.text(max_size=12), st.text(max_size=12), st.text(max_size=12))
def test_any_input_is_either_a_date_or_a_clear_error(day: str, month: str, year: str) -> None:
    form = DateForm(parts(day, month, year))
    if form.is_valid():
        assert isinstance(form.cleaned_data["when"], datetime.date)
    else:
        assert str(form.errors["when"][0]).startswith("Enter")
