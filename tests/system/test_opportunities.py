"""Asking for involvement, publishing it, offering to take part and being selected.

Written as Given / When / Then; every page along the way is checked with axe (see journey.py).
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.system import steps

pytestmark = pytest.mark.browser


def test_staff_ask_the_lead_publishes_a_member_offers_and_is_selected(journey, staff, lead, member):
    page = journey.page
    title = "Rewrite the bowel surgery leaflet"
    closes_on = timezone.localdate() + datetime.timedelta(days=21)

    # Given a member of staff has signed in
    journey.sign_in("grace.adeyemi")

    # When they ask for involvement
    # Then it waits for the involvement lead's review
    opportunity_url = steps.ask_for_involvement(journey, title, closes_on)

    # When the involvement lead publishes it
    steps.switch_to(journey, "priya.shah")
    steps.publish(journey, opportunity_url)

    # And a member expresses interest
    steps.switch_to(journey, "margaret.okoro")
    steps.express_interest(journey, title, "I had surgery last year.")

    # And the lead selects them
    steps.switch_to(journey, "priya.shah")
    steps.select(journey, opportunity_url, "Margaret Okoro", "I had surgery last year.")

    # Then the member sees they were selected
    steps.switch_to(journey, "margaret.okoro")
    journey.visit("/me/opportunities/")
    mine = page.get_by_role("table", name="Opportunities you offered to take part in")
    expect(mine.get_by_role("row").filter(has_text=title)).to_contain_text("Selected")
    journey.follow(title)
    expect(page.get_by_text("You have been selected.")).to_be_visible()
