"""Formatting shared by every page: dates in the NHS.UK style and counts with separators."""

import datetime
from typing import Any

from django.utils import timezone


def format_date(value: datetime.date | datetime.datetime | None, empty: str = "") -> str:
    """'3 March 2026', the NHS.UK style for dates."""
    if value is None:
        return empty
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime.datetime | None, empty: str = "") -> str:
    """'3 March 2026 at 2:05pm'."""
    if value is None:
        return empty
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{format_date(local)} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def format_count(value: Any) -> str:
    return f"{int(value):,}"
