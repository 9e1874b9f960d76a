"""The finance export: approved claims, one row each, as CSV or as an Excel workbook."""

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font

from coproduce.core import spreadsheets
from coproduce.payments.models import Claim, ClaimEvent
from coproduce.payments.pricing import activity_date

HEADINGS = ["Claim", "Person", "Activity", "Date of activity", "Lines", "Total (£)", "Approved on"]


def approved_claims(claims: "QuerySet[Claim]") -> "QuerySet[Claim]":
    approvals = ClaimEvent.objects.filter(status=Claim.Status.APPROVED).order_by("-occurred_at")
    return (
        claims.filter(status=Claim.Status.APPROVED)
        .select_related("person", "activity")
        .prefetch_related("lines", Prefetch("events", approvals, to_attr="approvals"))
        .order_by("submitted_at", "pk")
    )


def rows(claims: Iterable[Claim]) -> list[list[object]]:
    found = []
    for claim in claims:
        approvals = getattr(claim, "approvals", None)
        approval = approvals[0] if approvals else None
        found.append(
            spreadsheets.row(
                [
                    claim.pk,
                    claim.person.full_name,
                    claim.activity.title,
                    activity_date(claim.activity),
                    "; ".join(
                        f"{line.get_kind_display()}: {line.description} £{line.amount}"
                        for line in claim.lines.all()
                    ),
                    claim.total,
                    approval.occurred_at.date() if approval else None,
                ]
            )
        )
    return found


def as_csv(claims: Iterable[Claim]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADINGS)
    for row in rows(claims):
        writer.writerow(
            [
                value.isoformat() if hasattr(value, "isoformat") else "" if value is None else value
                for value in row
            ]
        )
    # A byte-order mark so that Excel reads the pound signs and names as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(claims: Iterable[Claim]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Approved claims"
    sheet.append(HEADINGS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(claims):
        sheet.append([float(value) if isinstance(value, Decimal) else value for value in row])
        sheet.cell(row=sheet.max_row, column=6).number_format = "#,##0.00"
        for column in (4, 7):
            sheet.cell(row=sheet.max_row, column=column).number_format = "d mmmm yyyy"
    for letter, width in zip("ABCDEFG", (8, 24, 36, 16, 60, 10, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(extension: str, on: datetime.date) -> str:
    return f"approved-claims-{on.isoformat()}.{extension}"
