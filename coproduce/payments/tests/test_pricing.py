import datetime
from decimal import Decimal

import pytest

from conftest import Tenant
from coproduce.core.errors import ServiceError
from coproduce.factories import ExpenseRuleFactory, PaymentRateFactory
from coproduce.payments import pricing
from coproduce.payments.models import ClaimLine, ExpenseRule, PaymentRate
from coproduce.payments.tests.factories import attended

pytestmark = pytest.mark.django_db
Expense = pricing.ExpenseClaimed


def test_each_activity_is_paid_at_the_rate_in_force_on_its_day(tenant: Tenant) -> None:
    # The fixture's rate is £25 an hour from 2024; it rises to £30 from 1 April 2025.
    PaymentRateFactory.create(
        organisation=tenant.organisation,
        amount=Decimal("30.00"),
        effective_from=datetime.date(2025, 4, 1),
    )
    before = attended(tenant.member_person, datetime.date(2025, 3, 31), hours=Decimal("2.5"))
    after = attended(tenant.member_person, datetime.date(2025, 4, 1), hours=Decimal("2.5"))

    old = pricing.payment_line(before.activity, before, PaymentRate.Unit.HOUR)
    new = pricing.payment_line(after.activity, after, PaymentRate.Unit.HOUR)

    assert (old.unit_amount, old.quantity, old.amount) == (
        Decimal("25.00"),
        Decimal("2.5"),
        Decimal("62.50"),
    )
    assert (new.unit_amount, new.amount) == (Decimal("30.00"), Decimal("75.00"))
    assert new.kind == ClaimLine.PAYMENT


def test_a_rate_that_takes_effect_later_is_not_used_for_an_earlier_activity(tenant: Tenant) -> None:
    attendance = attended(tenant.member_person, datetime.date(2023, 6, 1))
    with pytest.raises(ServiceError, match="no payment rate per hour in force on 1 June 2023"):
        pricing.payment_line(attendance.activity, attendance, PaymentRate.Unit.HOUR)


@pytest.mark.parametrize(
    ("hours", "unit", "quantity", "amount"),
    [
        ("3.00", PaymentRate.Unit.HALF_DAY, 1, "75.00"),
        ("4.00", PaymentRate.Unit.HALF_DAY, 1, "75.00"),
        ("5.50", PaymentRate.Unit.HALF_DAY, 2, "150.00"),
        ("6.00", PaymentRate.Unit.DAY, 1, "140.00"),
        ("1.00", PaymentRate.Unit.MEETING, 1, "20.00"),
    ],
)
def test_payment_by_half_day_day_or_meeting(
    tenant: Tenant, hours: str, unit: str, quantity: int, amount: str
) -> None:
    for each, value in (("half_day", "75.00"), ("day", "140.00"), ("meeting", "20.00")):
        PaymentRateFactory.create(
            organisation=tenant.organisation, unit=each, amount=Decimal(value)
        )
    attendance = attended(tenant.member_person, datetime.date(2025, 5, 1), hours=Decimal(hours))
    line = pricing.payment_line(attendance.activity, attendance, unit)
    assert line.quantity == quantity
    assert line.amount == Decimal(amount)


def test_paying_by_the_hour_needs_hours_recorded(tenant: Tenant) -> None:
    attendance = attended(tenant.member_person, datetime.date(2025, 5, 1), hours=Decimal(0))
    with pytest.raises(ServiceError, match="No hours are recorded"):
        pricing.payment_line(attendance.activity, attendance, PaymentRate.Unit.HOUR)


def test_mileage_is_miles_times_the_rate_per_mile(tenant: Tenant) -> None:
    ExpenseRuleFactory.create(
        organisation=tenant.organisation,
        kind=ExpenseRule.Kind.MILEAGE,
        rate_per_mile=Decimal("0.45"),
        limit=Decimal("50.00"),
        receipt_required=False,
    )
    attendance = attended(tenant.member_person, datetime.date(2025, 5, 1))
    line = pricing.expense_line(
        attendance.activity, Expense("mileage", miles=Decimal("37")), has_receipt=False
    )
    assert (line.quantity, line.unit_amount, line.amount) == (
        Decimal("37"),
        Decimal("0.45"),
        Decimal("16.65"),
    )
    with pytest.raises(
        ServiceError, match=r"Mileage in their own vehicle can be claimed up to £50.00"
    ):
        pricing.expense_line(
            attendance.activity, Expense("mileage", miles=Decimal("200")), has_receipt=False
        )


def test_an_expense_over_its_limit_is_refused_with_the_limit(tenant: Tenant) -> None:
    attendance = attended(tenant.member_person, datetime.date(2025, 5, 1))
    at_limit = pricing.expense_line(
        attendance.activity, Expense("travel", amount=Decimal("60.00")), has_receipt=True
    )
    assert at_limit.amount == Decimal("60.00")
    with pytest.raises(
        ServiceError, match=r"up to £60.00 for one activity; this claim is for £60.01"
    ) as refused:
        pricing.expense_line(
            attendance.activity, Expense("travel", amount=Decimal("60.01")), has_receipt=True
        )
    assert refused.value.field == "travel"


def test_the_limit_in_force_on_the_day_applies(tenant: Tenant) -> None:
    ExpenseRuleFactory.create(
        organisation=tenant.organisation,
        limit=Decimal("80.00"),
        effective_from=datetime.date(2025, 6, 1),
    )
    earlier = attended(tenant.member_person, datetime.date(2025, 5, 31))
    later = attended(tenant.member_person, datetime.date(2025, 6, 1))
    claimed = Expense("travel", amount=Decimal("70.00"))
    with pytest.raises(ServiceError, match=r"£60\.00"):
        pricing.expense_line(earlier.activity, claimed, has_receipt=True)
    assert pricing.expense_line(later.activity, claimed, has_receipt=True).amount == Decimal(
        "70.00"
    )


@pytest.mark.parametrize(
    ("expense", "message"),
    [
        (Expense("travel", amount=Decimal("-5")), "must be more than £0"),
        (Expense("travel"), "Enter the amount for travel"),
        (
            Expense("carer_cover", amount=Decimal("10")),
            "policy did not cover carer or childcare cover",
        ),
        (Expense("taxi", amount=Decimal("10")), "Select a kind of expense"),
        (Expense("mileage", miles=Decimal("10")), "policy did not cover mileage"),
    ],
)
def test_bad_expenses_are_refused(tenant: Tenant, expense: Expense, message: str) -> None:
    attendance = attended(tenant.member_person, datetime.date(2025, 5, 1))
    with pytest.raises(ServiceError, match=message):
        pricing.expense_line(attendance.activity, expense, has_receipt=True)


def test_absurd_amounts_are_refused(tenant: Tenant) -> None:
    ExpenseRuleFactory.create(
        organisation=tenant.organisation, kind="subsistence", limit=None, receipt_required=False
    )
    attendance = attended(tenant.member_person, datetime.date(2025, 5, 1))
    with pytest.raises(ServiceError, match=r"must be £1,000.00 or less"):
        pricing.expense_line(
            attendance.activity, Expense("subsistence", amount=Decimal("1500")), has_receipt=False
        )


def test_a_receipt_is_needed_where_the_rule_asks_for_one(tenant: Tenant) -> None:
    attendance = attended(tenant.member_person, datetime.date(2025, 5, 1))
    with pytest.raises(ServiceError, match="Add a receipt for travel") as refused:
        pricing.expense_line(
            attendance.activity, Expense("travel", amount=Decimal("12")), has_receipt=False
        )
    assert refused.value.field == "receipts"


def test_a_claim_needs_something_in_it_and_each_expense_once(tenant: Tenant) -> None:
    attendance = attended(tenant.member_person, datetime.date(2025, 5, 1))
    with pytest.raises(ServiceError, match="Select an involvement payment or enter"):
        pricing.price_claim(
            attendance.activity, attendance, unit=None, expenses=[], has_receipt=False
        )
    with pytest.raises(ServiceError, match="each kind of expense once"):
        pricing.price_claim(
            attendance.activity,
            attendance,
            unit=None,
            expenses=[Expense("travel", amount=Decimal(5)), Expense("travel", amount=Decimal(5))],
            has_receipt=True,
        )
