"""Time `suggest()` for one organisation of 20,000 people, against a plain count as a baseline.

    .venv/bin/python bench/matching.py [--people 20000] [--runs 9] [--keep PATH]

Builds a fresh SQLite database in a temporary folder (migrated, so it has the default cancer
types, stages, topics, support needs and activity types), fills ONE organisation with
`--people` patients, carers and members of the public with interests, support needs,
availability, skills, consent to be contacted (most, not all) and a history of taking part,
then times `matching.suggest(opportunity)` and `Person.objects.filter(organisation=...).count()`
in the same process, `--runs` times each, and prints a markdown table of the medians.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import configure_django

SKILLS = [
    "Chaired a residents' association and its meetings",
    "Worked in finance for twenty years",
    "Retired teacher; good at reading and editing documents",
    "Reading research papers and explaining them",
    "Peer support volunteer at the local hospice",
    "Wrote for the parish newsletter",
    "",
    "",
    "",
]


def populate(people: int, seed: int = 2026) -> tuple[int, int]:
    """Fill one organisation; returns (organisation id, opportunity id)."""
    from django.db import transaction
    from django.utils import timezone

    from coproduce.activities.models import Activity, ActivityType, Attendance
    from coproduce.opportunities.models import Opportunity
    from coproduce.organisations.models import Organisation
    from coproduce.people.models import (
        Availability,
        CancerType,
        ConsentKind,
        ConsentRecord,
        PathwayStage,
        Person,
        SupportNeed,
        Topic,
    )

    rng = random.Random(seed)
    cancer_types = list(CancerType.objects.values_list("pk", flat=True))
    stages = list(PathwayStage.objects.values_list("pk", flat=True))
    topics = list(Topic.objects.values_list("pk", flat=True))
    needs = list(SupportNeed.objects.values_list("pk", flat=True))
    kinds = [Person.Kind.PATIENT] * 6 + [Person.Kind.CARER] * 2 + [Person.Kind.PUBLIC]
    kinds += [Person.Kind.STAFF]
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name="Bench Valley Cancer Alliance", kind=Organisation.Kind.CANCER_ALLIANCE
        )
        Person.objects.bulk_create(
            (
                Person(
                    organisation=organisation,
                    kind=rng.choice(kinds),
                    given_name=f"Given{number}",
                    family_name=f"Family{number}",
                    email=f"person{number}@example.org",
                    skills_and_experience=rng.choice(SKILLS),
                    availability=rng.sample(Availability.values, rng.randint(0, 2)),
                )
                for number in range(people)
            ),
            batch_size=2000,
        )
        ids = list(Person.objects.filter(organisation=organisation).values_list("pk", flat=True))
        for relation, choices, most in (
            ("cancer_types", cancer_types, 2),
            ("pathway_stages", stages, 3),
            ("topics", topics, 4),
            ("support_needs", needs, 2),
        ):
            through = getattr(Person, relation).through
            target = Person._meta.get_field(relation).m2m_reverse_name()  # type: ignore[union-attr]
            through.objects.bulk_create(
                (
                    through(person_id=person_id, **{target: related})
                    for person_id in ids
                    for related in rng.sample(choices, rng.randint(0, most))
                ),
                batch_size=5000,
            )
        # About 85% agree to be contacted; a few of those withdraw later.
        records = []
        for person_id in ids:
            if rng.random() < 0.85:
                records.append(
                    ConsentRecord(
                        person_id=person_id,
                        kind=ConsentKind.CONTACT,
                        given=True,
                        effective_on=today,
                    )
                )
                if rng.random() < 0.05:
                    records.append(
                        ConsentRecord(
                            person_id=person_id,
                            kind=ConsentKind.CONTACT,
                            given=False,
                            effective_on=today,
                        )
                    )
        ConsentRecord.objects.bulk_create(records, batch_size=5000)
        activity_type = ActivityType.objects.order_by("position")[0]
        activities = Activity.objects.bulk_create(
            Activity(
                organisation=organisation,
                title=f"Activity {number}",
                description="A held activity",
                activity_type=activity_type,
                starts_at=now - datetime.timedelta(days=3 * number + 1),
                ends_at=now - datetime.timedelta(days=3 * number + 1, hours=-2),
                status=Activity.Status.HELD,
            )
            for number in range(240)
        )
        # A few people take part often, most rarely or never, as in practice.
        regulars = rng.sample(ids, len(ids) // 50)
        occasional = rng.sample(ids, len(ids) // 5)
        attendance = []
        for activity in activities:
            for person_id in set(rng.sample(regulars, 8) + rng.sample(occasional, 6)):
                attendance.append(
                    Attendance(activity=activity, person_id=person_id, hours=2, attended=True)
                )
        Attendance.objects.bulk_create(attendance, batch_size=5000)
        opportunity = Opportunity.objects.create(
            organisation=organisation,
            title="Review the bowel surgery leaflet",
            description="Read the draft with the stoma nurse.",
            why="Patients found the words hard.",
            activity_type=activity_type,
            time_commitment="One two-hour meeting",
            timing=[Availability.WEEKDAY_EVENING, Availability.WEEKEND],
            closes_on=today + datetime.timedelta(days=21),
            status=Opportunity.Status.PUBLISHED,
            skills_wanted="Reading and editing documents",
        )
        opportunity.cancer_types.set(cancer_types[2:4])
        opportunity.pathway_stages.set(stages[4:6])
        opportunity.topics.set(topics[:2])
        opportunity.support_offered.set(needs[:3])
    return organisation.pk, opportunity.pk


def timed(action: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    args = parser.parse_args(argv)

    folder = tempfile.TemporaryDirectory()
    db = args.keep or Path(folder.name) / "matching.sqlite3"
    configure_django(db)
    from django import db as django_db
    from django.core.management import call_command
    from django.db import connection

    from coproduce.activities.models import Attendance
    from coproduce.opportunities.matching import suggest
    from coproduce.opportunities.models import Opportunity
    from coproduce.people.models import ConsentRecord, Person

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    organisation_id, opportunity_id = populate(args.people)
    print(f"Built {db} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    django_db.reset_queries()
    opportunity = Opportunity.objects.get(pk=opportunity_id)

    queries: list[str] = []

    def count_query(execute: Any, sql: str, *rest: Any) -> Any:
        queries.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(count_query):
        suggestions = suggest(opportunity)
    suggest_times = timed(lambda: suggest(opportunity), args.runs)
    count_times = timed(
        lambda: Person.objects.filter(organisation_id=organisation_id).count(), args.runs
    )
    suggest_ms = statistics.median(suggest_times)
    count_ms = statistics.median(count_times)
    people = Person.objects.filter(organisation_id=organisation_id).count()
    contactable = (
        Person.objects.filter(organisation_id=organisation_id)
        .exclude(kind=Person.Kind.STAFF)
        .contactable()
        .count()
    )

    print("| | |\n|---|---|")
    print(f"| Python | {platform.python_version()} |")
    print(f"| SQLite | {connection.Database.sqlite_version} |")  # type: ignore[attr-defined]
    print(f"| People in the organisation | {people:,} |")
    print(f"| Candidates (not staff, contactable) | {contactable:,} |")
    print(f"| Consent records | {ConsentRecord.objects.count():,} |")
    print(f"| Attendance records | {Attendance.objects.count():,} |")
    print(f"| Queries per `suggest()` | {len(queries)} |")
    print()
    print("| What | median (ms) | min (ms) | max (ms) | runs |")
    print("|---|--:|--:|--:|--:|")
    print(
        f"| `suggest(opportunity)` (25 suggestions) | {suggest_ms:.1f} | "
        f"{min(suggest_times):.1f} | {max(suggest_times):.1f} | {args.runs} |"
    )
    print(
        f"| baseline: `Person.objects.filter(organisation=...).count()` | {count_ms:.1f} | "
        f"{min(count_times):.1f} | {max(count_times):.1f} | {args.runs} |"
    )
    print(f"\nRatio suggest / count: {suggest_ms / count_ms:.1f}x")
    print(f"Under 200 ms: {'yes' if suggest_ms < 200 else 'no'}")
    print(f"\nTop suggestion: score {suggestions[0].score}: {'; '.join(suggestions[0].reasons)}")
    folder.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
