import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from conftest import Tenant
from coproduce.activities.models import Activity, Ladder, Side, Technicality
from coproduce.equality.models import EqualityResponse
from coproduce.equality.report import Cell, QuestionSummary
from coproduce.factories import ActivityFactory, AttendanceFactory, ClaimFactory, PersonFactory
from coproduce.groups.models import Membership
from coproduce.payments.models import Claim
from coproduce.reports import activity

pytestmark = pytest.mark.django_db


def held(tenant: Tenant, days_ago: int, **fields: object) -> Activity:
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    return ActivityFactory.create(
        organisation=tenant.organisation,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        status=Activity.Status.HELD,
        **fields,
    )


def build(tenant: Tenant, days: int = 364) -> activity.ActivityReport:
    today = timezone.localdate()
    return activity.build(
        Activity.objects.filter(organisation=tenant.organisation),
        Claim.objects.filter(activity__organisation=tenant.organisation),
        Membership.objects.filter(group__organisation=tenant.organisation),
        starts_on=today - datetime.timedelta(days=days),
        ends_on=today,
    )


def test_the_report_counts_held_activities_by_ladder_and_who_leads_them(tenant: Tenant) -> None:
    held(tenant, 20, ladder_level=Ladder.CO_PRODUCTION, led_by=Side.SERVICE_USER)
    held(tenant, 30, technicality=Technicality.TECHNICAL, areas=["policy", "research"])
    ActivityFactory.create(organisation=tenant.organisation)  # planned: not counted
    held(tenant, 400)  # before the period: not counted
    report = build(tenant)
    # The tenant's own meeting a week ago is held too.
    assert report.activities == 3
    ladder = {row.label: row.count for row in report.by_ladder}
    assert ladder["Co-production"] == 1 and ladder["Consultation"] == 2
    assert report.by_ladder[0].label == "Coercion"  # lowest rung first
    assert report.led_by_service_users == pytest.approx(1 / 3)
    assert report.technical == pytest.approx(1 / 3)
    areas = {row.label: row.count for row in report.by_area}
    assert areas["Policy"] == 1 and areas["Research"] == 1


def test_people_are_new_the_first_time_they_take_part(tenant: Tenant) -> None:
    returning = PersonFactory.create(organisation=tenant.organisation)
    AttendanceFactory.create(activity=held(tenant, 500), person=returning)
    recent = held(tenant, 10)
    AttendanceFactory.create(activity=recent, person=returning, hours=Decimal("3"))
    report = build(tenant)
    # The tenant's member first took part a week ago; `returning` first did 500 days ago.
    assert (report.people, report.new_people, report.returning_people) == (2, 1, 1)
    assert report.hours == Decimal("5.00")


def test_spend_counts_approved_and_paid_claims_and_turnaround_is_measured(tenant: Tenant) -> None:
    meeting = tenant.involvement.activity
    claim = tenant.involvement.claim
    claim.status = Claim.Status.PAID
    claim.submitted_at = timezone.now() - datetime.timedelta(days=30)
    claim.paid_at = claim.submitted_at + datetime.timedelta(days=20)
    claim.save()
    ClaimFactory.create(
        activity=meeting,
        person=PersonFactory.create(organisation=tenant.organisation),
        total=Decimal("99.00"),
        status=Claim.Status.SUBMITTED,
    )
    report = build(tenant)
    assert report.spend == Decimal("50.00")  # the submitted claim is not spent yet
    assert report.turnaround is not None and report.turnaround.median_days == 20.0


def test_equality_counts_are_suppressed_below_the_threshold(tenant: Tenant) -> None:
    EqualityResponse.objects.create(person=tenant.member_person, sex="female")
    report = build(tenant)
    sex = next(s for s in report.equality_involved if s.question.lower().startswith("sex"))
    assert all(cell.count in (0, None) for cell in sex.cells)
    assert sex.answered is None


def test_the_page_and_its_downloads_show_the_same_figures(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.lead)
    page = client.get("/reports/activity/").content.decode()
    assert "Activities held" in page and "Co-production" in page
    csv_text = client.get("/reports/activity/?download=csv").content.decode()
    assert "Activities,Activities held,1" in csv_text
    xlsx = client.get("/reports/activity/?download=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = {(row[0], row[1]): row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[("Activities", "Activities held")] == "1"


def test_a_period_that_ends_before_it_starts_is_refused(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.lead)
    response = client.get(
        "/reports/activity/",
        {
            "starts_on-day": "1",
            "starts_on-month": "6",
            "starts_on-year": "2026",
            "ends_on-day": "1",
            "ends_on-month": "1",
            "ends_on-year": "2026",
        },
    )
    assert "The end of the period must be after its start" in response.content.decode()


def test_staff_without_the_report_permission_are_refused(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.users["staff"])
    assert client.get("/reports/activity/").status_code == 403


def test_a_report_about_a_few_people_hides_their_count_hours_and_spend(tenant: Tenant) -> None:
    report = build(tenant)
    assert report.people == 1 and report.few_people
    assert report.hours_text == report.spend_text == "Fewer than 5 people: not shown"
    assert report.people_text == "Fewer than 5"
    for person in PersonFactory.create_batch(5, organisation=tenant.organisation):
        AttendanceFactory.create(activity=tenant.involvement.activity, person=person)
    report = build(tenant)
    assert not report.few_people and report.hours_text == "12.0"
    # All six are new, so "returning" (0) is shown and "new" is not hidden.
    assert report.new_and_returning == ("6", "0")


def test_periods_cover_whole_months() -> None:
    assert activity.whole_months(datetime.date(2026, 3, 14), datetime.date(2026, 3, 15)) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 31),
    )
    assert activity.whole_months(datetime.date(2026, 1, 31), datetime.date(2026, 2, 1))[1] == (
        datetime.date(2026, 2, 28)
    )


def test_equality_counts_are_rounded_to_fives() -> None:
    summary = QuestionSummary("Sex", [Cell("Female", 7), Cell("Male", None)], 13)
    [shown] = activity.rounded([summary])
    assert [cell.count for cell in shown.cells] == [5, None] and shown.answered == 15
