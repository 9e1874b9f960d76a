import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import Tenant
from coproduce.factories import BudgetFactory, ClaimFactory, GroupFactory
from coproduce.payments import export, finance, report, services
from coproduce.payments.models import BenefitsAdvice, Claim
from coproduce.payments.tests.factories import attended

pytestmark = pytest.mark.django_db
Status = Claim.Status
TODAY = datetime.date(2026, 6, 30)


def paid_after(tenant: Tenant, days: float, paid_on: datetime.date) -> Claim:
    paid_at = timezone.make_aware(datetime.datetime.combine(paid_on, datetime.time(12)))
    return ClaimFactory.create(
        activity=attended(tenant.member_person, paid_on - datetime.timedelta(days=60)).activity,
        person=tenant.member_person,
        status=Status.PAID,
        submitted_at=paid_at - datetime.timedelta(days=days),
        paid_at=paid_at,
    )


def test_turnaround_is_the_median_and_90th_percentile_over_twelve_months(tenant: Tenant) -> None:
    for days in (10, 20, 30, 40, 50):
        paid_after(tenant, days, datetime.date(2026, 5, 1))
    paid_after(tenant, 400, datetime.date(2025, 6, 1))  # paid over a year ago: left out
    found = report.turnaround(Claim.objects.all(), today=TODAY)
    assert found is not None
    assert (found.count, found.median_days, found.p90_days) == (5, 30.0, 46.0)
    assert not found.within_standard


def test_turnaround_within_the_standard_and_with_nothing_paid(tenant: Tenant) -> None:
    assert report.turnaround(Claim.objects.all(), today=TODAY) is None
    paid_after(tenant, 21, datetime.date(2026, 6, 1))
    found = report.turnaround(Claim.objects.all(), today=TODAY)
    assert found is not None and found.median_days == 21.0 and found.within_standard


def test_a_budget_counts_spend_and_commitments_in_its_period_and_group(tenant: Tenant) -> None:
    budget = BudgetFactory.create(
        organisation=tenant.organisation,
        group=tenant.group,
        amount=Decimal("1000.00"),
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 6, 29),  # 90 days
    )
    person = tenant.member_person

    def claim(on: datetime.date, status: str, total: str, group: object = tenant.group) -> None:
        activity = attended(person, on, group=group).activity
        ClaimFactory.create(activity=activity, person=person, status=status, total=Decimal(total))

    Claim.objects.all().delete()
    claim(datetime.date(2026, 4, 10), Status.APPROVED, "100.00")
    claim(datetime.date(2026, 4, 11), Status.PAID, "50.00")
    claim(datetime.date(2026, 4, 12), Status.SUBMITTED, "30.00")
    claim(datetime.date(2026, 4, 13), Status.QUERIED, "20.00")
    claim(datetime.date(2026, 4, 14), Status.REJECTED, "999.00")
    claim(datetime.date(2026, 3, 31), Status.PAID, "500.00")  # before the period
    claim(
        datetime.date(2026, 4, 15),
        Status.PAID,
        "400.00",
        group=GroupFactory.create(organisation=tenant.organisation),
    )

    halfway = report.position(budget, today=datetime.date(2026, 5, 15))  # day 45 of 90
    assert (halfway.spent, halfway.committed, halfway.left) == (
        Decimal("150.00"),
        Decimal("50.00"),
        Decimal("800.00"),
    )
    assert halfway.forecast == Decimal("400.00")
    assert halfway.forecast_left == Decimal("600.00")
    ended = report.position(budget, today=datetime.date(2026, 12, 1))
    assert ended.forecast == Decimal("200.00")
    # An organisation-wide budget counts every group's claims.
    budget.group = None
    assert report.position(budget, today=datetime.date(2026, 12, 1)).spent == Decimal("550.00")


def approved_claim(tenant: Tenant) -> Claim:
    BenefitsAdvice.objects.create(person=tenant.member_person)
    attendance = attended(tenant.member_person, datetime.date(2026, 5, 4), title="Leaflet review")
    claim = services.create_claim(
        actor=tenant.member,
        person=tenant.member_person,
        activity=attendance.activity,
        unit="hour",
        expenses=[],
        receipts=[],
    )
    return services.transition(actor=tenant.lead, claim=claim, to=Status.APPROVED)


def test_the_finance_export_lists_approved_claims_as_csv(tenant: Tenant) -> None:
    claim = approved_claim(tenant)
    content = finance.as_csv(finance.approved_claims(Claim.objects.all()))
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == finance.HEADINGS
    assert rows[1:] == [
        [
            str(claim.pk),
            tenant.member_person.full_name,
            "Leaflet review",
            "2026-05-04",
            "Involvement payment: 2 hours at £25.00 £50.00",
            "50.00",
            timezone.localdate().isoformat(),
        ]
    ]


def test_the_finance_export_as_a_workbook(tenant: Tenant) -> None:
    claim = approved_claim(tenant)
    content = finance.as_xlsx(finance.approved_claims(Claim.objects.all()))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == finance.HEADINGS
    assert values[1][0] == claim.pk
    assert values[1][1] == tenant.member_person.full_name
    assert values[1][3].date() == datetime.date(2026, 5, 4)
    assert values[1][5] == 50.0
    assert len(values) == 2  # the fixture's submitted claim is not approved


def test_subject_access_data_holds_claims_and_benefits_advice(tenant: Tenant) -> None:
    claim = approved_claim(tenant)
    data = export.for_person(tenant.member_person)
    assert data["benefits_advice_confirmed_at"] is not None
    mine = next(item for item in data["claims"] if item["id"] == claim.pk)
    assert mine["status"] == "Approved"
    assert mine["lines"][0]["amount"] == "50.00"
    assert [event["status"] for event in mine["history"]] == ["Submitted", "Approved"]
    assert mine["activity_date"] == "2026-05-04"
    import json

    json.dumps(data)


def test_names_that_look_like_formulas_are_exported_as_plain_text(tenant: Tenant) -> None:
    person = tenant.member_person
    person.given_name, person.family_name = "=HYPERLINK(A2)", "+1"
    person.save()
    claim = tenant.involvement.claim
    claim.status = Claim.Status.APPROVED
    claim.save()
    claims = finance.approved_claims(Claim.objects.all())
    sheet = load_workbook(io.BytesIO(finance.as_xlsx(claims))).active
    assert sheet is not None
    name = sheet.cell(row=2, column=2)
    assert name.data_type == "s" and name.value == "'=HYPERLINK(A2) +1"
    text = finance.as_csv(claims).decode("utf-8-sig")
    assert "'=HYPERLINK(A2) +1" in text
