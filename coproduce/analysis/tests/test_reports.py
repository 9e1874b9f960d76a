"""Reports on coding: quotes by theme, code frequencies by attribute and code co-occurrence.

They read coding only through `visible_segments`, so a coder in blind coding sees their own;
their downloads open in Excel and Word and hold the numbers the page shows."""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from conftest import Tenant
from coproduce.analysis import reports
from coproduce.analysis.models import Attribute, Case, Code, Layer, Segment, Source, Theme
from coproduce.analysis.services import coding
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db

DASH = "\N{EN DASH}"  # the matrix's mark for a code against itself


class Tables(HTMLParser):
    """Each table of a page as rows of cell texts, by its caption."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in_caption = False
        self._hidden = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if (tag == "span" and "nhsuk-table-responsive__heading" in classes) or (
            self._hidden and tag == "span"
        ):
            self._hidden += 1
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._rows.append([])
        elif tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._hidden:
            self._hidden -= 1
        if tag == "caption":
            self._in_caption = False
        elif tag in {"td", "th"} and self._cell is not None:
            self._rows[-1].append(" ".join(" ".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._caption is not None:
            self.tables[self._caption.strip()] = self._rows

    def handle_data(self, data: str) -> None:
        if self._in_caption and self._caption is not None:
            self._caption += data
        elif self._cell is not None and not self._hidden:
            self._cell.append(data)


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def lead(tenant: Tenant):
    return tenant.users[Role.ANALYST]


def coder(tenant: Tenant):
    return tenant.users[Role.STAFF]


def url(tenant: Tenant, report: str, query: str = "") -> str:
    return f"/analysis/{tenant.analysis.project.pk}/reports/{report}/" + (
        f"?{query}" if query else ""
    )


def source(
    tenant: Tenant,
    name: str,
    text: str = "x" * 100,
    case: Case | None = None,
    values: dict[str, Any] | None = None,
) -> Source:
    return Source.objects.create(
        project=tenant.analysis.project,
        source_import=tenant.analysis.source.source_import,
        kind=Source.Kind.TEXT,
        name=name,
        text=text,
        case=case,
        values=values or {},
    )


def new_code(tenant: Tenant, name: str, theme: Theme | None = None) -> Code:
    found = Code.objects.create(project=tenant.analysis.project, name=name)
    if theme is not None:
        theme.codes.add(found)
    return found


def code(tenant: Tenant, by: Any, target: Source, found: Code, start: int, end: int) -> None:
    coding.apply_codes(by=by, source=target, codes=[found], start=start, end=end)


def workbook(response: Any) -> Any:
    assert response.status_code == 200
    assert response["Content-Type"] == reports.XLSX
    return load_workbook(io.BytesIO(response.content), read_only=True)


def style(paragraph: Any) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


def rows(book: Any, sheet: str) -> list[list[Any]]:
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


# Blind coding ----------------------------------------------------------------------------------


def test_a_coder_in_blind_coding_sees_only_their_own_coding_in_every_report(
    tenant: Tenant,
) -> None:
    text = tenant.analysis.source.text
    other = new_code(tenant, "Being thanked", tenant.analysis.theme)
    # The lead codes overlapping text with a second code: a co-occurrence the coder must not see.
    code(tenant, lead(tenant), tenant.analysis.source, other, 45, 60)
    staff = signed_in(coder(tenant))
    name = coder(tenant).get_full_name()
    lead_name = lead(tenant).get_full_name()

    page = staff.get(url(tenant, "quotes")).content.decode()
    assert "Showing quotes 1 to 1 of 1" in page
    assert text[48:76] in page and name in page
    assert text[40:76] not in page and lead_name not in page
    assert Tables(page).tables["Coded segments in each theme"][1][-1] == "1"
    quotes = rows(workbook(staff.get(url(tenant, "quotes", "download=xlsx"))), "Quotes")
    assert [row[2] for row in quotes[1:]] == [text[48:76]]
    assert lead_name not in str(quotes)
    words = "\n".join(
        p.text
        for p in Document(
            io.BytesIO(staff.get(url(tenant, "quotes", "download=docx")).content)
        ).paragraphs
    )
    assert text[48:76] in words and text[40:76] not in words and lead_name not in words

    # Asking for the lead's coding by name gives nothing more.
    sneaky = staff.get(url(tenant, "quotes", f"coder={lead(tenant).pk}")).content.decode()
    assert text[40:76] not in sneaky and lead_name not in sneaky

    frequencies = Tables(staff.get(url(tenant, "frequencies")).content.decode()).tables
    segments = frequencies["Coded segments by Service"]
    assert ["Hearing back", "1", "1"] in segments

    pairs = staff.get(url(tenant, "co-occurrence")).content.decode()
    assert "No codes overlap" in pairs

    everyone = signed_in(lead(tenant)).get(url(tenant, "quotes")).content.decode()
    assert "Showing quotes 1 to 3 of 3" in everyone
    assert text[40:76] in everyone and text[48:76] in everyone


# Quotes by theme -------------------------------------------------------------------------------


def test_quotes_show_their_source_case_and_the_responses_own_attribute_values(
    tenant: Tenant,
) -> None:
    response = tenant.analysis.response
    code(tenant, lead(tenant), response, tenant.analysis.code, 4, 11)
    page = signed_in(lead(tenant)).get(url(tenant, "quotes")).content.decode()
    table = Tables(page).tables["Quotes for the theme Feeling heard"]
    assert table[0] == ["Quote", "Code", "Source", "Case and attributes", "Coder"]
    row = next(row for row in table if row[0] == "parking")
    # The response says Radiotherapy; its case P1 says Clinic: the response's own value wins.
    assert row[1:] == [
        "Hearing back",
        "Survey, row 2",
        "P1 Service: Radiotherapy",
        lead(tenant).get_full_name(),
    ]


def test_quotes_are_paged_across_codes_and_themes(tenant: Tenant) -> None:
    second_theme = Theme.objects.create(
        project=tenant.analysis.project, name="Getting there", position=5
    )
    parking = new_code(tenant, "Parking", second_theme)
    target = source(tenant, "Notes", "abcdefghij" * 10)
    for start in range(30):
        code(tenant, lead(tenant), target, parking, start, start + 5)
    client = signed_in(lead(tenant))
    first = client.get(url(tenant, "quotes")).content.decode()
    assert "Showing quotes 1 to 25 of 32" in first
    assert "<h3>Feeling heard</h3>" in first and "<h3>Getting there</h3>" in first
    second = client.get(url(tenant, "quotes", "page=2")).content.decode()
    assert "Showing quotes 26 to 32 of 32" in second
    assert "<h3>Feeling heard</h3>" not in second
    quotes = Tables(second).tables["Quotes for the theme Getting there"]
    assert [row[0] for row in quotes[1:]] == [("abcdefghij" * 10)[s : s + 5] for s in range(23, 30)]
    only = client.get(url(tenant, "quotes", f"theme={second_theme.pk}")).content.decode()
    assert "Showing quotes 1 to 25 of 30" in only


def test_the_quotes_downloads_open_and_hold_what_the_page_shows(tenant: Tenant) -> None:
    code(tenant, lead(tenant), tenant.analysis.response, tenant.analysis.code, 4, 11)
    client = signed_in(lead(tenant))
    page = Tables(client.get(url(tenant, "quotes")).content.decode()).tables
    shown_totals = {row[0]: int(row[2]) for row in page["Coded segments in each theme"][1:]}
    shown_quotes = sorted(row[0] for row in page["Quotes for the theme Feeling heard"][1:])

    book = workbook(client.get(url(tenant, "quotes", "download=xlsx")))
    themes = rows(book, "Themes")
    assert {row[0]: row[3] for row in themes[1:]} == shown_totals == {"Feeling heard": 3}
    quotes = rows(book, "Quotes")
    assert quotes[0][:5] == ["Theme", "Code", "Quote", "Source", "Case"]
    assert "Service" in quotes[0]
    assert sorted(row[2] for row in quotes[1:]) == shown_quotes
    service = quotes[0].index("Service")
    assert {row[service] for row in quotes[1:]} == {None, "Radiotherapy"}

    answer = client.get(url(tenant, "quotes", "download=docx"))
    assert answer["Content-Type"] == reports.DOCX
    assert (
        'filename="why-people-stay-involved-quotes-by-theme.docx"' in answer["Content-Disposition"]
    )
    document = Document(io.BytesIO(answer.content))
    headings = [p.text for p in document.paragraphs if style(p).startswith("Heading")]
    assert headings == ["Feeling heard", "Hearing back"]
    quoted = sorted(p.text for p in document.paragraphs if style(p) == "Quote")
    assert quoted == shown_quotes
    assert any(p.text == "Candidate. 3 coded segments." for p in document.paragraphs)


def test_a_download_is_bounded_and_says_so(tenant: Tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reports, "QUOTE_EXPORT_LIMIT", 1)
    client = signed_in(lead(tenant))
    page = client.get(url(tenant, "quotes")).content.decode()
    assert "first 1 of 2 quotes" in page
    book = workbook(client.get(url(tenant, "quotes", "download=xlsx")))
    assert len(rows(book, "Quotes")) == 2
    assert [
        "Note",
        "This download holds the first 1 of 2 quotes; choose one theme to download the rest",
    ] in rows(book, "About")


def test_the_consensus_layer_holds_only_what_the_team_agreed(tenant: Tenant) -> None:
    target = tenant.analysis.source
    Segment.objects.create(
        project=tenant.analysis.project,
        source=target,
        code=tenant.analysis.code,
        start=48,
        end=76,
        layer=Layer.CONSENSUS,
        coder=lead(tenant),
        coded_at=timezone.now(),
    )
    page = signed_in(coder(tenant)).get(url(tenant, "quotes", "layer=consensus")).content.decode()
    assert "Showing quotes 1 to 1 of 1" in page
    assert "The coding the team agreed (consensus)." in page


# Code frequencies by attribute ---------------------------------------------------------------


def test_frequencies_count_segments_and_distinct_sources_for_each_value(tenant: Tenant) -> None:
    project = tenant.analysis.project
    site = Attribute.objects.create(project=project, name="Site")
    score = Attribute.objects.create(project=project, name="Score", kind=Attribute.Kind.NUMBER)
    leeds = Case.objects.create(
        project=project, name="Leeds group", values={str(site.pk): "Leeds", str(score.pk): 3}
    )
    first = source(tenant, "First", case=leeds)
    second = source(tenant, "Second", values={str(site.pk): "Bristol", str(score.pk): "3"})
    third = source(tenant, "Third")
    parking = new_code(tenant, "Parking")
    for start in (0, 10, 20):
        code(tenant, lead(tenant), first, parking, start, start + 5)
    code(tenant, lead(tenant), second, parking, 0, 5)
    code(tenant, lead(tenant), third, parking, 0, 5)
    client = signed_in(lead(tenant))

    page = Tables(
        client.get(url(tenant, "frequencies", f"attribute={site.pk}")).content.decode()
    ).tables
    segments = page["Coded segments by Site"]
    sources = page["Sources coded, by Site"]
    assert segments[0] == ["Code", "Bristol", "Leeds", "No value", "Total"]
    assert ["Parking", "1", "3", "1", "5"] in segments
    assert ["Parking", "1", "1", "1", "3"] in sources
    # The fixture's two segments are in a source with no case and no values.
    assert ["Hearing back", "0", "0", "2", "2"] in segments

    book = workbook(client.get(url(tenant, "frequencies", f"attribute={site.pk}&download=xlsx")))
    as_text = [[str(cell) for cell in row] for row in rows(book, "Coded segments")]
    assert as_text == segments
    assert [[str(cell) for cell in row] for row in rows(book, "Sources")] == sources

    # "3" from a spreadsheet and 3 typed into a case are one value.
    by_score = Tables(
        client.get(url(tenant, "frequencies", f"attribute={score.pk}")).content.decode()
    ).tables
    assert ["Parking", "4", "1", "5"] in by_score["Coded segments by Score"]


def test_yes_or_no_values_are_one_column_whatever_form_they_arrived_in(tenant: Tenant) -> None:
    project = tenant.analysis.project
    carer = Attribute.objects.create(project=project, name="Carer", kind=Attribute.Kind.BOOLEAN)
    typed = Case.objects.create(project=project, name="C1", values={str(carer.pk): True})
    parking = new_code(tenant, "Parking")
    code(tenant, lead(tenant), source(tenant, "A", case=typed), parking, 0, 5)
    code(tenant, lead(tenant), source(tenant, "B", values={str(carer.pk): "yes"}), parking, 0, 5)
    code(tenant, lead(tenant), source(tenant, "C", values={str(carer.pk): "No"}), parking, 0, 5)
    table = reports.code_frequencies(project, reports.coding(lead(tenant), project), carer)
    assert table.columns == ["Yes", "No", "No value"]
    row = next(row for row in table.rows if row.code == parking)
    assert row.segments == [2, 1, 0] and row.sources == [2, 1, 0]


def test_less_common_values_are_counted_together(tenant: Tenant) -> None:
    project = tenant.analysis.project
    site = Attribute.objects.create(project=project, name="Site")
    parking = new_code(tenant, "Parking")
    for name, times in (("Leeds", 3), ("York", 1), ("Hull", 1)):
        target = source(tenant, name, values={str(site.pk): name})
        for start in range(times):
            code(tenant, lead(tenant), target, parking, start, start + 1)
    table = reports.code_frequencies(project, reports.coding(lead(tenant), project), site, limit=1)
    assert table.columns == ["Leeds", reports.OTHER_VALUES, reports.NO_VALUE]
    assert table.folded == 2
    row = next(row for row in table.rows if row.code == parking)
    assert row.segments == [3, 2, 0] and row.sources == [1, 2, 0]


def test_frequencies_without_attributes_say_how_to_add_one(tenant: Tenant) -> None:
    Attribute.objects.filter(project=tenant.analysis.project).delete()
    page = signed_in(lead(tenant)).get(url(tenant, "frequencies")).content.decode()
    assert "This project has no attributes yet" in page


# Code co-occurrence -----------------------------------------------------------------------------


def test_co_occurrence_counts_overlapping_codes_of_one_coder(tenant: Tenant) -> None:
    theme = tenant.analysis.theme
    first, second, third = (new_code(tenant, name, theme) for name in ("Cost", "Distance", "Time"))
    one = source(tenant, "One")
    two = source(tenant, "Two")
    code(tenant, lead(tenant), one, first, 0, 10)
    code(tenant, lead(tenant), one, second, 5, 15)
    code(tenant, lead(tenant), one, third, 10, 20)  # touches Cost but does not overlap it
    code(tenant, lead(tenant), two, first, 0, 10)
    code(tenant, lead(tenant), two, second, 0, 10)
    code(tenant, coder(tenant), two, third, 0, 10)  # another coder: not a co-occurrence
    client = signed_in(lead(tenant))

    page = client.get(url(tenant, "co-occurrence", f"theme={theme.pk}")).content.decode()
    tables = Tables(page).tables
    matrix = tables["Overlapping coded segments for each pair of codes in the theme Feeling heard"]
    assert matrix[0] == ["", "Cost", "Distance", "Hearing back", "Time"]
    assert matrix[1] == ["Cost", f"{DASH} Same code", "2", "0", "0"]
    assert matrix[2] == ["Distance", "2", f"{DASH} Same code", "0", "1"]
    pairs = tables["Pairs of codes that overlap, most often first"]
    assert pairs[1:] == [["Cost and Distance", "2", "2"], ["Distance and Time", "1", "1"]]

    book = workbook(client.get(url(tenant, "co-occurrence", f"theme={theme.pk}&download=xlsx")))
    assert rows(book, "Pairs")[1:] == [["Cost", "Distance", 2, 2], ["Distance", "Time", 1, 1]]
    sheet = rows(book, "Matrix")
    assert sheet[1] == ["Cost", None, 2, 0, 0]


def test_wide_co_occurrence_lists_the_commonest_pairs(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reports, "MATRIX_LIMIT", 1)
    monkeypatch.setattr(reports, "PAIR_LIMIT", 1)
    codes = [new_code(tenant, name) for name in ("Cost", "Distance", "Time")]
    target = source(tenant, "One")
    for found in codes:
        code(tenant, lead(tenant), target, found, 0, 10)
    two = source(tenant, "Two")
    code(tenant, lead(tenant), two, codes[0], 0, 5)
    code(tenant, lead(tenant), two, codes[1], 0, 5)
    result = reports.co_occurrence(reports.coding(lead(tenant), tenant.analysis.project), codes)
    assert result.matrix is None and result.limited
    assert [(p.first.name, p.second.name, p.overlaps) for p in result.pairs] == [
        ("Cost", "Distance", 2)
    ]
    page = signed_in(lead(tenant)).get(url(tenant, "co-occurrence")).content.decode()
    assert "Only the 1 commonest pairs are listed" in page


def test_co_occurrence_of_a_theme_with_one_code_is_empty(tenant: Tenant) -> None:
    theme = tenant.analysis.theme
    page = signed_in(lead(tenant)).get(url(tenant, "co-occurrence", f"theme={theme.pk}"))
    assert "No codes in this theme overlap" in page.content.decode()
    Code.objects.filter(project=tenant.analysis.project).update(parent=None)
    Segment.objects.all().delete()
    Code.objects.all().delete()
    empty = signed_in(lead(tenant)).get(url(tenant, "co-occurrence"))
    assert "No codes overlap" in empty.content.decode()


def test_the_database_stops_a_query_that_runs_past_its_time() -> None:
    endless = (
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000000) "
        "SELECT COUNT(*) FROM c"
    )
    with (
        pytest.raises(OperationalError),
        reports._time_limit(0.001),
        connection.cursor() as cursor,
    ):
        cursor.execute(endless)
    with connection.cursor() as cursor:  # and the connection goes on working
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_counting_that_takes_too_long_is_stopped_with_a_way_forward(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    @contextmanager
    def too_slow(seconds: float) -> Iterator[None]:
        raise OperationalError("canceling statement due to statement timeout")
        yield

    monkeypatch.setattr(reports, "_time_limit", too_slow)
    other = new_code(tenant, "Being thanked", tenant.analysis.theme)
    code(tenant, lead(tenant), tenant.analysis.source, other, 45, 60)
    client = signed_in(lead(tenant))
    page = client.get(url(tenant, "co-occurrence")).content.decode()
    assert "This took too long" in page
    assert "Choose a theme to count fewer codes" in page
    book = workbook(client.get(url(tenant, "co-occurrence", "download=xlsx")))
    assert ["Note", reports.stopped_note()] in rows(book, "About")
    monkeypatch.undo()
    again = Tables(client.get(url(tenant, "co-occurrence")).content.decode()).tables
    assert again["Pairs of codes that overlap, most often first"][1] == [
        "Hearing back and Being thanked",
        "1",
        "1",
    ]


# Access ------------------------------------------------------------------------------------------


def test_the_team_reads_reports_and_others_do_not(tenant: Tenant) -> None:
    for report in ("", "quotes/", "frequencies/", "co-occurrence/"):
        address = f"/analysis/{tenant.analysis.project.pk}/reports/{report}"
        for role in (Role.ANALYST, Role.STAFF, Role.INVOLVEMENT_LEAD):
            assert signed_in(tenant.users[role]).get(address).status_code == 200
        assert signed_in(tenant.users[Role.ADMINISTRATOR]).get(address).status_code == 403
        assert signed_in(tenant.users[Role.MEMBER]).get(address).status_code == 403
