"""An involvement lead sets up a group's meetings, registers a member and closes the meeting.

Written as Given / When / Then; every page along the way is checked with axe (see journey.py).
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.system.test_involvement_lead import fill_date

pytestmark = pytest.mark.browser


@pytest.fixture
def group(alliance, member):
    from coproduce.groups.models import Membership, PartnershipGroup

    group = PartnershipGroup.objects.create(
        organisation=alliance,
        name="Lung Cancer Partnership Group",
        purpose="Works with the lung cancer team on the patient pathway.",
        starts_on=datetime.date(2025, 1, 1),
    )
    Membership.objects.create(
        group=group, person=member.person, started_on=datetime.date(2025, 1, 1)
    )
    return group


def test_lead_sets_up_meetings_registers_a_member_and_closes_the_meeting(
    journey, lead, member, group
):
    page = journey.page
    first = timezone.localdate() + datetime.timedelta(days=7)

    # Given an involvement lead at a cancer alliance whose partnership group Margaret Okoro
    # belongs to, has signed in
    journey.sign_in("priya.shah")

    # When they set up the group's meetings, monthly, three of them
    journey.visit("/activities/")
    journey.follow("Set up an activity or meetings")
    page.get_by_role("group", name="What is it?").get_by_label("Group meeting").check()
    page.get_by_label("Which group is meeting? (optional)").select_option(label=group.name)
    page.get_by_label("Title").fill("Lung Cancer Partnership Group meeting")
    page.get_by_label("What is it, and what will people do?").fill(
        "Our monthly meeting with the lung cancer team."
    )
    fill_date(page, "Date of the first meeting", first)
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("How long it lasts, in hours").fill("2")
    page.get_by_role("group", name="Does it repeat?").get_by_label("Every month").check()
    page.get_by_label("How many meetings in all? (optional)").fill("3")
    page.get_by_label("Where will it happen? (optional)").fill("Room 2, Lung Cancer Centre")
    page.get_by_role("group", name="What kind of involvement is it?").get_by_label(
        "Partnership group meeting"
    ).check()
    journey.press("Save activity")

    # Then the first meeting's page shows it, one of three in the series
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lung Cancer Partnership Group meeting"
    )
    expect(page.get_by_text("3 meetings of Lung Cancer Partnership Group meeting")).to_be_visible()
    expect(page.get_by_text("All 3 meetings in this series")).to_be_visible()
    meeting_url = page.url

    # When they register Margaret Okoro, who needs a hearing loop
    journey.follow("Register someone")
    page.get_by_label("Find a person by name").fill("Okoro")
    journey.press("Find")
    page.get_by_label("Margaret Okoro (margaret.okoro@example.org)").check()
    page.get_by_label("Support needed to take part (optional)").fill("A hearing loop")
    journey.press("Register")

    # Then she is listed as registered, with the support she needs
    expect(page.get_by_text("Margaret Okoro has been registered")).to_be_visible()
    expect(page.get_by_role("heading", name="Registered (1)")).to_be_visible()
    expect(page.get_by_text("A hearing loop")).to_be_visible()

    # When the meeting has taken place
    from coproduce.activities.models import Activity

    meeting_id = int(meeting_url.rstrip("/").rsplit("/", 1)[-1])
    started = timezone.now() - datetime.timedelta(hours=3)
    Activity.objects.filter(pk=meeting_id).update(
        starts_at=started, ends_at=started + datetime.timedelta(hours=2)
    )

    # And the lead closes it with attendance and minutes in one step
    journey.visit(meeting_url)
    journey.follow("Close the meeting: attendance, minutes and decisions")
    margaret = page.get_by_role("group", name="Margaret Okoro")
    margaret.get_by_label("Attended").check()
    margaret.get_by_label("Hours given").fill("1.5")
    page.get_by_label("Minutes (optional)", exact=True).fill(
        "We reviewed the new breathlessness leaflet."
    )
    page.get_by_label("Decisions (optional)").fill("Publish the leaflet\nReview it in a year")
    journey.press("Close the meeting")

    # Then the meeting shows as held, with Margaret's hours and the decisions
    expect(page.get_by_text("has been closed and marked as held")).to_be_visible()
    expect(page.locator(".nhsuk-tag").first).to_have_text("Held")
    row = page.get_by_role("table", name="Attendance and hours").get_by_role(
        "row", name="Margaret Okoro"
    )
    expect(row).to_contain_text("Yes")
    expect(row).to_contain_text("1.50")
    expect(page.get_by_text("Review it in a year")).to_be_visible()
