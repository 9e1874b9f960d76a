"""A member claims for a meeting they attended, the lead approves it, and finance export it.

Written as Given / When / Then; every page along the way is checked with axe (see journey.py).
"""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.system import steps
from tests.system.journey import summary_row

pytestmark = pytest.mark.browser


@pytest.fixture
def meeting_attended(alliance, member, payment_policy):
    """A group meeting held last week that the member attended for two hours."""
    from django.utils import timezone

    from coproduce.activities.models import Activity, ActivityType, Attendance
    from coproduce.groups.models import PartnershipGroup

    group = PartnershipGroup.objects.create(
        organisation=alliance,
        name="Lung Cancer Partnership",
        purpose="Improve the lung cancer pathway with the people who use it.",
        starts_on=datetime.date(2025, 1, 1),
    )
    starts_at = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    starts_at -= datetime.timedelta(days=7)
    meeting = Activity.objects.create(
        organisation=alliance,
        group=group,
        kind=Activity.Kind.MEETING,
        title="Lung Cancer Partnership meeting",
        description="Quarterly meeting of the partnership.",
        activity_type=ActivityType.objects.order_by("position").first()
        or ActivityType.objects.create(name="Reference group consultation"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        status=Activity.Status.HELD,
    )
    Attendance.objects.create(activity=meeting, person=member.person, hours=Decimal("2.00"))
    return meeting


def test_member_claims_lead_approves_and_finance_exports(journey, lead, member, meeting_attended):
    page = journey.page

    # Given a member who attended a group meeting last week has signed in
    journey.sign_in("margaret.okoro")

    # When they claim travel and an hourly payment, with a receipt
    steps.claim(journey, "Lung Cancer Partnership meeting", travel="14.20")

    # Then their claim is priced at £50 for two hours and £14.20 travel
    expect(summary_row(page, "Total")).to_contain_text("£64.20")
    expect(page.get_by_role("link", name="train-ticket.pdf")).to_be_visible()

    # When the involvement lead approves it from the queue
    # Then it shows as approved, with who approved it in its history
    steps.switch_to(journey, "priya.shah")
    steps.approve_the_claim(journey, "Priya Shah")

    # When finance export the approved claims as CSV
    content = steps.export_for_finance(journey)

    # Then the claim is in the export, with its total
    assert "Margaret Okoro" in content
    assert "Lung Cancer Partnership meeting" in content
    assert "64.20" in content
