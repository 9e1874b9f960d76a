"""Impact on the people involved and on the organisation: a member answers the questionnaire
they were sent after a one-off activity; the lead records the group's self-assessment, reads the
impact dashboard and downloads the annual report as a PDF whose every page draws.

Written as Given / When / Then; every page along the way is checked with axe (see journey.py).
"""

import datetime
import io

import pypdfium2
import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.system.test_involvement_lead import fill_date

pytestmark = pytest.mark.browser


@pytest.fixture
def workshop(alliance, member):
    """A one-off workshop last week that Margaret Okoro took part in."""
    from coproduce.activities.models import Activity, ActivityType, Attendance

    started = timezone.now() - datetime.timedelta(days=6)
    activity = Activity.objects.create(
        organisation=alliance,
        kind=Activity.Kind.ACTIVITY,
        title="Rewriting the chemotherapy leaflet",
        description="A morning reviewing the leaflet with the chemotherapy nurses.",
        activity_type=ActivityType.objects.get(name="Focus group or interview"),
        starts_at=started,
        ends_at=started + datetime.timedelta(hours=3),
        status=Activity.Status.HELD,
    )
    Attendance.objects.create(activity=activity, person=member.person, hours=3)
    return activity


def test_a_member_answers_the_questionnaire_after_an_activity(journey, lead, member, workshop):
    from coproduce.impact import services
    from coproduce.impact.models import Response

    page = journey.page
    # Given the daily run has sent Margaret the questionnaire about the workshop
    assert services.send_due() >= 1

    # When she opens it from her questionnaires, and first sends it with nothing filled in
    journey.sign_in("margaret.okoro")
    journey.visit("/me/questionnaires/")
    journey.follow("How was it to take part?")
    link = page.url
    journey.press("Send my answers", expect_errors=True)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Answer “People listened to what I said and took it seriously.”"
    )

    # And then answers every question
    for group in page.get_by_role("group").all():
        labels = group.locator("label")
        if labels.count() == 5:
            group.get_by_label("Agree", exact=True).check()
    page.get_by_role(
        "group", name="Would you take part in something like this again?"
    ).get_by_label("Yes").check()
    page.get_by_label("What would have made taking part better for you? (optional)").fill(
        "Parking near the hospital"
    )
    journey.press("Send my answers")
    expect(page.get_by_text("Your answers have been saved")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for you")).to_be_visible()

    # Then the answers are saved once, without her name, and the link cannot be used again
    response = Response.objects.get()
    assert response.activity == workshop
    journey.page.goto(link)
    expect(page.get_by_text("You have already answered this questionnaire")).to_be_visible()
    journey.check()


def test_the_lead_assesses_the_group_and_downloads_the_annual_report(journey, lead, alliance):
    from coproduce.groups.models import PartnershipGroup

    page = journey.page
    PartnershipGroup.objects.create(
        organisation=alliance,
        name="Lung Cancer Partnership Group",
        purpose="Works with the lung cancer team.",
        starts_on=datetime.date(2025, 1, 1),
    )

    # Given the lead records the group's self-assessment
    journey.sign_in("priya.shah")
    journey.visit("/impact/")
    journey.follow("Self-assessment")
    journey.follow("Record a self-assessment")
    page.get_by_label("Which group is this about? (optional)").select_option(
        label="Lung Cancer Partnership Group"
    )
    fill_date(page, "Date of the assessment", timezone.localdate())
    for standard in (
        "Inclusive opportunities",
        "Working together",
        "Support and learning",
        "Communications",
        "Impact",
        "Governance",
    ):
        page.get_by_role("group", name=standard, exact=True).get_by_label("Developing").check()
    journey.press("Save the self-assessment", expect_errors=True)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose a point from 1 to 5")
    for question in (
        "How strong is the voice of patients and the public?",
        "How many ways are there to be involved?",
        "Whose concerns does the work address?",
        "How willing is the organisation to change?",
    ):
        page.get_by_role("group", name=question).get_by_label("3", exact=True).check()
    journey.press("Save the self-assessment")
    expect(page.get_by_text("Self-assessment recorded")).to_be_visible()

    # When she reads the dashboard and opens the annual report
    journey.visit("/impact/")
    expect(page.get_by_role("heading", name="Self-assessment over time")).to_be_visible()
    expect(page.get_by_role("cell", name="Lung Cancer Partnership Group")).to_be_visible()
    journey.follow("Annual involvement report")
    expect(page.get_by_role("heading", name="North Pennines Cancer Alliance")).to_be_visible()

    # Then the report downloads as a PDF whose every page draws
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    content = download.value.path().read_bytes()
    reader = PdfReader(io.BytesIO(content))
    assert "North Pennines Cancer Alliance" in reader.pages[0].extract_text()
    document = pypdfium2.PdfDocument(content)
    assert len(document) >= 2
    for index in range(len(document)):
        darkest, lightest = document[index].render(scale=0.5).to_pil().convert("L").getextrema()
        assert darkest < 100 < 200 < lightest, f"page {index + 1} drew nothing"
