"""Search across a project's sources, on whichever engine the database has (SQLite FTS5 in the
default run, PostgreSQL full-text search when DATABASE_URL points at PostgreSQL)."""

import contextlib
import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Tenant
from coproduce.accounts.models import User
from coproduce.analysis import search
from coproduce.analysis.models import Case, Code, Import, Project, Source
from coproduce.analysis.search import Filters, Kind, SearchError, Term, parse
from coproduce.analysis.services import coding
from coproduce.analysis.services import sources as source_services
from coproduce.core.roles import Role

HOSTILE = [
    '"',
    '""',
    '"unfinished phrase',
    "((parking",
    "parking)",
    "NEAR(parking nurse)",
    "parking NEAR nurse",
    "text:parking",
    "{text}: parking",
    "parking AND",
    "OR",
    "OR OR parking",
    "NOT parking",
    "parking NOT",
    "-",
    "--parking nurse",
    "^parking",
    "parking*",
    "*parking",
    "park'; DROP TABLE analysis_source; --",
    "parking\\",
    "parking:*",
    "'parking' & !nurse",
    "parking <-> nurse",
    "rowid:1",
    "parking\x00nurse",
    "\u202eparking",
    "🚗 parking 🚗",
]


def lead(tenant: Tenant) -> User:
    return tenant.users[Role.ANALYST]


def coder(tenant: Tenant) -> User:
    return tenant.users[Role.STAFF]


def viewer(tenant: Tenant) -> User:
    return tenant.users[Role.INVOLVEMENT_LEAD]


def add_text(tenant: Tenant, name: str, text: str) -> Source:
    """A released document (nothing to pseudonymise, so no review)."""
    pasted = source_services.paste_text(
        by=lead(tenant), project=tenant.analysis.project, name=name, text=text, pseudonymise=False
    )
    return pasted.sources.get()


def add_response(tenant: Tenant, text: str, row: int, **extra: Any) -> Source:
    dataset = tenant.analysis.dataset
    assert dataset.source_import is not None
    return Source.objects.create(
        project=tenant.analysis.project,
        source_import=dataset.source_import,
        dataset=dataset,
        row=row,
        kind=Source.Kind.RESPONSE,
        name=f"Survey, row {row}",
        text=text,
        **extra,
    )


def names(tenant: Tenant, query: str, user: User | None = None, **filters: Any) -> list[str]:
    results = search.search(
        tenant.analysis.project,
        query,
        user=user or lead(tenant),
        filters=Filters(**filters),
    )
    return [hit.source.name for hit in results.hits]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(tenant: Tenant, user: User | None = None, /, **query: str) -> str:
    response = signed_in(user or lead(tenant)).get(
        f"/analysis/{tenant.analysis.project.pk}/search/", query
    )
    assert response.status_code == 200
    return response.content.decode()


# Reading what people type (no database) --------------------------------------------------------


def test_words_phrases_either_and_exclusions_are_read_as_people_mean_them() -> None:
    query = parse('nurse "hard to park" ward OR clinic -parking -"car park" nurs*')
    assert query.groups == (
        (Term(("nurse",)),),
        (Term(("hard", "to", "park")),),
        (Term(("ward",)), Term(("clinic",))),
        (Term(("nurs",), prefix=True),),
    )
    assert query.excluded == (Term(("parking",)), Term(("car", "park")))


def test_punctuation_inside_a_word_makes_a_phrase_and_operators_in_other_syntaxes_are_words() -> (
    None
):
    assert parse("text:foo").groups == ((Term(("text", "foo")),),)
    assert parse("e-mail").groups == ((Term(("e", "mail")),),)
    assert parse("NEAR(a b)").groups == ((Term(("NEAR", "a")),), (Term(("b",)),))
    assert parse("parking AND nurse").groups == (
        (Term(("parking",)),),
        (Term(("AND",)),),
        (Term(("nurse",)),),
    )


def test_the_fts5_query_quotes_every_word_so_nothing_typed_becomes_syntax() -> None:
    expression = search.fts5_expression(parse('NEAR(x y) text:foo "a b" c OR d -e fin*'))
    assert expression == (
        '(("NEAR x") AND ("y") AND ("text foo") AND ("a b") AND ("c" OR "d") AND ("fin" *)) NOT "e"'
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter words to search for"),
        ("   ", "Enter words to search for"),
        ("?!… ()", "use letters or numbers, not only symbols"),
        ('"" -', "use letters or numbers, not only symbols"),
        ("-parking", "as well as the words to leave out"),
        ("a*", "at least 3 letters before *"),
        ("x" * 201, "at most 200 characters"),
        (" ".join(f"w{n}" for n in range(13)), "at most 12 words or phrases"),
    ],
)
def test_a_search_that_cannot_be_run_says_why(typed: str, message: str) -> None:
    with pytest.raises(SearchError, match=re.escape(message)):
        parse(typed)


@given(st.text(max_size=search.MAX_QUERY_LENGTH))
def test_anything_typed_is_either_a_query_of_plain_words_or_a_plain_refusal(typed: str) -> None:
    try:
        query = parse(typed)
    except SearchError as error:
        assert error.field == "q" and error.message
        return
    for term in [*[t for group in query.groups for t in group], *query.excluded]:
        assert term.words and all(search.WORD.fullmatch(word) for word in term.words)
    assert '"' not in "".join(w for group in query.groups for t in group for w in t.words)


def test_highlighting_escapes_the_text_and_marks_only_the_matches() -> None:
    marked = f"<b>Zoë</b> & {search.START}crème{search.STOP} {search.STOP}brûlée{search.START}"
    html = str(search.highlight(marked))
    assert html == (
        '&lt;b&gt;Zoë&lt;/b&gt; &amp; <mark><span class="nhsuk-u-visually-hidden">match: '
        '</span><strong>crème</strong></mark> brûlée<mark><span class="nhsuk-u-visually-hidden">'
        "match: </span><strong></strong></mark>"
    )


def test_a_snippet_of_a_long_text_starts_near_the_first_match_and_says_where_it_is_cut() -> None:
    text = "Opening words. " * 40 + "The hospital parking was awful, said everyone. " * 3
    text += "Closing words. " * 40
    cut = search._cut(text, {"parking"})
    assert cut.startswith("… ") and cut.endswith(" …")
    assert f"The hospital {search.START}parking{search.STOP} was awful" in cut
    assert len(cut) < search.SNIPPET_CHARS + 20
    assert search._cut("Short and sweet.", set()) == "Short and sweet."


def test_estimates_are_rounded_to_what_their_sample_can_say() -> None:
    assert search._about(9_684, sampled=700) == 9_700
    assert search._about(460, sampled=40) == 500
    assert search._about(8, sampled=8) == 8


# Searching the database -------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_word_must_appear_and_words_are_matched_by_their_stem(tenant: Tenant) -> None:
    add_text(tenant, "Ward visit", "The nurses on the ward were kind and explained everything.")
    add_text(tenant, "Clinic visit", "A nurse in clinic was rushed.")
    assert names(tenant, "nurse") == ["Ward visit", "Clinic visit"]
    assert names(tenant, "nurse ward") == ["Ward visit"]
    assert names(tenant, "Explaining RUDELY") == []
    assert names(tenant, "EXPLAINED kind") == ["Ward visit"]


@pytest.mark.django_db
def test_a_phrase_matches_only_those_words_in_that_order(tenant: Tenant) -> None:
    add_text(tenant, "In order", "It was hard to park near the unit.")
    add_text(tenant, "Other order", "To park was hard near the unit.")
    assert names(tenant, '"hard to park"') == ["In order"]
    assert names(tenant, "hard park") == ["In order", "Other order"]


@pytest.mark.django_db
def test_or_finds_either_word_and_a_minus_leaves_sources_out(tenant: Tenant) -> None:
    add_text(tenant, "Nurse", "The nurse phoned me back about my scan.")
    add_text(tenant, "Doctor", "The doctor phoned me back about the results.")
    add_text(tenant, "Both", "The nurse and the doctor were both lovely, and they phoned.")
    assert names(tenant, "nurse OR doctor phoned") == ["Nurse", "Doctor", "Both"]
    assert names(tenant, "phoned -doctor") == ["Nurse"]
    assert names(tenant, 'phoned -"nurse and the doctor"') == ["Nurse", "Doctor"]
    assert names(tenant, "phone*") == ["Nurse", "Doctor", "Both"]
    assert names(tenant, "resul*") == ["Doctor"]


@pytest.mark.django_db
def test_text_in_other_alphabets_and_with_accents_is_found_and_marked_in_place(
    tenant: Tenant,
) -> None:
    add_text(tenant, "Łódź", "Zoë from Łódź said the crème brûlée was naïve. Ευχαριστώ πολύ!")
    add_text(tenant, "Plain", "Nothing special here.")
    assert names(tenant, "łódź") == ["Łódź"]
    assert names(tenant, "ŁÓDŹ") == ["Łódź"]
    assert names(tenant, '"crème brûlée"') == ["Łódź"]
    assert names(tenant, "ευχαριστώ") == ["Łódź"]
    results = search.search(tenant.analysis.project, "brûlée", user=lead(tenant))
    assert 'crème <mark><span class="nhsuk-u-visually-hidden">match: </span><strong>brûlée' in (
        str(results.hits[0].snippet)
    )


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's 'english' configuration keeps accents"
)
def test_on_sqlite_a_word_typed_without_its_accents_still_finds_it(tenant: Tenant) -> None:
    add_text(tenant, "Café", "The café by the entrance was closed.")
    assert names(tenant, "cafe") == ["Café"]


@pytest.mark.django_db
def test_a_match_deep_in_a_long_transcript_is_shown_in_its_snippet(tenant: Tenant) -> None:
    add_text(
        tenant,
        "Long",
        "We talked about many things. " * 300 + "Then the chaplain visited us. " + "More. " * 300,
    )
    (hit,) = search.search(tenant.analysis.project, "chaplain", user=lead(tenant)).hits
    snippet = str(hit.snippet)
    assert "<strong>chaplain</strong></mark> visited" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 1000


@pytest.mark.django_db
def test_a_word_found_only_by_its_stem_deep_in_a_long_text_is_still_marked(
    tenant: Tenant,
) -> None:
    add_text(tenant, "Long", "We talked. " * 500 + "Everyone was happy with it. " + "More. " * 300)
    (hit,) = search.search(tenant.analysis.project, "happiness", user=lead(tenant)).hits
    assert "<strong>happy</strong></mark> with it" in str(hit.snippet)


@pytest.mark.django_db
def test_only_released_sources_of_this_project_are_searched(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    # The tenant's interview waits for review: "My nurse [a placeholder] rang me back."
    assert tenant.analysis.under_review.status == Import.Status.REVIEW
    assert names(tenant, "rang") == []
    # The other organisation's project holds the same texts.
    assert names(tenant, "parking") == ["Survey, row 2"]
    assert names(other_tenant, "parking") == ["Survey, row 2"]
    mine = search.search(tenant.analysis.project, "parking", user=lead(tenant))
    assert [hit.source.pk for hit in mine.hits] == [tenant.analysis.response.pk]
    source_services.release(by=lead(tenant), source_import=tenant.analysis.under_review)
    assert names(tenant, "rang") == ["Interview"]


@pytest.mark.django_db
def test_the_index_follows_changes_and_deletions(tenant: Tenant) -> None:
    source = add_text(tenant, "Draft", "The porter was helpful.")
    assert names(tenant, "porter") == ["Draft"]
    Source.objects.filter(pk=source.pk).update(text="The volunteer was helpful.")
    assert names(tenant, "porter") == []
    assert names(tenant, "volunteer") == ["Draft"]
    Source.objects.filter(pk=source.pk).update(name="Renamed")
    assert names(tenant, "volunteer") == ["Renamed"]
    source.delete()
    assert names(tenant, "volunteer") == []


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps its index itself")
def test_restoring_the_index_after_sqlite_drops_its_triggers_finds_new_text(
    tenant: Tenant,
) -> None:
    assert search.restore_index() is False
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER analysis_source_fts_insert")
    add_text(tenant, "Added meanwhile", "The chaplain visited.")
    assert names(tenant, "chaplain") == []
    assert search.restore_index() is True
    assert names(tenant, "chaplain") == ["Added meanwhile"]
    add_text(tenant, "Added after", "The chaplain came again.")
    assert names(tenant, "chaplain") == ["Added meanwhile", "Added after"]


@pytest.mark.django_db
def test_hostile_input_never_reaches_the_engine_as_syntax(tenant: Tenant) -> None:
    add_text(tenant, "Notes", "Parking beside the nurse station; do not stop; text: foo.")
    found = {}
    for typed in HOSTILE:
        try:
            found[typed] = names(tenant, typed)
        except SearchError as error:
            found[typed] = [error.message]
    assert found["NEAR(parking nurse)"] == []  # NEAR is a word like any other
    assert found["parking NEAR nurse"] == []
    assert found["text:parking"] == []  # a phrase, not a column filter
    assert found["park'; DROP TABLE analysis_source; --"] == []
    assert found['"unfinished phrase'] == []
    assert (
        found["((parking"] == found["parking)"] == found["^parking"] == ["Survey, row 2", "Notes"]
    )
    assert found["{text}: parking"] == ["Notes"]
    # NOT is a word (which PostgreSQL ignores as too common), never an operator.
    assert "Notes" in found["NOT parking"]
    assert found["OR"] == ["Enter words to search for: use letters or numbers, not only symbols"]
    assert Source.objects.filter(project=tenant.analysis.project).exists()


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(typed=st.text(max_size=60))
def test_any_text_searches_or_is_refused_without_a_database_error(
    tenant: Tenant, typed: str
) -> None:
    with contextlib.suppress(SearchError):
        search.search(tenant.analysis.project, typed, user=lead(tenant))


# Filters ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_filters_by_kind_attribute_and_date_added(tenant: Tenant) -> None:
    attribute = tenant.analysis.attribute  # "Service"
    transcript = add_text(tenant, "Focus group two", "Waiting at the clinic took hours.")
    Source.objects.filter(pk=transcript.pk).update(kind=Source.Kind.TRANSCRIPT)
    add_response(tenant, "Waiting for a scan.", 3, values={str(attribute.pk): "Radiology"})
    case = Case.objects.create(
        project=tenant.analysis.project, name="Site B", values={str(attribute.pk): "Breast care"}
    )
    add_response(tenant, "Waiting in the corridor.", 4, case=case)
    old = add_response(tenant, "Waiting years ago.", 5)
    Source.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )

    assert names(tenant, "waiting", kind=Kind.TRANSCRIPTS) == ["Focus group two"]
    assert names(tenant, "waiting", kind=Kind.DOCUMENTS) == []
    assert names(tenant, "waiting", kind=Kind.RESPONSES) == [
        "Survey, row 3",
        "Survey, row 4",
        "Survey, row 5",
    ]
    assert names(tenant, "waiting", attribute=attribute, value="radiology") == ["Survey, row 3"]
    # A response about a case takes the case's value.
    assert names(tenant, "waiting", attribute=attribute, value="BREAST CARE") == ["Survey, row 4"]
    assert names(tenant, "waiting", attribute=attribute, value="Radio") == []
    today = timezone.localdate()
    recent = names(tenant, "waiting", added_from=today - datetime.timedelta(days=30))
    assert "Survey, row 5" not in recent and len(recent) == 3
    assert names(tenant, "waiting", added_to=today - datetime.timedelta(days=300)) == [
        "Survey, row 5"
    ]


@pytest.mark.django_db
def test_in_blind_coding_the_code_filter_sees_only_the_users_own_coding(tenant: Tenant) -> None:
    project = tenant.analysis.project
    code = Code.objects.create(project=project, name="Waiting")
    by_lead = add_text(tenant, "Lead coded", "Waiting was long.")
    by_coder = add_text(tenant, "Coder coded", "Waiting was short.")
    add_text(tenant, "Not coded", "Waiting was fine.")
    coding.apply_codes(by=lead(tenant), source=by_lead, codes=[code], start=0, end=7)
    coding.apply_codes(by=coder(tenant), source=by_coder, codes=[code], start=0, end=7)
    assert project.coding_is_blind

    assert names(tenant, "waiting", code=code) == ["Lead coded", "Coder coded"]
    assert names(tenant, "waiting", user=coder(tenant), code=code) == ["Coder coded"]
    # Naming the lead as coder does not get round it: the lead's coding stays unseen.
    assert names(tenant, "waiting", user=coder(tenant), coder=lead(tenant)) == []
    assert names(tenant, "waiting", user=coder(tenant), coder=coder(tenant)) == ["Coder coded"]
    assert names(tenant, "waiting", user=viewer(tenant), code=code) == []
    assert names(tenant, "waiting", coder=coder(tenant), code=code) == ["Coder coded"]

    coding.open_comparison(by=lead(tenant), project=project)
    project.refresh_from_db()
    assert names(tenant, "waiting", user=coder(tenant), coder=lead(tenant)) == ["Lead coded"]
    assert names(tenant, "waiting", user=viewer(tenant), code=code) == [
        "Lead coded",
        "Coder coded",
    ]


@pytest.mark.django_db
def test_results_come_25_a_page_with_the_total(tenant: Tenant) -> None:
    for row in range(10, 62):
        add_response(tenant, f"Comment {row}: the car park was full.", row)
    project = tenant.analysis.project
    first = search.search(project, '"car park"', user=lead(tenant))
    assert first.total == 52 and first.pages == 3 and len(first.hits) == 25
    assert first.hits[0].source.name == "Survey, row 10"
    third = search.search(project, '"car park"', user=lead(tenant), page=3)
    assert [hit.source.name for hit in third.hits] == ["Survey, row 60", "Survey, row 61"]
    assert third.summary == "52 sources match your search: showing 51 to 52, page 3 of 3"
    beyond = search.search(project, '"car park"', user=lead(tenant), page=99)
    assert beyond.page == 3
    none = search.search(project, "helicopter", user=lead(tenant))
    assert none.total == 0 and none.hits == [] and none.summary == "No sources match your search"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL always counts exactly")
def test_a_very_common_word_with_row_filters_gives_an_estimated_total_and_exact_pages(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    attribute = tenant.analysis.attribute
    for row in range(10, 70):
        service = "Radiology" if row % 3 else "Surgery"
        add_response(
            tenant, f"Comment {row}: staff were kind.", row, values={str(attribute.pk): service}
        )
    monkeypatch.setattr(search, "EXACT_LIMIT", 10)
    monkeypatch.setattr(search, "SAMPLE", 30)
    monkeypatch.setattr(search, "MIN_SAMPLED", 5)
    project = tenant.analysis.project
    radiology = Filters(attribute=attribute, value="radiology")
    first = search.search(project, "staff", user=lead(tenant), filters=radiology)
    assert first.estimated and first.has_next
    assert 25 <= first.total <= 60  # 40 really
    assert first.summary.startswith(f"About {first.total} sources match your search")
    second = search.search(project, "staff", user=lead(tenant), filters=radiology, page=2)
    assert [hit.source.row for hit in second.hits] == [row for row in range(10, 70) if row % 3][
        25:40
    ]
    assert not second.has_next
    # Past the end of an estimate: the first page.
    assert search.search(project, "staff", user=lead(tenant), filters=radiology, page=9).page == 1
    exact = search.search(project, "staff", user=lead(tenant))
    assert not exact.estimated and exact.total == 60
    # Too few of the sample pass the filter to estimate from: every match is counted.
    monkeypatch.setattr(search, "MIN_SAMPLED", 1_000)
    counted = search.search(project, "staff", user=lead(tenant), filters=radiology)
    assert not counted.estimated and counted.total == 40


# The page --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_marked_escaped_snippets_linking_to_each_source(tenant: Tenant) -> None:
    source = add_text(
        tenant, "Risky <b>name</b>", "<script>alert('x')</script> The parking was awful."
    )
    html = page(tenant, q="parking")
    assert "2 sources match your search" in html
    link = f'href="/analysis/{tenant.analysis.project.pk}/sources/{source.pk}/"'
    assert link in html
    assert "Risky &lt;b&gt;name&lt;/b&gt;" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert (
        '<mark><span class="nhsuk-u-visually-hidden">match: </span><strong>parking</strong></mark>'
        in html
    )
    assert "Screen readers say “match” before each one" in html


@pytest.mark.django_db
def test_the_page_says_what_is_wrong_with_an_empty_or_symbol_only_search(tenant: Tenant) -> None:
    first_visit = page(tenant)
    assert "nhsuk-error-summary" not in first_visit and "match your search" not in first_visit
    empty = page(tenant, q="")
    assert "nhsuk-error-summary" in empty and "Enter words to search for" in empty
    symbols = page(tenant, q="?!()")
    assert "use letters or numbers, not only symbols" in symbols
    long = page(tenant, q="parking " * 2000)
    assert "Search for at most 200 characters" in long


@pytest.mark.django_db
def test_hostile_input_on_the_page_gives_a_page(tenant: Tenant) -> None:
    for typed in HOSTILE:
        page(tenant, q=typed)


@pytest.mark.django_db
def test_the_page_pages_and_keeps_the_search_and_filters_in_its_links(tenant: Tenant) -> None:
    for row in range(10, 40):
        add_response(tenant, f"Comment {row}: the car park was full.", row)
    html = page(tenant, q="park", kind="responses")
    # With the tenant's own response about parking.
    assert "31 sources match your search: showing 1 to 25, page 1 of 2" in html
    assert "?kind=responses&amp;page=2&amp;q=park" in html
    second = page(tenant, q="park", kind="responses", page="2")
    assert "showing 26 to 31, page 2 of 2" in second
    assert "?kind=responses&amp;page=1&amp;q=park" in second
    assert "Survey, row 39" in second and "Survey, row 10" not in second
    assert " open>" in second  # the filters stay open when one is chosen


@pytest.mark.django_db
def test_in_blind_coding_a_coder_can_choose_only_their_own_coding(tenant: Tenant) -> None:
    project = tenant.analysis.project
    as_coder = page(tenant, coder(tenant), q="hearing")
    assert "you can choose only your own coding" in as_coder
    assert f'value="{lead(tenant).pk}"' not in as_coder
    refused = page(tenant, coder(tenant), q="hearing", coder=str(lead(tenant).pk))
    assert "Choose a coder from the list" in refused
    mine = page(tenant, coder(tenant), q="hearing", coder=str(coder(tenant).pk))
    assert "1 source matches your search" in mine
    as_lead = page(tenant, q="hearing", coder=str(lead(tenant).pk))
    assert "1 source matches your search" in as_lead
    assert 'name="coder"' not in page(tenant, viewer(tenant), q="hearing")
    coding.open_comparison(by=lead(tenant), project=project)
    opened = page(tenant, coder(tenant), q="hearing", coder=str(lead(tenant).pk))
    assert "1 source matches your search" in opened


@pytest.mark.django_db
def test_the_page_checks_the_filters_it_is_given(tenant: Tenant) -> None:
    attribute = tenant.analysis.attribute
    no_value = page(tenant, q="parking", attribute=str(attribute.pk))
    assert "Enter the value of Service to look for" in no_value
    no_attribute = page(tenant, q="parking", value="Clinic")
    assert "Choose the attribute that should have this value" in no_attribute
    backwards = page(
        tenant,
        q="parking",
        **{
            "added_from-day": "2",
            "added_from-month": "3",
            "added_from-year": "2026",
            "added_to-day": "1",
            "added_to-month": "3",
            "added_to-year": "2026",
        },
    )
    assert "Enter a date the same as or after the first date" in backwards
    other_code = Code.objects.create(
        project=Project.objects.create(organisation=tenant.organisation, name="Another"),
        name="Elsewhere",
    )
    assert "Choose a code from the list" in page(tenant, q="parking", code=str(other_code.pk))
    found = page(tenant, q="parking", attribute=str(attribute.pk), value="radiotherapy")
    assert "1 source matches your search" in found
