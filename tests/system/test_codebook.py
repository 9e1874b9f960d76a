"""The codebook: an analyst starts from the NHS patient-experience framework, adds and changes a
code (and is told what is wrong when she leaves out its name), merges two codes and downloads
the codebook; a coder reads it but is offered no changes. Every page is checked with axe.

Written as Given / When / Then; see journey.py for the checks made on every page.
"""

import os

import pytest
from playwright.sync_api import expect

from tests.system.journey import PHONE

pytestmark = pytest.mark.browser

# Set to a folder to keep a screenshot of each page, for looking at the layout by eye.
SCREENSHOTS = os.environ.get("COPRODUCE_SCREENSHOTS")


@pytest.fixture
def analyst(alliance, make_user):
    from coproduce.core.roles import Role

    return make_user("amara.nwosu", Role.ANALYST, alliance, first_name="Amara", last_name="Nwosu")


@pytest.fixture
def project(alliance, analyst, staff):
    from coproduce.analysis.models import Project, TeamMember, TeamRole

    project = Project.objects.create(organisation=alliance, name="FFT")
    TeamMember.objects.create(project=project, user=analyst, role=TeamRole.LEAD)
    TeamMember.objects.create(project=project, user=staff, role=TeamRole.CODER)
    return project


def snap(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_build_change_merge_and_download_a_codebook(journey, project, tmp_path):
    from coproduce.analysis.models import Code

    page = journey.page
    # Given Amara leads an analysis of Friends and Family Test comments
    journey.sign_in("amara.nwosu")
    journey.visit(f"/analysis/{project.pk}/codes/")
    expect(page.get_by_text("There are no codes in use yet")).to_be_visible()

    # When she adds the NHS patient-experience framework
    journey.follow("Add a ready-made codebook")
    page.get_by_label("NHS patient-experience framework (version 7)").check()
    journey.press("Add the codes")

    # Then its ten categories are listed with their sub-categories inside them
    expect(page.get_by_text("42 codes added")).to_be_visible()
    expect(page.get_by_role("link", name="Competence and training")).to_be_visible()
    snap(page, "codebook-tree")

    # When she adds a code without a name, she is told what is missing
    journey.press("Add a code")
    page.get_by_label("Where it goes").select_option(label="Staff")
    journey.press("Add the code", expect_errors=True)
    expect(page.get_by_role("alert")).to_contain_text("Enter a name for the code")
    snap(page, "codebook-add-error")
    page.get_by_label("Name", exact=True).fill("Kindness at night")
    page.get_by_label("When to use it").fill("Comments about care on the ward at night")
    page.get_by_label("Colour").select_option(label="Warm yellow (#ffb81c)")
    journey.press("Add the code")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kindness at night")
    expect(page.get_by_text("Inside Staff")).to_be_visible()
    snap(page, "codebook-code")

    # And merges it into "Manner and personal attributes"
    journey.follow("Merge it into another code")
    page.get_by_label("Merge it into").select_option(label="Staff > Manner and personal attributes")
    journey.press("Merge the codes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Manner and personal attributes")
    merged = Code.objects.get(name="Kindness at night")
    assert merged.retired
    assert merged.merged_into is not None
    assert merged.merged_into.name == "Manner and personal attributes"

    # Then the codebook shows it among the retired codes, and downloads as CSV and QDC
    journey.follow("Codebook")
    expect(page.get_by_role("heading", name="Retired codes")).to_be_visible()
    for link, suffix in (("CSV for a spreadsheet", ".csv"), ("REFI-QDA codebook", ".qdc")):
        with page.expect_download() as download:
            page.get_by_role("link", name=link).click()
        assert download.value.suggested_filename.endswith(suffix)
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert "Competence and training" in saved.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("viewport", [PHONE])
def test_a_coder_reads_the_codebook_on_a_phone(journey, project, analyst):
    from coproduce.analysis.services import codebook

    codebook.add_preset(by=analyst, project=project, preset="co-design")
    page = journey.page
    journey.sign_in("grace.adeyemi")
    journey.visit(f"/analysis/{project.pk}/codes/")
    expect(page.get_by_text("Add a code", exact=True)).to_have_count(0)
    journey.follow("Building relationships")
    expect(page.get_by_text("Description written by Coproduce")).to_be_visible()
    expect(page.get_by_role("link", name="Change the name or definition")).to_have_count(0)
    snap(page, "codebook-code-phone")


def test_split_order_retire_and_import_pages(journey, project, analyst, staff, tmp_path):
    from coproduce.analysis.models import Code, Segment
    from coproduce.analysis.services import codebook, coding, sources

    source = sources.paste_text(
        by=analyst,
        project=project,
        name="Comment 1",
        text="The nurse was kind at 3am. Parking cost me eleven pounds.",
        pseudonymise=False,
    ).sources.get()
    staff_code = codebook.add_code(by=analyst, project=project, name="Staff")
    codebook.add_code(by=analyst, project=project, name="Travel")
    coding.apply_codes(by=analyst, source=source, codes=[staff_code], start=0, end=26)
    coding.apply_codes(by=staff, source=source, codes=[staff_code], start=27, end=57)
    page = journey.page

    # Given Amara has coded parking under "Staff" by mistake
    journey.sign_in("amara.nwosu")
    journey.visit(f"/analysis/{project.pk}/codes/{staff_code.pk}/")
    expect(page.get_by_text("2 coded extracts in 1 source")).to_be_visible()
    snap(page, "codebook-code-extracts")

    # When she splits the parking comment off into a new code
    journey.follow("Split it into new codes")
    page.get_by_label("Name of the new code").fill("Parking")
    page.get_by_label("Parking cost me eleven pounds", exact=False).check()
    snap(page, "codebook-split")
    journey.press("Make the new code")

    # Then only that comment moved
    parking = Code.objects.get(name="Parking")
    assert [segment.start for segment in Segment.objects.filter(code=parking)] == [27]
    assert Segment.objects.filter(code=staff_code).count() == 1

    # When she puts the top-level codes in another order
    journey.follow("Codebook")
    journey.follow("Change the order of the top-level codes")
    snap(page, "codebook-order")
    with page.expect_navigation():
        page.get_by_role("button", name="move Travel up").click()
    journey.check()
    expect(page.get_by_role("cell").nth(1)).to_contain_text("Travel")

    # And retires "Travel", confirming first
    journey.visit(f"/analysis/{project.pk}/codes/")
    journey.follow("Travel")
    journey.follow("Retire it")
    journey.press("Retire the code")
    expect(page.get_by_text("Travel retired")).to_be_visible()

    # And imports codes from a spreadsheet
    journey.visit(f"/analysis/{project.pk}/codes/")
    journey.follow("Import a codebook")
    codes = tmp_path / "codes.csv"
    codes.write_text("Parent,Name\nStaff,Night staff\n", encoding="utf-8")
    page.get_by_label("Codebook file").set_input_files(str(codes))
    journey.press("Import the codebook")
    expect(page.get_by_text("1 code added")).to_be_visible()
    snap(page, "codebook-imported")
