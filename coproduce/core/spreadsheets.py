"""Text for CSV and XLSX downloads that a spreadsheet program will show, never run.

A cell whose text starts with "=", "+", "-" or "@" is read as a formula by Excel and its kin,
and a formula can send the sheet's other cells to another site. Names and titles are typed by
members and staff, so every text cell of a download goes through `cell` first: such text gets a
leading apostrophe, which spreadsheets show as plain text.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def row(values: Iterable[Any]) -> list[Any]:
    return [cell(value) for value in values]
