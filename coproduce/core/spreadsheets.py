"""Text for CSV and XLSX downloads that a spreadsheet program will show, never run.

A cell whose text starts with "=", "+", "-" or "@" is read as a formula by Excel and its kin,
and a formula can send the sheet's other cells to another site. Names and titles are typed by
members and staff, so every text cell of a download goes through `cell` first: such text gets a
leading apostrophe, which spreadsheets show as plain text.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def row(values: Iterable[Any]) -> list[Any]:
    return [cell(value) for value in values]


def download(
    name: str, header: Sequence[str], lines: Iterable[Sequence[Any]], kind: str
) -> HttpResponse:
    """A table as a CSV ("csv") or Excel ("xlsx") download named `name`."""
    if kind == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows(row(line) for line in lines)
        response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = name[:31]
        sheet.append(list(header))
        for line in lines:
            sheet.append(row(line))
        content = io.BytesIO()
        workbook.save(content)
        response = HttpResponse(content.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
