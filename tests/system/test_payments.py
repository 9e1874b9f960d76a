"""A member claims for a meeting they attended, the lead approves it, and finance export it.

Written as Given / When / Then; every page along the way is checked with axe (see journey.py).
"""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.system.journey import summary_row

pytestmark = pytest.mark.browser

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def meeting_attended(alliance, member):
    """A group meeting held last week that the member attended for two hours, and the policy."""
    from django.utils import timezone

    from coproduce.activities.models import Activity, ActivityType, Attendance
    from coproduce.groups.models import PartnershipGroup
    from coproduce.payments.models import ExpenseRule, PaymentRate

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
    PaymentRate.objects.create(
        organisation=alliance,
        unit="hour",
        amount=Decimal("25.00"),
        effective_from=datetime.date(2024, 1, 1),
    )
    ExpenseRule.objects.create(
        organisation=alliance,
        kind="travel",
        limit=Decimal("60.00"),
        effective_from=datetime.date(2024, 1, 1),
    )
    return meeting


def test_member_claims_lead_approves_and_finance_exports(journey, lead, member, meeting_attended):
    page = journey.page

    # Given a member who attended a group meeting last week has signed in
    journey.sign_in("margaret.okoro")

    # When they claim travel and an hourly payment, with a receipt
    journey.visit("/me/claims/")
    journey.follow("Make a claim")
    page.get_by_label("Lung Cancer Partnership meeting").check()
    page.get_by_label("Per hour").check()
    page.get_by_label("Travel: fares, parking and taxis, in pounds").fill("14.20")
    page.get_by_label("Receipts (optional)").set_input_files(
        files=[{"name": "train-ticket.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_label(
        "I have considered whether being paid could affect any benefits I get"
    ).check()
    journey.press("Send claim")

    # Then their claim shows as submitted, priced at £50 for two hours and £14.20 travel
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your claim for Lung Cancer Partnership meeting"
    )
    expect(summary_row(page, "Status")).to_contain_text("Submitted")
    expect(summary_row(page, "Total")).to_contain_text("£64.20")
    expect(page.get_by_role("link", name="train-ticket.pdf")).to_be_visible()

    # When the involvement lead signs in and approves it from the queue
    page.context.clear_cookies()
    journey.sign_in("priya.shah")
    journey.visit("/payments/")
    with page.expect_navigation():
        page.get_by_role("table").get_by_role("link", name=re.compile(r"^Claim \d+$")).click()
    journey.check()
    journey.follow("Query, approve or reject")
    page.get_by_label("Approve it").check()
    journey.press("Save decision")

    # Then the claim shows as approved, with who approved it in its history
    expect(summary_row(page, "Status")).to_contain_text("Approved")
    expect(page.get_by_text("by Priya Shah").last).to_be_visible()

    # When finance export the approved claims as CSV
    journey.visit("/payments/")
    journey.follow("Export approved claims for finance")
    expect(page.get_by_text("1 approved claim")).to_be_visible()
    page.get_by_label("CSV (comma-separated values)").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")

    # Then the claim is in the export, with its total
    assert "Margaret Okoro" in content
    assert "Lung Cancer Partnership meeting" in content
    assert "64.20" in content
