"""Pricing a claim by the organisation's policy on the day of the activity.

A rate or expense rule applies from its `effective_from` date until a later one for the same unit
or kind replaces it. A claim is priced by what was in force when the activity took place, so a
rate rise does not change what an earlier meeting is worth, however late it is claimed.

Every function here either returns a priced line or raises a ServiceError naming the field at
fault, so pages and the API refuse bad claims with the same words.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from coproduce.activities.models import Activity, Attendance
from coproduce.core.errors import ServiceError
from coproduce.core.presenters import format_date
from coproduce.payments.models import ClaimLine, ExpenseRule, PaymentRate

PENNY = Decimal("0.01")
# No single line of an involvement claim comes near this; a larger figure is a typing mistake.
MOST_FOR_ONE_LINE = Decimal("1000.00")
MOST_MILES = Decimal("1000")
HOURS_IN_HALF_DAY = Decimal(4)


@dataclass(frozen=True)
class PricedLine:
    kind: str
    description: str
    quantity: Decimal
    unit_amount: Decimal
    amount: Decimal


@dataclass(frozen=True)
class ExpenseClaimed:
    """One expense as the person states it: an amount spent, or miles driven for mileage."""

    kind: str
    amount: Decimal | None = None
    miles: Decimal | None = None


def money(value: Decimal) -> str:
    return f"£{value.quantize(PENNY):,}"


def activity_date(activity: Activity) -> datetime.date:
    return timezone.localdate(activity.starts_at)


def rate_in_force(organisation_id: int, unit: str, on: datetime.date) -> PaymentRate | None:
    return (
        PaymentRate.objects.filter(
            organisation_id=organisation_id, unit=unit, effective_from__lte=on
        )
        .order_by("-effective_from")
        .first()
    )


def rule_in_force(organisation_id: int, kind: str, on: datetime.date) -> ExpenseRule | None:
    return (
        ExpenseRule.objects.filter(
            organisation_id=organisation_id, kind=kind, effective_from__lte=on
        )
        .order_by("-effective_from")
        .first()
    )


def _round(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _check_amount(amount: Decimal, field: str, what: str) -> None:
    if amount < 0:
        raise ServiceError(f"{what} cannot be less than £0", field=field)
    if amount > MOST_FOR_ONE_LINE:
        raise ServiceError(
            f"{what} must be {money(MOST_FOR_ONE_LINE)} or less. Check the amount you entered",
            field=field,
        )


def payment_line(activity: Activity, attendance: Attendance, unit: str) -> PricedLine:
    """The involvement payment for attending `activity`, by the unit chosen."""
    if unit not in PaymentRate.Unit.values:
        raise ServiceError("Select how the involvement payment is worked out", field="unit")
    on = activity_date(activity)
    rate = rate_in_force(activity.organisation_id, unit, on)
    label = PaymentRate.Unit(unit).label.lower()
    if rate is None:
        raise ServiceError(
            f"There was no payment rate {label} in force on {format_date(on)}", field="unit"
        )
    hours = attendance.hours
    if unit == PaymentRate.Unit.HOUR:
        if hours <= 0:
            raise ServiceError(
                "No hours are recorded for this attendance, so it cannot be paid by the hour",
                field="unit",
            )
        quantity, description = hours, f"{hours.normalize():f} hours at {money(rate.amount)}"
    elif unit == PaymentRate.Unit.HALF_DAY:
        # A half day is up to 4 hours; longer attendance counts as as many half days as it spans.
        halves = max(1, math.ceil(hours / HOURS_IN_HALF_DAY))
        quantity = Decimal(halves)
        description = f"{halves} half {'day' if halves == 1 else 'days'} at {money(rate.amount)}"
    elif unit == PaymentRate.Unit.DAY:
        quantity, description = Decimal(1), f"1 day at {money(rate.amount)}"
    else:
        quantity, description = Decimal(1), f"1 meeting at {money(rate.amount)}"
    amount = _round(quantity * rate.amount)
    _check_amount(amount, "unit", "The involvement payment")
    return PricedLine(ClaimLine.PAYMENT, description, quantity, rate.amount, amount)


def expense_line(activity: Activity, expense: ExpenseClaimed, *, has_receipt: bool) -> PricedLine:
    """One expense, priced and checked against the rule in force on the day of the activity."""
    if expense.kind not in ExpenseRule.Kind.values:
        raise ServiceError("Select a kind of expense", field="expenses")
    kind = ExpenseRule.Kind(expense.kind)
    field = kind.value
    name = kind.label.split(" (")[0]
    on = activity_date(activity)
    rule = rule_in_force(activity.organisation_id, kind, on)
    if rule is None:
        raise ServiceError(
            f"The organisation's policy did not cover {name.lower()} on {format_date(on)}",
            field=field,
        )
    if kind == ExpenseRule.Kind.MILEAGE:
        miles = expense.miles
        if miles is None:
            raise ServiceError("Enter the number of miles", field=field)
        if miles <= 0:
            raise ServiceError("The number of miles must be more than 0", field=field)
        if miles > MOST_MILES:
            raise ServiceError(f"The number of miles must be {MOST_MILES:,} or fewer", field=field)
        if rule.rate_per_mile is None:
            raise ServiceError(
                "The organisation's policy has no rate per mile, so mileage cannot be claimed",
                field=field,
            )
        quantity, unit_amount = miles, rule.rate_per_mile
        amount = _round(miles * rule.rate_per_mile)
        description = f"{miles.normalize():f} miles at {money(rule.rate_per_mile)} a mile"
    else:
        if expense.amount is None:
            raise ServiceError(f"Enter the amount for {name.lower()}", field=field)
        if expense.amount <= 0:
            raise ServiceError(f"The amount for {name.lower()} must be more than £0", field=field)
        amount = _round(expense.amount)
        quantity, unit_amount, description = Decimal(1), amount, name
    _check_amount(amount, field, f"The amount for {name.lower()}")
    if rule.limit is not None and amount > rule.limit:
        raise ServiceError(
            f"{name} can be claimed up to {money(rule.limit)} for one activity; "
            f"this claim is for {money(amount)}",
            field=field,
        )
    if rule.receipt_required and not has_receipt:
        raise ServiceError(
            f"Add a receipt for {name.lower()}: the policy asks for one", field="receipts"
        )
    return PricedLine(kind.value, description, quantity, unit_amount, amount)


def price_claim(
    activity: Activity,
    attendance: Attendance,
    *,
    unit: str | None,
    expenses: list[ExpenseClaimed],
    has_receipt: bool,
) -> list[PricedLine]:
    """Every line of a claim, or a ServiceError for the first thing wrong with it."""
    kinds = [expense.kind for expense in expenses]
    if len(kinds) != len(set(kinds)):
        raise ServiceError("Claim each kind of expense once, as one total", field="expenses")
    lines = [payment_line(activity, attendance, unit)] if unit else []
    lines += [expense_line(activity, expense, has_receipt=has_receipt) for expense in expenses]
    if not lines:
        raise ServiceError(
            "Select an involvement payment or enter at least one expense", field="unit"
        )
    return lines
