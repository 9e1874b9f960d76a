"""The annual involvement report: one organisation's year, ready for its board.

It puts together what the activity report and the impact dashboard already compute (activity,
people, spend, changes, hearing back, personal impact, self-assessment) with a short list of
published changes in the organisation's own words. The page and the PDF are drawn from the
same template, so the two never say different things.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from coproduce.activities.models import Activity
from coproduce.asks.models import Ask
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.impact import dashboard
from coproduce.impact.models import Response, SelfAssessment
from coproduce.organisations.models import Organisation
from coproduce.payments.models import Claim
from coproduce.reports import activity

HIGHLIGHTS = 8


@dataclass
class AnnualReport:
    organisation: Organisation
    activity: activity.ActivityReport
    impact: dashboard.Dashboard
    groups: int
    highlights: list[Ask]

    @property
    def starts_on(self) -> datetime.date:
        return self.impact.starts_on

    @property
    def ends_on(self) -> datetime.date:
        return self.impact.ends_on

    def table(self) -> list[tuple[str, str, str]]:
        return [
            ("Organisation", "Name", self.organisation.name),
            ("Groups", "Partnership groups", str(self.groups)),
            *self.activity.table(),
            *self.impact.table()[2:],  # the period is already in the activity lines
        ]


def build(
    organisation: Organisation,
    *,
    starts_on: datetime.date,
    ends_on: datetime.date,
    asks: "QuerySet[Ask]",
    responses: "QuerySet[Response]",
    assessments: "QuerySet[SelfAssessment]",
    activities: "QuerySet[Activity]",
    claims: "QuerySet[Claim]",
    memberships: "QuerySet[Membership]",
    groups: "QuerySet[PartnershipGroup]",
) -> AnnualReport:
    """The report from querysets already scoped by the access path and to `organisation`."""
    impact = dashboard.build(
        asks,
        responses,
        assessments.filter(assessed_on__lte=ends_on),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    report = activity.build(
        activities, claims, memberships, starts_on=impact.starts_on, ends_on=impact.ends_on
    )
    highlights = list(
        asks.filter(published_at__isnull=False)
        .filter(
            status__in=dashboard.CHANGED,
            took_effect_on__gte=impact.starts_on,
            took_effect_on__lte=impact.ends_on,
        )
        .select_related("service")
        .order_by("-took_effect_on", "-pk")[:HIGHLIGHTS]
    )
    return AnnualReport(
        organisation=organisation,
        activity=report,
        impact=impact,
        groups=groups.count(),
        highlights=highlights,
    )


def querysets(user: Any, organisation: Organisation) -> dict[str, "QuerySet[Any]"]:
    """What the report reads, through the access path, narrowed to one organisation."""
    view = Permission.VIEW_IMPACT
    report = Permission.VIEW_ACTIVITY_REPORT
    return {
        "asks": access.scoped(user, Ask.objects.all(), view).filter(organisation=organisation),
        "responses": access.scoped(user, Response.objects.all(), view).filter(
            version__questionnaire__organisation=organisation
        ),
        "assessments": access.scoped(user, SelfAssessment.objects.all(), view).filter(
            organisation=organisation
        ),
        "activities": access.scoped(user, Activity.objects.all(), report).filter(
            organisation=organisation
        ),
        "claims": access.scoped(user, Claim.objects.all(), report).filter(
            activity__organisation=organisation
        ),
        "memberships": access.scoped(user, Membership.objects.all(), report).filter(
            group__organisation=organisation
        ),
        "groups": access.scoped(user, PartnershipGroup.objects.all(), view).filter(
            organisation=organisation
        ),
    }
