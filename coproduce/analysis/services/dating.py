"""Dating survey responses: when each was given (`Source.received_on`), which trends count by.

An import dates its responses as the rows arrive, from the first attribute column whose values
are all dates; a lead can date them later by any attribute. Dates are read as the cases'
attribute values are (2026-03-14 or 14/03/2026); a bare number such as a score never is.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from coproduce.accounts.models import User
from coproduce.analysis.models import Attribute, Project, Source
from coproduce.analysis.services.cases import InvalidValue, ValueOf, parse_value
from coproduce.core import audit
from coproduce.core.errors import ServiceError


def responses_of(project: Project, *, visible_only: bool = True) -> "QuerySet[Source]":
    """A project's survey responses; by default only those released to coders."""
    responses = Source.objects.filter(project=project, kind=Source.Kind.RESPONSE)
    return responses.visible() if visible_only else responses


# Responses are dated, and re-dated, this many at a time: one UPDATE each.
DATE_BATCH = 2000
# A date written as a date: 2026-03-14 (perhaps with a time after it) or 14/03/2026. A bare
# number such as a score or a reference is never read as one.
_LOOKS_LIKE_A_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:$|[ T])|^\d{1,2}[/.\- ]\d{1,2}[/.\- ]\d{4}$")


def read_date(raw: Any) -> datetime.date | None:
    """A spreadsheet's value as a date (ISO 2026-03-14 or UK 14/03/2026, read as cases read
    them), None when blank. Raises InvalidValue when it is not a date."""
    if raw is None or not str(raw).strip():
        return None
    text = str(raw).strip()
    if not _LOOKS_LIKE_A_DATE.match(text):
        raise InvalidValue
    return datetime.date.fromisoformat(parse_value(Attribute.Kind.DATE, text))


class DateColumns:
    """Watches an import's attribute columns row by row for the first whose values are all
    dates, and dates each response from it as it goes.

    Until the file has been read it cannot be known which column that is: a row far down may
    hold something that is not a date. Rows are dated from the first column that has held only
    dates so far; `chosen` says which column held only dates to the end, and `redate` whether
    rows already saved were dated from another column and must be dated again."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = list(columns)
        self.dates_only = dict.fromkeys(self.columns, True)
        self.seen: dict[str, int] = dict.fromkeys(self.columns, 0)
        self.used: set[str] = set()

    def date(self, values: dict[str, Any]) -> datetime.date | None:
        read: dict[str, datetime.date | None] = {}
        for column in self.columns:
            if not self.dates_only[column]:
                continue
            try:
                read[column] = read_date(values.get(column))
            except InvalidValue:
                self.dates_only[column] = False
                continue
            if read[column] is not None:
                self.seen[column] += 1
        for column in self.columns:
            if self.dates_only[column] and read.get(column) is not None:
                self.used.add(column)
                return read[column]
        return None

    @property
    def chosen(self) -> str | None:
        return next((c for c in self.columns if self.dates_only[c] and self.seen[c]), None)

    @property
    def redate(self) -> bool:
        return bool(self.used - ({self.chosen} if self.chosen else set()))


@dataclass(frozen=True)
class Dated:
    dated: int
    unreadable: int
    blank: int


def _date_by(responses: "QuerySet[Source]", key: str) -> Dated:
    """Date `responses` from the value under attribute `key`, a batch at a time, each batch
    with one UPDATE; a value that is not a date leaves its response undated."""
    dated = unreadable = blank = 0
    after = 0
    rows = responses.order_by("pk").annotate(raw=ValueOf(key, "values"))
    while batch := list(rows.filter(pk__gt=after).values_list("pk", "raw")[:DATE_BATCH]):
        after = batch[-1][0]
        changed = []
        for pk, raw in batch:
            try:
                day = read_date(raw)
            except InvalidValue:
                day = None
                unreadable += 1
            else:
                if day is None:
                    blank += 1
                else:
                    dated += 1
            changed.append(Source(pk=pk, received_on=day))
        Source.objects.bulk_update(changed, ["received_on"], batch_size=DATE_BATCH)
    return Dated(dated, unreadable, blank)


def date_import(source_import: Any, columns: DateColumns, keys: dict[str, str]) -> None:
    """After an import has been read: date again any rows dated from a column that turned
    out not to hold dates only."""
    if not columns.redate:
        return
    sources = Source.objects.filter(source_import=source_import)
    if columns.chosen is None:
        sources.update(received_on=None)
    else:
        _date_by(sources, keys[columns.chosen])


def dated_count(project: Project) -> int:
    return responses_of(project).filter(received_on__isnull=False).count()


def date_responses(*, by: User, project: Project, attribute: Attribute) -> Dated:
    """Date every response of the project from one of its attributes (the lead's choice when
    no column was found at import)."""
    if attribute.project_id != project.pk:
        raise ServiceError("Choose an attribute of this project", field="attribute")
    with transaction.atomic():
        result = _date_by(responses_of(project, visible_only=False), str(attribute.pk))
        audit.record(
            actor=by,
            action="analysis.responses_dated",
            target=project,
            summary=f"Dated {result.dated:,} responses in {project.name} by {attribute.name}",
            organisation_id=project.organisation_id,
        )
    return result
