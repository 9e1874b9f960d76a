"""Asking for involvement, publishing it, offering to take part and being selected.

Written as Given / When / Then; every page along the way is checked with axe (see journey.py).
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.system.journey import summary_row
from tests.system.test_involvement_lead import fill_date

pytestmark = pytest.mark.browser


@pytest.fixture
def staff(alliance, make_user):
    """A nurse at the alliance who wants patients' help with her work."""
    from coproduce.core.roles import Role

    return make_user("grace.adeyemi", Role.STAFF, alliance, first_name="Grace", last_name="Adeyemi")


def test_staff_ask_the_lead_publishes_a_member_offers_and_is_selected(journey, staff, lead, member):
    page = journey.page
    closes_on = timezone.localdate() + datetime.timedelta(days=21)

    # Given a member of staff has signed in
    journey.sign_in("grace.adeyemi")

    # When they ask for involvement
    journey.visit("/opportunities/")
    journey.follow("Ask for involvement")
    page.get_by_label("Title").fill("Rewrite the bowel surgery leaflet")
    page.get_by_label("What is it, and what will people do?").fill(
        "Read the draft leaflet with the stoma nurse and say what is missing or unclear."
    )
    page.get_by_label("Why do you need people's involvement?").fill(
        "Patients told us the leaflet uses words they did not understand."
    )
    page.get_by_role("group", name="What kind of involvement is it?").get_by_label(
        "Reviewing or writing patient information"
    ).check()
    page.get_by_role("group", name="Which areas could it influence?").get_by_label(
        "Practice"
    ).check()
    page.get_by_label("How much time will it take?").fill("One two-hour meeting")
    page.get_by_role("group", name="How will people take part?").get_by_label(
        "Online", exact=True
    ).check()
    page.get_by_role("group", name="What support is offered?").get_by_label(
        "Help to join online meetings"
    ).check()
    fill_date(page, "Closing date for expressions of interest", closes_on)
    page.get_by_role("group", name="Experience of which cancer types would help?").get_by_label(
        "Bowel"
    ).check()
    journey.press("Send request")

    # Then it waits for the involvement lead's review
    expect(page.get_by_role("heading", level=1)).to_have_text("Rewrite the bowel surgery leaflet")
    expect(page.get_by_text("Waiting for review")).to_be_visible()
    opportunity_url = page.url

    # When the involvement lead publishes it
    page.context.clear_cookies()
    journey.sign_in("priya.shah")
    journey.visit(opportunity_url)
    journey.follow("Publish it")
    journey.press("Publish")
    expect(page.get_by_text("members can now see it")).to_be_visible()

    # And a member expresses interest
    page.context.clear_cookies()
    journey.sign_in("margaret.okoro")
    journey.visit("/me/opportunities/")
    journey.follow("Rewrite the bowel surgery leaflet")
    expect(summary_row(page, "Support offered")).to_contain_text("Help to join online meetings")
    journey.follow("Express interest")
    page.get_by_label("Anything you would like us to know").fill("I had surgery last year.")
    journey.press("Express interest")
    expect(page.get_by_text("We will tell you whether you have been selected.")).to_be_visible()

    # And the lead selects them
    page.context.clear_cookies()
    journey.sign_in("priya.shah")
    journey.visit(opportunity_url)
    interests = page.get_by_role("table", name="People who expressed interest")
    expect(interests.get_by_role("row").filter(has_text="Margaret Okoro")).to_contain_text(
        "I had surgery last year."
    )
    journey.follow("Select or not select")
    page.get_by_label("Select them", exact=True).check()
    journey.press("Save decision")
    expect(page.get_by_text("Margaret Okoro is selected, and has been told")).to_be_visible()

    # Then the member sees they were selected
    page.context.clear_cookies()
    journey.sign_in("margaret.okoro")
    journey.visit("/me/opportunities/")
    mine = page.get_by_role("table", name="Opportunities you offered to take part in")
    expect(
        mine.get_by_role("row").filter(has_text="Rewrite the bowel surgery leaflet")
    ).to_contain_text("Selected")
    journey.follow("Rewrite the bowel surgery leaflet")
    expect(page.get_by_text("You have been selected.")).to_be_visible()
