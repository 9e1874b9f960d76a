"""Time full-text search in an analysis project of 1,000,000 feedback responses, in-process.

    .venv/bin/python bench/analysis_search.py [--db PATH] [--responses 1000000] [--force]
    .venv/bin/python bench/analysis_search.py --repeat 9 --out bench/results/search-2.json
    .venv/bin/python bench/analysis_search.py --explain "staff friendly"

Builds (or reuses, when it holds the same number of responses) a SQLite file with one project:
`--responses` survey responses of one to three sentences each, drawn with a fixed seed from the
sentences of the development feedback set (../shared/data/nhs-feedback-phase1/text_data.csv,
read at build time and not copied anywhere else), `--documents` longer documents made the same
way, a service and a score on every response, dates spread over two years, and two coders who
each code every response with one of 32 codes (so 2,000,000 coded segments by default). Coding
is blind, as it is while a team codes.

Then it runs a fixed set of 50 searches (common and rare words, phrases, OR, exclusions,
prefixes, and each kind of filter) through `coproduce.analysis.search.search()` as the lead
analyst, page 1, and the same set for the search page itself through Django's test client
(`DEBUG` off), `--repeat` times each after one warm-up pass. It prints the matches, the median
per search, and p50/p95 over every timed run, and writes them to `bench/results/
analysis-search.json` (or `--out`). Bar: p95 under 500 ms.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import ROOT, configure_django, remove_database

DEFAULT_DB = ROOT / "bench" / "results" / "analysis-search.sqlite3"
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "nhs-feedback-phase1" / "text_data.csv"
DEFAULT_OUT = ROOT / "bench" / "results" / "analysis-search.json"
SERVICES = [
    "Radiotherapy",
    "Chemotherapy day unit",
    "Breast clinic",
    "Haematology ward",
    "Outpatients",
    "Surgery",
    "Imaging",
    "Palliative care",
]
CODES = 32
BATCH = 20_000

# (label, query, filters): filters name what `filters()` builds below.
SEARCHES: list[tuple[str, str, str]] = [
    ("common word", "staff", ""),
    ("common word", "care", ""),
    ("common word", "friendly", ""),
    ("common word", "time", ""),
    ("common word", "helpful", ""),
    ("common word", "ward", ""),
    ("common words, all", "staff friendly helpful", ""),
    ("common words, all", "very good care", ""),
    ("common words, all", "nurses doctors", ""),
    ("common words, all", "waiting time appointment", ""),
    ("rare word", "temperature", ""),
    ("rare word", "mattress", ""),
    ("rare word", "sandwich", ""),
    ("rare word", "fatigue", ""),
    ("rare word", "recruitment", ""),
    ("rare word", "alzheimer", ""),
    ("absent word", "helicopter", ""),
    ("absent words", "zebra crossing", ""),
    ("phrase", '"long wait"', ""),
    ("phrase", '"waiting time"', ""),
    ("phrase", '"very friendly"', ""),
    ("phrase", '"could not be better"', ""),
    ("phrase", '"well looked after"', ""),
    ("phrase", '"thank you"', ""),
    ("phrase and word", '"well looked after" nurses', ""),
    ("OR", "nurse OR doctor", ""),
    ("OR", "parking OR transport", ""),
    ("OR and word", "rude OR unhelpful staff", ""),
    ("exclude", "staff -friendly", ""),
    ("exclude", "food -cold", ""),
    ("exclude", '"thank you" -staff', ""),
    ("prefix", "commun*", ""),
    ("prefix", "park*", ""),
    ("prefix", "explain*", ""),
    ("prefix and word", "appoint* cancel*", ""),
    ("word, kind", "staff", "kind"),
    ("word, code", "staff", "code"),
    ("rare word, code", "temperature", "code"),
    ("phrase, code", '"lack of communication"', "code"),
    ("word, code, coder in blind coding", "staff", "code-as-coder"),
    ("word, coder", "waiting", "coder"),
    ("word, coder in blind coding", "waiting", "coder-as-coder"),
    ("word, attribute", "staff", "attribute"),
    ("rare word, attribute", "mattress", "attribute"),
    ("phrase, attribute", '"waiting time"', "attribute"),
    ("word, dates", "staff", "dates"),
    ("rare word, dates", "fatigue", "dates"),
    ("word, all filters", "helpful", "all"),
    ("prefix, code", "commun*", "code"),
    ("OR, attribute and dates", "nurse OR doctor", "attribute-dates"),
]
assert len(SEARCHES) == 50


def sentences(path: Path) -> list[str]:
    found: list[str] = []
    with path.open(encoding="utf-8", newline="") as data:
        for row in csv.DictReader(data):
            for sentence in re.split(r"(?<=[.!?])\s+", row["feedback"].strip()):
                if 10 <= len(sentence) <= 300:
                    found.append(sentence)
    return found


def build(responses: int, documents: int, data: Path, seed: int = 2026) -> None:
    """Fill a migrated, empty database. Sources and segments go in through the database's own
    cursor in large batches (the FTS5 triggers index each row as it goes in)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from coproduce.accounts.models import RoleAssignment, User
    from coproduce.analysis.models import (
        Attribute,
        Code,
        Dataset,
        Import,
        Project,
        TeamMember,
        TeamRole,
    )
    from coproduce.core.roles import Role
    from coproduce.organisations.models import Organisation

    rng = random.Random(seed)
    pool = sentences(data)
    now = timezone.now()
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name="Bench Valley Cancer Alliance", kind=Organisation.Kind.CANCER_ALLIANCE
        )
        people = {}
        for username in ("lead", "coder"):
            user = User.objects.create_user(
                username=username, email=f"{username}@example.org", first_name=username
            )
            RoleAssignment.objects.create(user=user, organisation=organisation, role=Role.ANALYST)
            people[username] = user
        project = Project.objects.create(organisation=organisation, name="Feedback at scale")
        for username, team_role in (("lead", TeamRole.LEAD), ("coder", TeamRole.CODER)):
            TeamMember.objects.create(project=project, user=people[username], role=team_role)
        service = Attribute.objects.create(project=project, name="Service")
        score = Attribute.objects.create(project=project, name="Score", kind=Attribute.Kind.NUMBER)
        released = Import.objects.create(
            project=project,
            file_name="feedback.csv",
            status=Import.Status.RELEASED,
            rows_done=responses,
            rows_total=responses,
            released_at=now,
        )
        dataset = Dataset.objects.create(
            project=project, source_import=released, name="Feedback", text_column="Comment"
        )
        dataset.attributes.set([service, score])
        codes = Code.objects.bulk_create(
            Code(project=project, name=f"Code {number}", position=number) for number in range(CODES)
        )
        documents_import = Import.objects.create(
            project=project,
            file_name="",
            status=Import.Status.RELEASED,
            rows_done=documents,
            released_at=now,
        )

    def when() -> str:
        # As Django stores a datetime in SQLite: UTC, a space between date and time, no zone.
        moment = now - datetime.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        return str(moment.astimezone(datetime.UTC).replace(tzinfo=None))

    code_ids = [code.pk for code in codes]
    lead_id, coder_id = people["lead"].pk, people["coder"].pk
    source_sql = (
        "INSERT INTO analysis_source (created_at, updated_at, project_id, source_import_id, "
        'dataset_id, "row", kind, name, text, turns, original_text, case_id, "values", '
        "activity_document_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, '[]', '', NULL, "
        "%s, NULL)"
    )
    segment_sql = (
        'INSERT INTO analysis_segment (project_id, source_id, code_id, start, "end", layer, '
        "coder_id, coded_at, coder_label) VALUES (%s, %s, %s, 0, %s, 'coder', %s, %s, '')"
    )
    for first in range(0, documents, BATCH):
        rows: list[tuple[Any, ...]] = []
        for number in range(first, min(documents, first + BATCH)):
            text = " ".join(rng.choices(pool, k=rng.randint(40, 120)))
            created = when()
            rows.append(
                (created, created, project.pk, documents_import.pk, None, None, "document",
                 f"Document {number + 1}", text, "{}")
            )  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(source_sql, rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM analysis_source")
        next_id = cursor.fetchone()[0] + 1
    for first in range(0, responses, BATCH):
        rows = []
        segments: list[tuple[Any, ...]] = []
        for offset, row in enumerate(range(first + 2, min(responses, first + BATCH) + 2)):
            text = " ".join(rng.choices(pool, k=rng.choice((1, 1, 2, 2, 2, 3))))
            created = when()
            values = json.dumps(
                {str(service.pk): rng.choice(SERVICES), str(score.pk): str(rng.randint(1, 5))}
            )
            rows.append(
                (created, created, project.pk, released.pk, dataset.pk, row, "response",
                 f"Feedback, row {row}", text, values)
            )  # fmt: skip
            source_id = next_id + offset
            code = rng.choice(code_ids)
            segments.append((project.pk, source_id, code, len(text), lead_id, created))
            # The coder agrees with the lead about seven times in ten.
            other = code if rng.random() < 0.7 else rng.choice(code_ids)
            segments.append((project.pk, source_id, other, len(text), coder_id, created))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(source_sql, rows)
            cursor.executemany(segment_sql, segments)
        next_id += len(rows)
        print(f"  {first + len(rows):,} responses", file=sys.stderr, end="\r")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("INSERT INTO analysis_source_fts(analysis_source_fts) VALUES ('optimize')")
    print(file=sys.stderr)


def filters(name: str, project: Any) -> Any:
    from coproduce.accounts.models import User
    from coproduce.analysis.models import Attribute, Code
    from coproduce.analysis.search import Filters, Kind

    code = Code.objects.get(project=project, name="Code 3")
    service = Attribute.objects.get(project=project, name="Service")
    coder = User.objects.get(username="coder")
    today = datetime.date.today()
    start = today - datetime.timedelta(days=90)
    return {
        "": Filters(),
        "kind": Filters(kind=Kind.RESPONSES),
        "code": Filters(code=code),
        "code-as-coder": Filters(code=code),
        "coder": Filters(coder=coder),
        "coder-as-coder": Filters(coder=coder),
        "attribute": Filters(attribute=service, value="radiotherapy"),
        "dates": Filters(added_from=start, added_to=today),
        "attribute-dates": Filters(
            attribute=service, value="radiotherapy", added_from=start, added_to=today
        ),
        "all": Filters(
            kind=Kind.RESPONSES,
            code=code,
            attribute=service,
            value="radiotherapy",
            added_from=start,
            added_to=today,
        ),
    }[name]


def page_query(query: str, name: str, project: Any) -> dict[str, str]:
    chosen = filters(name, project)
    params = {"q": query}
    if chosen.kind:
        params["kind"] = chosen.kind
    if chosen.code:
        params["code"] = str(chosen.code.pk)
    if chosen.coder:
        params["coder"] = str(chosen.coder.pk)
    if chosen.attribute:
        params.update(attribute=str(chosen.attribute.pk), value=chosen.value)
    for field in ("added_from", "added_to"):
        day = getattr(chosen, field)
        if day:
            params.update({f"{field}-day": str(day.day), f"{field}-month": str(day.month),
                           f"{field}-year": str(day.year)})  # fmt: skip
    return params


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--force", action="store_true", help="rebuild the database")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--explain", metavar="QUERY", help="print the query plans of one search")
    args = parser.parse_args(argv)

    db = args.db.resolve()
    db.parent.mkdir(parents=True, exist_ok=True)
    if args.force:
        remove_database(db)
    existed = db.exists()
    configure_django(db)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from coproduce.accounts.models import User
    from coproduce.analysis import search
    from coproduce.analysis.models import Project, Segment, Source

    build_seconds = None
    if existed and Source.objects.responses().count() != args.responses:
        parser.error(f"{db} holds another number of responses: use --force to rebuild it")
    if not existed:
        if not args.data.exists():
            parser.error(f"{args.data} does not exist: point --data at text_data.csv")
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        build(args.responses, args.documents, args.data)
        build_seconds = time.perf_counter() - started
        print(f"Built {db} in {build_seconds:.0f} s", file=sys.stderr)

    project = Project.objects.get(name="Feedback at scale")
    lead = User.objects.get(username="lead")
    coder = User.objects.get(username="coder")

    if args.explain:
        queries: list[tuple[str, Any, float]] = []

        def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((sql, params, (time.perf_counter() - started) * 1000))

        with connection.execute_wrapper(keep):
            search.search(project, args.explain, user=lead)
        with connection.cursor() as cursor:
            for sql, params, took in queries:
                print(f"{took:.1f} ms: {sql} {params}")
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                for row in cursor.fetchall():
                    print("   ", row[-1])
        return 0

    clients = {}
    for user in (lead, coder):
        clients[user.username] = Client()
        clients[user.username].force_login(user)

    def runner(label: str, query: str, name: str) -> tuple[Any, Any]:
        user = coder if name.endswith("-as-coder") else lead
        chosen = filters(name, project)
        params = page_query(query, name, project)
        client = clients[user.username]
        url = f"/analysis/{project.pk}/search/"

        def engine() -> str:
            found = search.search(project, query, user=user, filters=chosen)
            return f"about {found.total:,}" if found.estimated else f"{found.total:,}"

        def page() -> str:
            response = client.get(url, params)
            assert response.status_code == 200, (query, response.status_code)
            assert b"nhsuk-error-summary" not in response.content, (query, params)
            return ""

        return engine, page

    runners = [runner(*entry) for entry in SEARCHES]
    totals = [engine() for engine, page in runners]  # warm-up
    for _, page in runners:
        page()
    engine_times: list[list[float]] = [[] for _ in SEARCHES]
    page_times: list[list[float]] = [[] for _ in SEARCHES]
    for _ in range(args.repeat):
        for index, (engine, page) in enumerate(runners):
            for action, times in ((engine, engine_times), (page, page_times)):
                started = time.perf_counter()
                action()
                times[index].append((time.perf_counter() - started) * 1000)

    print("| | |\n|---|---|")
    print(f"| Python | {platform.python_version()} |")
    print(f"| SQLite | {connection.Database.sqlite_version} |")  # type: ignore[attr-defined]
    print(f"| Responses | {Source.objects.responses().count():,} |")
    print(f"| Documents | {Source.objects.documents().count():,} |")
    print(f"| Coded segments | {Segment.objects.count():,} |")
    print(f"| Database file | {db.stat().st_size / 2**20:,.0f} MiB |")
    if build_seconds is not None:
        print(f"| Build | {build_seconds:.0f} s |")
    print(f"| Runs per search | {args.repeat} (after one warm-up) |")
    print()
    print("| # | What | Search | Filter | Matches | search() median ms | page median ms |")
    print("|--:|---|---|---|--:|--:|--:|")
    for index, ((label, query, name), total) in enumerate(zip(SEARCHES, totals, strict=True)):
        print(
            f"| {index + 1} | {label} | `{query}` | {name or '-'} | {total} | "
            f"{statistics.median(engine_times[index]):.0f} | "
            f"{statistics.median(page_times[index]):.0f} |"
        )
    summary = {}
    print()
    print("| | p50 ms | p95 ms | max ms | p95 under 500 ms |")
    print("|---|--:|--:|--:|---|")
    for name, times in (("search()", engine_times), ("search page", page_times)):
        every = [value for per_search in times for value in per_search]
        p50, p95 = percentile(every, 0.5), percentile(every, 0.95)
        summary[name] = {"p50_ms": p50, "p95_ms": p95, "max_ms": max(every)}
        print(
            f"| {name} | {p50:.0f} | {p95:.0f} | {max(every):.0f} | {'yes' if p95 < 500 else 'no'} |"
        )
    print(
        "\nMatches marked 'about' are estimated from a sample (see coproduce/analysis/search.py)."
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "when": datetime.datetime.now().isoformat(timespec="seconds"),
                "python": platform.python_version(),
                "sqlite": connection.Database.sqlite_version,  # type: ignore[attr-defined]
                "responses": args.responses,
                "documents": args.documents,
                "repeat": args.repeat,
                "build_seconds": build_seconds,
                "summary": summary,
                "searches": [
                    {
                        "label": label,
                        "query": query,
                        "filter": name,
                        "matches": total,
                        "search_ms": engine_times[index],
                        "page_ms": page_times[index],
                    }
                    for index, ((label, query, name), total) in enumerate(
                        zip(SEARCHES, totals, strict=True)
                    )
                ],
            },
            indent=2,
        )
    )
    print(f"\nWrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
