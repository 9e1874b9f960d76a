"""Batches of suggestions: the trained model reading every uncoded response of a project.

A batch is cut into parts of `SUGGEST_PART_SIZE` responses (by id), one task per part, so that
with RQ any number of workers share it. A worker claims a part by marking it running, in one
UPDATE that only succeeds if the part is waiting or was claimed more than
`SUGGEST_PART_TIMEOUT` seconds ago (its worker died). Everything a part writes (its
suggestions, its readings and its "done" mark) goes in one transaction, after first deleting
what an earlier attempt or an earlier batch left for those responses: a worker killed halfway
leaves nothing, and a part done twice leaves one copy. So no response is coded twice or lost.
"""

import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.analysis import suggest
from coproduce.analysis.models import (
    Batch,
    BatchPart,
    Code,
    Project,
    Reading,
    Suggester,
    Suggestion,
)
from coproduce.analysis.services import suggestions
from coproduce.analysis.team import Right, may
from coproduce.core import audit
from coproduce.core.errors import ServiceError


def running(project: Project) -> Batch | None:
    return Batch.objects.filter(project=project, status=Batch.Status.RUNNING).first()


@transaction.atomic
def start(*, by: User, project: Project) -> Batch:
    """Suggest codes (and sentiment, if that model is trained) for every uncoded response."""
    if not may(by, project, Right.LEAD):
        raise ServiceError("Only the lead analyst can run suggestions", status=403)
    if project.coding_is_blind:
        raise ServiceError(suggestions.BLIND_MESSAGE)
    model = suggestions.latest(project)
    if model is None:
        raise ServiceError("Train the model before asking it for suggestions")
    already = running(project)
    if already is not None:
        return already
    pks = list(suggestions.uncoded(project).order_by("pk").values_list("pk", flat=True))
    if not pks:
        raise ServiceError("Every response is coded already: there is nothing to suggest for")
    batch = Batch.objects.create(
        project=project,
        suggester=model,
        sentiment=suggestions.latest(project, Suggester.Kind.SENTIMENT),
        started_by=by,
        responses=len(pks),
    )
    # What earlier batches left waiting is replaced by this one; decisions already made stay,
    # as do suggestions from elsewhere (a theme made into a code). Cleared here once, in bulk,
    # rather than part by part.
    Suggestion.objects.filter(
        project=project, status=Suggestion.Status.PENDING, suggester__isnull=False
    ).delete()
    Reading.objects.filter(project=project).delete()
    size = settings.SUGGEST_PART_SIZE
    BatchPart.objects.bulk_create(
        BatchPart(
            batch=batch,
            number=number,
            first=pks[i],
            last=pks[min(i + size, len(pks)) - 1],
            responses=min(size, len(pks) - i),
        )
        for number, i in enumerate(range(0, len(pks), size), start=1)
    )
    audit.record(
        actor=by,
        action="analysis.suggestions_started",
        target=project,
        summary=f"Asked the model for suggestions for {len(pks):,} responses",
        organisation_id=project.organisation_id,
    )
    part_ids = list(batch.parts.values_list("pk", flat=True))
    transaction.on_commit(lambda: _enqueue(part_ids))
    return batch


def _enqueue(part_ids: list[int]) -> None:
    from coproduce.analysis import tasks

    for pk in part_ids:
        tasks.suggest_part.enqueue(pk)


def _stale() -> Any:
    return timezone.now() - timedelta(seconds=settings.SUGGEST_PART_TIMEOUT)


def stalled(batch: Batch) -> list[BatchPart]:
    """Parts claimed by a worker that has not finished them in time: it has most likely died."""
    return list(batch.parts.filter(status=BatchPart.Status.RUNNING, claimed_at__lt=_stale()))


def resume(*, by: User | None, batch: Batch, waiting: bool = True) -> int:
    """Hand out again every part not done: the stalled ones and (unless `waiting` is False,
    as when a worker sweeps up after a dead one) any whose task may have been lost."""
    if by is not None and not may(by, batch.project, Right.LEAD):
        raise ServiceError("Only the lead analyst can resume a batch", status=403)
    if batch.status != Batch.Status.RUNNING:
        return 0
    stale = Q(status=BatchPart.Status.RUNNING, claimed_at__lt=_stale())
    undone = batch.parts.filter(stale | Q(status=BatchPart.Status.WAITING) if waiting else stale)
    part_ids = list(undone.values_list("pk", flat=True))
    _enqueue(part_ids)
    return len(part_ids)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(part_id: int) -> bool:
    claimable = Q(status=BatchPart.Status.WAITING) | Q(
        status=BatchPart.Status.RUNNING, claimed_at__lt=_stale()
    )
    return bool(
        BatchPart.objects.filter(claimable, pk=part_id, batch__status=Batch.Status.RUNNING).update(
            status=BatchPart.Status.RUNNING,
            claimed_at=timezone.now(),
            worker=worker_name(),
            attempts=F("attempts") + 1,
        )
    )


@dataclass
class Read:
    """What the model made of one part's responses, as rows ready to insert."""

    suggestions: list[tuple[Any, ...]]
    readings: list[tuple[Any, ...]]


SUGGESTION_COLUMNS = ("project_id", "source_id", "code_id", "suggester_id", "confidence", "status")
READING_COLUMNS = (
    "project_id",
    "source_id",
    "batch_id",
    "sentiment",
    "sentiment_confidence",
    "complex",
    "unread",
    "certainty",
)


def read_part(part: BatchPart) -> Read:
    """Score a part's uncoded responses: suggestions, sentiment, complexity, certainty."""
    batch = part.batch
    project = batch.project
    rows = list(
        suggestions.uncoded(project)
        .filter(pk__gte=part.first, pk__lte=part.last)
        .order_by("pk")
        .values_list("pk", "text")
    )
    if not rows:
        return Read([], [])
    pks = [pk for pk, _ in rows]
    texts = [text for _, text in rows]
    model = suggestions.engine(batch.suggester)
    scored = model.score(texts)
    certainty = np.minimum(model.certainty(scored), 1e6)
    codes = [int(code) for code in scored.codes]
    active = set(
        Code.objects.filter(pk__in=codes, retired=False, merged_into__isnull=True).values_list(
            "pk", flat=True
        )
    )
    # A code a person rejected for a response, or already accepted, is not suggested again;
    # nor one already waiting from elsewhere (a theme made into a code).
    decided = set(Suggestion.objects.filter(source_id__in=pks).values_list("source_id", "code_id"))
    sentiment: list[str] = [""] * len(texts)
    confidence: list[float | None] = [None] * len(texts)
    mixed = np.zeros(len(texts), dtype=bool)
    if batch.sentiment is not None:
        feeling = suggestions.engine(batch.sentiment)
        probabilities, reasons = feeling.probabilities(texts)
        mixed = feeling.mixed(texts, probabilities)
        best = probabilities.argmax(axis=1)
        for i in np.flatnonzero(reasons == 0).tolist():
            sentiment[i] = suggestions.FROM_ENGINE[suggest.SENTIMENTS[int(best[i])]]
            confidence[i] = float(probabilities[i, best[i]])
    per_row = scored.suggested.sum(axis=1)
    flags = suggest.complex_comments(texts, codes=per_row, mixed=mixed)
    made: list[tuple[Any, ...]] = []
    found_rows, found_columns = np.nonzero(scored.suggested)
    probabilities_found = scored.probabilities[found_rows, found_columns].tolist()
    for row, column, probability in zip(
        found_rows.tolist(), found_columns.tolist(), probabilities_found, strict=True
    ):
        code = codes[column]
        if code not in active or (pks[row], code) in decided:
            continue
        made.append(
            (project.pk, pks[row], code, batch.suggester_id, probability, Suggestion.Status.PENDING)
        )
    readings = [
        (
            project.pk,
            pk,
            batch.pk,
            sentiment[row],
            confidence[row],
            ",".join(flags[row].reasons),
            scored.reason(row) or "",
            float(certainty[row]),
        )
        for row, pk in enumerate(pks)
    ]
    return Read(made, readings)


def _insert(model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Many rows written at once: a part writes tens of thousands, and building a model
    instance for each (as bulk_create does) took most of a batch's time. PostgreSQL takes them
    as one COPY, faster than INSERTs (docs/performance.md); SQLite as INSERTs of prepared rows."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The psycopg cursor under Django's wrapper, which has no COPY of its own.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), 10_000):
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - names only
                rows[start : start + 10_000],
            )


def run_part(part_id: int) -> str:
    """Claim a part, read it and write what was found: the body of the `suggest_part` task."""
    if not _claim(part_id):
        return "taken or done"
    part = (
        BatchPart.objects.select_related("batch__project", "batch__suggester", "batch__sentiment")
        .defer("batch__suggester__data", "batch__sentiment__data")
        .get(pk=part_id)
    )
    return write_part(part, read_part(part))


def write_part(part: BatchPart, found: Read) -> str:
    """Write a part's suggestions and readings with its "done" mark, in one transaction.

    Nothing of the part's can be there already: an earlier attempt either committed all of it
    with the mark (and the part is done, so not claimed again) or nothing; and `start` cleared
    what earlier batches left. Only the claim is checked: a worker so slow that its part was
    handed to another writes nothing if the other finished first.
    """
    with transaction.atomic():
        if not BatchPart.objects.filter(
            pk=part.pk, status=BatchPart.Status.RUNNING, claimed_at=part.claimed_at
        ).update(status=BatchPart.Status.DONE, done_at=timezone.now()):
            return "taken or done"
        _insert(Suggestion, SUGGESTION_COLUMNS, found.suggestions)
        _insert(Reading, READING_COLUMNS, found.readings)
        _finish_if_done(part.batch)
    # Another worker's part that has stalled is handed out again from here too, so that a dead
    # worker does not hold up the batch until someone presses "resume".
    if part.batch.parts.filter(status=BatchPart.Status.RUNNING, claimed_at__lt=_stale()).exists():
        resume(by=None, batch=part.batch, waiting=False)
    return "done"


def _finish_if_done(batch: Batch) -> None:
    """Mark the batch done if this was its last part.

    Two workers finishing the last two parts at once would each see the other's part not yet
    done (on PostgreSQL neither sees the other's uncommitted mark) and the batch would never
    finish. So the batch's row is locked first: the second worker waits for the first to
    commit, and its check then sees both parts done. (SQLite lets one writer in at a time
    anyway.)"""
    Batch.objects.select_for_update().filter(pk=batch.pk).first()
    if not batch.parts.exclude(status=BatchPart.Status.DONE).exists():
        Batch.objects.filter(pk=batch.pk, status=Batch.Status.RUNNING).update(
            status=Batch.Status.DONE, finished_at=timezone.now()
        )


@dataclass(frozen=True)
class Progress:
    parts: int
    parts_done: int
    responses: int
    responses_done: int
    stalled: int

    @property
    def percent(self) -> int:
        return round(100 * self.responses_done / self.responses) if self.responses else 100


def progress(batch: Batch) -> Progress:
    parts = batch.parts.all()
    done = parts.filter(status=BatchPart.Status.DONE)
    return Progress(
        parts=parts.count(),
        parts_done=done.count(),
        responses=batch.responses,
        responses_done=done.aggregate(n=Sum("responses"))["n"] or 0,
        stalled=len(stalled(batch)) if batch.status == Batch.Status.RUNNING else 0,
    )
