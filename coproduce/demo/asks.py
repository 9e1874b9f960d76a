"""A year of asks for the demo and the national-scale benchmark: raised at meetings, answered
over the following weeks, most changing something small, some strategic, some not possible.

Written in bulk (no services), with the dates each step would have had, so the timelines, the
hearing-back measures and the impact figures read like a real year. The mix follows what the
studies behind Coproduce found: grass-roots changes far outnumber strategic ones.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from coproduce.activities.models import Activity, Attendance, Registration, Scope
from coproduce.asks.models import Ask, AskUpdate, Contribution, Service, Status
from coproduce.organisations.models import Organisation
from coproduce.people.models import PathwayStage, Person


@dataclass(frozen=True)
class Story:
    title: str
    said: str
    service: str
    domain: str
    changed: str
    not_possible: str


STORIES = [
    Story(
        "Clinic letters in larger print",
        "Several members said appointment letters use small grey type that is hard to read, "
        "especially during chemotherapy when eyesight can change.",
        "Outpatient clinics",
        "patient_information",
        "Letters now use 14 point black type, and a large-print version can be asked for.",
        "The letters come from a national system the trust cannot change; we have passed the "
        "request to the supplier.",
    ),
    Story(
        "A quiet room for difficult conversations",
        "People were given results in a corridor bay with others listening.",
        "Diagnostic tests and imaging",
        "care_environment",
        "A side room in the diagnostic unit is now kept free for results conversations.",
        "There is no spare room in the unit until the rebuild in two years' time.",
    ),
    Story(
        "Evening blood tests before treatment",
        "Blood tests before each cycle are only offered in working hours, which means time off "
        "work every three weeks.",
        "Chemotherapy and systemic treatment",
        "access",
        "A Thursday evening blood clinic opened at the community hospital.",
        "The laboratory cannot process samples in the evening without extra staff.",
    ),
    Story(
        "One named contact after diagnosis",
        "Patients did not know whom to call between appointments and rang several numbers.",
        "Clinical nurse specialists",
        "care_process",
        "Every new patient is now given a named key worker and one number to call.",
        "",
    ),
    Story(
        "Parking charges for people on treatment",
        "Daily radiotherapy means weeks of parking charges that add up to hundreds of pounds.",
        "Transport and parking",
        "access",
        "Free parking permits are now given to everyone on a course of radiotherapy.",
        "Parking is run by a private contractor whose contract runs to 2028; free permits will "
        "be part of the next contract.",
    ),
    Story(
        "Plain-English leaflet on what happens after a referral",
        "The urgent referral leaflet uses words like 'two-week wait pathway' that frighten "
        "people and explain little.",
        "GP referral and urgent suspected cancer appointments",
        "patient_information",
        "The leaflet was rewritten with the group and is now given by every GP practice.",
        "",
    ),
    Story(
        "Patients on the interview panel for the new service lead",
        "The group asked to have a say in who leads the new rapid diagnostic service.",
        "Diagnostic tests and imaging",
        "policy",
        "Two members sat on the interview panel and patient involvement is now in the "
        "recruitment policy for senior roles.",
        "The appointment was made before the request arrived; the policy is being reviewed.",
    ),
    Story(
        "Psychological support commissioned for the whole alliance",
        "Only one of four trusts offers a psychologist; people elsewhere wait months for "
        "general services.",
        "Psychological support",
        "commissioning",
        "The integrated care board funded a psychologist in each trust from April.",
        "There is no funding in this year's plan; it has been put forward for next year.",
    ),
    Story(
        "Staff training on talking about prognosis",
        "Members described being told about their prognosis bluntly and without time for "
        "questions.",
        "Outpatient clinics",
        "training",
        "A communication skills session, co-delivered by two members, is now part of induction.",
        "",
    ),
    Story(
        "Carers welcome on the ward outside visiting hours",
        "Carers of people with complex needs were turned away outside visiting times.",
        "Inpatient wards",
        "staff_attitudes",
        "Carers' passports now let named carers visit at any time.",
        "",
    ),
    Story(
        "Wheelchairs available at the main entrance",
        "There are often no wheelchairs at the entrance at weekends.",
        "Transport and parking",
        "care_environment",
        "Twelve more wheelchairs were bought and a volunteer checks them each morning.",
        "",
    ),
    Story(
        "Patients involved in choosing trial priorities",
        "The group asked to help decide which clinical trials the unit opens next.",
        "Research and clinical trials",
        "research",
        "Two members now sit on the research prioritisation group.",
        "Trial choices are set by the national network; we have shared the request with them.",
    ),
]
# Most asks end in a change, some are not possible, and the youngest are still open.
OUTCOMES = [Status.CHANGED] * 11 + [Status.NOT_POSSIBLE] * 4
STEPS = [Status.UNDER_CONSIDERATION, Status.ACCEPTED, Status.IN_PROGRESS]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def populate_asks(
    rng: random.Random,
    organisations: list[Organisation],
    people: list[Person],
    today: datetime.date,
    per_organisation: int,
) -> int:
    services = {service.name: service for service in Service.objects.all()}
    stages = list(PathwayStage.objects.all())
    staff: dict[int, list[Person]] = {}
    for person in people:
        if person.kind == Person.Kind.STAFF:
            staff.setdefault(person.organisation_id, []).append(person)
    meetings = list(
        Activity.objects.filter(
            organisation__in=organisations,
            status=Activity.Status.HELD,
            kind=Activity.Kind.MEETING,
        ).only("pk", "organisation_id", "group_id", "starts_at")
    )
    by_organisation: dict[int, list[Activity]] = {}
    for meeting in meetings:
        by_organisation.setdefault(meeting.organisation_id, []).append(meeting)
    came: dict[int, list[int]] = {}
    for activity_id, person_id in Registration.objects.filter(
        activity__in=[meeting.pk for meeting in meetings]
    ).values_list("activity_id", "person_id"):
        came.setdefault(activity_id, []).append(person_id)
    # The most involved people raise the most: they are the ones at every meeting.
    keen = Counter(
        Attendance.objects.filter(activity__in=[m.pk for m in meetings]).values_list(
            "person_id", flat=True
        )
    )

    asks: list[Ask] = []
    plans: list[tuple[list[tuple[str, datetime.datetime, str]], list[int], int]] = []
    for organisation in organisations:
        sources = by_organisation.get(organisation.pk, [])
        owners = staff.get(organisation.pk, [])
        if not sources or not owners:
            continue
        for _ in range(per_organisation):
            meeting = rng.choice(sources)
            story = rng.choice(STORIES)
            attendees = came.get(meeting.pk) or []
            contributors = rng.sample(attendees, min(len(attendees), rng.randint(1, 5)))
            if attendees and rng.random() < 0.5:
                favourite = max(attendees, key=lambda pk: keen[pk])
                contributors = [favourite, *(pk for pk in contributors if pk != favourite)]
            raised_at = meeting.starts_at + datetime.timedelta(hours=2)
            history, final = _history(rng, story, raised_at, today)
            ask = Ask(
                organisation=organisation,
                group_id=meeting.group_id,
                title=story.title,
                what_was_said=story.said,
                raised_by_id=contributors[0] if contributors else None,
                raised_at=raised_at,
                service=services.get(story.service),
                pathway_stage=rng.choice(stages) if rng.random() < 0.5 else None,
                owner=rng.choice(owners),
                status=final,
                progress=_progress(rng, final),
                answered_at=history[1][1] if len(history) > 1 else None,
            )
            ends_well = Status.CHANGED in (step for step, _, _ in history)
            if ends_well:
                ask.outcome, ask.domain = story.changed, story.domain
                ask.scope = rng.choice([Scope.LOCAL] * 6 + [Scope.REGIONAL] * 3 + [Scope.NATIONAL])
                ask.took_effect_on = next(
                    when for step, when, _ in history if step == Status.CHANGED
                ).date()
                ask.progress = 100
            elif Status.NOT_POSSIBLE in (step for step, _, _ in history):
                ask.outcome = story.not_possible or "It is outside what the trust can change."
            if final in (Status.CHANGED, Status.NOT_POSSIBLE, Status.CLOSED):
                ask.published_at = history[-1][1] if rng.random() < 0.7 else None
            asks.append(ask)
            plans.append((history, contributors, meeting.pk))
    asks = Ask.objects.bulk_create(asks, batch_size=2000)

    updates, contributions, links = [], [], []
    for ask, (history, contributors, meeting_id) in zip(asks, plans, strict=True):
        for status, when, note in history:
            updates.append(
                AskUpdate(
                    ask=ask,
                    status=status,
                    note=note,
                    progress=ask.progress if status == ask.status else 0,
                    moved_at=when,
                    moved_by_label="Demo history",
                )
            )
        contributions += [
            Contribution(
                ask=ask,
                person_id=person_id,
                raised_it=index == 0,
                added_at=ask.raised_at,
                told_status=ask.status,
                told_at=history[-1][1],
            )
            for index, person_id in enumerate(contributors)
        ]
        links.append(Ask.activities.through(ask_id=ask.pk, activity_id=meeting_id))
    AskUpdate.objects.bulk_create(updates, batch_size=5000)
    Contribution.objects.bulk_create(contributions, batch_size=5000)
    Ask.activities.through.objects.bulk_create(links, batch_size=5000)
    return len(asks)


def _progress(rng: random.Random, status: str) -> int:
    if status in (Status.RAISED, Status.UNDER_CONSIDERATION):
        return 0
    if status == Status.ACCEPTED:
        return 10
    return rng.choice([25, 50, 75]) if status == Status.IN_PROGRESS else 100


def _history(
    rng: random.Random, story: Story, raised_at: datetime.datetime, today: datetime.date
) -> tuple[list[tuple[str, datetime.datetime, str]], str]:
    """The dated steps an ask took up to today, and where it stands now."""
    outcome = rng.choice(OUTCOMES) if story.not_possible else Status.CHANGED
    plan = (
        [Status.UNDER_CONSIDERATION, Status.NOT_POSSIBLE]
        if outcome == Status.NOT_POSSIBLE
        else [*STEPS, Status.CHANGED]
    )
    if rng.random() < 0.3:
        plan.append(Status.CLOSED)
    history = [(Status.RAISED.value, raised_at, "Raised at the meeting")]
    when = raised_at
    notes = {
        Status.UNDER_CONSIDERATION: "Taken to the service's management meeting.",
        Status.ACCEPTED: "Agreed by the service; work will start this quarter.",
        Status.IN_PROGRESS: "Work has started with two members of the group.",
        Status.CHANGED: story.changed,
        Status.NOT_POSSIBLE: story.not_possible,
        Status.CLOSED: "Closed after checking the change has stuck.",
    }
    now = _at(today, 9)
    for status in plan:
        when = when + datetime.timedelta(days=rng.randint(5, 45))
        if when >= now:
            break
        history.append((status.value, when, notes[status]))
    return history, history[-1][0]
