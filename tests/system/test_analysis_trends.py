"""Trends: an analyst reads how comments about a code rose last month, opens the comments behind
the number, chooses quarters and a service, raises an ask from the trend, and reads the same
figures across the organisation's projects.

Written as Given / When / Then; every page along the way is checked with axe (see journey.py).
"""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def project(alliance, make_user):
    """Amara leads a project whose survey responses she has coded, over two months."""
    from django.utils import timezone

    from coproduce.analysis.models import (
        Attribute,
        Code,
        Dataset,
        Import,
        Project,
        Segment,
        Source,
        TeamMember,
    )
    from coproduce.analysis.services import trends
    from coproduce.core.roles import Role

    amara = make_user("amara.nwosu", Role.ANALYST, alliance, first_name="Amara", last_name="Nwosu")
    project = Project.objects.create(organisation=alliance, name="Friends and Family Test")
    TeamMember.objects.create(project=project, user=amara, role="lead")
    released = Import.objects.create(project=project, status=Import.Status.RELEASED)
    dataset = Dataset.objects.create(
        project=project, source_import=released, name="FFT comments", text_column="Comment"
    )
    service = Attribute.objects.create(project=project, name="Service")
    parking = Code.objects.create(project=project, name="Parking", position=0)
    staff = Code.objects.create(project=project, name="Kind staff", position=1)
    latest = trends.shift(trends.period_start(timezone.localdate(), "month"), "month", -1)
    previous = trends.shift(latest, "month", -1)
    rows = [
        (previous, "Parking was hard", [parking]),
        (latest, "No spaces at all", [parking]),
        (latest, "Drove round for an hour", [parking]),
        (latest, "Lovely staff, awful parking", [parking, staff]),
    ]
    for number, (day, text, codes) in enumerate(rows):
        source = Source.objects.create(
            project=project,
            source_import=released,
            dataset=dataset,
            row=number + 2,
            kind=Source.Kind.RESPONSE,
            name=f"FFT comments, row {number + 2}",
            text=text,
            values={str(service.pk): "Radiotherapy"},
            received_on=day.replace(day=5),
        )
        for code in codes:
            Segment.objects.create(
                project=project,
                source=source,
                code=code,
                start=0,
                end=len(text),
                coder=amara,
                coded_at=timezone.now(),
            )
    return project


def test_read_a_trend_its_comments_and_raise_an_ask(journey, project):
    from coproduce.asks.models import Ask

    page = journey.page
    # Given Amara is signed in and opens the project's trends
    journey.sign_in("amara.nwosu")
    journey.visit(f"/analysis/{project.pk}/")
    journey.follow("Trends", exact=True)
    # Then she sees comments about parking rose from 1 to 3
    change = page.locator("#change-caption").locator("xpath=..")
    expect(change.get_by_role("row", name="Parking")).to_contain_text("+200%")

    # When she opens the comments behind the latest count
    change.get_by_role("row", name="Parking").get_by_role("link", name="3").click()
    journey.check()
    # Then she reads them
    expect(page.get_by_text("Drove round for an hour")).to_be_visible()
    expect(page.get_by_text("Parking was hard")).to_have_count(0)

    # When she goes back and counts by quarter for one service
    journey.follow("Back to the trends")
    page.get_by_label("Quarter").check()
    page.get_by_label("Only responses with an attribute").select_option(label="Service")
    page.get_by_label("Value of the attribute").fill("Radiotherapy")
    journey.press("Show the figures")
    expect(page.get_by_role("heading", name="Comments by code")).to_be_visible()

    # When she gives a date range the wrong way round
    for part, value in (("Day", "10"), ("Month", "5"), ("Year", "2026")):
        page.locator(f"#id_start-{part.lower()}").fill(value)
    for part, value in (("Day", "1"), ("Month", "5"), ("Year", "2026")):
        page.locator(f"#id_end-{part.lower()}").fill(value)
    journey.press("Show the figures", expect_errors=True)
    # Then she is told how to put it right
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("must be the same as or after")

    # When she raises an ask from the parking trend
    journey.visit(f"/analysis/{project.pk}/trends/")
    journey.follow("Raise an ask about Parking")
    expect(page.get_by_label("What was said")).to_have_value(
        page.get_by_label("What was said").input_value()
    )
    assert "rose from 1" in page.get_by_label("What was said").input_value()
    page.get_by_label("What should change?").fill("")
    journey.press("Raise the ask", expect_errors=True)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter what should change")
    page.get_by_label("What should change?").fill("Make it easier to park")
    journey.press("Raise the ask")
    # Then the ask is recorded with the figures as evidence
    expect(page.get_by_role("heading", name="Make it easier to park")).to_be_visible()
    assert Ask.objects.get(title="Make it easier to park").evidence.count() == 2
    journey.finish()


def test_trends_across_the_organisations_projects(journey, project):
    page = journey.page
    # Given Amara is signed in and opens the list of projects
    journey.sign_in("amara.nwosu")
    journey.visit("/analysis/")
    # When she follows the link to trends across her projects
    journey.follow("Trends across your projects in")
    # Then she sees the same figures, and can choose one project
    expect(page.get_by_role("heading", name="Trends across projects")).to_be_visible()
    page.get_by_label("Project (optional)").select_option(label="Friends and Family Test")
    journey.press("Show the figures")
    expect(page.locator("#change-caption")).to_be_visible()
    journey.finish()
