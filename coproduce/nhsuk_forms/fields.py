"""Form fields whose widgets match NHS.UK components one to one.

The NHS.UK date pattern asks for day, month and year in three boxes; `DateField` here accepts
exactly that and explains what is wrong in words a person can act on.
"""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.MultiWidget):
    """Three text boxes (day, month, year) as in the NHS.UK date input component."""

    template_name = "django/forms/widgets/multiwidget.html"
    parts = ("day", "month", "year")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}-{part}", "")).strip() for part in self.parts]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in self.parts)


class DateField(forms.Field):
    widget = DateInput
    default_error_messages = {
        "required": "Enter a date",
        "incomplete": "Enter a day, month and year",
        "invalid": "Enter a real date, for example 15 3 2026",
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        parts = list(value or [])
        if not any(parts):
            return None
        if not all(parts):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            day, month, year = (int(part) for part in parts)
            if year < 1900 or year > 2200:
                raise ValueError
            return datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return value
