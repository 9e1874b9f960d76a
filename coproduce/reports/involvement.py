"""A member's own involvement on one page: what they asked to join, what they did, what they
are owed, and what is coming up. Read-only, and only ever about the person asking."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from coproduce.activities.models import Activity, Attendance, Registration
from coproduce.core.numbers import hundredths
from coproduce.opportunities.models import Interest
from coproduce.payments.models import Claim
from coproduce.people.models import Person

RECENT = 10
WAITING = (Claim.Status.SUBMITTED, Claim.Status.QUERIED, Claim.Status.APPROVED)


@dataclass
class MemberInvolvement:
    hours_this_year: Decimal
    hours_in_all: Decimal
    activities_attended: int
    upcoming: list[Registration]
    interests: list[Interest]
    attended: list[Attendance]
    claims: list[Claim]
    claims_waiting: int
    paid_this_year: Decimal


def for_member(person: Person) -> MemberInvolvement:
    now = timezone.now()
    year_ago = now - datetime.timedelta(days=365)
    attendance = Attendance.objects.filter(person=person).taken_part()
    claims = Claim.objects.filter(person=person)
    return MemberInvolvement(
        hours_this_year=attendance.filter(activity__starts_at__gte=year_ago).hours(),
        hours_in_all=attendance.hours(),
        activities_attended=attendance.count(),
        upcoming=list(
            Registration.objects.filter(
                person=person,
                activity__starts_at__gte=now,
                activity__status=Activity.Status.PLANNED,
            )
            .exclude(status=Registration.Status.CANCELLED)
            .select_related("activity")
            .order_by("activity__starts_at")
        ),
        interests=list(
            Interest.objects.filter(person=person)
            .exclude(status=Interest.Status.WITHDRAWN)
            .select_related("opportunity")
            .order_by("-expressed_at")[:RECENT]
        ),
        attended=list(
            attendance.select_related("activity").order_by("-activity__starts_at")[:RECENT]
        ),
        claims=list(claims.select_related("activity").order_by("-submitted_at")[:RECENT]),
        claims_waiting=claims.filter(status__in=WAITING).count(),
        paid_this_year=hundredths(
            claims.filter(status=Claim.Status.PAID, paid_at__gte=year_ago).aggregate(
                total=Sum("total")
            )["total"]
        ),
    )
