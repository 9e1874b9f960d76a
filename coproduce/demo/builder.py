"""Demo data that looks real, and the same shapes at national scale for benchmarks.

Rows are bulk-inserted (a national-scale build writes close to a million rows), so this
bypasses the services on purpose: it is seed data, not anybody's action, and is not audited. A
few recent changes are then made through the services so the audit log has something to show.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from coproduce.accounts.models import RoleAssignment, User
from coproduce.activities.models import Attendance
from coproduce.core.roles import Role
from coproduce.demo.analysis import populate_analysis
from coproduce.demo.asks import populate_asks
from coproduce.demo.impact import populate_impact
from coproduce.demo.involvement import (
    DEMO_INVOLVEMENT,
    NATIONAL_INVOLVEMENT,
    InvolvementScale,
    populate_involvement,
)
from coproduce.equality.models import EqualityResponse
from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.impact.models import SelfAssessment
from coproduce.organisations.models import Organisation
from coproduce.people.models import (
    CancerType,
    ConsentKind,
    ConsentRecord,
    PathwayStage,
    Person,
    SupportNeed,
    Topic,
)

DEMO_PASSWORD = "coproduce-demo"  # noqa: S105 - printed for the local demo only


@dataclass(frozen=True)
class Scale:
    alliances: int
    groups: int
    people: int
    memberships: int
    involvement: InvolvementScale


DEMO = Scale(alliances=3, groups=8, people=300, memberships=420, involvement=DEMO_INVOLVEMENT)
NATIONAL = Scale(
    alliances=21,
    groups=100,
    people=20_000,
    memberships=60_000,
    involvement=NATIONAL_INVOLVEMENT,
)

ALLIANCE_PLACES = [
    "North Pennines",
    "Severn and Wye",
    "East Anglian Fens",
    "Thames and Chilterns",
    "Mersey and Dee",
    "Humber Coast and Wolds",
    "Solent and Downs",
    "Peak and Trent",
    "Tyne and Tees",
    "Cotswold and Avon",
    "Lancashire Coast",
    "Kent and Medway Marshes",
    "Black Country and Wyre",
    "Lincolnshire Wolds",
    "Cumbria and Eden",
    "Dorset and Purbeck",
    "Essex Estuaries",
    "Shropshire Hills",
    "Leicester and Soar",
    "Sussex Weald",
    "Cornwall and Tamar",
]
GROUP_THEMES = [
    (
        "Patient and Carer Partnership Group",
        "Brings the voice of people affected by cancer into the alliance's plans and checks that changes make sense to patients.",
    ),
    (
        "Patient Information Review Panel",
        "Reviews leaflets, letters and web pages before they are published, so they are clear and kind.",
    ),
    (
        "Lung Cancer Pathway Partnership",
        "Works with the lung cancer team on faster diagnosis and better support during treatment.",
    ),
    (
        "Health Inequalities Reference Group",
        "Looks at who is missing out on cancer services and what would help them.",
    ),
    (
        "Young People's Cancer Voice",
        "Gives teenagers and young adults with cancer a say in services built for them.",
    ),
    (
        "Upper GI Co-design Group",
        "Co-designs the upper gastrointestinal cancer pathway with patients, providers and commissioners.",
    ),
    (
        "Living With and Beyond Cancer Forum",
        "Shapes support after treatment: follow-up, rehabilitation and returning to work.",
    ),
    (
        "Screening and Early Diagnosis Group",
        "Helps design campaigns and services that get people checked sooner.",
    ),
]
DECISIONS = [
    "Agrees its work plan each year and signs off patient information by consensus; advises the alliance board.",
    "Advises the programme board; members vote on priorities when consensus cannot be reached.",
    "Recommends changes to the pathway board, which decides; the chair reports back at every meeting.",
]


def _date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


@transaction.atomic
def populate(scale: Scale = DEMO, *, seed: int = 2026, accounts: bool = True) -> dict[str, int]:
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    today = timezone.localdate()

    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{ALLIANCE_PLACES[i % len(ALLIANCE_PLACES)]}{'' if i < len(ALLIANCE_PLACES) else f' {i}'} Cancer Alliance",
                kind=Organisation.Kind.CANCER_ALLIANCE,
                region=rng.choice(
                    [
                        "North East and Yorkshire",
                        "North West",
                        "Midlands",
                        "East of England",
                        "London",
                        "South East",
                        "South West",
                    ]
                ),
                ods_code=f"Q{70 + i:02d}",
            )
            for i in range(scale.alliances)
        ]
    )

    groups = []
    for i in range(scale.groups):
        name, purpose = GROUP_THEMES[i % len(GROUP_THEMES)]
        organisation = organisations[i % len(organisations)]
        suffix = (
            ""
            if i < len(GROUP_THEMES) * len(organisations) and i < len(GROUP_THEMES)
            else f" ({i // len(GROUP_THEMES) + 1})"
        )
        groups.append(
            PartnershipGroup(
                organisation=organisation,
                name=f"{name}{suffix}",
                purpose=purpose,
                decisions=rng.choice(DECISIONS),
                who_takes_part="Patients, carers and family members, with clinical and managerial staff from the alliance's trusts.",
                cadence=rng.choice(PartnershipGroup.Cadence.values),
                membership_type=rng.choice(PartnershipGroup.MembershipType.values),
                starts_on=_date_between(
                    rng,
                    today - datetime.timedelta(days=365 * 8),
                    today - datetime.timedelta(days=200),
                ),
            )
        )
    groups = PartnershipGroup.objects.bulk_create(groups)

    kinds = (
        [Person.Kind.PATIENT] * 5
        + [Person.Kind.CARER] * 3
        + [Person.Kind.PUBLIC]
        + [Person.Kind.STAFF] * 2
    )
    people = []
    for i in range(scale.people):
        given, family = fake.first_name(), fake.last_name()
        people.append(
            Person(
                organisation=organisations[i % len(organisations)],
                kind=rng.choice(kinds),
                given_name=given,
                family_name=family,
                email=f"{given}.{family}.{i}@example.org".lower().replace("'", "").replace(" ", ""),
                phone=f"07700 9{rng.randint(0, 99999):05d}",
                address=f"{fake.building_number()} {fake.street_name()}, {fake.city()}",
                postcode=fake.postcode(),
                preferred_contact=rng.choice(Person.ContactMethod.values),
                accessibility_needs=rng.choice(
                    [
                        "",
                        "",
                        "",
                        "Step-free access please",
                        "I need papers in large print",
                        "A quiet room to take breaks",
                    ]
                ),
                skills_and_experience=rng.choice(
                    [
                        "",
                        "",
                        "Chaired a parent-teacher association",
                        "Worked in finance for 30 years",
                        "Reviewed research for a charity",
                        "Volunteer at a cancer support centre",
                    ]
                ),
            )
        )
    people = Person.objects.bulk_create(people, batch_size=2000)

    cancer_types = list(CancerType.objects.all())
    stages = list(PathwayStage.objects.all())
    topics = list(Topic.objects.all())
    needs = list(SupportNeed.objects.all())
    consents: list[ConsentRecord] = []
    links: dict[str, list[Any]] = {"cancer": [], "stage": [], "topic": [], "need": []}
    equality = []
    for person in people:
        joined = _date_between(
            rng, today - datetime.timedelta(days=365 * 6), today - datetime.timedelta(days=30)
        )
        contact = rng.random() < 0.92
        health = rng.random() < 0.7
        consents.append(
            ConsentRecord(person=person, kind=ConsentKind.CONTACT, given=True, effective_on=joined)
        )
        if not contact:
            consents.append(
                ConsentRecord(
                    person=person,
                    kind=ConsentKind.CONTACT,
                    given=False,
                    effective_on=_date_between(rng, joined, today),
                )
            )
        if health:
            consents.append(
                ConsentRecord(
                    person=person,
                    kind=ConsentKind.HEALTH_INFORMATION,
                    given=True,
                    effective_on=joined,
                )
            )
            links["cancer"] += [
                Person.cancer_types.through(person=person, cancertype=c)
                for c in rng.sample(cancer_types, rng.randint(1, 2))
            ]
            links["stage"] += [
                Person.pathway_stages.through(person=person, pathwaystage=s)
                for s in rng.sample(stages, rng.randint(1, 3))
            ]
        if rng.random() < 0.4:
            consents.append(
                ConsentRecord(
                    person=person, kind=ConsentKind.SHARE_STORY, given=True, effective_on=joined
                )
            )
        if rng.random() < 0.25:
            consents.append(
                ConsentRecord(
                    person=person,
                    kind=ConsentKind.PHOTOGRAPH,
                    given=rng.random() < 0.8,
                    effective_on=joined,
                )
            )
        links["topic"] += [
            Person.topics.through(person=person, topic=t)
            for t in rng.sample(topics, rng.randint(0, 3))
        ]
        if rng.random() < 0.3:
            links["need"] += [
                Person.support_needs.through(person=person, supportneed=n)
                for n in rng.sample(needs, rng.randint(1, 2))
            ]
        if rng.random() < 0.6:
            equality.append(_equality_answers(rng, person))
    ConsentRecord.objects.bulk_create(consents, batch_size=5000)
    Person.cancer_types.through.objects.bulk_create(links["cancer"], batch_size=5000)
    Person.pathway_stages.through.objects.bulk_create(links["stage"], batch_size=5000)
    Person.topics.through.objects.bulk_create(links["topic"], batch_size=5000)
    Person.support_needs.through.objects.bulk_create(links["need"], batch_size=5000)
    EqualityResponse.objects.bulk_create(equality, batch_size=5000)

    memberships = _memberships(rng, scale, groups, people, today)
    Membership.objects.bulk_create(memberships, batch_size=5000)

    involvement = populate_involvement(
        rng, scale.involvement, organisations, groups, people, memberships, today
    )
    involvement["asks"] = populate_asks(
        rng, organisations, people, today, scale.involvement.asks_per_organisation
    )
    member = demo_member(organisations, people) if accounts else None
    involvement |= populate_impact(
        rng,
        organisations,
        groups,
        people,
        memberships,
        today,
        scale.involvement,
        open_for=[member] if member else [],
    )

    if accounts:
        create_demo_accounts(organisations, people)
        # Its own generator, so the coding the demo's agreement figures come from stays the
        # same whatever the rest of the demo draws.
        involvement |= populate_analysis(random.Random(seed), organisations[0], today)
    # A bulk load leaves the query planner without statistics; gather them, so that the lists
    # use the indexes made for them from the first request (both SQLite and PostgreSQL).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "organisations": len(organisations),
        "groups": len(groups),
        "people": len(people),
        "memberships": len(memberships),
        **involvement,
    }


def _memberships(
    rng: random.Random,
    scale: Scale,
    groups: list[PartnershipGroup],
    people: list[Person],
    today: datetime.date,
) -> list[Membership]:
    by_organisation: dict[int, list[Person]] = {}
    for person in people:
        by_organisation.setdefault(person.organisation_id, []).append(person)
    seen: set[tuple[int, int]] = set()
    memberships: list[Membership] = []
    roles = [Membership.Role.MEMBER] * 12 + [Membership.Role.FACILITATOR]
    for group in groups:  # every group has a chair
        chair = rng.choice(by_organisation[group.organisation_id])
        seen.add((group.pk, chair.pk))
        memberships.append(
            Membership(
                group=group, person=chair, role=Membership.Role.CHAIR, started_on=group.starts_on
            )
        )
    attempts = 0
    while len(memberships) < scale.memberships and attempts < scale.memberships * 5:
        attempts += 1
        group = rng.choice(groups)
        person = rng.choice(by_organisation[group.organisation_id])
        if (group.pk, person.pk) in seen:
            continue
        seen.add((group.pk, person.pk))
        started = _date_between(rng, group.starts_on, today - datetime.timedelta(days=7))
        ended = _date_between(rng, started, today) if rng.random() < 0.2 else None
        memberships.append(
            Membership(
                group=group,
                person=person,
                role=rng.choice(roles),
                started_on=started,
                ended_on=ended,
            )
        )
    return memberships


def _equality_answers(rng: random.Random, person: Person) -> EqualityResponse:
    def pick(choices: type, weights: list[int] | None = None) -> str:
        values = list(choices.values)  # type: ignore[attr-defined]
        return rng.choices(values, weights=weights or [1] * len(values))[0]

    model = EqualityResponse
    return EqualityResponse(
        person=person,
        age_band=pick(model.AgeBand, [1, 3, 6, 10, 16, 20, 12, 4, 3]),
        sex=pick(model.Sex, [55, 42, 3]),
        gender_same_as_sex_at_birth=pick(model.YesNo, [95, 1, 4]),
        sexual_orientation=pick(model.SexualOrientation, [85, 3, 2, 1, 9]),
        ethnic_group=pick(model.EthnicGroup, [8, 4, 3, 80, 2, 3]),
        religion=pick(model.Religion, [35, 1, 45, 2, 1, 5, 1, 2, 8]),
        disability=pick(model.Disability, [15, 25, 55, 5]),
        carer=pick(model.YesNo, [25, 70, 5]),
    )


DEMO_ACCOUNTS = [
    ("admin", "Alex", "Morgan", Role.ADMINISTRATOR, 0),
    ("lead", "Priya", "Shah", Role.INVOLVEMENT_LEAD, 0),
    ("staff", "Tom", "Okafor", Role.STAFF, 0),
    ("analyst", "Hannah", "Lewis", Role.ANALYST, 0),
    ("lead2", "Gareth", "Evans", Role.INVOLVEMENT_LEAD, 1),
]


def demo_member(organisations: list[Organisation], people: list[Person]) -> Person | None:
    """The person the "member" sign-in belongs to: the first alliance's most involved patient, so
    their own pages show meetings, hours, claims and questionnaires."""
    patients = [
        p
        for p in people
        if p.organisation_id == organisations[0].pk and p.kind == Person.Kind.PATIENT
    ]
    if not patients:
        return None
    taken_part = Counter(
        Attendance.objects.filter(person__in=patients).values_list("person_id", flat=True)
    )
    return max(patients, key=lambda p: (taken_part[p.pk], -p.pk))


def create_demo_accounts(
    organisations: list[Organisation], people: list[Person]
) -> list[tuple[str, str]]:
    """Staff sign-ins for each role, and one member linked to a real person record."""
    created = []
    for username, first, last, role, org_index in DEMO_ACCOUNTS:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
        )
        RoleAssignment.objects.create(user=user, organisation=organisations[org_index], role=role)
        created.append((username, f"{Role(role).label} at {organisations[org_index].name}"))
        if role == Role.INVOLVEMENT_LEAD:
            # The lead recorded their organisation's self-assessments.
            SelfAssessment.objects.filter(
                organisation=organisations[org_index], recorded_by__isnull=True
            ).update(recorded_by=user)
    member = demo_member(organisations, people)
    if member is None:
        return created
    user = User.objects.create_user(
        username="member",
        password=DEMO_PASSWORD,
        first_name=member.given_name,
        last_name=member.family_name,
        email=member.email,
    )
    RoleAssignment.objects.create(user=user, organisation=organisations[0], role=Role.MEMBER)
    member.user = user
    member.save(update_fields=["user"])
    created.append(("member", f"Member: {member.full_name}, a patient"))
    return created
