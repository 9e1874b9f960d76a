"""Trends in survey and feedback responses: how often each code comes up month by month (or
quarter by quarter), how sentiment moves, what changed since the period before, and which codes
come up together; raising an ask from a trend. Dating the responses these figures count by is
in `dating`.

A response is counted in the period of its `received_on`. Its codes are those the user may see
(`coding.visible_segments`, so blind coding holds), counted once per response however many
segments it has; "suggested" are the model's pending suggestions for responses not already
coded with that code. A response's sentiment is the one a person decided (`SentimentLabel`),
else the model's reading. Everything is counted by the database, grouped by period; a project
may hold a million responses and none of them is read into Python, except the one page of
comments behind a count.
"""

import csv
import dataclasses
import datetime
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import OperationalError, connection, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Lower, TruncMonth, TruncQuarter
from django.http import HttpResponse
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.analysis import reports
from coproduce.analysis.models import (
    Attribute,
    Code,
    Project,
    Segment,
    Sentiment,
    Source,
    Suggestion,
)
from coproduce.analysis.services.cases import ValueOf
from coproduce.analysis.services.coding import visible_segments
from coproduce.analysis.services.dating import responses_of
from coproduce.core import spreadsheets
from coproduce.core.errors import ServiceError

MONTH, QUARTER = "month", "quarter"
PERIODS = {MONTH: "Month", QUARTER: "Quarter"}
CONFIRMED, SUGGESTED, BOTH = "confirmed", "suggested", "both"
# The commonest pairs of codes that come up in the same response.
PAIR_LIMIT = 20
# Counting pairs joins a project's coding to itself; on the trends page it is stopped sooner
# than the co-occurrence report's, so the page stays quick on a million responses.
PAIR_SECONDS = 5.0


# Periods ---------------------------------------------------------------------------------


def period_start(day: datetime.date, period: str) -> datetime.date:
    month = day.month if period == MONTH else 3 * ((day.month - 1) // 3) + 1
    return datetime.date(day.year, month, 1)


def shift(start: datetime.date, period: str, by: int = 1) -> datetime.date:
    months = start.month - 1 + by * (1 if period == MONTH else 3)
    return datetime.date(start.year + months // 12, months % 12 + 1, 1)


def period_label(start: datetime.date, period: str) -> str:
    if period == MONTH:
        return f"{start:%B %Y}"
    last = shift(start, period) - datetime.timedelta(days=1)
    return f"{start:%B} to {last:%B %Y}"


def short_label(start: datetime.date, period: str) -> str:
    if period == MONTH:
        return f"{start:%b %Y}"
    return f"Q{(start.month - 1) // 3 + 1} {start.year}"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    kind: str

    @property
    def key(self) -> str:
        return self.start.isoformat()

    @property
    def label(self) -> str:
        return period_label(self.start, self.kind)

    @property
    def short(self) -> str:
        return short_label(self.start, self.kind)

    @property
    def end(self) -> datetime.date:
        """The first day after the period."""
        return shift(self.start, self.kind)


def _truncate(period: str, field_name: str) -> Any:
    return (TruncMonth if period == MONTH else TruncQuarter)(field_name)


def _as_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    assert isinstance(value, datetime.date)
    return value


# What is counted --------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    dataset: int | None = None
    attribute: Attribute | None = None
    value: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    period: str = MONTH
    suggested: bool = False  # count the model's pending suggestions as well

    def described(self) -> list[str]:
        """The filters in words, for downloads and asks."""
        words = []
        if self.attribute is not None and self.value.strip():
            words.append(f"{self.attribute.name} is {self.value.strip()}")
        if self.start is not None:
            words.append(f"from {self.start:%d %B %Y}")
        if self.end is not None:
            words.append(f"to {self.end:%d %B %Y}")
        return words


def responses(project: Project, filters: Filters) -> "QuerySet[Source]":
    """The project's dated responses released to coders, within the filters."""
    found = responses_of(project).filter(received_on__isnull=False)
    if filters.dataset is not None:
        found = found.filter(dataset_id=filters.dataset)
    if filters.start is not None:
        found = found.filter(received_on__gte=filters.start)
    if filters.end is not None:
        found = found.filter(received_on__lte=filters.end)
    if filters.attribute is not None and filters.value.strip():
        # The response's own value, else its case's, as the frequency report reads them.
        found = found.annotate(
            _value=Lower(
                Coalesce(
                    ValueOf(filters.attribute, "values"),
                    ValueOf(filters.attribute, "case__values"),
                )
            )
        ).filter(_value=filters.value.strip().lower())
    return found


def _pending(project: Project, segments: "QuerySet[Segment]") -> "QuerySet[Suggestion]":
    """Pending suggestions for responses not already coded with the code (in what the user
    may see), so a response is never counted as both."""
    coded = segments.filter(source_id=OuterRef("source_id"), code_id=OuterRef("code_id"))
    return Suggestion.objects.filter(project=project, status=Suggestion.Status.PENDING).exclude(
        Exists(coded)
    )


# The figures ------------------------------------------------------------------------------


@dataclass
class CodeTrend:
    """One code's comments per period. In an organisation's trends, codes of the same name in
    different projects are one row."""

    key: str
    name: str
    codes: list[tuple[int, int]]  # (project id, code id)
    confirmed: list[int]
    suggested: list[int]

    def counts(self, suggested: bool) -> list[int]:
        if not suggested:
            return list(self.confirmed)
        return [a + b for a, b in zip(self.confirmed, self.suggested, strict=True)]

    @property
    def total_confirmed(self) -> int:
        return sum(self.confirmed)

    @property
    def total_suggested(self) -> int:
        return sum(self.suggested)


@dataclass(frozen=True)
class Change:
    trend: CodeTrend
    previous: int
    latest: int

    @property
    def difference(self) -> int:
        return self.latest - self.previous

    @property
    def percent(self) -> int | None:
        if self.previous == 0:
            return None
        return round(100 * self.difference / self.previous)

    @property
    def described(self) -> str:
        """ "new", "+150%", "-20%" or "no change"."""
        if self.previous == 0:
            return "new" if self.latest else "no change"
        if self.difference == 0:
            return "no change"
        return f"{self.percent:+d}%"


@dataclass
class SentimentCounts:
    period: Period
    confirmed: dict[str, int] = field(default_factory=dict)
    suggested: dict[str, int] = field(default_factory=dict)
    unknown: int = 0

    def count(self, value: str, suggested: bool) -> int:
        return self.confirmed.get(value, 0) + (self.suggested.get(value, 0) if suggested else 0)


@dataclass(frozen=True)
class PairCount:
    first: str
    second: str
    responses: int


@dataclass
class Trends:
    filters: Filters
    periods: list[Period]
    responses: list[int]
    codes: list[CodeTrend]
    sentiment: list[SentimentCounts]
    latest: Period | None
    previous: Period | None
    pairs: list[PairCount]
    undated: int
    pairs_stopped: bool = False

    @property
    def total(self) -> int:
        return sum(self.responses)

    def index(self, period: Period | None) -> int | None:
        return None if period is None else self.periods.index(period)

    @property
    def changes(self) -> list[Change]:
        """Each code's comments in the latest complete period against the one before, the
        biggest rises first."""
        latest, previous = self.index(self.latest), self.index(self.previous)
        if latest is None or previous is None:
            return []
        found = []
        for trend in self.codes:
            counts = trend.counts(self.filters.suggested)
            if counts[latest] or counts[previous]:
                found.append(Change(trend, counts[previous], counts[latest]))
        return sorted(found, key=lambda c: (-c.difference, -c.latest, c.trend.name.lower()))

    def change_of(self, key: str) -> Change | None:
        trend = next((t for t in self.codes if t.key == key), None)
        latest, previous = self.index(self.latest), self.index(self.previous)
        if trend is None or latest is None or previous is None:
            return None
        counts = trend.counts(self.filters.suggested)
        return Change(trend, counts[previous], counts[latest])


@dataclass
class _Counted:
    """What one project's queries gave, before the rows are put together."""

    responses: dict[datetime.date, int] = field(default_factory=lambda: defaultdict(int))
    confirmed: dict[tuple[str, datetime.date], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    suggested: dict[tuple[str, datetime.date], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    names: dict[str, str] = field(default_factory=dict)
    codes: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    order: list[str] = field(default_factory=list)
    sentiment: dict[tuple[datetime.date, str, str], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    pairs: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    pairs_stopped: bool = False
    first: datetime.date | None = None
    last: datetime.date | None = None
    undated: int = 0


def code_key(project: Project, code: Code, across: bool) -> str:
    """A code's row: its own in a project's trends; its name's across an organisation."""
    return f"name:{code.name.strip().casefold()}" if across else str(code.pk)


def _count(
    counted: _Counted, user: Any, project: Project, filters: Filters, *, across: bool
) -> None:
    found = responses(project, filters)
    bounds = found.aggregate(first=Min("received_on"), last=Max("received_on"))
    if bounds["first"] is not None:
        counted.first = min(filter(None, (counted.first, bounds["first"])))
        counted.last = max(filter(None, (counted.last, bounds["last"])))
    counted.undated += responses_of(project).filter(received_on__isnull=True).count()
    keys: dict[int, str] = {}
    for row in reports.code_tree(project):
        key = code_key(project, row.code, across)
        keys[row.code.pk] = key
        counted.codes[key].append((project.pk, row.code.pk))
        if key not in counted.names:
            counted.names[key] = row.code.name
            counted.order.append(key)
    ids = found.values("pk")
    segments = visible_segments(user, project)
    for code_id, period, n in (
        segments.filter(source__in=ids)
        .order_by()
        .annotate(period=_truncate(filters.period, "source__received_on"))
        .values("code_id", "period")
        .annotate(n=Count("source_id", distinct=True))
        .values_list("code_id", "period", "n")
    ):
        counted.confirmed[(keys[code_id], _as_date(period))] += n
    for code_id, period, n in (
        _pending(project, segments)
        .filter(source__in=ids)
        .order_by()
        .annotate(period=_truncate(filters.period, "source__received_on"))
        .values("code_id", "period")
        .annotate(n=Count("pk"))
        .values_list("code_id", "period", "n")
    ):
        counted.suggested[(keys[code_id], _as_date(period))] += n
    for period, label, read, n in (
        found.order_by()
        .annotate(period=_truncate(filters.period, "received_on"))
        .values("period", "sentiment__value", "reading__sentiment")
        .annotate(n=Count("pk"))
        .values_list("period", "sentiment__value", "reading__sentiment", "n")
    ):
        day = _as_date(period)
        counted.responses[day] += n
        counted.sentiment[(day, label or "", read or "")] += n
    pairs = co_occurring(segments.filter(source__in=ids))
    if pairs is None:
        counted.pairs_stopped = True
    else:
        for first, second, n in pairs:
            a, b = sorted((keys[first], keys[second]), key=lambda k: counted.names[k].lower())
            if a != b:
                counted.pairs[(a, b)] += n


def co_occurring(segments: "QuerySet[Segment]") -> list[tuple[int, int, int]] | None:
    """Pairs of codes given to the same response, with how many responses have both, the
    commonest first; None when the database took longer than PAIR_SECONDS (stopped as
    reports.co_occurrence stops its count).

    Unlike the co-occurrence report, which counts overlapping stretches of text, this counts
    responses: a short comment about parking and about staff is about both."""
    ids, params = segments.order_by().values("pk").query.sql_with_params()
    table = connection.ops.quote_name(Segment._meta.db_table)
    sql = (
        "SELECT a.code_id, b.code_id, COUNT(DISTINCT a.source_id) "  # noqa: S608 - names from the model; the subqueries are Django's own with their parameters kept apart
        f"FROM {table} a JOIN {table} b ON b.source_id = a.source_id AND a.code_id < b.code_id "
        f"WHERE a.id IN ({ids}) AND b.id IN ({ids}) "
        "GROUP BY a.code_id, b.code_id ORDER BY 3 DESC, 1, 2 LIMIT %s"
    )
    try:
        with reports._time_limit(PAIR_SECONDS), connection.cursor() as cursor:
            cursor.execute(sql, [*params, *params, PAIR_LIMIT * 5])
            return [(int(a), int(b), int(n)) for a, b, n in cursor.fetchall()]
    except OperationalError:
        return None


def latest_complete(
    last: datetime.date, period: str, end: datetime.date | None, today: datetime.date
) -> datetime.date:
    """The start of the latest period that is over (by `end` when the figures stop there,
    else by today) and has responses in or before it."""
    until = min(end + datetime.timedelta(days=1), today) if end else today
    complete = shift(period_start(until, period), period, -1)
    if until == period_start(until, period):
        complete = shift(until, period, -1)
    return min(complete, period_start(last, period))


def trends(
    user: Any,
    projects: Iterable[Project],
    filters: Filters,
    *,
    across: bool = False,
    today: datetime.date | None = None,
) -> Trends:
    """The figures for one project (or, `across` an organisation's projects, with codes of the
    same name counted together)."""
    return _figures(user, [(project, filters) for project in projects], filters, across, today)


def trends_of(
    user: Any,
    parts: Iterable[tuple[Project, Attribute | None, int | None]],
    filters: Filters,
    *,
    today: datetime.date | None = None,
) -> Trends:
    """Figures across projects, each with its own attribute and dataset (matched by name to
    the ones chosen from one of them)."""
    each = [
        (project, dataclasses.replace(filters, attribute=attribute, dataset=dataset))
        for project, attribute, dataset in parts
    ]
    return _figures(user, each, filters, True, today)


def _figures(
    user: Any,
    parts: Sequence[tuple[Project, Filters]],
    filters: Filters,
    across: bool,
    today: datetime.date | None,
) -> Trends:
    counted = _Counted()
    for project, own in parts:
        _count(counted, user, project, own, across=across)
    today = today or timezone.localdate()
    periods: list[Period] = []
    latest = previous = None
    if counted.first is not None and counted.last is not None:
        last_start = latest_complete(counted.last, filters.period, filters.end, today)
        first = min(
            period_start(counted.first, filters.period), shift(last_start, filters.period, -1)
        )
        latest, previous = (
            Period(last_start, filters.period),
            Period(shift(last_start, filters.period, -1), filters.period),
        )
        day = first
        final = period_start(counted.last, filters.period)
        while day <= final:
            periods.append(Period(day, filters.period))
            day = shift(day, filters.period)
    starts = [p.start for p in periods]
    code_trends = [
        CodeTrend(
            key=key,
            name=counted.names[key],
            codes=counted.codes[key],
            confirmed=[counted.confirmed.get((key, day), 0) for day in starts],
            suggested=[counted.suggested.get((key, day), 0) for day in starts],
        )
        for key in counted.order
    ]
    # Retired codes nobody used in these responses would only be rows of noughts.
    code_trends = [t for t in code_trends if t.total_confirmed or t.total_suggested]
    sentiment = {day: SentimentCounts(Period(day, filters.period)) for day in starts}
    for (day, label, read), n in counted.sentiment.items():
        counts = sentiment[day]
        if label:
            counts.confirmed[label] = counts.confirmed.get(label, 0) + n
        elif read:
            counts.suggested[read] = counts.suggested.get(read, 0) + n
        else:
            counts.unknown += n
    pairs = sorted(
        (PairCount(counted.names[a], counted.names[b], n) for (a, b), n in counted.pairs.items()),
        key=lambda p: (-p.responses, p.first.lower(), p.second.lower()),
    )[:PAIR_LIMIT]
    return Trends(
        filters=filters,
        periods=periods,
        responses=[counted.responses.get(day, 0) for day in starts],
        codes=code_trends,
        sentiment=[sentiment[day] for day in starts],
        latest=latest,
        previous=previous,
        pairs=pairs,
        undated=counted.undated,
        pairs_stopped=counted.pairs_stopped,
    )


SENTIMENTS = [(value, str(label)) for value, label in Sentiment.choices]


# The comments behind a count ---------------------------------------------------------------


def behind(
    user: Any,
    project: Project,
    filters: Filters,
    *,
    code: Code | None = None,
    period: Period | None = None,
    which: str = BOTH,
    sentiment: str = "",
) -> "QuerySet[Source]":
    """The responses a count was made of, oldest first."""
    found = responses(project, filters)
    if period is not None:
        found = found.filter(received_on__gte=period.start, received_on__lt=period.end)
    if code is not None:
        segments = visible_segments(user, project)
        confirmed = Q(pk__in=segments.filter(code=code).values("source_id"))
        suggested = Q(pk__in=_pending(project, segments).filter(code=code).values("source_id"))
        if which == CONFIRMED:
            found = found.filter(confirmed)
        elif which == SUGGESTED:
            found = found.filter(suggested)
        else:
            found = found.filter(confirmed | suggested)
    if sentiment:
        confirmed = Q(sentiment__value=sentiment)
        suggested = Q(sentiment__isnull=True, reading__sentiment=sentiment)
        if which == CONFIRMED:
            found = found.filter(confirmed)
        elif which == SUGGESTED:
            found = found.filter(suggested)
        else:
            found = found.filter(confirmed | suggested)
    return found.order_by("received_on", "pk")


@dataclass(frozen=True)
class Comment:
    source: Source
    codes: list[Code]
    suggested: list[Code]
    sentiment: str
    sentiment_suggested: bool


def comments(user: Any, project: Project, page: Sequence[Source]) -> list[Comment]:
    """A page of responses with the codes the user may see, the pending suggestions and the
    sentiment."""
    ids = [source.pk for source in page]
    segments = visible_segments(user, project)
    codes = {code.pk: code for code in Code.objects.filter(project=project)}
    coded: dict[int, set[int]] = defaultdict(set)
    for source_id, code_id in segments.filter(source_id__in=ids).values_list(
        "source_id", "code_id"
    ):
        coded[source_id].add(code_id)
    suggested: dict[int, set[int]] = defaultdict(set)
    for source_id, code_id in (
        _pending(project, segments).filter(source_id__in=ids).values_list("source_id", "code_id")
    ):
        suggested[source_id].add(code_id)
    feelings = dict(
        Source.objects.filter(pk__in=ids, sentiment__isnull=False).values_list(
            "pk", "sentiment__value"
        )
    )
    readings = dict(
        Source.objects.filter(pk__in=ids, reading__isnull=False).values_list(
            "pk", "reading__sentiment"
        )
    )
    labels = dict(Sentiment.choices)

    def ordered(found: set[int]) -> list[Code]:
        return sorted((codes[pk] for pk in found), key=lambda c: (c.position, c.name.lower()))

    shown = []
    for source in page:
        confirmed = feelings.get(source.pk) or ""
        read = readings.get(source.pk) or ""
        shown.append(
            Comment(
                source=source,
                codes=ordered(coded[source.pk]),
                suggested=ordered(suggested[source.pk]),
                sentiment=str(labels.get(confirmed or read, "")),
                sentiment_suggested=not confirmed and bool(read),
            )
        )
    return shown


# Downloads -------------------------------------------------------------------------------

HEADER = ["Figure", "Code or sentiment", "Period", "Confirmed", "Suggested", "Total"]


def lines(result: Trends) -> Iterator[list[Any]]:
    """The page's figures as one table, for CSV and XLSX alike."""
    for period, n in zip(result.periods, result.responses, strict=True):
        yield ["Responses", "", period.label, n, "", n]
    for trend in result.codes:
        for period, confirmed, suggested in zip(
            result.periods, trend.confirmed, trend.suggested, strict=True
        ):
            yield ["Comments by code", trend.name, period.label, confirmed, suggested,
                   confirmed + suggested]  # fmt: skip
    for counts in result.sentiment:
        for value, label in SENTIMENTS:
            confirmed = counts.confirmed.get(value, 0)
            suggested = counts.suggested.get(value, 0)
            yield ["Sentiment", label, counts.period.label, confirmed, suggested,
                   confirmed + suggested]  # fmt: skip
    if result.latest and result.previous:
        for change in result.changes:
            yield [
                f"Change, {result.previous.label} to {result.latest.label}",
                change.trend.name,
                result.latest.label,
                change.previous,
                change.latest,
                change.described,
            ]
    for pair in result.pairs:
        yield ["Codes in the same response", f"{pair.first} and {pair.second}", "", pair.responses,
               "", pair.responses]  # fmt: skip


def download(result: Trends, name: str, kind: str) -> HttpResponse:
    return spreadsheets.download(name, HEADER, list(lines(result)), kind)


def code_csv(result: Trends, key: str) -> bytes:
    """One code's figures, period by period, as CSV: the evidence attached to an ask."""
    trend = next(t for t in result.codes if t.key == key)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["Code", "Period", "Responses", "Confirmed", "Suggested"])
    for period, n, confirmed, suggested in zip(
        result.periods, result.responses, trend.confirmed, trend.suggested, strict=True
    ):
        writer.writerow(spreadsheets.row([trend.name, period.label, n, confirmed, suggested]))
    return text.getvalue().encode()


# Raising an ask ------------------------------------------------------------------------------


def summary(result: Trends, change: Change) -> str:
    """What the figures say, in a sentence an ask can carry: "Comments about Parking rose from
    12 in May 2026 to 30 in June 2026"."""
    assert result.latest is not None and result.previous is not None
    name = change.trend.name
    then, now = result.previous.label, result.latest.label
    if change.previous == 0:
        sentence = (
            f"Comments about {name} appeared in {now}: {change.latest}, none in {then}"
            if change.latest
            else f"There were no comments about {name} in {then} or {now}"
        )
    elif change.difference > 0:
        sentence = (
            f"Comments about {name} rose from {change.previous} in {then} to {change.latest} "
            f"in {now} ({change.described})"
        )
    elif change.difference < 0:
        sentence = (
            f"Comments about {name} fell from {change.previous} in {then} to {change.latest} "
            f"in {now} ({change.described})"
        )
    else:
        sentence = f"Comments about {name} stayed at {change.latest} in {then} and {now}"
    scope = result.filters.described()
    parts = [sentence + (f", where {', '.join(scope)}" if scope else "") + "."]
    parts.append(
        "Counted from responses the analysis team coded, with the model's suggestions "
        "not yet checked by a person."
        if result.filters.suggested
        else "Counted from responses the analysis team coded."
    )
    return " ".join(parts)


@dataclass(frozen=True)
class AskEvidence:
    link: str  # the comments behind the figures, as an address
    figures_name: str


def raise_ask(
    *,
    by: User,
    project: Project,
    result: Trends,
    key: str,
    title: str,
    what_was_said: str,
    service: Any = None,
    owner: Any = None,
    link: str,
) -> Any:
    """An ask in the organisation's impact record ("you said") from a code's trend, with the
    comments behind it (a link) and its figures (a CSV file) as evidence."""
    from coproduce.asks import services as ask_services
    from coproduce.asks.models import Evidence

    change = result.change_of(key)
    if change is None or not (change.previous or change.latest):
        raise ServiceError("Choose a code that has comments in these figures", field="code")
    details = {
        "title": title.strip()[:200] or f"Comments about {change.trend.name}",
        "what_was_said": what_was_said.strip() or summary(result, change),
        "service": service,
        "owner": owner,
    }
    if len(details["what_was_said"]) > 5000:
        raise ServiceError("What was said must be 5,000 characters or fewer", field="what_was_said")
    with transaction.atomic():
        ask = ask_services.raise_ask(actor=by, organisation=project.organisation, details=details)
        # Not through `add_evidence`, which is for the ask's owner and the involvement lead:
        # the analyst who raised it attaches where it came from.
        figures = code_csv(result, key)
        ask_services.attach_evidence(
            actor=by,
            ask=ask,
            kind=Evidence.Kind.LINK,
            title=f"The comments about {change.trend.name} in {project.name}",
            source=project.name,
            url=link,
        )
        ask_services.attach_evidence(
            actor=by,
            ask=ask,
            kind=Evidence.Kind.FILE,
            title=f"Figures for {change.trend.name} by {PERIODS[result.filters.period].lower()}",
            source=project.name,
            file=ContentFile(figures, name="trend-figures.csv"),
            content_type="text/plain",
            size=len(figures),
        )
    return ask
