"""Themes, cases and reports: an analyst gathers codes into a theme, defines and names it, reads
the thematic map, records a case with typed attributes, and reads and downloads the reports.

Written as Given / When / Then; every page along the way is checked with axe (see journey.py).
"""

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.system.journey import PHONE, assert_fits_the_screen

# The case pages, until analysis/urls.py lists them itself (then this changes nothing).
pytestmark = pytest.mark.browser

TEXT = (
    "P1: They rang me back the next day, which I did not expect. "
    "P2: The parking was impossible and I nearly missed my slot."
)


@pytest.fixture
def project(alliance, make_user):
    """Amara leads a project with a released focus group that she has coded."""
    from django.utils import timezone

    from coproduce.analysis.models import Code, Import, Project, Segment, Source, TeamMember
    from coproduce.core.roles import Role

    amara = make_user("amara.nwosu", Role.ANALYST, alliance, first_name="Amara", last_name="Nwosu")
    project = Project.objects.create(organisation=alliance, name="Why people stay involved")
    TeamMember.objects.create(project=project, user=amara, role="lead")
    released = Import.objects.create(project=project, status=Import.Status.RELEASED)
    source = Source.objects.create(
        project=project,
        source_import=released,
        kind=Source.Kind.TRANSCRIPT,
        name="Focus group",
        text=TEXT,
    )
    hearing = Code.objects.create(project=project, name="Hearing back", position=0)
    quickly = Code.objects.create(project=project, name="Quick replies", parent=hearing, position=1)
    parking = Code.objects.create(project=project, name="Parking", position=2, colour="#da291c")
    now = timezone.now()
    for code, start, end in ((hearing, 4, 59), (quickly, 4, 32), (parking, 64, 97)):
        Segment.objects.create(
            project=project,
            source=source,
            code=code,
            start=start,
            end=end,
            coder=amara,
            coded_at=now,
        )
    return project


def test_gather_codes_into_a_theme_and_report_on_it(journey, project, tmp_path):
    from coproduce.analysis.models import Case, Theme

    page = journey.page
    base = f"/analysis/{project.pk}"
    # Given Amara is signed in and opens the project's themes
    journey.sign_in("amara.nwosu")
    journey.visit(f"{base}/themes/")
    expect(page.get_by_role("heading", name="Codes not in any theme")).to_be_visible()

    # When she adds a candidate theme and gathers codes into it
    journey.follow("Add a candidate theme")
    page.get_by_label("Name", exact=True).fill("Feeling heard")
    journey.press("Add the theme")
    page.get_by_label("Hearing back").check()
    journey.press("Add the codes")

    # Then marking it defined is refused until it has a definition
    page.get_by_label("Defined and named", exact=False).check()
    journey.press("Save where it has got to", expect_errors=True)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Write the theme's definition")
    page.goto(f"{base}/themes/{Theme.objects.get().pk}/edit/")
    journey.check()
    page.get_by_label("Definition").fill("Being listened to, and hearing what changed as a result.")
    journey.press("Save the theme")
    page.get_by_label("Defined and named", exact=False).check()
    journey.press("Save where it has got to")
    expect(page.locator(".nhsuk-tag")).to_have_text("Defined and named")

    # And the thematic map shows the theme with its code and child code, as a picture and a list
    journey.follow("Themes", exact=True)
    expect(page.get_by_role("img", name="Thematic map of Why people stay involved")).to_be_visible()
    listing = page.locator("ul", has_text="Quick replies").first
    expect(listing).to_contain_text("Hearing back: 1 coded segment")
    expect(listing).to_contain_text("Quick replies: 1 coded segment")

    # When she records an attribute and a case, a wrong value is explained
    journey.visit(f"{base}/cases/attributes/")
    journey.follow("Add an attribute")
    page.get_by_label("Name", exact=True).fill("Age")
    page.get_by_label("Number").check()
    journey.press("Add the attribute")
    journey.visit(f"{base}/cases/")
    journey.follow("Add a case")
    page.get_by_label("Name", exact=True).fill("P1")
    page.get_by_label("Age (optional)").fill("sixty")
    journey.press("Add the case", expect_errors=True)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Age must be a number, like 12 or 3.5"
    )
    page.get_by_label("Age (optional)").fill("64")
    journey.press("Add the case")
    journey.follow("Link sources or responses to the case")
    page.get_by_label("Focus group (transcript)").check()
    journey.press("Link the chosen sources")
    expect(page.get_by_role("cell", name="Focus group", exact=True)).to_be_visible()
    assert Case.objects.get().values

    # Then the quotes report shows the quotes with their case and attribute, and downloads
    journey.visit(f"{base}/reports/")
    journey.follow("Quotes by theme")
    expect(page.get_by_role("cell", name="P1 Age: 64").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename == "why-people-stay-involved-quotes-by-theme.xlsx"
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    assert [row[2] for row in book["Quotes"].iter_rows(min_row=2, values_only=True)] == [
        TEXT[4:59],
        TEXT[4:32],
    ]
    with page.expect_download() as download:
        page.get_by_role("link", name="Word (DOCX)").click()
    words = [p.text for p in Document(io.BytesIO(download.value.path().read_bytes())).paragraphs]
    assert TEXT[4:32] in words

    # And the other reports count the coding by attribute and by overlap
    journey.visit(f"{base}/reports/frequencies/")
    expect(page.get_by_role("table", name="Coded segments by Age")).to_contain_text("64")
    journey.visit(f"{base}/reports/co-occurrence/")
    expect(
        page.get_by_role("table", name="Pairs of codes that overlap, most often first")
    ).to_contain_text("Hearing back and Quick replies")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_map_and_reports_fit_a_phone(journey, project):
    base = f"/analysis/{project.pk}"
    journey.sign_in("amara.nwosu")
    for path in (
        "/themes/",
        "/reports/quotes/",
        "/reports/frequencies/",
        "/reports/co-occurrence/",
        "/cases/",
    ):
        journey.visit(base + path)
        assert_fits_the_screen(journey.page)
