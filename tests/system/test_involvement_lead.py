"""An involvement lead sets up a group, adds a person to it and records their consent.

Each journey is written as Given / When / Then. Every page along the way is checked with axe
(see journey.py), so an inaccessible page fails the journey that reaches it.
"""

import datetime
import re

import pytest
from playwright.sync_api import Locator, expect

from tests.system.journey import summary_row

pytestmark = pytest.mark.browser


def fill_date(page, legend: str, date: datetime.date) -> None:
    """Type a date into the NHS.UK date input whose fieldset legend is `legend`."""
    fieldset = page.get_by_role("group", name=legend)
    fieldset.get_by_label("Day").fill(str(date.day))
    fieldset.get_by_label("Month").fill(str(date.month))
    fieldset.get_by_label("Year").fill(str(date.year))


def assert_inside(inner: Locator, outer: Locator) -> None:
    """`inner` is drawn wholly inside `outer` (catches a control pushed out of its box)."""
    box, frame = inner.bounding_box(), outer.bounding_box()
    assert box and frame, "both must be visible"
    assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"], (
        f"{box} is not inside {frame}"
    )
    assert box["width"] > 0, f"{box} has no width"


def test_lead_sets_up_a_group_adds_a_member_and_records_consent(journey, lead, member):
    page = journey.page

    # Given an involvement lead at a cancer alliance, which already holds Margaret Okoro's record,
    # has signed in
    journey.sign_in("priya.shah")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # When they set up a partnership group
    journey.visit("/groups/")
    journey.follow("Set up a group")
    page.get_by_label("Group name").fill("Bowel Cancer Pathway Partnership")
    page.get_by_label("What is the group for?").fill(
        "Works with the bowel cancer team on faster diagnosis and support after surgery."
    )
    page.get_by_role("group", name="How often does it meet?").get_by_label("Every month").check()
    page.get_by_role("group", name="Who can join?").get_by_role("radio").first.check()
    fill_date(page, "When did or will the group start?", datetime.date(2026, 4, 1))
    journey.press("Save group")

    # Then the group's page shows it
    expect(page.get_by_role("heading", level=1)).to_have_text("Bowel Cancer Pathway Partnership")
    expect(page.get_by_text("Every month")).to_be_visible()
    expect(page.get_by_text("No current members.")).to_be_visible()
    group_url = page.url

    # When they add a person
    journey.visit("/people/")
    assert_inside(
        page.get_by_label("Only people who agree to be contacted"), page.get_by_role("search")
    )
    journey.follow("Add a person")
    page.get_by_role("group", name="Which best describes them?").get_by_label(
        "Patient", exact=True
    ).check()
    page.get_by_label("First name").fill("Dev")
    page.get_by_label("Last name").fill("Patel")
    page.get_by_label("Email address").fill("dev.patel@example.org")
    page.get_by_role("group", name="How do they prefer to be contacted?").get_by_label(
        "Email", exact=True
    ).check()
    journey.press("Add person")

    # Then the person's page shows them
    expect(page.get_by_role("heading", level=1)).to_have_text("Dev Patel")
    person_url = page.url

    # When they look for them on the People page, typing part of their name
    journey.visit("/people/")
    expect(page.get_by_role("link", name="Margaret Okoro")).to_be_visible()
    pages_loaded = len(journey.loads)
    page.get_by_label("Name or email").press_sequentially("Patel")

    # Then the list narrows as they type, without a new page, and the address keeps the search
    expect(page.get_by_role("link", name="Margaret Okoro")).to_have_count(0)
    expect(page.get_by_role("link", name="Dev Patel")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q=Patel"))
    assert len(journey.loads) == pages_loaded
    journey.check()

    # When they add that person to the group
    journey.visit(group_url)
    journey.follow("Add a member")
    page.get_by_label("Find the person to add").fill("patel")
    journey.press("Find")
    page.get_by_label("Dev Patel").check()
    journey.press("Add member")

    # Then the person is listed as a current member
    members = page.get_by_role("table", name="Current members")
    row = members.get_by_role("row").filter(has_text="Dev Patel")
    expect(row.get_by_role("link", name="Dev Patel", exact=True)).to_be_visible()
    expect(row.get_by_role("cell").nth(1)).to_have_text("Role Member")
    expect(page.get_by_text("Current (1)")).to_be_visible()

    # When they record that the person has agreed to be contacted
    journey.visit(person_url)
    journey.follow("Record consent given or withdrawn")
    page.get_by_label("To be contacted about involvement").check()
    page.get_by_label("Consent given").check()
    journey.press("Record consent")

    # Then the person's page shows the consent as given
    consent = summary_row(page, "To be contacted about involvement")
    expect(consent).to_contain_text("Given on")

    # When they record that the person has withdrawn it
    journey.follow("Record consent given or withdrawn")
    page.get_by_label("To be contacted about involvement").check()
    page.get_by_label("Consent withdrawn").check()
    journey.press("Record consent")

    # Then the person's page shows when it was withdrawn
    expect(consent).to_contain_text("Withdrawn on")
    expect(page.get_by_text("Consent history")).to_be_visible()


def test_a_form_with_mistakes_says_what_to_fix(journey, lead):
    page = journey.page

    # Given an involvement lead has signed in and opened the form for a new group
    journey.sign_in("priya.shah")
    journey.visit("/groups/new/")

    # When they save it without filling anything in
    journey.press("Save group", expect_errors=True)

    # Then the NHS.UK error summary says there is a problem, and has the focus
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title("Error: Set up a partnership group \N{EN DASH} Coproduce")

    # And each message links to the field it is about
    journey.page.get_by_role("link", name="Enter the group's name").click()
    expect(page.get_by_label("Group name")).to_be_focused()
    expect(page.locator("#id_name-error")).to_contain_text("Enter the group's name")
