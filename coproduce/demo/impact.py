"""A year of questionnaires and eighteen months of self-assessment, for the demo and the
national-scale benchmark.

Every organisation gets its three default questionnaires (`services.ensure_defaults`). Group
members are asked every few months, people who took part in a one-off activity are asked a day
after it, and staff who took part in the year are asked with the members. Most people answer;
some never do, and the latest round is still coming in, so some invitations are waiting (always
one for each demo member who can sign in). Answers lean positive, as they do in practice, while
the questions about what involvement costs people are more divided.

Each group looks at itself three times over about eighteen months, and each organisation once
as a whole; the ratings mostly improve. Rows are bulk-inserted, bypassing the services, as the
rest of the demo is: this is seed data, not anyone's action.
"""

import datetime
import random
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from coproduce.activities.models import Activity, Attendance
from coproduce.demo.involvement import InvolvementScale
from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.impact import services
from coproduce.impact.defaults import CUBE
from coproduce.impact.models import (
    Answer,
    Invitation,
    Question,
    Questionnaire,
    Response,
    SelfAssessment,
    Standard,
    StandardRating,
    Theme,
    Version,
)
from coproduce.organisations.models import Organisation
from coproduce.people.models import Person

# The latest round of the periodic questionnaires went out this many days ago; earlier rounds
# follow every `services.ask_every()` before it.
LATEST_ROUND_DAYS_AGO = 20
# How likely each person is to answer: a few answer everything, a few never do.
KEENNESS = (0.95, 0.9, 0.8, 0.7, 0.6, 0.4, 0.15)
ANSWER_WITHIN_DAYS = 21
CUBE_NAMES = tuple(name for name, *_ in CUBE)
FREE_TEXT_ANSWERED = 0.45

# The middle of the answers to each statement, before the organisation's and the person's own
# lean. Statements where agreeing is good sit high; the costs of taking part sit lower and are
# more spread out.
AGREEMENT = {
    "had-what-needed": 3.7,
    "will-make-difference": 3.7,
    "heard-back": 3.4,
    "changed-decisions": 3.5,
    "resourced": 3.2,
    "acts-on-it": 3.5,
    "partners": 3.4,
}
DEFAULT_AGREEMENT = 4.0
CHALLENGE = {
    "left-worse-off": 2.6,
    "hard-to-share": 2.8,
    "too-much": 3.0,
    "role-unclear": 2.3,
    "slows-down": 2.1,
}
DEFAULT_CHALLENGE = 2.6
CHOICE_WEIGHTS = {
    "again": (70, 22, 8),
    "main-reason": (36, 20, 25, 12, 7),
    "why-staff": (57, 24, 12, 7),
}

# Free-text answers, in the respondents' voice. A few answers join two of these.
FREE_TEXT = {
    # After a one-off activity: what would have made taking part better?
    "better": [
        "Getting the papers a week before, not the night before. I read slowly since my treatment.",
        "A parking permit. The car park cost me nearly twenty pounds for a two-hour session.",
        "Knowing what happens next. We gave a lot of ideas and I would like to hear which ones "
        "were used.",
        "A proper break halfway through. I was worn out by the end.",
        "More people like me in the room. I was the only carer there and felt outnumbered by "
        "staff.",
        "Nothing really. It was well run and the staff made us feel welcome.",
        "Being paid sooner. Waiting weeks for the claim to go through is hard when money is tight.",
        "A quieter room. I struggled to hear over the air conditioning.",
        "Being able to join online. The journey took over an hour each way on two buses.",
        "Someone explaining the abbreviations at the start. Half of them went over my head.",
        "Fewer slides and more time for us to talk.",
        "A chance to meet the others beforehand so I did not walk in cold.",
        "An afternoon start. Mornings are difficult with the tablets I take.",
        "Being told honestly which parts of the service cannot change, so we do not spend time "
        "on them.",
        "Step-free access. The lift was out of order and nobody had told us.",
        "Something to eat. It ran over lunchtime and there were only biscuits.",
        "I would have liked to see the finished leaflet, to know our comments made it in.",
    ],
    # Group members: what has changed for you since you joined?
    "what-changed-for-you": [
        "I feel less alone. Meeting people who have been through the same has helped more "
        "than I expected.",
        "I am more confident speaking up, in the group and at my own appointments.",
        "I understand how decisions are made at the hospital now, and who to ask.",
        "It gives me a reason to get out of the house after a very hard year.",
        "I have learned a lot about how the cancer pathway works behind the scenes.",
        "Something good is coming out of what happened to me, and that matters.",
        "I have made friends. A few of us go for a coffee after the meetings.",
        "Not much yet. I am still finding my feet.",
        "I feel listened to, which I did not always during my treatment.",
        "Seeing the new leaflet in clinic with our changes in it made me proud.",
        "I know more about the support on offer and have passed it on to others.",
        "I have got back some of the confidence I lost when I had to stop work.",
        "My wife and I both come now, and it has helped us talk about things at home.",
        "I am better at reading reports and asking awkward questions.",
        "I did not expect staff to want to hear from us, but they do.",
    ],
    # Group members: what would make being in the group better?
    "make-better": [
        "Hearing back after meetings about what happened to our suggestions.",
        "Papers sent out earlier, and in plain English.",
        "Some meetings outside working hours. I have gone back to work.",
        "Help with travel costs up front. Claiming afterwards is a struggle.",
        "Shorter meetings. Two hours is a long time when treatment has left you tired.",
        "More variety in who comes. We are mostly retired and we all look much the same.",
        "Staff staying for the whole meeting instead of dipping in and out.",
        "A proper welcome for new members so they know what is expected.",
        "Being able to join by phone on days when I am not up to travelling.",
        "Less going over old ground. The same topics come round every few months.",
        "Knowing who makes the final decision on what we recommend.",
        "A bit of time at the start just to catch up with each other.",
        "A clear explanation of whether the payments affect my benefits.",
        "Bigger print on the papers and the slides.",
        "Being told when something we asked for cannot happen, and why.",
    ],
    # Staff: one thing involvement changed in your work this year.
    "one-change": [
        "We rewrote our clinic letters after members told us they were confusing.",
        "Results are no longer given in the corridor bay; we use a side room.",
        "I now ask a patient to read any new information before it goes out.",
        "Patients chose the questions for our service survey.",
        "New patients now get their key worker's number at the first appointment.",
        "The group's feedback helped get our case for extra nurse time approved.",
        "I have stopped saying 'pathway' and 'MDT' when I talk to patients.",
        "Two members sat on the panel for our new specialist nurse.",
        "We added an evening slot to the blood clinic after hearing how hard it was to get "
        "time off.",
        "Carers now get a copy of the care plan if the patient agrees.",
        "Nothing big yet, but it has changed the questions I ask in clinic.",
    ],
    # Staff: what gets in the way?
    "in-the-way": [
        "Time. Involvement work gets squeezed in around clinics.",
        "Finding a room that is accessible and free at a time that suits everyone.",
        "Paying people takes too long; our finance systems were not built for it.",
        "Not knowing whether the boards above us will follow what patients told us.",
        "We hear from the same few people, and reaching others takes time we do not have.",
        "Papers are written for managers, and turning them into plain English is extra work.",
        "There is no budget for travel or refreshments in our team.",
        "Getting patients' views early enough to change the plan, not just to approve it.",
        "Staff move on, and the person who promised a change has often left.",
        "Worry that we will ask and then not be able to deliver.",
    ],
}
GENERIC_TEXT = [
    "It was good to feel listened to.",
    "Hearing back about what changed would help.",
    "The travel is the hardest part for me.",
]

# Self-assessment: what each standard's evidence and next steps look like in a group's notes,
# from early days (ratings 1 and 2) to established (3 and 4).
EVIDENCE = {
    Standard.INCLUSIVE_OPPORTUNITIES: (
        [
            "Most members were recruited through the support centre, so we hear from people "
            "who already use it.",
            "Opportunities are only advertised by email and in clinic.",
        ],
        [
            "We now advertise through community groups and a local radio slot; four new "
            "members joined from areas we had not heard from.",
            "Our monitoring shows the group is closer to the make-up of the area than a year ago.",
        ],
    ),
    Standard.WORKING_TOGETHER: (
        [
            "Meetings are chaired by staff and the agenda is set before members see it.",
            "Roles are not written down, and members are unsure what they can decide.",
        ],
        [
            "A member co-chairs every meeting and the agenda is agreed together.",
            "We agreed terms of reference with members, and they are reviewed each spring.",
        ],
    ),
    Standard.SUPPORT_AND_LEARNING: (
        [
            "Members are paid, but claims can take two months.",
            "There is no induction for new members.",
        ],
        [
            "Claims are now paid within three weeks, and travel can be booked for members.",
            "New members have a buddy and a short induction; staff have had involvement training.",
        ],
    ),
    Standard.COMMUNICATIONS: (
        [
            "Papers arrive late and use a lot of NHS language.",
            "Members do not always hear what happened after they gave their views.",
        ],
        [
            "Papers go out a week ahead in plain English, with large print for anyone who "
            "needs it.",
            "Every meeting starts with a 'you said, we did' update.",
        ],
    ),
    Standard.IMPACT: (
        [
            "We do not record what changed as a result of the group's work.",
            "Feedback from members is collected, but nobody looks at it.",
        ],
        [
            "Asks are logged and followed to a change or a reason why not.",
            "Questionnaire results are shared with the group and discussed twice a year.",
        ],
    ),
    Standard.GOVERNANCE: (
        [
            "The group reports to the board only through the involvement lead.",
            "There is no member on the committee that decides our budget.",
        ],
        [
            "Two members now sit on the programme board with papers and a vote.",
            "The board receives a report from the group every quarter and replies to it.",
        ],
    ),
}
ACTIONS = {
    Standard.INCLUSIVE_OPPORTUNITIES: [
        "Ask community organisations where we should advertise next.",
        "Offer evening and online places for people who work or live far away.",
    ],
    Standard.WORKING_TOGETHER: [
        "Ask members to co-chair in turn.",
        "Write down what the group decides and what it advises on.",
    ],
    Standard.SUPPORT_AND_LEARNING: [
        "Agree a turnaround time for claims with finance.",
        "Set up a buddy for each new member.",
    ],
    Standard.COMMUNICATIONS: [
        "Send papers a week ahead and check them for jargon.",
        "Add a short update on past asks to every agenda.",
    ],
    Standard.IMPACT: [
        "Log every ask and report back on each one.",
        "Look at the questionnaire results together at the next meeting.",
    ],
    Standard.GOVERNANCE: [
        "Ask the board for a member seat.",
        "Agree how the board will respond to the group's reports.",
    ],
}
ASSESSMENT_NOTES = [
    "Done at the group's meeting with the chair, seven members and the involvement lead.",
    "Members rated each standard on their own first, then agreed the ratings together.",
    "A short workshop with members and two staff from the alliance team.",
    "Discussed over two meetings, as there was a lot to talk about.",
    "Led by the co-chair; staff left the room for the first half so members could speak freely.",
    "The involvement team and the board's patient representatives, with notes from each group.",
]


@dataclass
class _Planned:
    """An invitation yet to be written, and what it was about."""

    organisation_id: int
    questionnaire_id: int
    version_id: int
    person_id: int
    activity_id: int | None
    group_id: int | None
    sent_at: datetime.datetime
    answered_at: datetime.datetime | None = None


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def populate_impact(
    rng: random.Random,
    organisations: list[Organisation],
    groups: list[PartnershipGroup],
    people: list[Person],
    memberships: list[Membership],
    today: datetime.date,
    scale: InvolvementScale,
    *,
    open_for: Iterable[Person] = (),
) -> dict[str, int]:
    """Questionnaires sent and answered, and self-assessments. People in `open_for` (the demo
    member) are always asked, and their latest questionnaire is left for them to answer."""
    questionnaires = {org.pk: services.ensure_defaults(org) for org in organisations}
    versions = {
        version.questionnaire_id: version
        for version in Version.objects.filter(
            questionnaire__organisation__in=organisations, number=1
        )
    }
    # The defaults are made now; date them before the first questionnaire went out.
    Version.objects.filter(pk__in=[v.pk for v in versions.values()]).update(
        published_at=_at(today - datetime.timedelta(days=400), 9)
    )
    questions: dict[int, list[Question]] = defaultdict(list)
    for question in Question.objects.filter(version__in=list(versions.values())).order_by(
        "version", "position"
    ):
        questions[question.version_id].append(question)

    plans = _plan(rng, organisations, questionnaires, versions, people, memberships, today, scale)
    keenness = {person.pk: rng.choice(KEENNESS) for person in people}
    open_for = list(open_for)
    for person in open_for:
        keenness[person.pk] = max(KEENNESS)  # the most involved patient answers most
    invited = _reach(rng, plans, people, keenness, scale, open_for)
    plans = [plan for plan in plans if plan.person_id in invited]
    _answer(rng, plans, keenness, open_for)

    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                questionnaire_id=plan.questionnaire_id,
                version_id=plan.version_id,
                person_id=plan.person_id,
                activity_id=plan.activity_id,
                group_id=plan.group_id,
                token=secrets.token_urlsafe(32),
                sent_at=plan.sent_at,
                answered_at=plan.answered_at,
            )
            for plan in plans
        ],
        batch_size=2000,
    )
    # Responses in the order they came in, carrying nothing that points back to an invitation.
    answered = sorted(
        (plan for plan in plans if plan.answered_at is not None),
        key=lambda plan: plan.answered_at or plan.sent_at,
    )
    responses = Response.objects.bulk_create(
        [
            Response(
                version_id=plan.version_id,
                activity_id=plan.activity_id,
                group_id=plan.group_id,
                submitted_on=timezone.localdate(plan.answered_at),
            )
            for plan in answered
        ],
        batch_size=2000,
    )
    leaning = {org.pk: rng.uniform(-0.25, 0.3) for org in organisations}
    first_day = min((plan.sent_at for plan in plans), default=_at(today, 9))
    answers: list[AnswerRow] = []
    for plan, response in zip(answered, responses, strict=True):
        # Later answers are a little more positive: the organisations act on what they hear.
        settled = (plan.sent_at - first_day).days / 365 * 0.3
        mood = leaning[plan.organisation_id] + rng.gauss(0, 0.4) + settled
        answers += _answers_to(rng, response.pk, questions[plan.version_id], mood)
    _insert_answers(answers)

    assessments = _self_assessments(rng, organisations, groups, today)
    return {
        "invitations": len(invitations),
        "responses": len(responses),
        "answers": len(answers),
        "self_assessments": assessments,
    }


def _plan(
    rng: random.Random,
    organisations: list[Organisation],
    questionnaires: dict[int, list[Questionnaire]],
    versions: dict[int, Version],
    people: list[Person],
    memberships: list[Membership],
    today: datetime.date,
    scale: InvolvementScale,
) -> list[_Planned]:
    """Everyone who would have been asked, as the daily job would have asked them."""
    person_by_id = {person.pk: person for person in people}
    by_person: dict[int, list[Membership]] = defaultdict(list)
    for membership in sorted(memberships, key=lambda m: (m.started_on, m.pk or 0)):
        by_person[membership.person_id].append(membership)
    # Who took part in what: one-off activities lead to a questionnaire, and staff who took
    # part in anything in the year are asked the staff questionnaire.
    one_offs: dict[int, tuple[int, datetime.datetime, list[int]]] = {}
    staff_took_part: dict[int, list[datetime.datetime]] = defaultdict(list)
    year_ago = _at(today - datetime.timedelta(days=365), 0)
    for person_id, activity_id, kind, starts_at, ends_at, organisation_id in (
        Attendance.objects.filter(
            activity__organisation__in=organisations,
            activity__status=Activity.Status.HELD,
            attended=True,
        )
        .order_by("activity_id", "person_id")
        .values_list(
            "person_id",
            "activity_id",
            "activity__kind",
            "activity__starts_at",
            "activity__ends_at",
            "activity__organisation_id",
        )
    ):
        person = person_by_id.get(person_id)
        if person is None:
            continue
        if person.kind == Person.Kind.STAFF:
            staff_took_part[person_id].append(starts_at)
        elif kind == Activity.Kind.ACTIVITY and starts_at >= year_ago:
            one_offs.setdefault(activity_id, (organisation_id, ends_at, []))[2].append(person_id)

    now = timezone.now()
    every = services.ask_every()
    plans: list[_Planned] = []

    def plan(
        questionnaire: Questionnaire,
        person_id: int,
        sent_at: datetime.datetime,
        **about: int | None,
    ) -> None:
        version = versions[questionnaire.pk]
        plans.append(
            _Planned(
                organisation_id=person_by_id[person_id].organisation_id,
                questionnaire_id=version.questionnaire_id,
                version_id=version.pk,
                person_id=person_id,
                activity_id=about.get("activity_id"),
                group_id=about.get("group_id"),
                sent_at=sent_at,
            )
        )

    for activity_id, (organisation_id, ends_at, came) in one_offs.items():
        sent_at = _at(timezone.localdate(ends_at) + datetime.timedelta(days=1), 9)
        if sent_at > now:
            continue  # the daily job has not got to it yet
        after_activity = questionnaires[organisation_id][0]
        for person_id in came:
            plan(after_activity, person_id, sent_at, activity_id=activity_id)

    by_organisation: dict[int, list[Person]] = defaultdict(list)
    for person in people:
        by_organisation[person.organisation_id].append(person)
    for organisation in organisations:
        _, members, staff = questionnaires[organisation.pk]
        latest = today - datetime.timedelta(days=LATEST_ROUND_DAYS_AGO + rng.randint(-6, 6))
        rounds = sorted(latest - every * n for n in range(scale.questionnaire_rounds))
        mine = by_organisation[organisation.pk]
        for day in rounds:
            sent_at = _at(day, 9)
            for person in mine:
                if person.kind == Person.Kind.STAFF:
                    took_part = staff_took_part.get(person.pk, [])
                    if any(
                        sent_at - datetime.timedelta(days=365) <= t < sent_at for t in took_part
                    ):
                        plan(staff, person.pk, sent_at)
                    continue
                current = [
                    m
                    for m in by_person.get(person.pk, [])
                    if m.started_on <= day and (m.ended_on is None or m.ended_on > day)
                ]
                if current:  # asked about the group they joined first
                    plan(members, person.pk, sent_at, group_id=current[0].group_id)
    return plans


def _reach(
    rng: random.Random,
    plans: list[_Planned],
    people: list[Person],
    keenness: dict[int, float],
    scale: InvolvementScale,
    open_for: list[Person],
) -> set[int]:
    """The people who are asked: those with a sign-in, which at national scale is the share of
    each organisation that gives it about `responses_per_organisation` responses a year."""
    expected: defaultdict[int, float] = defaultdict(float)
    for plan in plans:
        expected[plan.organisation_id] += keenness[plan.person_id]
    share = {
        organisation_id: min(1.0, scale.responses_per_organisation / total)
        for organisation_id, total in expected.items()
    }
    reached = {
        person.pk for person in people if rng.random() < share.get(person.organisation_id, 1.0)
    }
    return reached | {person.pk for person in open_for}


def _answer(
    rng: random.Random,
    plans: list[_Planned],
    keenness: dict[int, float],
    open_for: list[Person],
) -> None:
    """Most invitations answered within three weeks; the latest round is still coming in."""
    now = timezone.now()
    for plan in plans:
        if rng.random() >= keenness[plan.person_id]:
            continue
        answered_at = plan.sent_at + datetime.timedelta(
            days=rng.randint(0, ANSWER_WITHIN_DAYS), hours=rng.randint(1, 12)
        )
        if answered_at < now:
            plan.answered_at = answered_at
    # Each demo member has their latest questionnaire waiting on their "Questionnaires" page.
    for person in open_for:
        theirs = [plan for plan in plans if plan.person_id == person.pk]
        if theirs:
            max(theirs, key=lambda plan: plan.sent_at).answered_at = None


# One answer as the row written: response, question, score, choice, text.
AnswerRow = tuple[int, int, int | None, str, str]


def _answers_to(
    rng: random.Random, response_id: int, questions: list[Question], mood: float
) -> list[AnswerRow]:
    answers: list[AnswerRow] = []
    for question in questions:
        if question.kind == Question.Kind.LIKERT:
            if question.negative or question.theme == Theme.CHALLENGES:
                middle = CHALLENGE.get(question.key, DEFAULT_CHALLENGE) - 0.6 * mood
                score = round(rng.gauss(middle, 1.15))
            else:
                middle = AGREEMENT.get(question.key, DEFAULT_AGREEMENT) + mood
                score = round(rng.gauss(middle, 0.8))
            answers.append((response_id, question.pk, min(max(score, 1), 5), "", ""))
        elif question.kind == Question.Kind.CHOICE:
            weights = CHOICE_WEIGHTS.get(question.key)
            if weights is None or len(weights) != len(question.choices):
                weights = tuple(1 for _ in question.choices)
            choice = rng.choices(question.choices, weights=weights)[0]
            answers.append((response_id, question.pk, None, choice, ""))
        elif rng.random() < FREE_TEXT_ANSWERED or question.required:
            answers.append((response_id, question.pk, None, "", _said(rng, question)))
    return answers


def _insert_answers(rows: list[AnswerRow]) -> None:
    """Answers are most of the rows (about 200,000 at national scale): written as plain rows,
    since making a model instance of each for bulk_create took several times longer."""
    quote = connection.ops.quote_name
    column = {field.name: str(field.column) for field in Answer._meta.concrete_fields}
    names = ", ".join(
        quote(column[name]) for name in ("response", "question", "score", "choice", "text")
    )
    table = quote(Answer._meta.db_table)
    # Names from the model, values as parameters.
    sql = f"INSERT INTO {table} ({names}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[start : start + 10_000])


def _said(rng: random.Random, question: Question) -> str:
    said = FREE_TEXT.get(question.key, GENERIC_TEXT)
    if rng.random() < 0.2:
        first, second = rng.sample(said, 2)
        return f"{first} {second}"
    return rng.choice(said)


def _self_assessments(
    rng: random.Random,
    organisations: list[Organisation],
    groups: list[PartnershipGroup],
    today: datetime.date,
) -> int:
    """Three per group over about eighteen months, mostly better each time, and one of each
    organisation as a whole."""
    assessments: list[SelfAssessment] = []
    ratings: list[list[StandardRating]] = []

    def record(
        organisation_id: int, group: PartnershipGroup | None, days_ago: int, levels: dict[str, int]
    ) -> None:
        assessments.append(
            SelfAssessment(
                organisation_id=organisation_id,
                group=group,
                assessed_on=today - datetime.timedelta(days=days_ago),
                notes=rng.choice(ASSESSMENT_NOTES),
                **{name: levels[name] for name, *_ in CUBE},
            )
        )
        rows = []
        for standard in Standard:
            rating = levels[standard.value]
            early, established = EVIDENCE[standard]
            rows.append(
                StandardRating(
                    standard=standard.value,
                    rating=rating,
                    evidence=rng.choice(established if rating >= 3 else early),
                    actions=""
                    if rating == 4 and rng.random() < 0.5
                    else rng.choice(ACTIONS[standard]),
                )
            )
        ratings.append(rows)

    def improve(levels: dict[str, int]) -> dict[str, int]:
        better = {}
        for name, level in levels.items():
            top = 5 if name in CUBE_NAMES else 4
            step = rng.random()
            better[name] = (
                min(level + 1, top) if step < 0.45 else max(level - 1, 1) if step > 0.95 else level
            )
        return better

    for group in groups:
        levels = {
            standard: rng.choices((1, 2, 3), weights=(3, 5, 2))[0] for standard in Standard.values
        }
        levels |= {name: rng.choices((1, 2, 3), weights=(2, 5, 3))[0] for name in CUBE_NAMES}
        for days_ago in (rng.randint(500, 560), rng.randint(270, 330), rng.randint(30, 90)):
            record(group.organisation_id, group, days_ago, levels)
            levels = improve(levels)
    for organisation in organisations:
        levels = {standard: rng.choices((2, 3), weights=(3, 2))[0] for standard in Standard.values}
        levels |= {name: rng.choices((2, 3, 4), weights=(3, 4, 2))[0] for name in CUBE_NAMES}
        record(organisation.pk, None, rng.randint(150, 240), levels)

    assessments = SelfAssessment.objects.bulk_create(assessments, batch_size=2000)
    rows = []
    for assessment, assessment_rows in zip(assessments, ratings, strict=True):
        for row in assessment_rows:
            row.assessment = assessment
            rows.append(row)
    StandardRating.objects.bulk_create(rows, batch_size=5000)
    return len(assessments)
