"""Full-text search across a project's released sources, in the database's own engine.

PostgreSQL answers from a GIN index on `to_tsvector('english', text)`. SQLite answers from an
FTS5 table, `analysis_source_fts`, kept in step with analysis_source by triggers, with the
source's id as rowid. It holds no copy of the text (it is contentless), only the index of two
columns: `text`, and `scope`, the source's project, import and kind written as words ("p3 i17
kresponse"). With the scope in the index, "released sources of this project that match" is
answered by FTS5 alone, without reading a row of analysis_source per match: at a million
responses that is the difference between about 50 ms and over half a second for a common word.
Migration 0002 creates whichever the database needs. Both engines stem English words ("nurses"
finds "nurse" and "nursing").

People type one small query language whatever the engine:

    parking               every word must appear
    "hard to park"        a phrase, word for word
    nurse OR doctor       either word (OR binds tighter than the words around it)
    -parking              leave out sources with this word or "phrase"
    nurs*                 words starting with these letters

`parse` reads any input into terms made only of letters and digits, and each engine's query is
written from those terms with every word quoted or passed as a parameter. So no input, however
hostile (quotes, brackets, NEAR, column filters like text:foo), can become the engine's own
syntax or raise a database error; anything that cannot be searched for is a `SearchError` with a
message for the page.

Results are sources, in the order they were added to the project (documents in import order,
responses by row), 25 a page, each with a snippet in which the matching words are marked. Only
released sources are searched, and the code and coder filters see only the coding the user may
see (`visible_segments`), so search never reveals another coder's work in blind coding.

Filters on coding, attributes and dates need each matching source's rows. On SQLite, when a
search matches more than EXACT_LIMIT sources before those filters, the total is estimated from
an even sample of the matches (and shown as "about"), unless too few of the sample pass the
filters to say; the page of results itself is always exact.
"""

import datetime
import math
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from markupsafe import Markup, escape

from coproduce.analysis.models import Attribute, Code, Import, Layer, Project, Source
from coproduce.analysis.services.coding import visible_segments
from coproduce.core.errors import ServiceError

PER_PAGE = 25
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# One or two letters before * would match a large share of the vocabulary: slow, and no help.
MIN_PREFIX = 3

FTS_TABLE = "analysis_source_fts"
# Stemming (porter) matches PostgreSQL's 'english' configuration; remove_diacritics lets "cafe"
# find "café".
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"

# The engines mark matches with these characters; `highlight` turns them into <mark> after
# escaping the text. They are from Unicode's private use area, which no real text uses.
START, STOP = "\ue000", "\ue001"
SNIPPET_TOKENS = 40
SNIPPET_CHARS = 280
# Beyond this many matches, filters that read each source's rows estimate their total (SQLite).
EXACT_LIMIT = 25_000
SAMPLE = 10_000
# Fewer sampled matches than this say too little (one in five either way): count them all.
MIN_SAMPLED = 25

# What unicode61 and PostgreSQL's parser treat as a word: letters and digits; everything else
# (punctuation, quotes, brackets, colons, underscores) separates words.
WORD = re.compile(r"[^\W_]+")


class SearchError(ServiceError):
    """A search that cannot be run, with a message for the person who typed it."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="q")


# Reading the query ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of words that must appear in order; with `prefix`, the last word
    may be the start of a longer one."""

    words: tuple[str, ...]
    prefix: bool = False

    def __str__(self) -> str:
        text = " ".join(self.words) + ("*" if self.prefix else "")
        return f'"{text}"' if len(self.words) > 1 else text


@dataclass(frozen=True)
class Query:
    """Every group must match (any one term of it will do) and no excluded term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    def __str__(self) -> str:
        parts = [" OR ".join(str(term) for term in group) for group in self.groups]
        return " ".join(parts + [f"-{term}" for term in self.excluded])


def _term(text: str) -> Term | None:
    """The words of one typed word or phrase; None when it has no letters or digits."""
    found = list(WORD.finditer(text))
    if not found:
        return None
    last = found[-1]
    return Term(
        words=tuple(match.group() for match in found),
        prefix=text[last.end() : last.end() + 1] == "*",
    )


# A quoted phrase (its closing quote optional), or a run of anything but spaces and quotes.
_PIECE = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def parse(text: str) -> Query:
    """Read what someone typed into a query, or say in plain words why it cannot be run."""
    text = text.strip()
    if not text:
        raise SearchError("Enter words to search for")
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchError(f"Search for at most {MAX_QUERY_LENGTH} characters")
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    either = False  # an OR came after the last term, so the next one joins its group
    last_was_term = False
    for match in _PIECE.finditer(text):
        phrase, word = match.group(2), match.group(4)
        minus = match.group(1) or match.group(3)
        if word == "OR":
            either = last_was_term
            continue
        term = _term(phrase if phrase is not None else word)
        if term is None:
            continue
        if term.prefix and len(term.words) == 1 and len(term.words[0]) < MIN_PREFIX:
            raise SearchError(f"Put at least {MIN_PREFIX} letters before *, for example nur*")
        if minus:
            excluded.append(term)
            last_was_term = either = False
        elif either and groups:
            groups[-1].append(term)
            either = False
            last_was_term = True
        else:
            groups.append([term])
            last_was_term = True
    if not groups and not excluded:
        raise SearchError("Enter words to search for: use letters or numbers, not only symbols")
    if not groups:
        raise SearchError(
            "Enter a word to search for as well as the words to leave out (those after a minus)"
        )
    if sum(map(len, groups)) + len(excluded) > MAX_TERMS:
        raise SearchError(f"Search for at most {MAX_TERMS} words or phrases at a time")
    return Query(groups=tuple(tuple(group) for group in groups), excluded=tuple(excluded))


# Writing it for each engine ------------------------------------------------------------------


def fts5_expression(query: Query) -> str:
    """The query in FTS5's syntax. Every term is a double-quoted string of letters and digits,
    so FTS5 reads none of it as an operator, a column filter or NEAR."""

    def term(term: Term) -> str:
        return '"' + " ".join(term.words) + '"' + (" *" if term.prefix else "")

    expression = " AND ".join(
        "(" + " OR ".join(term(item) for item in group) + ")" for group in query.groups
    )
    for item in query.excluded:
        expression = f"({expression}) NOT {term(item)}"
    return expression


def postgres_tsquery(query: Query) -> tuple[str, list[str]]:
    """SQL for a tsquery, with the words as parameters. Words and phrases go through
    `websearch_to_tsquery`, which accepts any text; a prefix is written for `to_tsquery` from
    letters and digits only, each quoted."""

    def term(term: Term) -> tuple[str, str]:
        if term.prefix:
            lexemes = [f"'{word}'" for word in term.words]
            lexemes[-1] += ":*"
            return "to_tsquery('english', %s)", " <-> ".join(lexemes)
        return "websearch_to_tsquery('english', %s)", '"' + " ".join(term.words) + '"'

    params: list[str] = []

    def written(terms: Iterable[Term]) -> list[str]:
        sql = []
        for item in terms:
            text, param = term(item)
            sql.append(text)
            params.append(param)
        return sql

    parts = ["(" + " || ".join(written(group)) + ")" for group in query.groups]
    parts += [f"!!{sql}" for sql in written(query.excluded)]
    return "(" + " && ".join(parts) + ")", params


def _fts5_match(project: Project, query: Query, kind: str) -> str:
    """The whole FTS5 query: this project's released sources (of the kind asked for) whose
    text matches. Sources waiting for review are left out by their import's word."""
    scope = [f'"p{project.pk}"']
    if kind:
        scope.append("(" + " OR ".join(f'"k{k}"' for k in Kind.SOURCE_KINDS[kind]) + ")")
    match = f"scope : ({' AND '.join(scope)}) AND text : ({fts5_expression(query)})"
    hidden = (
        Import.objects.filter(project=project)
        .exclude(status=Import.Status.RELEASED)
        .filter(Exists(Source.objects.filter(source_import=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    if hidden:
        words = " OR ".join(f'"i{pk}"' for pk in hidden)
        match = f"({match}) NOT scope : ({words})"
    return match


def _postgres_matching(query: Query) -> RawSQL:
    tsquery, params = postgres_tsquery(query)
    # Written exactly as the index's expression, so PostgreSQL uses the index.
    return RawSQL(  # noqa: S611 - the words are parameters
        'to_tsvector(\'english\'::regconfig, "analysis_source"."text") @@ ' + tsquery,
        params,
        output_field=BooleanField(),
    )


# Snippets ------------------------------------------------------------------------------------


def _sqlite_snippets(query: Query, texts: dict[int, str]) -> dict[int, str]:
    """Snippets cut by FTS5 itself in a throwaway in-memory database, tokenised as the index
    is: the index keeps no text to cut them from, and this writes nothing to the project's
    database. A long text is cut down first to a window around its first likely match, as
    tokenising whole transcripts for 25 snippets would cost more than the search."""
    windows = {pk: _window(text, query) for pk, text in texts.items()}
    snippets = _fts5_snippets(query, {pk: window for pk, (_, window) in windows.items()})
    missed = {pk: texts[pk] for pk in texts if pk not in snippets and windows[pk][1] != texts[pk]}
    if missed:
        # The window guessed wrong (the words matched only by their stems, say): use it all.
        snippets |= _fts5_snippets(query, missed)
        windows |= {pk: (0, text) for pk, text in missed.items()}
    for pk, snippet in snippets.items():
        start, window = windows[pk]
        if start and not snippet.startswith("…"):
            snippet = "…" + snippet
        if start + len(window) < len(texts[pk]) and not snippet.endswith("…"):
            snippet += "…"
        snippets[pk] = snippet
    return snippets


WINDOW = 2_000


def _window(text: str, query: Query) -> tuple[int, str]:
    """Where in a long text the first match probably is, found by the first few letters of
    each word searched for, and WINDOW characters around it."""
    if len(text) <= WINDOW:
        return 0, text
    starts = {
        word.lower()[: max(3, len(word) - 3)]
        for group in query.groups
        for term in group
        for word in term.words
    }
    found = re.search(
        r"\b(?:" + "|".join(re.escape(start) for start in sorted(starts)) + ")",
        text,
        re.IGNORECASE,
    )
    first = found.start() if found else 0
    start = max(0, first - WINDOW // 2)
    if start:
        # Start after a space, not part way through a word.
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else first
    return start, text[start : start + WINDOW]


def _fts5_snippets(query: Query, texts: dict[int, str]) -> dict[int, str]:
    database = sqlite3.connect(":memory:")
    try:
        database.execute(
            f"CREATE VIRTUAL TABLE snippets USING fts5(text, tokenize='{FTS_TOKENIZER}')"
        )
        database.executemany("INSERT INTO snippets(rowid, text) VALUES (?, ?)", texts.items())
        return dict(
            database.execute(
                "SELECT rowid, snippet(snippets, 0, ?, ?, '…', ?) FROM snippets "
                "WHERE snippets MATCH ?",
                [START, STOP, SNIPPET_TOKENS, fts5_expression(query)],
            ).fetchall()
        )
    finally:
        database.close()


def _postgres_snippets(query: Query, texts: dict[int, str]) -> dict[int, str]:
    """PostgreSQL's ts_headline drops anything its parser takes for markup ("<b>", "&amp;")
    and starts its passage at the first match, so snippets are cut here instead. PostgreSQL
    still decides which words match (it knows the stems): each distinct word of these texts is
    checked against every word of the query, as ts_headline does, so the words of a phrase are
    marked wherever they appear."""
    words = sorted({word.lower() for text in texts.values() for word in WORD.findall(text)})
    terms = [
        Term((word,), prefix=item.prefix and index == len(item.words) - 1)
        for group in query.groups
        for item in group
        for index, word in enumerate(item.words)
    ]
    tsquery, params = postgres_tsquery(Query(groups=(tuple(terms),)))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM unnest(%s::text[]) AS word "  # noqa: S608 - the words are parameters
            f"WHERE to_tsvector('english', word) @@ {tsquery}",
            [words, *params],
        )
        matching = {word for (word,) in cursor.fetchall()}
    return {pk: _cut(text, matching) for pk, text in texts.items()}


def _cut(text: str, matching: set[str]) -> str:
    """About SNIPPET_CHARS of the text, from a little before its first match, with the
    matching words marked and an ellipsis where the text goes on."""
    spans = [m.span() for m in WORD.finditer(text) if m.group().lower() in matching]
    first = spans[0][0] if spans else 0
    start = max(0, first - SNIPPET_CHARS // 4)
    if start:
        # Start after a space, not part way through a word.
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else first
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        last_space = text.rfind(" ", start, end)
        end = last_space if last_space > first else end
    parts = ["… " if start else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts += [text[position:span_start], START, text[span_start:span_end], STOP]
        position = span_end
    parts += [text[position:end], " …" if end < len(text) else ""]
    return "".join(parts).strip()


def highlight(marked: str) -> Markup:
    """HTML for a snippet: the text escaped, each match in <mark> with a word for screen
    readers (which do not announce <mark>) and in bold (so colour is not the only sign)."""
    html: list[str] = []
    inside = False
    for piece in re.split(f"([{START}{STOP}])", marked):
        if piece == START:
            if not inside:
                html.append('<mark><span class="nhsuk-u-visually-hidden">match: </span><strong>')
            inside = True
        elif piece == STOP:
            if inside:
                html.append("</strong></mark>")
            inside = False
        elif piece:
            html.append(str(escape(piece)))
    if inside:
        html.append("</strong></mark>")
    return Markup("".join(html))  # noqa: S704 - every piece of text above is escaped


# Filters and results --------------------------------------------------------------------------


class Kind:
    """The kinds of source people filter by, each standing for one or more `Source.Kind`s."""

    DOCUMENTS = "documents"
    TRANSCRIPTS = "transcripts"
    RESPONSES = "responses"
    CHOICES = [
        (DOCUMENTS, "Documents"),
        (TRANSCRIPTS, "Transcripts"),
        (RESPONSES, "Survey and feedback responses"),
    ]
    SOURCE_KINDS = {
        DOCUMENTS: [Source.Kind.TEXT, Source.Kind.DOCUMENT, Source.Kind.MINUTES],
        TRANSCRIPTS: [Source.Kind.TRANSCRIPT],
        RESPONSES: [Source.Kind.RESPONSE],
    }


@dataclass(frozen=True)
class Filters:
    """Narrow a search. `code` and `coder` together mean that coder applied that code.
    `added_from` and `added_to` are the dates sources were added to the project (inclusive,
    in the team's time zone); `value` is matched whole, ignoring case, against the source's
    own value of `attribute` or its case's."""

    code: Code | None = None
    coder: Any = None
    attribute: Attribute | None = None
    value: str = ""
    added_from: datetime.date | None = None
    added_to: datetime.date | None = None
    kind: str = ""

    @property
    def read_rows(self) -> bool:
        """Whether a filter needs each matching source's rows (not only the index)."""
        return bool(
            self.code is not None
            or self.coder is not None
            or (self.attribute is not None and self.value.strip())
            or self.added_from is not None
            or self.added_to is not None
        )


@dataclass(frozen=True)
class Hit:
    source: Source
    snippet: Markup


@dataclass
class Results:
    """One page of results. `estimated` says `total` was estimated from a sample (SQLite, very
    common words with row filters); `has_next` is exact either way."""

    query: Query
    total: int
    page: int
    per_page: int = PER_PAGE
    estimated: bool = False
    has_next: bool = False
    hits: list[Hit] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.hits)

    @property
    def summary(self) -> str:
        if not self.total:
            return "No sources match your search"
        if self.estimated:
            return (
                f"About {self.total:,} sources match your search: "
                f"showing {self.first:,} to {self.last:,}"
            )
        noun = "source matches" if self.total == 1 else "sources match"
        if self.pages == 1:
            return f"{self.total:,} {noun} your search"
        return (
            f"{self.total:,} {noun} your search: showing {self.first:,} to {self.last:,}, "
            f"page {self.page:,} of {self.pages:,}"
        )


def _attribute_value(attribute: Attribute, value: str) -> RawSQL:
    """The source's own value of the attribute, or its case's, is `value` (ignoring case).

    Values are keyed by the attribute's id as text. Django's JSON key lookups read a key made
    of digits as an array index, so the key is written into the SQL here instead."""
    key = str(attribute.pk)
    if connection.vendor == "postgresql":
        own = 'lower("analysis_source"."values" ->> (%s)::text) = lower(%s)'
        of_case = 'lower("values" ->> (%s)::text) = lower(%s)'
        key_param = key
    else:
        own = 'lower(json_extract("analysis_source"."values", %s)) = lower(%s)'
        of_case = 'lower(json_extract("values", %s)) = lower(%s)'
        key_param = f'$."{key}"'
    of_a_case = f"SELECT id FROM analysis_case WHERE project_id = %s AND {of_case}"  # noqa: S608 - constants
    return RawSQL(  # noqa: S611 - the key and the value are parameters
        f'({own} OR "analysis_source"."case_id" IN ({of_a_case}))',
        [key_param, value, attribute.project_id, key_param, value],
        output_field=BooleanField(),
    )


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _coding(project: Project, user: Any, filters: Filters, source: Any) -> Any:
    """The coding the code and coder filters ask for, among what the user may see, on
    `source`; None when neither filter is chosen."""
    if filters.code is None and filters.coder is None:
        return None
    segments = visible_segments(user, project).filter(source=source)
    if filters.code is not None:
        segments = segments.filter(code=filters.code)
    if filters.coder is not None:
        segments = segments.filter(coder=filters.coder, layer=Layer.CODER)
    return segments.order_by()


def _source_filters(sources: "QuerySet[Source]", filters: Filters) -> "QuerySet[Source]":
    """The filters on a source's own row: its attribute values (or its case's) and dates."""
    if filters.attribute is not None and filters.value.strip():
        sources = sources.filter(_attribute_value(filters.attribute, filters.value.strip()))
    # Compared as moments (midnight where the team is), not by converting every row's date.
    if filters.added_from is not None:
        sources = sources.filter(created_at__gte=_midnight(filters.added_from))
    if filters.added_to is not None:
        sources = sources.filter(
            created_at__lt=_midnight(filters.added_to + datetime.timedelta(days=1))
        )
    return sources


def _row_conditions(project: Project, user: Any, filters: Filters) -> tuple[str, list[Any]]:
    """SQL to add to the FTS5 query for the filters that read rows, each a subquery tied to the
    match's rowid (so FTS5 leads, and a page stops reading once it has its sources). The coding
    filters read only the segments, not the source's row."""
    match = RawSQL("analysis_source_fts.rowid", ())
    conditions: list[str] = []
    params: list[Any] = []
    coding = _coding(project, user, filters, match)
    if coding is not None:
        sql, coding_params = coding.values("pk").query.sql_with_params()
        conditions.append(f"EXISTS ({sql})")
        params += coding_params
    if (filters.attribute is not None and filters.value.strip()) or (
        filters.added_from or filters.added_to
    ):
        own = _source_filters(Source.objects.filter(pk=match), filters)
        sql, own_params = own.order_by().values("pk").query.sql_with_params()
        conditions.append(f"EXISTS ({sql})")
        params += own_params
    return "".join(f" AND {condition}" for condition in conditions), params


def _load(results: Results, ids: list[int]) -> Results:
    """The page's sources (without their text) and their snippets."""
    found = (
        Source.objects.filter(pk__in=ids)
        .order_by()
        .select_related("dataset", "case")
        .defer("text", "original_text", "turns")
        .in_bulk()
    )
    texts = dict(Source.objects.filter(pk__in=ids).order_by().values_list("pk", "text"))
    if connection.vendor == "postgresql":
        snippets = _postgres_snippets(results.query, texts)
    else:
        snippets = _sqlite_snippets(results.query, texts)
    results.hits = [
        Hit(source=found[pk], snippet=highlight(snippets.get(pk) or _cut(texts[pk], set())))
        for pk in ids
        if pk in found
    ]
    return results


def _page_number(page: int, total: int) -> int:
    return min(max(1, page), max(1, math.ceil(total / PER_PAGE)))


def _search_sqlite(
    project: Project, query: Query, user: Any, filters: Filters, page: int
) -> Results:
    match = _fts5_match(project, query, filters.kind)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM analysis_source_fts WHERE analysis_source_fts MATCH %s", [match]
        )
        (matches,) = cursor.fetchone()
    where, params = "analysis_source_fts MATCH %s", [match]
    estimated = False
    total = matches
    if filters.read_rows and matches:
        conditions, row_params = _row_conditions(project, user, filters)
        where += conditions
        params += row_params
        with connection.cursor() as cursor:
            sampled = None
            if matches > EXACT_LIMIT:
                # An even sample of about SAMPLE matches, spread by a multiplicative hash of the
                # rowid so that runs of neighbouring sources do not skew it.
                step = math.ceil(matches / SAMPLE)
                cursor.execute(
                    "SELECT count(*) FROM analysis_source_fts WHERE "  # noqa: S608 - Django's SQL, parameters apart
                    f"(analysis_source_fts.rowid * 2654435761) % %s = 0 AND {where}",
                    [step, *params],
                )
                (sampled,) = cursor.fetchone()
            if sampled is not None and sampled >= MIN_SAMPLED:
                total, estimated = _about(sampled * step, sampled), True
            else:
                # Few enough matches, or too few in the sample to say how many: count them all.
                cursor.execute(f"SELECT count(*) FROM analysis_source_fts WHERE {where}", params)  # noqa: S608 - Django's SQL, parameters apart
                (total,) = cursor.fetchone()
    results = Results(query=query, total=total, page=_page_number(page, total), estimated=estimated)
    if estimated:
        results.page = max(1, page)
    if not total and not estimated:
        return results
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM analysis_source_fts WHERE {where} "  # noqa: S608 - Django's SQL, parameters apart
            "ORDER BY rowid LIMIT %s OFFSET %s",
            [*params, PER_PAGE + 1, (results.page - 1) * PER_PAGE],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    results.has_next = len(ids) > PER_PAGE
    ids = ids[:PER_PAGE]
    if estimated:
        if not ids and results.page > 1:
            # Past the end of an estimated total: give the first page.
            return _search_sqlite(project, query, user, filters, 1)
        # Never claim fewer than the page shows.
        shown = (results.page - 1) * PER_PAGE + len(ids) + results.has_next
        results.total = max(results.total, shown)
    return _load(results, ids)


def _about(estimate: int, sampled: int) -> int:
    """An estimate rounded to what its sample can say: two significant figures (9,684 is about
    9,700) when 100 or more of the sample matched, otherwise one."""
    figures = 2 if sampled >= 100 else 1
    if estimate < 10**figures:
        return estimate
    scale = 10 ** (len(str(estimate)) - figures)
    return round(estimate / scale) * scale


def _search_postgresql(
    project: Project, query: Query, user: Any, filters: Filters, page: int
) -> Results:
    sources: QuerySet[Source] = Source.objects.visible().filter(project=project)
    if filters.kind:
        sources = sources.filter(kind__in=Kind.SOURCE_KINDS[filters.kind])
    coding = _coding(project, user, filters, OuterRef("pk"))
    if coding is not None:
        sources = sources.filter(Exists(coding))
    sources = _source_filters(sources, filters).filter(_postgres_matching(query))
    total = sources.count()
    results = Results(query=query, total=total, page=_page_number(page, total))
    if not total:
        return results
    start = (results.page - 1) * PER_PAGE
    ids = list(sources.order_by("pk").values_list("pk", flat=True)[start : start + PER_PAGE])
    results.has_next = results.page < results.pages
    return _load(results, ids)


def search(
    project: Project,
    query: str | Query,
    *,
    user: Any,
    filters: Filters | None = None,
    page: int = 1,
) -> Results:
    """One page of the project's released sources that match `query`, with the total.

    Raises SearchError (with a message for the page) for a query that cannot be run. A page
    past the end gives the last page."""
    parsed = parse(query) if isinstance(query, str) else query
    engine = _search_postgresql if connection.vendor == "postgresql" else _search_sqlite
    return engine(project, parsed, user, filters or Filters(), page)


# Keeping the SQLite index whole ----------------------------------------------------------------

# The triggers that keep the index in step with analysis_source, as migration 0002 makes them. Django rebuilds a SQLite table to alter it (copy, drop, rename), and dropping the
# table drops its triggers: `restore_index` puts them back after migrating.
SQLITE_TRIGGERS = {
    "analysis_source_fts_insert": """
        CREATE TRIGGER IF NOT EXISTS analysis_source_fts_insert AFTER INSERT ON analysis_source
        BEGIN
            INSERT INTO analysis_source_fts(rowid, text, scope) VALUES (new.id, new.text,
                'p' || new.project_id || ' i' || new.source_import_id || ' k' || new.kind);
        END""",
    "analysis_source_fts_delete": """
        CREATE TRIGGER IF NOT EXISTS analysis_source_fts_delete AFTER DELETE ON analysis_source
        BEGIN
            INSERT INTO analysis_source_fts(analysis_source_fts, rowid, text, scope)
            VALUES ('delete', old.id, old.text,
                'p' || old.project_id || ' i' || old.source_import_id || ' k' || old.kind);
        END""",
    "analysis_source_fts_update": """
        CREATE TRIGGER IF NOT EXISTS analysis_source_fts_update
        AFTER UPDATE OF text, project_id, source_import_id, kind ON analysis_source
        WHEN old.text IS NOT new.text OR old.project_id IS NOT new.project_id
            OR old.source_import_id IS NOT new.source_import_id OR old.kind IS NOT new.kind
        BEGIN
            INSERT INTO analysis_source_fts(analysis_source_fts, rowid, text, scope)
            VALUES ('delete', old.id, old.text,
                'p' || old.project_id || ' i' || old.source_import_id || ' k' || old.kind);
            INSERT INTO analysis_source_fts(rowid, text, scope) VALUES (new.id, new.text,
                'p' || new.project_id || ' i' || new.source_import_id || ' k' || new.kind);
        END""",
}
REINDEX = [
    "INSERT INTO analysis_source_fts(analysis_source_fts) VALUES ('delete-all')",
    """INSERT INTO analysis_source_fts(rowid, text, scope) SELECT id, text,
        'p' || project_id || ' i' || source_import_id || ' k' || kind FROM analysis_source""",
]


def restore_index(using: str = "default", **kwargs: Any) -> bool:
    """Re-create any missing trigger and index every source again (SQLite only). Returns
    whether anything was missing. Safe to call after every migration."""
    from django.db import connections

    database = connections[using]
    if database.vendor != "sqlite":
        return False
    with database.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {name for (name,) in cursor.fetchall()} & {FTS_TABLE, *SQLITE_TRIGGERS}
        if FTS_TABLE not in present or present >= set(SQLITE_TRIGGERS):
            return False  # not migrated yet, or whole
        for name, sql in SQLITE_TRIGGERS.items():
            if name not in present:
                cursor.execute(sql)
        for sql in REINDEX:
            cursor.execute(sql)
    return True
