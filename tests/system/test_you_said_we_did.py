"""From voice to change: a member raises something at a meeting, the member of staff who owns it
answers it with evidence, the member sees what changed; the lead marks another not possible with
the reason, the member is told, and the lead publishes both on the public record.

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

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def meeting(alliance, member, staff):
    """A partnership group meeting last week that Margaret Okoro was at; Grace Adeyemi, the
    nurse, has a person record so that she can be given asks to answer."""
    from coproduce.activities.models import Activity, ActivityType, Registration
    from coproduce.groups.models import PartnershipGroup
    from coproduce.people.models import Person

    Person.objects.create(
        organisation=alliance,
        user=staff,
        kind=Person.Kind.STAFF,
        given_name="Grace",
        family_name="Adeyemi",
    )
    group = PartnershipGroup.objects.create(
        organisation=alliance,
        name="Breast Cancer Partnership Group",
        purpose="Works with the breast cancer team.",
        starts_on=datetime.date(2025, 1, 1),
    )
    started = timezone.now() - datetime.timedelta(days=7)
    activity = Activity.objects.create(
        organisation=alliance,
        group=group,
        kind=Activity.Kind.MEETING,
        title="Breast group, autumn meeting",
        description="The group's regular meeting.",
        activity_type=ActivityType.objects.get(name="Partnership group meeting"),
        starts_at=started,
        ends_at=started + datetime.timedelta(hours=2),
        status=Activity.Status.HELD,
    )
    Registration.objects.create(activity=activity, person=member.person)
    return activity


def test_a_member_raises_it_and_hears_what_changed(journey, lead, member, staff, meeting):
    page = journey.page

    # Given Margaret was at the group's meeting, and raises something that should change
    journey.sign_in("margaret.okoro")
    journey.visit(f"/me/activities/{meeting.pk}/")
    journey.follow("Raise something that should change")
    page.get_by_label("What should change?").fill("Clinic letters in larger print")
    page.get_by_label("What was said, and why it matters").fill(
        "I could not read my appointment letter during chemotherapy."
    )
    journey.press("Send it")
    expect(page.get_by_text("has been sent to the involvement team")).to_be_visible()
    mine = page.url

    # When the lead gives it to Grace, the nurse, to answer
    steps.switch_to(journey, "priya.shah")
    journey.visit("/asks/")
    journey.follow("Clinic letters in larger print")
    staff_url = page.url
    journey.follow("Change the details or the owner")
    page.get_by_label("Who must answer it?").select_option(label="Grace Adeyemi")
    journey.press("Save changes")

    # And Grace moves it through the flow, entirely from her own sign-in
    steps.switch_to(journey, "grace.adeyemi")
    journey.visit(staff_url)
    journey.follow("Mark as under consideration")
    page.get_by_label("Anything to add for the people who raised it (optional)").fill(
        "We will take it to the outpatients meeting in March."
    )
    journey.press("Mark as under consideration")
    journey.follow("Accept it")
    journey.press("Accept it")
    journey.follow("Mark as in progress")
    page.get_by_label("Progress, in percent (optional)").fill("40")
    journey.press("Mark as in progress")

    # And she adds evidence: a before and after, and the new letter
    journey.follow("Before and after")
    page.get_by_label("Title").fill("The appointment letter")
    page.get_by_label("How was it before?").fill("10 point grey type")
    page.get_by_label("How is it now?").fill("14 point black type")
    journey.press("Add evidence")
    journey.follow("A document or photo")
    page.get_by_label("Title").fill("New letter template")
    page.get_by_label("Choose the file").set_input_files(
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    journey.press("Add evidence")

    # And records what changed, after first forgetting to say what kind of change it was
    journey.follow("Record what changed")
    page.get_by_label("What changed?").fill("Letters now use 14 point black type.")
    fill_date(page, "When did it take effect?", timezone.localdate())
    journey.press("Record what changed", expect_errors=True)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Select what kind of change it was"
    )
    page.get_by_role("group", name="What kind of change was it?").get_by_label(
        "Patient information"
    ).check()
    page.get_by_role("group", name="How far does it reach?").get_by_label("Local").check()
    journey.press("Record what changed")
    expect(page.get_by_text("Everyone who contributed has been told")).to_be_visible()

    # Then Margaret sees what changed, with the evidence, and was told each step
    steps.switch_to(journey, "margaret.okoro")
    journey.visit(mine)
    expect(page.get_by_role("heading", name="What changed")).to_be_visible()
    expect(page.get_by_text("Letters now use 14 point black type.").first).to_be_visible()
    expect(page.get_by_text("14 point black type", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="New letter template")).to_be_visible()
    journey.visit("/me/notifications/")
    expect(page.get_by_text("Changed: Clinic letters in larger print")).to_be_visible()


def test_the_lead_says_it_is_not_possible_and_publishes_the_answer(
    journey, lead, member, staff, meeting
):
    from coproduce.asks.models import Ask, Contribution

    page = journey.page
    ask = Ask.objects.create(
        organisation=meeting.organisation,
        group=meeting.group,
        title="Free parking during radiotherapy",
        what_was_said="Weeks of daily parking charges add up to hundreds of pounds.",
        raised_by=member.person,
        raised_at=timezone.now() - datetime.timedelta(days=3),
    )
    ask.activities.add(meeting)
    Contribution.objects.create(ask=ask, person=member.person, raised_it=True, told_status="raised")

    # Given the lead reads the ask
    journey.sign_in("priya.shah")
    journey.visit(f"/asks/{ask.pk}/")

    # When she says it is not possible, first without a reason, then with one
    journey.follow("Say it is not possible")
    journey.press("Say it is not possible", expect_errors=True)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Give the reason")
    page.get_by_label("Why is it not possible?").fill(
        "Parking is run by a contractor until 2028; free permits will be in the next contract."
    )
    journey.press("Say it is not possible")
    expect(summary_row(page, "Why it is not possible")).to_contain_text("contractor until 2028")

    # And publishes the answer on the public record
    journey.follow("Publish it on the public record")
    journey.press("Publish")

    # Then Margaret hears the reason
    steps.switch_to(journey, "margaret.okoro")
    journey.visit("/me/asks/")
    expect(page.get_by_text("contractor until 2028")).to_be_visible()

    # And the public sees it without anyone's name
    journey.follow("Sign out")
    journey.press("Sign out")
    journey.visit(f"/you-said-we-did/{meeting.organisation_id}/")
    expect(page.get_by_role("heading", name="Free parking during radiotherapy")).to_be_visible()
    expect(page.get_by_text("contractor until 2028")).to_be_visible()
    expect(page.get_by_text("Okoro")).to_have_count(0)
