"""A year of involvement for the demo and the national benchmark.

Group meetings at each group's cadence, one-off activities, opportunities with interest and
selection, attendance and hours, payment rates that changed during the year, and claims at
every stage of their life. Everything is made with bulk inserts so the national scale loads in
seconds. The shape follows what the sources report: most work is initiated and led by
professionals and sits on the lower rungs of the ladder, in everyday rather than technical
subjects.
"""

import datetime
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from coproduce.activities.models import (
    Activity,
    ActivityType,
    Area,
    Attendance,
    Decision,
    Ladder,
    Mode,
    Registration,
    Scope,
    Side,
    Technicality,
)
from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.opportunities.models import Interest, Opportunity
from coproduce.organisations.models import Organisation
from coproduce.payments.models import (
    BenefitsAdvice,
    Budget,
    Claim,
    ClaimEvent,
    ClaimLine,
    ExpenseRule,
    PaymentRate,
)
from coproduce.people.models import Availability, CancerType, Person, SupportNeed, Topic

MEETINGS_A_YEAR = {
    PartnershipGroup.Cadence.MONTHLY: 12,
    PartnershipGroup.Cadence.EVERY_TWO_MONTHS: 6,
    PartnershipGroup.Cadence.QUARTERLY: 4,
    PartnershipGroup.Cadence.TWICE_A_YEAR: 2,
    PartnershipGroup.Cadence.AS_NEEDED: 3,
}

ONE_OFF_TITLES = [
    (
        "Review the new bowel screening invitation letter",
        "Reviewing or writing patient information",
    ),
    ("Focus group on waiting for test results", "Focus group or interview"),
    ("Walk-through of the new chemotherapy day unit", "Visit or assessment of a care environment"),
    ("Interview panel for a lead cancer nurse", "Recruitment or interview panel"),
    ("Tell your story at the nurses' study day", "Teaching staff from lived experience"),
    ("Co-design the prehabilitation programme", "Co-design event or group"),
    ("Comment on a research protocol for fatigue support", "Research involvement"),
    ("Survey of people who travel far for radiotherapy", "Survey"),
    (
        "Join the alliance board as a patient representative",
        "Representing patients on a board or committee",
    ),
    ("Help plan the awareness campaign for lung health checks", "Communication project"),
]

PAYMENT_RATES = [  # unit, amount before, amount after the mid-year rise
    (PaymentRate.Unit.HOUR, Decimal("25.00"), Decimal("27.50")),
    (PaymentRate.Unit.HALF_DAY, Decimal("75.00"), Decimal("82.50")),
    (PaymentRate.Unit.DAY, Decimal("150.00"), Decimal("165.00")),
    (PaymentRate.Unit.MEETING, Decimal("40.00"), Decimal("44.00")),
]
EXPENSE_RULES = [  # kind, rate per mile, limit, receipt required
    (ExpenseRule.Kind.TRAVEL, None, Decimal("60.00"), True),
    (ExpenseRule.Kind.MILEAGE, Decimal("0.45"), Decimal("80.00"), False),
    (ExpenseRule.Kind.CARER_COVER, None, Decimal("100.00"), True),
    (ExpenseRule.Kind.SUBSISTENCE, None, Decimal("10.00"), True),
]


@dataclass(frozen=True)
class InvolvementScale:
    one_off_activities_per_organisation: int
    opportunities_per_organisation: int
    largest_meeting: int
    asks_per_organisation: int
    # The periodic questionnaires go out this many times in the year (every few months).
    questionnaire_rounds: int = 3
    # About how many questionnaire responses an organisation gets in a year. Where everyone
    # asked would give more, only a share of its people are asked (those with a sign-in).
    responses_per_organisation: int = 250


DEMO_INVOLVEMENT = InvolvementScale(12, 8, 18, 30, questionnaire_rounds=3)
# 21 alliances x 2,400 asks: the 50,000 asks (and their histories) the impact bars are set at,
# and about 1,000 questionnaire responses each (21,000 in the year).
NATIONAL_INVOLVEMENT = InvolvementScale(
    60, 40, 25, 2400, questionnaire_rounds=3, responses_per_organisation=1000
)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def populate_involvement(
    rng: random.Random,
    scale: InvolvementScale,
    organisations: list[Organisation],
    groups: list[PartnershipGroup],
    people: list[Person],
    memberships: list[Membership],
    today: datetime.date,
) -> dict[str, int]:
    year_ago = today - datetime.timedelta(days=365)
    rise_on = today - datetime.timedelta(days=150)
    types = {t.name: t for t in ActivityType.objects.all()}
    meeting_type = types["Partnership group meeting"]
    involved_kinds = {Person.Kind.PATIENT, Person.Kind.CARER, Person.Kind.PUBLIC}
    by_organisation: dict[int, list[Person]] = {}
    for person in people:
        if person.kind in involved_kinds:
            by_organisation.setdefault(person.organisation_id, []).append(person)
    for person in people:
        person.availability = rng.sample(Availability.values, rng.randint(0, 2))
    Person.objects.bulk_update(people, ["availability"], batch_size=2000)

    _policies(organisations, year_ago, rise_on)
    Budget.objects.bulk_create(
        [
            Budget(
                organisation=organisation,
                name=f"{organisation.name} involvement budget",
                amount=Decimal(rng.choice([30000, 45000, 60000])),
                starts_on=year_ago,
                ends_on=year_ago + datetime.timedelta(days=364 + 180),
            )
            for organisation in organisations
        ]
        + [
            Budget(
                organisation_id=group.organisation_id,
                group=group,
                name=f"{group.name} budget",
                amount=Decimal(rng.choice([3000, 5000, 8000])),
                starts_on=year_ago,
                ends_on=year_ago + datetime.timedelta(days=364 + 180),
            )
            for group in groups
        ]
    )

    # Opportunities, with those who expressed interest and the lead's decisions.
    opportunities: list[Opportunity] = []
    for organisation in organisations:
        for _ in range(scale.opportunities_per_organisation):
            title, type_name = rng.choice(ONE_OFF_TITLES)
            closes = today + datetime.timedelta(days=rng.randint(-330, 40))
            status = (
                Opportunity.Status.PUBLISHED
                if closes >= today
                else rng.choice([Opportunity.Status.CLOSED] * 9 + [Opportunity.Status.WITHDRAWN])
            )
            if closes >= today and rng.random() < 0.2:
                status = Opportunity.Status.SUBMITTED
            opportunities.append(
                Opportunity(
                    **_details(rng, organisation, title, types[type_name]),
                    status=status,
                    why="People who use the service know where it falls short; we want to hear it before we change it.",
                    time_commitment=rng.choice(
                        ["One two-hour session", "Half a day", "Two hours a month for six months"]
                    ),
                    hours=Decimal(rng.choice([2, 3, 4, 12])),
                    timing=rng.sample(Availability.values, rng.randint(1, 2)),
                    closes_on=closes,
                    starts_on=closes + datetime.timedelta(days=14),
                    who_wanted="People with recent experience of this part of the cancer pathway, and carers.",
                    places=rng.choice([4, 6, 8, 12]),
                    published_at=_at(closes - datetime.timedelta(days=30), 9)
                    if status != Opportunity.Status.SUBMITTED
                    else None,
                )
            )
    opportunities = Opportunity.objects.bulk_create(opportunities, batch_size=2000)
    cancer_types = list(CancerType.objects.all())
    topics = list(Topic.objects.all())
    needs = list(SupportNeed.objects.all())
    links: list[tuple[Any, str, list[Any], int, int]] = [
        (Opportunity.cancer_types.through, "cancertype_id", cancer_types, 0, 2),
        (Opportunity.topics.through, "topic_id", topics, 1, 2),
        (Opportunity.support_offered.through, "supportneed_id", needs, 1, 4),
    ]
    for through, column, choices, fewest, most in links:
        through.objects.bulk_create(
            [
                through(opportunity_id=opportunity.pk, **{column: choice.pk})
                for opportunity in opportunities
                for choice in rng.sample(choices, rng.randint(fewest, most))
            ]
        )

    interests: list[Interest] = []
    selected: dict[int, list[Person]] = {}
    for opportunity in opportunities:
        if opportunity.status == Opportunity.Status.SUBMITTED:
            continue
        pool = by_organisation[opportunity.organisation_id]
        for person in rng.sample(pool, min(len(pool), rng.randint(2, 14))):
            decided = opportunity.status == Opportunity.Status.CLOSED
            chosen = decided and len(selected.get(opportunity.pk, [])) < (opportunity.places or 6)
            if chosen:
                selected.setdefault(opportunity.pk, []).append(person)
            interests.append(
                Interest(
                    opportunity=opportunity,
                    person=person,
                    status=(
                        Interest.Status.SELECTED
                        if chosen
                        else Interest.Status.NOT_SELECTED
                        if decided
                        else Interest.Status.EXPRESSED
                    ),
                    note=rng.choice(["", "", "I can only come in the mornings."]),
                    decided_at=_at(opportunity.closes_on, 12) if decided else None,
                )
            )
    interests = Interest.objects.bulk_create(interests, batch_size=5000)
    # expressed_at is set to now on insert: put each offer in the weeks before the closing date.
    for interest in interests:
        days_before = datetime.timedelta(days=rng.randint(1, 25))
        offered = _at(interest.opportunity.closes_on - days_before, 11)
        interest.expressed_at = min(offered, timezone.now() - days_before / 25)
    Interest.objects.bulk_update(interests, ["expressed_at"], batch_size=5000)

    # Group meetings through the year at each group's cadence, with two still to come.
    activities: list[Activity] = []
    attendees: list[list[Person]] = []
    current_members: dict[int, list[tuple[Person, Membership]]] = {}
    person_by_id = {person.pk: person for person in people}
    for membership in memberships:
        current_members.setdefault(membership.group_id, []).append(
            (person_by_id[membership.person_id], membership)
        )
    for group in groups:
        count = MEETINGS_A_YEAR[PartnershipGroup.Cadence(group.cadence)]
        series = uuid.uuid4()
        step = 365 // count
        for index in range(count + 2):
            day = year_ago + datetime.timedelta(days=step * index + rng.randint(0, 6))
            starts = _at(day, rng.choice([10, 14, 18]))
            held = day < today
            members = [
                person
                for person, membership in current_members.get(group.pk, [])
                if membership.started_on <= day
                and (membership.ended_on is None or membership.ended_on > day)
            ]
            came = rng.sample(members, min(len(members), rng.randint(6, scale.largest_meeting)))
            activities.append(
                Activity(
                    **_details(
                        rng, group.organisation, f"{group.name}: {day:%B %Y} meeting", meeting_type
                    ),
                    kind=Activity.Kind.MEETING,
                    group=group,
                    series=series,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    agenda="1. Welcome and apologies\n2. Updates from the alliance\n3. Main item\n4. Any other business",
                    status=Activity.Status.HELD if held else Activity.Status.PLANNED,
                    closed_at=starts + datetime.timedelta(days=2) if held else None,
                    minutes="Members discussed the main item and agreed the actions below."
                    if held
                    else "",
                )
            )
            attendees.append(came)

    # One-off activities, most of them coming from an opportunity's selected people.
    closed = [o for o in opportunities if o.pk in selected]
    for organisation in organisations:
        mine = [o for o in closed if o.organisation_id == organisation.pk]
        for index in range(scale.one_off_activities_per_organisation):
            source = mine[index] if index < len(mine) else None
            day = (
                source.starts_on
                if source and source.starts_on
                else year_ago + datetime.timedelta(days=rng.randint(0, 400))
            )
            title, type_name = rng.choice(ONE_OFF_TITLES)
            pool = by_organisation[organisation.pk]
            came = (
                selected[source.pk]
                if source
                else rng.sample(pool, min(len(pool), rng.randint(3, 10)))
            )
            starts = _at(day, rng.choice([10, 13]))
            activity = Activity(
                **_details(rng, organisation, source.title if source else title, None),
                kind=Activity.Kind.ACTIVITY,
                opportunity=source,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=rng.choice([2, 3, 4, 6])),
                capacity=rng.choice([None, 8, 12]),
                status=Activity.Status.HELD if day < today else Activity.Status.PLANNED,
            )
            if source:
                for field in ("activity_type", "ladder_level", "areas", "initiated_by", "led_by"):
                    setattr(activity, field, getattr(source, field))
            else:
                activity.activity_type = types[type_name]
            activities.append(activity)
            attendees.append(came)
    activities = Activity.objects.bulk_create(activities, batch_size=2000)

    registrations: list[Registration] = []
    attendance: list[Attendance] = []
    decisions: list[Decision] = []
    for activity, came in zip(activities, attendees, strict=True):
        for person in came:
            registrations.append(Registration(activity=activity, person=person))
            if activity.status == Activity.Status.HELD and rng.random() < 0.85:
                attendance.append(
                    Attendance(activity=activity, person=person, hours=activity.hours)
                )
        if activity.status == Activity.Status.HELD and activity.kind == Activity.Kind.MEETING:
            decisions.append(
                Decision(
                    activity=activity,
                    text=rng.choice(
                        [
                            "Agreed to ask the trust to publish waiting times in plain English.",
                            "Signed off the revised leaflet on what happens after a referral.",
                            "Asked for a carer on the interview panel for the new service lead.",
                        ]
                    ),
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=5000)
    attendance = Attendance.objects.bulk_create(attendance, batch_size=5000)
    Decision.objects.bulk_create(decisions, batch_size=5000)

    claims = _claims(rng, attendance, {a.pk: a for a in activities}, today, rise_on)
    return {
        "opportunities": len(opportunities),
        "interests": len(interests),
        "activities": len(activities),
        "attendance": len(attendance),
        "claims": claims,
    }


def _details(
    rng: random.Random, organisation: Organisation, title: str, activity_type: ActivityType | None
) -> dict[str, object]:
    details: dict[str, object] = {
        "organisation": organisation,
        "title": title[:200],
        "description": "A chance to shape how the service works, alongside the staff who run it.",
        "ladder_level": rng.choices(Ladder.values, weights=[0, 2, 14, 30, 22, 20, 12])[0],
        "areas": rng.sample(Area.values, rng.randint(1, 2)),
        "scope": rng.choices(Scope.values, weights=[70, 25, 5])[0],
        "initiated_by": rng.choices(Side.values, weights=[80, 20])[0],
        "led_by": rng.choices(Side.values, weights=[85, 15])[0],
        "technicality": rng.choices(Technicality.values, weights=[60, 30, 10])[0],
        "mode": rng.choice(Mode.values),
        "place": rng.choice(["", "Seminar room 2, the cancer centre", "Online (Teams)"]),
        "payment_offered": "Involvement payment at our hourly rate, plus travel",
    }
    if activity_type is not None:
        details["activity_type"] = activity_type
    return details


def _policies(
    organisations: list[Organisation], year_ago: datetime.date, rise_on: datetime.date
) -> None:
    rates = []
    for organisation in organisations:
        for unit, before, after in PAYMENT_RATES:
            rates.append(
                PaymentRate(
                    organisation=organisation,
                    unit=unit,
                    amount=before,
                    effective_from=year_ago - datetime.timedelta(days=200),
                )
            )
            rates.append(
                PaymentRate(
                    organisation=organisation, unit=unit, amount=after, effective_from=rise_on
                )
            )
    PaymentRate.objects.bulk_create(rates)
    ExpenseRule.objects.bulk_create(
        [
            ExpenseRule(
                organisation=organisation,
                kind=kind,
                rate_per_mile=per_mile,
                limit=limit,
                receipt_required=receipt,
                effective_from=year_ago - datetime.timedelta(days=200),
            )
            for organisation in organisations
            for kind, per_mile, limit, receipt in EXPENSE_RULES
        ]
    )


def _claims(
    rng: random.Random,
    attendance: list[Attendance],
    activities: dict[int, Activity],
    today: datetime.date,
    rise_on: datetime.date,
) -> int:
    """Claims for most attendance, priced at the hourly rate in force on the activity's day."""
    claims: list[Claim] = []
    lines: list[tuple[int, list[ClaimLine]]] = []
    events: list[tuple[int, list[tuple[str, datetime.datetime]]]] = []
    advised: set[int] = set()
    for record in attendance:
        if rng.random() > 0.6:
            continue
        activity = activities[record.activity_id]
        day = timezone.localdate(activity.starts_at)
        submitted = activity.ends_at + datetime.timedelta(days=rng.randint(1, 14))
        if submitted.date() >= today:
            continue
        rate = Decimal("27.50") if day >= rise_on else Decimal("25.00")
        claim_lines = [
            ClaimLine(
                kind=ClaimLine.PAYMENT,
                description="Involvement payment by the hour",
                quantity=record.hours,
                unit_amount=rate,
                amount=(record.hours * rate).quantize(Decimal("0.01")),
            )
        ]
        if rng.random() < 0.5:
            miles = Decimal(rng.randint(4, 60))
            claim_lines.append(
                ClaimLine(
                    kind=ExpenseRule.Kind.MILEAGE,
                    description="Return journey",
                    quantity=miles,
                    unit_amount=Decimal("0.45"),
                    amount=min((miles * Decimal("0.45")).quantize(Decimal("0.01")), Decimal(80)),
                )
            )
        age = (today - submitted.date()).days
        paid_after = datetime.timedelta(days=rng.randint(8, 45))
        history: list[tuple[str, datetime.datetime]] = [(Claim.Status.SUBMITTED, submitted)]
        if rng.random() < 0.05:
            status = Claim.Status.REJECTED
            history.append((status, submitted + datetime.timedelta(days=5)))
        elif age > paid_after.days:
            status = Claim.Status.PAID
            history.append((Claim.Status.APPROVED, submitted + paid_after / 2))
            history.append((status, submitted + paid_after))
        elif age > 7:
            status = Claim.Status.APPROVED
            history.append((status, submitted + datetime.timedelta(days=7)))
        else:
            status = Claim.Status.SUBMITTED
        claims.append(
            Claim(
                person_id=record.person_id,
                activity_id=record.activity_id,
                status=status,
                total=sum((line.amount for line in claim_lines), Decimal(0)),
                submitted_at=submitted,
                paid_at=history[-1][1] if status == Claim.Status.PAID else None,
            )
        )
        lines.append((len(claims) - 1, claim_lines))
        events.append((len(claims) - 1, history))
        advised.add(record.person_id)
    claims = Claim.objects.bulk_create(claims, batch_size=5000)
    all_lines = []
    for index, claim_lines in lines:
        for line in claim_lines:
            line.claim = claims[index]
            all_lines.append(line)
    ClaimLine.objects.bulk_create(all_lines, batch_size=5000)
    all_events = [
        ClaimEvent(claim=claims[index], status=status)
        for index, history in events
        for status, _ in history
    ]
    ClaimEvent.objects.bulk_create(all_events, batch_size=5000)
    # occurred_at is set on insert; put each event back on the day it happened.
    moments = [moment for _, history in events for _, moment in history]
    for event, moment in zip(all_events, moments, strict=True):
        event.occurred_at = moment
    ClaimEvent.objects.bulk_update(all_events, ["occurred_at"], batch_size=5000)
    BenefitsAdvice.objects.bulk_create(
        [BenefitsAdvice(person_id=person_id) for person_id in sorted(advised)]
    )
    return len(claims)
