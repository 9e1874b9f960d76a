"""Reports in the JSON API: the activity report, a member's own involvement, payment policy and
budgets. The same access rules and the same code as the pages."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from coproduce.api.schemas import Error
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.errors import ServiceError
from coproduce.groups.models import PartnershipGroup
from coproduce.organisations.models import Organisation
from coproduce.payments import report as payments_report
from coproduce.payments.models import Budget, ExpenseRule, PaymentRate
from coproduce.reports import activity
from coproduce.reports.involvement import for_member

router = Router(tags=["reports"])
ERRORS = {403: Error, 404: Error, 422: Error}


class FigureOut(Schema):
    section: str
    measure: str
    value: str


class ActivityReportOut(Schema):
    starts_on: datetime.date
    ends_on: datetime.date
    small_number_threshold: int
    figures: list[FigureOut]


@router.get("/activity", response={200: ActivityReportOut, **ERRORS})
def activity_report(
    request: HttpRequest,
    organisation_id: int | None = None,
    group_id: int | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> dict[str, object]:
    """Every figure of the activity report, as the page's CSV download lists them."""
    permission = Permission.VIEW_ACTIVITY_REPORT
    if not access.has_permission(request.user, permission):
        raise PermissionDenied
    organisation = (
        access.get(request.user, Organisation.objects.all(), permission, pk=organisation_id)
        if organisation_id
        else None
    )
    group = (
        access.get(request.user, PartnershipGroup.objects.all(), permission, pk=group_id)
        if group_id
        else None
    )
    ends_on = ends_on or timezone.localdate()
    starts_on = starts_on or ends_on - datetime.timedelta(days=364)
    if starts_on > ends_on:
        raise ServiceError("The end of the period must be after its start", field="ends_on")
    report = activity.for_user(
        request.user, organisation=organisation, group=group, starts_on=starts_on, ends_on=ends_on
    )
    return {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "small_number_threshold": settings.SMALL_NUMBER_THRESHOLD,
        "figures": [
            {"section": section, "measure": measure, "value": value}
            for section, measure, value in report.table()
        ],
    }


class RateOut(Schema):
    id: int
    organisation_id: int
    unit: str
    amount: Decimal
    effective_from: datetime.date


class ExpenseRuleOut(Schema):
    id: int
    organisation_id: int
    kind: str
    rate_per_mile: Decimal | None
    limit: Decimal | None
    receipt_required: bool
    effective_from: datetime.date


class PolicyOut(Schema):
    rates: list[RateOut]
    expense_rules: list[ExpenseRuleOut]


@router.get("/payment-policy", response={200: PolicyOut, **ERRORS})
def payment_policy(request: HttpRequest) -> dict[str, object]:
    """Every rate and expense rule, past, present and future, with the dates they take effect."""
    permission = Permission.MANAGE_CLAIMS
    if not access.has_permission(request.user, permission):
        raise PermissionDenied
    return {
        "rates": list(access.scoped(request.user, PaymentRate.objects.all(), permission)),
        "expense_rules": list(access.scoped(request.user, ExpenseRule.objects.all(), permission)),
    }


class BudgetOut(Schema):
    id: int
    organisation_id: int
    group_id: int | None
    name: str
    amount: Decimal
    starts_on: datetime.date
    ends_on: datetime.date
    spent: Decimal
    committed: Decimal
    forecast: Decimal
    left: Decimal


@router.get("/budgets", response={200: list[BudgetOut], **ERRORS})
def budgets(request: HttpRequest) -> list[dict[str, object]]:
    permission = Permission.MANAGE_PAYMENT_POLICY
    if not access.has_permission(request.user, permission):
        raise PermissionDenied
    found: list[dict[str, object]] = []
    for budget in access.scoped(request.user, Budget.objects.all(), permission):
        position = payments_report.position(budget)
        found.append(
            {
                "id": budget.pk,
                "organisation_id": budget.organisation_id,
                "group_id": budget.group_id,
                "name": budget.name,
                "amount": budget.amount,
                "starts_on": budget.starts_on,
                "ends_on": budget.ends_on,
                "spent": position.spent,
                "committed": position.committed,
                "forecast": position.forecast,
                "left": position.left,
            }
        )
    return found


class ItemOut(Schema):
    id: int
    title: str
    status: str
    when: datetime.datetime | None = None


class InvolvementOut(Schema):
    hours_this_year: Decimal
    hours_in_all: Decimal
    activities_attended: int
    claims_waiting: int
    paid_this_year: Decimal
    upcoming: list[ItemOut]
    interests: list[ItemOut]
    claims: list[ItemOut]


@router.get("/my-involvement", response={200: InvolvementOut, **ERRORS})
def my_involvement(request: HttpRequest) -> dict[str, object]:
    """The signed-in member's own involvement, as on their page."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    mine = for_member(person)
    return {
        "hours_this_year": mine.hours_this_year,
        "hours_in_all": mine.hours_in_all,
        "activities_attended": mine.activities_attended,
        "claims_waiting": mine.claims_waiting,
        "paid_this_year": mine.paid_this_year,
        "upcoming": [
            {
                "id": r.activity_id,
                "title": r.activity.title,
                "status": r.status,
                "when": r.activity.starts_at,
            }
            for r in mine.upcoming
        ],
        "interests": [
            {
                "id": i.opportunity_id,
                "title": i.opportunity.title,
                "status": i.status,
                "when": i.expressed_at,
            }
            for i in mine.interests
        ],
        "claims": [
            {"id": c.pk, "title": c.activity.title, "status": c.status, "when": c.submitted_at}
            for c in mine.claims
        ],
    }
