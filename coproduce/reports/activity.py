"""The activity report: what involvement happened, who took part, what it cost, how fast we paid.

Everything is computed from querysets the view has already scoped to the reader's organisations,
with a handful of aggregate queries, so a national year (thousands of activities, tens of
thousands of attendance records) stays well under a second.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Min, QuerySet, Sum

from coproduce.activities.models import Activity, Area, Attendance, Ladder, Side, Technicality
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.numbers import hundredths
from coproduce.equality.models import EqualityResponse
from coproduce.equality.report import Cell, QuestionSummary, profile, suppress
from coproduce.groups.models import Membership, PartnershipGroup, current_membership
from coproduce.organisations.models import Organisation
from coproduce.payments.models import Claim
from coproduce.payments.report import Turnaround, turnaround


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    share: float  # of the chart's total, 0 to 1, for the bar's length

    @property
    def percent(self) -> int:
        return round(self.share * 100)


def rows(counts: dict[str, int], order: list[tuple[str, str]] | None = None) -> list[Row]:
    """Labelled counts with their shares, in the order given (or largest first)."""
    pairs = (
        [(label, counts.get(value, 0)) for value, label in order]
        if order is not None
        else sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    )
    total = sum(count for _, count in pairs) or 1
    return [Row(label, count, count / total) for label, count in pairs]


@dataclass
class ActivityReport:
    starts_on: datetime.date
    ends_on: datetime.date
    activities: int
    by_type: list[Row]
    by_ladder: list[Row]
    by_area: list[Row]
    by_technicality: list[Row]
    led_by_service_users: float
    initiated_by_service_users: float
    technical: float
    people: int
    new_people: int
    returning_people: int
    hours: Decimal
    spend: Decimal
    turnaround: Turnaround | None
    equality_involved: list[QuestionSummary] = field(default_factory=list)
    equality_members: list[QuestionSummary] = field(default_factory=list)
    threshold: int = 5

    # With only a few people in the report (one group on one day, say), their count, hours and
    # spend would describe individuals, so they are shown only as "fewer than N".
    @property
    def few_people(self) -> bool:
        return 0 < self.people < self.threshold

    def _few(self) -> str:
        return f"Fewer than {self.threshold} people: not shown"

    @property
    def people_text(self) -> str:
        return f"Fewer than {self.threshold}" if self.few_people else f"{self.people:,}"

    @property
    def hours_text(self) -> str:
        return self._few() if self.few_people else f"{self.hours:,.1f}"

    @property
    def spend_text(self) -> str:
        return self._few() if self.few_people else f"£{self.spend:,.2f}"

    @property
    def new_and_returning(self) -> tuple[str, str]:
        shown, _ = suppress(
            {"new": self.new_people, "returning": self.returning_people}, threshold=self.threshold
        )
        return tuple(  # type: ignore[return-value]
            f"Fewer than {self.threshold}" if shown[key] is None else f"{shown[key]:,}"
            for key in ("new", "returning")
        )

    def table(self) -> list[tuple[str, str, str]]:
        """Every figure as (section, measure, value): the CSV and XLSX downloads."""
        lines: list[tuple[str, str, str]] = [
            ("Period", "From", self.starts_on.isoformat()),
            ("Period", "To", self.ends_on.isoformat()),
            ("Activities", "Activities held", str(self.activities)),
            ("Activities", "Led by service users (%)", f"{self.led_by_service_users:.0%}"),
            (
                "Activities",
                "Initiated by service users (%)",
                f"{self.initiated_by_service_users:.0%}",
            ),
            ("Activities", "On technical subjects (%)", f"{self.technical:.0%}"),
            ("People", "People who took part", self.people_text),
            ("People", "Taking part for the first time", self.new_and_returning[0]),
            ("People", "Returning", self.new_and_returning[1]),
            ("People", "Hours given", self.hours_text),
            ("Money", "Spent on claims approved or paid", self.spend_text),
        ]
        if self.turnaround:
            lines += [
                ("Money", "Claims paid in the last 12 months", str(self.turnaround.count)),
                ("Money", "Median days from claim to payment", str(self.turnaround.median_days)),
                ("Money", "90% of claims paid within (days)", str(self.turnaround.p90_days)),
            ]
        for section, chart in (
            ("By type", self.by_type),
            ("By level on the ladder of engagement", self.by_ladder),
            ("By area influenced", self.by_area),
            ("By how technical", self.by_technicality),
        ):
            lines += [(section, row.label, str(row.count)) for row in chart]
        threshold = settings.SMALL_NUMBER_THRESHOLD
        for section, summaries in (
            ("Equality: people who took part", self.equality_involved),
            ("Equality: current group members", self.equality_members),
        ):
            for summary in summaries:
                lines += [
                    (section, f"{summary.question}: {cell.label}", cell.display(threshold))
                    for cell in summary.cells
                ]
        return lines


def whole_months(
    starts_on: datetime.date, ends_on: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The period widened to whole calendar months.

    Comparing two reports whose periods differ by a day would show what one day's few people
    did (or, through the equality profile, who they are); whole months make that much harder.
    """
    first = starts_on.replace(day=1)
    following = (ends_on.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def rounded(summaries: list[QuestionSummary], base: int = 5) -> list[QuestionSummary]:
    """Shown counts rounded to the nearest `base`, so that one person joining or leaving the
    period cannot be picked out by comparing two reports."""
    return [
        QuestionSummary(
            summary.question,
            [
                Cell(cell.label, None if cell.count is None else base * round(cell.count / base))
                for cell in summary.cells
            ],
            None if summary.answered is None else base * round(summary.answered / base),
        )
        for summary in summaries
    ]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def build(
    activities: "QuerySet[Activity]",
    claims: "QuerySet[Claim]",
    memberships: "QuerySet[Membership]",
    *,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> ActivityReport:
    """The report for held activities in the whole months spanning two dates, from scoped
    querysets."""
    starts_on, ends_on = whole_months(starts_on, ends_on)
    held = activities.filter(
        status=Activity.Status.HELD,
        starts_at__date__gte=starts_on,
        starts_at__date__lte=ends_on,
    )
    facts = list(
        held.values_list(
            "activity_type__name", "ladder_level", "areas", "technicality", "led_by", "initiated_by"
        )
    )
    total = len(facts)
    areas: Counter[str] = Counter()
    for _, _, activity_areas, *_ in facts:
        areas.update(value for value in activity_areas or [] if value in Area.values)

    attendance = Attendance.objects.filter(activity__in=held).taken_part()
    involved = attendance.values("person_id").distinct()
    people = involved.count()
    # Someone is new if their first attendance anywhere falls in the period.
    first_times = (
        Attendance.objects.filter(person_id__in=involved, attended=True)
        .values("person_id")
        .annotate(first=Min("activity__starts_at"))
        .filter(first__date__gte=starts_on)
        .count()
    )
    hours = attendance.hours()
    spend = hundredths(
        claims.filter(
            activity__in=held, status__in=[Claim.Status.APPROVED, Claim.Status.PAID]
        ).aggregate(total=Sum("total"))["total"]
    )
    threshold = settings.SMALL_NUMBER_THRESHOLD
    members = memberships.filter(current_membership()).values("person_id")
    return ActivityReport(
        starts_on=starts_on,
        ends_on=ends_on,
        activities=total,
        by_type=rows(Counter(fact[0] for fact in facts)),
        by_ladder=rows(Counter(fact[1] for fact in facts), list(Ladder.choices)),
        by_area=rows(dict(areas), list(Area.choices)),
        by_technicality=rows(Counter(fact[3] for fact in facts), list(Technicality.choices)),
        led_by_service_users=_share(sum(f[4] == Side.SERVICE_USER for f in facts), total),
        initiated_by_service_users=_share(sum(f[5] == Side.SERVICE_USER for f in facts), total),
        technical=_share(sum(f[3] == Technicality.TECHNICAL for f in facts), total),
        people=people,
        new_people=first_times,
        returning_people=people - first_times,
        hours=hours,
        spend=spend,
        turnaround=turnaround(claims.filter(activity__in=activities)),
        equality_involved=rounded(
            profile(EqualityResponse.objects.filter(person_id__in=involved), threshold=threshold)
        ),
        equality_members=rounded(
            profile(EqualityResponse.objects.filter(person_id__in=members), threshold=threshold)
        ),
        threshold=threshold,
    )


def for_user(
    user: Any,
    *,
    organisation: Organisation | None,
    group: PartnershipGroup | None,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> ActivityReport:
    """The report over what `user` may see, narrowed to an organisation or group if given."""
    permission = Permission.VIEW_ACTIVITY_REPORT
    activities = access.scoped(user, Activity.objects.all(), permission)
    claims = access.scoped(user, Claim.objects.all(), permission)
    memberships = access.scoped(user, Membership.objects.all(), permission)
    if organisation is not None:
        activities = activities.filter(organisation=organisation)
        claims = claims.filter(activity__organisation=organisation)
        memberships = memberships.filter(group__organisation=organisation)
    if group is not None:
        activities = activities.filter(group=group)
        claims = claims.filter(activity__group=group)
        memberships = memberships.filter(group=group)
    return build(activities, claims, memberships, starts_on=starts_on, ends_on=ends_on)
