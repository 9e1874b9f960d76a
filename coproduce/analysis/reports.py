"""Reports on a project's coding: the thematic map, quotes by theme, code frequencies by an
attribute, and which codes overlap; with their XLSX and DOCX downloads.

Every report reads coding through `services.coding.visible_segments`, so in blind coding a
coder's reports hold their own coding only. A project may hold two million segments, so counts
are made by the database (grouped queries) and only a page of quotes, or a bounded download,
is ever read into Python.
"""

import io
import itertools
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Count, F, QuerySet
from django.db.models.functions import Coalesce, Substr
from openpyxl import Workbook

from coproduce.accounts.models import User
from coproduce.analysis.models import Attribute, Code, Layer, Project, Segment, Theme
from coproduce.analysis.services.cases import ValueOf, described, display_value, parse_value
from coproduce.analysis.services.coding import visible_segments
from coproduce.core import spreadsheets

# At most this many quotes go into one download; the page says so and offers a theme filter.
QUOTE_EXPORT_LIMIT = 10_000
# More values than this become one "Other values" column, so the table stays readable.
VALUE_COLUMN_LIMIT = 20
# A matrix wider than this cannot be read; beyond it the report lists the commonest pairs.
MATRIX_LIMIT = 30
PAIR_LIMIT = 200
# Counting overlaps is stopped after this long (the page then suggests choosing a theme).
CO_OCCURRENCE_SECONDS = 20.0
PROGRESS_STEPS = 10_000  # SQLite virtual machine steps between looks at the clock

NO_VALUE = "No value"
OTHER_VALUES = "Other values"


def coding(
    user: Any, project: Project, layer: str = Layer.CODER, coder: int | None = None
) -> "QuerySet[Segment]":
    """The coding a report reads: one layer of what `user` may see, and in the coders' layer
    optionally one coder's."""
    segments = visible_segments(user, project).filter(layer=layer)
    if coder is not None and layer == Layer.CODER:
        segments = segments.filter(coder_id=coder)
    return segments


def layer_description(layer: str, coder: User | None = None) -> str:
    if layer == Layer.CONSENSUS:
        return "The coding the team agreed (consensus)"
    if coder is not None:
        return f"Coding by {person(coder)}"
    return "Each coder's own coding"


def person(user: User | None, label: str = "") -> str:
    if user is None:
        return label or "Unknown"
    return user.get_full_name() or user.get_username()


def counts_by_code(segments: "QuerySet[Segment]") -> dict[int, int]:
    """Coded segments per code, counted by the database."""
    return dict(
        segments.order_by().values("code_id").annotate(n=Count("pk")).values_list("code_id", "n")
    )


# The codebook as a tree ----------------------------------------------------------------------


@dataclass(frozen=True)
class CodeRow:
    code: Code
    depth: int


def code_tree(project: Project) -> list[CodeRow]:
    """Every code of the project, each followed by its children, in codebook order."""
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in Code.objects.filter(project=project).order_by("position", "name", "pk"):
        children[code.parent_id].append(code)
    rows: list[CodeRow] = []

    def visit(parent: int | None, depth: int) -> None:
        for code in children.get(parent, []):
            rows.append(CodeRow(code, depth))
            visit(code.pk, depth + 1)

    visit(None, 0)
    return rows


def branch(tree: Sequence[CodeRow], code_ids: set[int]) -> list[CodeRow]:
    """The rows of `tree` for `code_ids` and everything below them, depths counted from the
    highest chosen code (a child chosen with its parent appears once, under the parent)."""
    rows: list[CodeRow] = []
    inside_depth: int | None = None
    for row in tree:
        if inside_depth is not None and row.depth <= inside_depth:
            inside_depth = None
        if inside_depth is not None:
            rows.append(CodeRow(row.code, row.depth - inside_depth))
        elif row.code.pk in code_ids:
            inside_depth = row.depth
            rows.append(CodeRow(row.code, 0))
    return rows


def themes_with_codes(project: Project) -> list[tuple[Theme, list[CodeRow]]]:
    """Each theme, in order, with its codes and their child codes."""
    tree = code_tree(project)
    themes = list(Theme.objects.filter(project=project).prefetch_related("codes"))
    return [(theme, branch(tree, {code.pk for code in theme.codes.all()})) for theme in themes]


# The thematic map --------------------------------------------------------------------------


@dataclass(frozen=True)
class MapCode:
    code: Code
    depth: int
    count: int


@dataclass(frozen=True)
class Branch:
    """A code in a nested list, with the codes below it."""

    item: MapCode
    children: list["Branch"]


def nest(codes: Sequence[MapCode]) -> list[Branch]:
    """A flat list of codes with depths, as a tree for a nested list."""
    roots: list[Branch] = []
    stack: list[Branch] = []
    for code in codes:
        branch_ = Branch(code, [])
        del stack[code.depth :]
        (stack[-1].children if stack else roots).append(branch_)
        stack.append(branch_)
    return roots


@dataclass(frozen=True)
class MapTheme:
    theme: Theme
    codes: list[MapCode]

    @property
    def total(self) -> int:
        return sum(code.count for code in self.codes)

    @property
    def tree(self) -> list[Branch]:
        return nest(self.codes)


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int
    label: str
    detail: str
    fill: str
    stroke: str
    dashed: bool = False
    swatch: str | None = None


@dataclass(frozen=True)
class Line:
    x1: int
    y1: int
    x2: int
    y2: int


@dataclass
class Drawing:
    width: int
    height: int = 0
    boxes: list[Box] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class ThematicMap:
    themes: list[MapTheme]
    unthemed: list[MapCode]

    @property
    def drawing(self) -> Drawing:
        return draw(self.themes)

    @property
    def unthemed_tree(self) -> list[Branch]:
        return nest(self.unthemed)


def thematic_map(project: Project, segments: "QuerySet[Segment]") -> ThematicMap:
    counts = counts_by_code(segments)
    themes = [
        MapTheme(theme, [MapCode(row.code, row.depth, counts.get(row.code.pk, 0)) for row in rows])
        for theme, rows in themes_with_codes(project)
    ]
    in_themes = {code.code.pk for theme in themes for code in theme.codes}
    tree = code_tree(project)
    unthemed_ids = {row.code.pk for row in tree if row.code.pk not in in_themes}
    unthemed = [
        MapCode(row.code, row.depth, counts.get(row.code.pk, 0))
        for row in branch(tree, unthemed_ids)
    ]
    return ThematicMap(themes, unthemed)


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _fit(text: str, width: int, size: int) -> str:
    """Shorten text to about what fits `width` pixels at font `size`; the list beside the
    picture has it whole."""
    room = max(4, int(width / (size * 0.55)))
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


THEME_LOOK = {
    Theme.Status.CANDIDATE: ("#ffffff", "#4c6272", True),
    Theme.Status.REVIEWED: ("#e8edee", "#4c6272", False),
    Theme.Status.DEFINED: ("#e8f1f8", "#005eb8", False),
}


def draw(themes: Sequence[MapTheme], width: int = 640) -> Drawing:
    """Lay the map out as a tree, one theme under another, each with its codes below it.

    Status is written in each theme's box as well as shown by its outline (dashed for a
    candidate), so colour is never the only sign."""
    drawing = Drawing(width=width)
    y = 0
    step, code_height, indent = 48, 40, 32
    count_room = 150  # the count is written at the right of each code's box
    for map_theme in themes:
        fill, stroke, dashed = THEME_LOOK[Theme.Status(map_theme.theme.status)]
        detail = (
            f"{map_theme.theme.get_status_display()} · {plural(len(map_theme.codes), 'code')}"
            f" · {plural(map_theme.total, 'coded segment')}"
        )
        drawing.boxes.append(
            Box(
                0,
                y,
                width,
                56,
                _fit(map_theme.theme.name, width - 24, 18),
                detail,
                fill,
                stroke,
                dashed,
            )
        )
        parents: list[tuple[int, int]] = [(16, y + 56)]  # (x of the elbow, bottom of parent)
        y += 56 + 8
        if not map_theme.codes:
            drawing.boxes.append(
                Box(
                    indent,
                    y,
                    width - indent,
                    code_height,
                    "No codes yet",
                    "",
                    "#ffffff",
                    "#aeb7bd",
                    True,
                )
            )
            drawing.lines.append(Line(16, y - 8, 16, y + code_height // 2))
            drawing.lines.append(Line(16, y + code_height // 2, indent, y + code_height // 2))
            y += step
        for code in map_theme.codes:
            x = indent * (code.depth + 1)
            del parents[code.depth + 1 :]
            elbow, top = parents[code.depth] if code.depth < len(parents) else parents[-1]
            middle = y + code_height // 2
            drawing.lines.append(Line(elbow, top, elbow, middle))
            drawing.lines.append(Line(elbow, middle, x, middle))
            name = code.code.name + (" (retired)" if code.code.retired else "")
            drawing.boxes.append(
                Box(
                    x,
                    y,
                    width - x,
                    code_height,
                    _fit(name, width - x - 24 - count_room, 16),
                    plural(code.count, "segment"),
                    "#ffffff",
                    "#768692",
                    swatch=code.code.colour,
                )
            )
            parents.append((x + 16, y + code_height))
            y += step
        y += 24
    drawing.height = max(y, 1)
    return drawing


# Quotes by theme -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    text: str
    code: Code
    source_id: int
    source_name: str
    case_name: str
    attributes: list[tuple[Attribute, str]]
    coder: str
    start: int
    end: int

    @property
    def attribute_text(self) -> str:
        return "; ".join(f"{attribute.name}: {value}" for attribute, value in self.attributes)


@dataclass(frozen=True)
class ThemeQuotes:
    theme: Theme
    total: int
    quotes: list[Quote]


@dataclass(frozen=True)
class _Part:
    theme: Theme
    code: Code
    count: int


class QuotesByTheme:
    """Each theme's codes' coded text, theme by theme and code by code in codebook order.

    Segments are counted per code in one grouped query; a page then reads only the stretch of
    the few codes it covers, so paging stays cheap however much is coded."""

    def __init__(
        self, project: Project, segments: "QuerySet[Segment]", theme: Theme | None = None
    ) -> None:
        self.project = project
        self.segments = segments
        counts = counts_by_code(segments)
        self.themes: list[tuple[Theme, list[CodeRow]]] = [
            (each, rows)
            for each, rows in themes_with_codes(project)
            if theme is None or each.pk == theme.pk
        ]
        self.parts = [
            _Part(each, row.code, counts[row.code.pk])
            for each, rows in self.themes
            for row in rows
            if counts.get(row.code.pk)
        ]
        self.theme_totals: dict[int, int] = defaultdict(int)
        for part in self.parts:
            self.theme_totals[part.theme.pk] += part.count
        self.total = sum(part.count for part in self.parts)
        self.attributes = list(Attribute.objects.filter(project=project))

    def page(self, start: int, stop: int) -> list[ThemeQuotes]:
        """Quotes `start` to `stop` (counting from 0) of the whole report, grouped by theme."""
        groups: list[ThemeQuotes] = []
        offset = 0
        for part in self.parts:
            first, last = max(start - offset, 0), min(stop - offset, part.count)
            offset += part.count
            if first >= last:
                continue
            quotes = self._quotes(part.code, first, last)
            if groups and groups[-1].theme.pk == part.theme.pk:
                groups[-1].quotes.extend(quotes)
            else:
                groups.append(ThemeQuotes(part.theme, self.theme_totals[part.theme.pk], quotes))
            if offset >= stop:
                break
        return groups

    def every(self, limit: int | None = None) -> Iterator[tuple[Theme, Quote]]:
        """Up to `limit` quotes (the download limit unless given) in report order, read a
        thousand at a time."""
        left = QUOTE_EXPORT_LIMIT if limit is None else limit
        for part in self.parts:
            for first in range(0, part.count, 1000):
                if left <= 0:
                    return
                quotes = self._quotes(part.code, first, min(first + 1000, part.count, first + left))
                left -= len(quotes)
                for quote in quotes:
                    yield part.theme, quote

    def _quotes(self, code: Code, first: int, last: int) -> list[Quote]:
        # Only the coded stretch of each source's text is read, never the whole text.
        rows = list(
            self.segments.filter(code=code)
            .order_by("source_id", "start", "end", "pk")
            .annotate(quote=Substr("source__text", F("start") + 1, F("end") - F("start")))
            .values(
                "quote",
                "source_id",
                "start",
                "end",
                "coder_id",
                "coder_label",
                "source__name",
                "source__values",
                "source__case__name",
                "source__case__values",
            )[first:last]
        )
        coders = User.objects.in_bulk({row["coder_id"] for row in rows if row["coder_id"]})
        return [
            Quote(
                text=row["quote"],
                code=code,
                source_id=row["source_id"],
                source_name=row["source__name"],
                case_name=row["source__case__name"] or "",
                attributes=described(
                    self.attributes, row["source__values"] or {}, row["source__case__values"] or {}
                ),
                coder=person(coders.get(row["coder_id"]), row["coder_label"]),
                start=row["start"],
                end=row["end"],
            )
            for row in rows
        ]


# Code frequencies by attribute ---------------------------------------------------------------


@dataclass(frozen=True)
class FrequencyRow:
    code: Code
    depth: int
    segments: list[int]
    sources: list[int]

    @property
    def total_segments(self) -> int:
        return sum(self.segments)

    @property
    def total_sources(self) -> int:
        # Each source has one value of the attribute, so its columns never count it twice.
        return sum(self.sources)


@dataclass(frozen=True)
class Frequencies:
    attribute: Attribute
    columns: list[str]
    rows: list[FrequencyRow]
    folded: int  # how many values were put together as "Other values"


def value_label(kind: str, raw: Any) -> tuple[tuple[Any, ...], str]:
    """How a value is shown as a column, and where that column sorts. The database may give
    the same value in different forms (3 and "3", 1 and "true"), which this makes one."""
    if raw is None or str(raw).strip() == "":
        return (2,), NO_VALUE
    shown = display_value(kind, raw)
    try:
        parsed = parse_value(kind, raw)
    except ValueError:
        return (1, str(raw).lower()), shown
    if kind == Attribute.Kind.NUMBER:
        try:
            return (0, Decimal(str(parsed))), shown
        except InvalidOperation:  # pragma: no cover - parse_value gave a number
            return (1, shown), shown
    if kind == Attribute.Kind.BOOLEAN:
        return (0, not parsed), shown
    return (0, str(parsed).lower() if kind == Attribute.Kind.TEXT else parsed), shown


def code_frequencies(
    project: Project,
    segments: "QuerySet[Segment]",
    attribute: Attribute,
    limit: int = VALUE_COLUMN_LIMIT,
) -> Frequencies:
    """Coded segments, and distinct sources, per code and value of `attribute`: the
    response's own value, or else its case's. Counted by the database in one grouped query."""
    value = Coalesce(
        ValueOf(attribute, "source__values"), ValueOf(attribute, "source__case__values")
    )
    grouped = (
        segments.order_by()
        .annotate(value=value)
        .values("code_id", "value")
        .annotate(n=Count("pk"), sources=Count("source_id", distinct=True))
        .values_list("code_id", "value", "n", "sources")
    )
    cells: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    order: dict[str, tuple[Any, ...]] = {}
    weight: dict[str, int] = defaultdict(int)
    for code_id, raw, n, sources in grouped:
        key, label = value_label(attribute.kind, raw)
        order.setdefault(label, key)
        cell = cells[(code_id, label)]
        cell[0] += n
        cell[1] += sources
        weight[label] += n
    values = [label for label in order if label != NO_VALUE]
    kept = set(sorted(values, key=lambda label: (-weight[label], order[label]))[:limit])
    columns = sorted(kept, key=lambda label: order[label])
    folded = len(values) - len(kept)
    if folded:
        columns.append(OTHER_VALUES)
    if NO_VALUE in order:
        columns.append(NO_VALUE)
    place = {label: columns.index(label) for label in columns}
    by_code: dict[int, tuple[list[int], list[int]]] = {}
    for (code_id, label), (n, sources) in cells.items():
        counts = by_code.setdefault(code_id, ([0] * len(columns), [0] * len(columns)))
        column = place.get(label, place.get(OTHER_VALUES, 0))
        counts[0][column] += n
        counts[1][column] += sources
    rows = [
        FrequencyRow(row.code, row.depth, *by_code.get(row.code.pk, ([0] * len(columns),) * 2))
        for row in code_tree(project)
        if row.code.pk in by_code or not row.code.retired
    ]
    return Frequencies(attribute, columns, rows, folded)


# Code co-occurrence ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    first: Code
    second: Code
    overlaps: int
    sources: int


@dataclass(frozen=True)
class CoOccurrence:
    codes: list[Code]
    pairs: list[Pair]
    # Rows of the matrix: each code with the overlaps it has with every code (None on the
    # diagonal); None when there are too many codes to draw one.
    matrix: list[tuple[Code, list[int | None]]] | None
    limited: bool  # only the commonest PAIR_LIMIT pairs are listed
    stopped: bool = False  # the count took longer than CO_OCCURRENCE_SECONDS


def co_occurrence(
    segments: "QuerySet[Segment]", codes: Sequence[Code], *, same_coder: bool = True
) -> CoOccurrence:
    """Pairs of `codes` whose coded stretches overlap in the same source: how many pairs of
    segments overlap, and in how many sources. With `same_coder`, one person's coding of both
    codes must overlap (two coders' different codes on one passage are a disagreement, not a
    co-occurrence).

    The segments table is joined to itself in the database, through its index on source and
    code, with both sides limited to `segments` (what the user may see) and to the chosen
    codes; nothing but the counts comes back. Wider than MATRIX_LIMIT codes, only the
    commonest PAIR_LIMIT pairs are kept. The work grows with the square of the number of
    segments in each source, so the query is stopped after CO_OCCURRENCE_SECONDS."""
    codes = list(codes)
    by_id = {code.pk: code for code in codes}
    wide = len(codes) > MATRIX_LIMIT
    if len(codes) < 2:
        return CoOccurrence(codes, [], None if wide else [], limited=False)
    found = _overlapping_pairs(segments.filter(code_id__in=list(by_id)), same_coder, wide)
    if found is None:
        return CoOccurrence(codes, [], None, limited=False, stopped=True)
    pairs = [
        Pair(by_id[first], by_id[second], overlaps, sources)
        for first, second, overlaps, sources in found
    ]
    matrix = None
    if not wide:
        overlaps: dict[tuple[int, int], int] = {}
        for pair in pairs:
            overlaps[(pair.first.pk, pair.second.pk)] = pair.overlaps
            overlaps[(pair.second.pk, pair.first.pk)] = pair.overlaps
        matrix = [
            (
                row,
                [
                    None if row.pk == column.pk else overlaps.get((row.pk, column.pk), 0)
                    for column in codes
                ],
            )
            for row in codes
        ]
    return CoOccurrence(codes, pairs, matrix, limited=wide and len(pairs) == PAIR_LIMIT)


def _overlapping_pairs(
    chosen: "QuerySet[Segment]", same_coder: bool, wide: bool
) -> list[tuple[int, int, int, int]] | None:
    """(code, other code, overlapping segment pairs, sources), or None when it took too long."""
    ids, params = chosen.order_by().values("pk").query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(Segment._meta.db_table)
    start, end = quote("start"), quote("end")
    same = (
        " AND COALESCE(a.coder_id, 0) = COALESCE(b.coder_id, 0) AND a.coder_label = b.coder_label"
        if same_coder
        else ""
    )
    sql = (
        "SELECT a.code_id, b.code_id, COUNT(*), COUNT(DISTINCT a.source_id) "  # noqa: S608 - names from the model; the subqueries are Django's own with their parameters kept apart
        f"FROM {table} a JOIN {table} b ON b.source_id = a.source_id AND a.code_id < b.code_id "
        f"AND a.{start} < b.{end} AND b.{start} < a.{end}{same} "
        f"WHERE a.id IN ({ids}) AND b.id IN ({ids}) "
        "GROUP BY a.code_id, b.code_id ORDER BY 3 DESC, 1, 2" + (" LIMIT %s" if wide else "")
    )
    try:
        with _time_limit(CO_OCCURRENCE_SECONDS), connection.cursor() as cursor:
            cursor.execute(sql, [*params, *params, *([PAIR_LIMIT] if wide else [])])
            return list(cursor.fetchall())
    except OperationalError:
        return None


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the database's work on a query after `seconds`: PostgreSQL's statement timeout,
    or SQLite's progress handler. The query then raises OperationalError."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {max(1, int(seconds * 1000))}")
            yield
        return
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    deadline = time.monotonic() + seconds
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)


def stopped_note() -> str:
    return (
        f"Counting took longer than {CO_OCCURRENCE_SECONDS:g} seconds and was stopped. "
        "Choose a theme to count fewer codes"
    )


# Downloads -------------------------------------------------------------------------------------

XLSX = spreadsheets.XLSX
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Characters XML cannot hold (a spreadsheet or Word file with one will not open).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return spreadsheets.cell(_NOT_XML.sub("", value))
    return value


def _sheet(
    workbook: Workbook, title: str, header: Iterable[Any], lines: Iterable[Iterable[Any]]
) -> None:
    sheet = workbook.create_sheet(title[:31])
    sheet.append([_clean(value) for value in header])
    for line in lines:
        sheet.append([_clean(value) for value in line])


def _saved(workbook: Workbook) -> bytes:
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def _about(project: Project, title: str, described_as: str, note: str = "") -> list[list[str]]:
    return [["Project", project.name], ["Report", title], ["Coding", described_as]] + (
        [["Note", note]] if note else []
    )


def quotes_xlsx(report: QuotesByTheme, described_as: str) -> bytes:
    workbook = Workbook(write_only=True)
    note = export_note(report.total)
    _sheet(
        workbook,
        "About",
        ["About this report", ""],
        _about(report.project, "Quotes by theme", described_as, note),
    )
    _sheet(
        workbook,
        "Themes",
        ["Theme", "Status", "Definition", "Coded segments"],
        (
            [
                theme.name,
                theme.get_status_display(),
                theme.definition,
                report.theme_totals.get(theme.pk, 0),
            ]
            for theme, _ in report.themes
        ),
    )
    _sheet(
        workbook,
        "Quotes",
        [
            "Theme",
            "Code",
            "Quote",
            "Source",
            "Case",
            *(a.name for a in report.attributes),
            "Coder",
            "Start",
            "End",
        ],
        (
            [
                theme.name,
                quote.code.name,
                quote.text,
                quote.source_name,
                quote.case_name,
                *_attribute_cells(report.attributes, quote),
                quote.coder,
                quote.start,
                quote.end,
            ]
            for theme, quote in report.every()
        ),
    )
    return _saved(workbook)


def _attribute_cells(attributes: Sequence[Attribute], quote: Quote) -> list[str]:
    values = {attribute.pk: value for attribute, value in quote.attributes}
    return [values.get(attribute.pk, "") for attribute in attributes]


def export_note(total: int) -> str:
    if total <= QUOTE_EXPORT_LIMIT:
        return ""
    return (
        f"This download holds the first {QUOTE_EXPORT_LIMIT:,} of {total:,} quotes; "
        "choose one theme to download the rest"
    )


class _Word:
    """Writes paragraphs straight into a Word document's body.

    python-docx's own `add_paragraph` looks up the style and finds the end of the body afresh
    for every paragraph, which made a download of ten thousand quotes take over half a minute;
    this keeps both, and writes the same paragraphs in a second or two."""

    def __init__(self) -> None:
        from docx import Document
        from docx.oxml import OxmlElement
        from docx.text.paragraph import Paragraph

        self.document = Document()
        self._new = OxmlElement
        self._paragraph = Paragraph
        self._end = self.document.element.body.sectPr
        self.styles = {
            name: self.document.styles[name].style_id
            for name in ("Title", "Heading 1", "Heading 2", "Quote")
        }

    def write(self, text: str, style: str | None = None, size: float | None = None) -> None:
        from docx.shared import Pt

        element = self._new("w:p")
        self._end.addprevious(element)
        if style is not None:
            element.style = self.styles[style]
        run = self._paragraph(element, self.document._body).add_run(_NOT_XML.sub("", text))
        if size is not None:
            run.font.size = Pt(size)

    def saved(self) -> bytes:
        content = io.BytesIO()
        self.document.save(content)
        return content.getvalue()


def quotes_docx(report: QuotesByTheme, described_as: str) -> bytes:
    """Each theme with its status, definition and count, then its quotes code by code, each
    followed by where it came from."""
    word = _Word()
    word.document.core_properties.title = f"Quotes by theme: {report.project.name}"[:255]
    word.write(f"Quotes by theme: {report.project.name}", "Title")
    word.write(described_as)
    note = export_note(report.total)
    if note:
        word.write(note)
    groups = itertools.groupby(report.every(), key=lambda pair: pair[0].pk)
    pending = next(groups, None)
    for theme, _ in report.themes:
        word.write(theme.name, "Heading 1")
        total = report.theme_totals.get(theme.pk, 0)
        word.write(f"{theme.get_status_display()}. {plural(total, 'coded segment')}.")
        if theme.definition:
            word.write(theme.definition)
        if pending is None or pending[0] != theme.pk:
            continue
        code_pk = None
        for _, quote in pending[1]:
            if quote.code.pk != code_pk:
                word.write(quote.code.name, "Heading 2")
                code_pk = quote.code.pk
            word.write(quote.text, "Quote")
            word.write(_attribution(quote), size=9)
        pending = next(groups, None)
    return word.saved()


def _attribution(quote: Quote) -> str:
    parts = (
        quote.source_name,
        f"case {quote.case_name}" if quote.case_name else "",
        quote.attribute_text,
        f"coded by {quote.coder}",
    )
    return ", ".join(part for part in parts if part)


def frequencies_xlsx(project: Project, table: Frequencies, described_as: str) -> bytes:
    workbook = Workbook(write_only=True)
    note = (
        f"{plural(table.folded, 'less common value')} are counted together as {OTHER_VALUES}"
        if table.folded
        else ""
    )
    _sheet(
        workbook,
        "About",
        ["About this report", ""],
        _about(project, f"Code frequencies by {table.attribute.name}", described_as, note),
    )
    header = ["Code", *table.columns, "Total"]
    _sheet(
        workbook,
        "Coded segments",
        header,
        ([row.code.name, *row.segments, row.total_segments] for row in table.rows),
    )
    _sheet(
        workbook,
        "Sources",
        header,
        ([row.code.name, *row.sources, row.total_sources] for row in table.rows),
    )
    return _saved(workbook)


def co_occurrence_xlsx(project: Project, result: CoOccurrence, described_as: str) -> bytes:
    workbook = Workbook(write_only=True)
    note = f"Only the {PAIR_LIMIT} commonest pairs are listed" if result.limited else ""
    if result.stopped:
        note = stopped_note()
    _sheet(
        workbook,
        "About",
        ["About this report", ""],
        _about(project, "Code co-occurrence", described_as, note),
    )
    _sheet(
        workbook,
        "Pairs",
        ["Code", "Code", "Overlapping segments", "Sources"],
        ([pair.first.name, pair.second.name, pair.overlaps, pair.sources] for pair in result.pairs),
    )
    if result.matrix is not None:
        _sheet(
            workbook,
            "Matrix",
            ["", *(code.name for code in result.codes)],
            (
                [row.name, *("" if n is None else n for n in counts)]
                for row, counts in result.matrix
            ),
        )
    return _saved(workbook)
