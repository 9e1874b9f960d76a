"""Involvement from the ask to the payment: the whole of an involvement lead's everyday work.

A member of staff asks for involvement, the lead publishes it, a member offers to take part and is
selected, the lead sets up the activity and registers them, it takes place and is closed with
their attendance, the member claims travel and a payment, the lead approves and finance export.
Written as Given / When / Then; every page along the way is checked with axe (see journey.py).
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.system import steps
from tests.system.journey import summary_row
from tests.system.test_involvement_lead import fill_date

pytestmark = pytest.mark.browser

TITLE = "Rewrite the bowel surgery leaflet"


def test_from_the_ask_to_the_payment(journey, staff, lead, member, payment_policy):
    page = journey.page
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    # Given a member of staff asks for involvement, and the lead publishes it
    journey.sign_in("grace.adeyemi")
    opportunity_url = steps.ask_for_involvement(
        journey, TITLE, timezone.localdate() + datetime.timedelta(days=14)
    )
    steps.switch_to(journey, "priya.shah")
    steps.publish(journey, opportunity_url)

    # When a member offers to take part, and the lead selects them
    steps.switch_to(journey, "margaret.okoro")
    steps.express_interest(journey, TITLE, "I had this operation last spring.")
    steps.switch_to(journey, "priya.shah")
    steps.select(journey, opportunity_url, "Margaret Okoro", "I had this operation last spring.")

    # And the lead sets up the activity that comes from it, and registers her
    journey.visit("/activities/")
    journey.follow("Set up an activity or meetings")
    page.get_by_role("group", name="What is it?").get_by_label("One-off activity").check()
    page.get_by_label("Title").fill("Bowel surgery leaflet review")
    page.get_by_label("What is it, and what will people do?").fill(
        "Go through the draft leaflet line by line with the stoma nurse."
    )
    fill_date(page, "Date of the first meeting", tomorrow)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("How long it lasts, in hours").fill("2")
    page.get_by_role("group", name="What kind of involvement is it?").get_by_label(
        "Reviewing or writing patient information"
    ).check()
    page.get_by_label("Which opportunity does it come from? (optional)").select_option(label=TITLE)
    journey.press("Save activity")
    activity_url = page.url
    journey.follow("Register someone")
    page.get_by_label("Find a person by name").fill("Okoro")
    journey.press("Find")
    page.get_by_label("Margaret Okoro (margaret.okoro@example.org)").check()
    journey.press("Register")
    expect(page.get_by_text("Margaret Okoro has been registered")).to_be_visible()

    # And it takes place, and the lead closes it with her attendance
    steps.has_taken_place(activity_url, hours=2)
    journey.visit(activity_url)
    journey.follow("Close the meeting: attendance, minutes and decisions")
    margaret = page.get_by_role("group", name="Margaret Okoro")
    margaret.get_by_label("Attended").check()
    margaret.get_by_label("Hours given").fill("2")
    page.get_by_label("Decisions (optional)").fill("Replace 'stoma formation' with plain words")
    journey.press("Close the meeting")
    expect(page.get_by_text("has been closed and marked as held")).to_be_visible()

    # And she claims travel and her hourly payment
    steps.switch_to(journey, "margaret.okoro")
    steps.claim(journey, "Bowel surgery leaflet review", travel="9.80")
    expect(summary_row(page, "Total")).to_contain_text("£59.80")

    # And the lead approves the claim, and finance export it
    steps.switch_to(journey, "priya.shah")
    steps.approve_the_claim(journey, "Priya Shah")
    content = steps.export_for_finance(journey)
    assert "Bowel surgery leaflet review" in content and "59.80" in content

    # Then her own page shows what she took part in, the hours and the claim
    steps.switch_to(journey, "margaret.okoro")
    journey.visit("/me/involvement/")
    expect(
        page.get_by_role("table", name="Activities you took part in, most recent first")
    ).to_contain_text("Bowel surgery leaflet review")
    expect(page.get_by_text("In all, you have given 2.0 hours.")).to_be_visible()
    expect(page.get_by_role("link", name="Bowel surgery leaflet review").last).to_be_visible()
    expect(page.get_by_text("Approved")).to_be_visible()
