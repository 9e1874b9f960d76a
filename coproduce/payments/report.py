"""Figures about claims: how quickly they are paid, and where each budget stands.

Both take querysets the caller has already scoped, so the approver queue and the activity report
can show the same figures for whatever organisations the reader may see.
"""

import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from coproduce.core.numbers import hundredths
from coproduce.payments.models import Budget, Claim

# NHS involvement policies commonly promise payment within four to six weeks of a claim.
STANDARD_DAYS = (28, 42)
SECONDS_IN_A_DAY = 86400


@dataclass(frozen=True)
class Turnaround:
    count: int
    median_days: float
    p90_days: float

    @property
    def within_standard(self) -> bool:
        """Nine in ten claims are paid within the longest time the standard allows."""
        return self.p90_days <= STANDARD_DAYS[1]


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie, interpolating between neighbours."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def turnaround(
    claims: "QuerySet[Claim]", *, today: datetime.date | None = None
) -> Turnaround | None:
    """Days from submission to payment of the claims paid in the twelve months to `today`.

    None when no claim was paid in that time: there is nothing to measure.
    """
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=365)
    paid = claims.filter(
        status=Claim.Status.PAID, paid_at__date__gt=since, paid_at__date__lte=today
    ).values_list("submitted_at", "paid_at")
    days = [
        (paid_at - submitted).total_seconds() / SECONDS_IN_A_DAY
        for submitted, paid_at in paid
        if paid_at is not None
    ]
    if not days:
        return None
    return Turnaround(
        count=len(days),
        median_days=round(statistics.median(days), 1),
        p90_days=round(percentile(days, 0.9), 1),
    )


@dataclass(frozen=True)
class BudgetPosition:
    budget: Budget
    spent: Decimal
    committed: Decimal
    forecast: Decimal

    @property
    def left(self) -> Decimal:
        """What is left once every claim already made is paid."""
        return self.budget.amount - self.spent - self.committed

    @property
    def forecast_left(self) -> Decimal:
        return self.budget.amount - self.forecast

    @property
    def overspent(self) -> bool:
        return self.left < 0


def claims_against(budget: Budget) -> "QuerySet[Claim]":
    """Claims for the budget's organisation (or group) for activities held in its period."""
    claims = Claim.objects.filter(
        activity__organisation_id=budget.organisation_id,
        activity__starts_at__date__gte=budget.starts_on,
        activity__starts_at__date__lte=budget.ends_on,
    )
    if budget.group_id is not None:
        claims = claims.filter(activity__group_id=budget.group_id)
    return claims


def position(budget: Budget, *, today: datetime.date | None = None) -> BudgetPosition:
    """Spend to date (approved and paid), committed (awaiting a decision) and the forecast.

    The forecast carries on at the rate spent and committed so far for the rest of the period:
    it is what the budget will have paid out by its end if nothing changes.
    """
    today = today or timezone.localdate()
    done = (Claim.Status.APPROVED, Claim.Status.PAID)
    waiting = (Claim.Status.SUBMITTED, Claim.Status.QUERIED)
    sums = claims_against(budget).aggregate(
        spent=Sum("total", filter=Q(status__in=done)),
        committed=Sum("total", filter=Q(status__in=waiting)),
    )
    spent = hundredths(sums["spent"])
    committed = hundredths(sums["committed"])
    so_far = spent + committed
    length = (budget.ends_on - budget.starts_on).days + 1
    elapsed = (min(today, budget.ends_on) - budget.starts_on).days + 1
    if 0 < elapsed < length:
        forecast = (so_far * length / elapsed).quantize(Decimal("0.01"))
    else:
        forecast = so_far
    return BudgetPosition(budget, spent, committed, forecast)
