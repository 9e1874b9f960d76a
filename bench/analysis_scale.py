"""Qualitative analysis at scale: one project of 10,000 documents and 1,000,000 feedback responses
with 2,000,000 coded segments by two coders, and how its pages, its agreement figures and a
1,000,000-row import behave.

    .venv/bin/python bench/analysis_scale.py [--db PATH] [--force] [--documents 10000]
        [--responses 1000000] [--segments N] [--import-rows 1000000] [--repeat 15]
        [--out PATH] [--skip-import] [--explain] [--profile NAME]

Build (once; again with --force): migrates a fresh SQLite file (default
bench/results/analysis.sqlite3) and bulk-inserts, without the services but row for row as they
would write them, one organisation with a lead analyst (`bench-lead`) and a coder
(`bench-coder`), a project whose comparison is open, a codebook of 40 codes (five groups of
seven), `--documents` released transcripts of 3 to 8 KB made of sentences from the demo's focus
groups (one import each, as pasting makes), a released survey dataset of `--responses` short
comments with a date and a service, and `--segments` coded segments: 20 to 40 by each coder in
every document, with the second coder's edges and codes partly different, and the rest spread
over the responses, each coded whole by both coders (who mostly agree). The full-text index is
filled by its triggers as the rows go in.

Measure: in-process through Django's test client (DEBUG off), as bench/impact.py does, each page
once to warm up and then `--repeat` times, with the median, the 95th percentile and the number
and time of SQL queries. Then `coding.project_agreement` over the whole project, and, in a child
process with a fresh database of its own (so its memory is the import's alone), the import of a
`--import-rows` CSV written to a temporary file, through `sources.queue_import` and
`sources.run_import` with pseudonymisation on (the default), then its release: rows per second,
peak resident memory (`getrusage`), and the peak of Python's own allocations (`tracemalloc`, in
a second, smaller run, since tracing slows the import several times: `--traced-rows`).

Bars from the issue: the comparison view of one source under 300 ms; the import under 500 MB.
Lists must stay fast (no number in the issue).

`--explain` prints SQLite's plan for each query slower than 5 ms; `--profile NAME` prints a
cProfile of one page (a name from the table) instead of timing them all.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import json
import os
import platform
import pstats
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import ROOT, configure_django, remove_database
from queries import QueryTimer

DEFAULT_DB = ROOT / "bench" / "results" / "analysis.sqlite3"
DEFAULT_OUT = ROOT / "bench" / "results" / "analysis.json"
LEAD = "bench-lead"
CODER = "bench-coder"
COMPARISON_BAR_MS = 300
IMPORT_BAR_MB = 500
BATCH = 10_000
CODE_GROUPS = 5
CODES_PER_GROUP = 7
SERVICES = [
    "Chemotherapy day unit",
    "Radiotherapy",
    "Breast clinic",
    "Lung cancer pathway",
    "Haematology ward",
    "Acute oncology",
    "Palliative care",
    "Outpatients",
]


# Text -------------------------------------------------------------------------------------


def sentence_pool() -> list[str]:
    """Sentences from the demo's focus groups and survey, without any that name someone."""
    from coproduce.analysis.pseudonymise import Pseudonymiser
    from coproduce.demo import analysis as demo

    sentences: set[str] = {part for part, _ in demo.COMMENT_PARTS}
    for transcript in [*demo.TRANSCRIPTS, demo.BLIND_TRANSCRIPT]:
        for line in transcript.text.splitlines():
            words = line.split(": ", 1)[-1]
            sentences.update(s for s in re.split(r"(?<=[.?!])\s+", words) if len(s) > 20)
    finder = Pseudonymiser({})
    return sorted(s for s in sentences if not finder.find(s) and not re.search(r"\d", s))


def document_text(rng: random.Random, pool: list[str]) -> str:
    target = rng.randint(3_000, 8_000)
    lines: list[str] = []
    size = 0
    while size < target:
        speaker = "Facilitator" if rng.random() < 0.25 else f"P{rng.randint(1, 6)}"
        line = f"{speaker}: {' '.join(rng.choices(pool, k=rng.randint(1, 4)))}"
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines) + "\n"


def comment(rng: random.Random, parts: list[str]) -> str:
    return " ".join(rng.sample(parts, rng.choices((1, 2, 3), weights=(45, 40, 15))[0]))


# Writing rows as the services would, but in bulk ------------------------------------------


class Rows:
    """INSERTs for one model: the columns given per row, and every other field at its default
    (or now, for timestamps), as the ORM would write it. Values are given as stored."""

    def __init__(self, model: Any, given: list[str], **constants: Any) -> None:
        from django.db import connection
        from django.utils import timezone

        now = timezone.now()
        # A primary key not given is left to the database to number (PostgreSQL refuses NULL).
        fields = [
            field
            for field in model._meta.concrete_fields
            if field.attname in given or not field.primary_key
        ]
        self.given = given
        self.constants: dict[str, Any] = {}
        for field in fields:
            if field.attname in given:
                continue
            if field.attname in constants:
                value: Any = constants[field.attname]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()  # "" for text without a default, else None
            if value is None and not (field.null or field.primary_key):
                raise ValueError(f"{model.__name__}.{field.attname} needs a value")
            self.constants[field.attname] = field.get_db_prep_save(value, connection)
        self.order = [field.attname for field in fields]
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({marks})"

    def insert(self, rows: Iterable[tuple[Any, ...]]) -> int:
        from django.db import connection

        positions = {name: index for index, name in enumerate(self.given)}
        template = [
            (positions[name], None) if name in positions else (None, self.constants[name])
            for name in self.order
        ]
        count = 0
        batch: list[tuple[Any, ...]] = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(
                    tuple(row[index] if index is not None else value for index, value in template)
                )
                if len(batch) >= BATCH:
                    cursor.executemany(self.sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(self.sql, batch)
                count += len(batch)
        return count


def next_id(model: Any) -> int:
    from django.db.models import Max

    return int(model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _jittered(rng: random.Random, start: int, end: int, length: int) -> tuple[int, int]:
    start = min(max(0, start + rng.randint(-60, 60)), length - 1)
    end = min(max(start + 1, end + rng.randint(-60, 60)), length)
    return start, end


def document_coding(
    rng: random.Random, length: int, codes: list[int]
) -> Iterator[tuple[int, int, int, bool]]:
    """(code, start, end, by the lead?) for one document: 20 to 40 segments by the lead; the
    second coder draws most of the same passages with other edges, sometimes with another code,
    misses some, and codes a few of their own."""
    for _ in range(rng.randint(20, 40)):
        start = rng.randrange(0, max(1, length - 40))
        end = min(length, start + rng.randint(30, 500))
        code = rng.choice(codes)
        yield code, start, end, True
        roll = rng.random()
        if roll < 0.55:
            yield (code, *_jittered(rng, start, end, length), False)
        elif roll < 0.70:
            yield rng.choice(codes), start, end, False
        elif roll < 0.85:
            yield code, start, end, False
        if rng.random() < 0.15:
            other = rng.randrange(0, max(1, length - 40))
            yield rng.choice(codes), other, min(length, other + rng.randint(30, 300)), False


def build(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from coproduce.accounts.models import RoleAssignment, User
    from coproduce.analysis.models import (
        Attribute,
        Code,
        Dataset,
        Import,
        Layer,
        Project,
        Segment,
        Source,
        TeamMember,
        TeamRole,
    )
    from coproduce.core.roles import Role
    from coproduce.demo import analysis as demo
    from coproduce.demo.builder import DEMO_PASSWORD
    from coproduce.organisations.models import Organisation

    timings: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    timings["migrate_s"] = time.perf_counter() - started
    rng = random.Random(2026)
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    pool = sentence_pool()
    comment_parts = [part for part, _ in demo.COMMENT_PARTS]

    with transaction.atomic():
        organisation = Organisation.objects.create(
            name="Bench Valley Cancer Alliance", kind=Organisation.Kind.CANCER_ALLIANCE
        )
        users = {}
        for username, first in ((LEAD, "Lena"), (CODER, "Colin")):
            users[username] = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name="Bench",
                email=f"{username}@example.org",
            )
            RoleAssignment.objects.create(
                user=users[username], organisation=organisation, role=Role.ANALYST
            )
        lead, coder = users[LEAD], users[CODER]
        project = Project.objects.create(
            organisation=organisation,
            name="Feedback at national scale",
            comparison_opened_at=now,
        )
        TeamMember.objects.create(project=project, user=lead, role=TeamRole.LEAD)
        TeamMember.objects.create(project=project, user=coder, role=TeamRole.CODER)
        codes: list[int] = []
        for group in range(CODE_GROUPS):
            parent = Code.objects.create(
                project=project, name=f"Theme {group + 1}", position=group, colour="#005eb8"
            )
            codes.append(parent.pk)
            for child in range(CODES_PER_GROUP):
                codes.append(
                    Code.objects.create(
                        project=project,
                        parent=parent,
                        name=f"Code {group + 1}.{child + 1}",
                        position=child,
                        colour="#007f3b",
                    ).pk
                )
    segment_rows = Rows(
        Segment,
        ["project_id", "source_id", "code_id", "start", "end", "layer", "coder_id"],
        coded_at=now,
    )

    # Documents: one released import each, as pasting or uploading a file makes.
    started = time.perf_counter()
    import_rows = Rows(
        Import,
        [
            "id",
            "project_id",
            "file_name",
            "options",
            "status",
            "pseudonymised",
            "rows_done",
            "rows_total",
            "imported_by_id",
            "released_by_id",
            "released_at",
        ],
    )
    source_rows = Rows(
        Source,
        [
            "id",
            "project_id",
            "source_import_id",
            "dataset_id",
            "row",
            "kind",
            "name",
            "text",
            "values",
        ],
    )
    document_segments = 0
    first_import, first_source = next_id(Import), next_id(Source)
    for offset in range(0, args.documents, BATCH):
        numbers = range(offset, min(args.documents, offset + BATCH))
        texts = [document_text(rng, pool) for _ in numbers]
        with transaction.atomic():
            import_rows.insert(
                (
                    first_import + n,
                    project.pk,
                    f"focus-group-{n + 1:05d}.txt",
                    json.dumps({"format": "txt", "name": f"Focus group {n + 1:05d}"}),
                    Import.Status.RELEASED,
                    True,
                    1,
                    1,
                    lead.pk,
                    lead.pk,
                    stamp,
                )
                for n in numbers
            )
            source_rows.insert(
                (
                    first_source + n,
                    project.pk,
                    first_import + n,
                    None,
                    None,
                    Source.Kind.TEXT,
                    f"Focus group {n + 1:05d}",
                    text,
                    "{}",
                )
                for n, text in zip(numbers, texts, strict=True)
            )
            document_segments += segment_rows.insert(
                (
                    project.pk,
                    first_source + n,
                    code,
                    start,
                    end,
                    Layer.CODER,
                    lead.pk if by_lead else coder.pk,
                )
                for n, text in zip(numbers, texts, strict=True)
                for code, start, end, by_lead in document_coding(rng, len(text), codes)
            )
    timings["documents_s"] = time.perf_counter() - started

    # The survey: one import of many rows, released, with a date and a service per row.
    started = time.perf_counter()
    segments_wanted = (
        args.segments
        if args.segments is not None
        else 60 * args.documents + int(1.4 * args.responses)
    )
    response_segments = max(0, segments_wanted - document_segments)
    coded = min(args.responses, (response_segments + 1) // 2)
    per_response, extra = divmod(response_segments, coded) if coded else (0, 0)
    with transaction.atomic():
        survey = Import.objects.create(
            project=project,
            file_name="feedback.csv",
            status=Import.Status.RELEASED,
            pseudonymised=True,
            rows_done=args.responses,
            rows_total=args.responses,
            imported_by=lead,
            released_by=lead,
            released_at=now,
            options={
                "format": "csv",
                "name": "Feedback",
                "text_column": "Comment",
                "attribute_columns": ["Date", "Service"],
                "sheet": "",
            },
        )
        dataset = Dataset.objects.create(
            project=project, source_import=survey, name="Feedback", text_column="Comment"
        )
        attributes = [
            Attribute.objects.create(project=project, name=name) for name in ("Date", "Service")
        ]
        dataset.attributes.set(attributes)
    date_key, service_key = (str(attribute.pk) for attribute in attributes)
    first_source = next_id(Source)
    start_day = datetime.date(2024, 1, 1)
    response_count = 0
    for offset in range(0, args.responses, BATCH):
        numbers = range(offset, min(args.responses, offset + BATCH))
        texts = [comment(rng, comment_parts) for _ in numbers]
        with transaction.atomic():
            source_rows.insert(
                (
                    first_source + n,
                    project.pk,
                    survey.pk,
                    dataset.pk,
                    n + 2,
                    Source.Kind.RESPONSE,
                    f"Feedback, row {n + 2}",
                    text,
                    json.dumps(
                        {
                            date_key: (start_day + datetime.timedelta(days=n % 730)).isoformat(),
                            service_key: SERVICES[n % len(SERVICES)],
                        }
                    ),
                )
                for n, text in zip(numbers, texts, strict=True)
            )
            response_count += segment_rows.insert(
                row
                for n, text in zip(numbers, texts, strict=True)
                if n < coded
                for row in response_coding(
                    rng,
                    project.pk,
                    first_source + n,
                    len(text),
                    per_response + (n < extra),
                    codes,
                    lead.pk,
                    coder.pk,
                )
            )
    timings["responses_s"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    timings["analyze_s"] = time.perf_counter() - started
    return {
        "timings": {name: round(value, 1) for name, value in timings.items()},
        "document_segments": document_segments,
        "response_segments": response_count,
    }


def response_coding(
    rng: random.Random,
    project_id: int,
    source_id: int,
    length: int,
    count: int,
    codes: list[int],
    lead_id: int,
    coder_id: int,
) -> Iterator[tuple[Any, ...]]:
    """`count` whole-response segments, alternately by the lead and the coder; the coder gives
    the lead's code four times in five."""
    chosen = rng.sample(codes, min(len(codes), (count + 1) // 2))
    given: set[int] = set()
    for index in range(count):
        pair = chosen[index // 2] if index // 2 < len(chosen) else rng.choice(codes)
        if index % 2 == 0:
            yield project_id, source_id, pair, 0, length, "coder", lead_id
        else:
            code = pair if rng.random() < 0.8 else rng.choice(codes)
            if code in given:
                code = pair
            given.add(code)
            yield project_id, source_id, code, 0, length, "coder", coder_id


# Measuring ----------------------------------------------------------------------------------


def _p95(times: list[float]) -> float:
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def pages(project: Any) -> list[tuple[str, str, str, int | None, bool]]:
    """(name, URL, who asks, bar in ms, slow) for every page measured."""
    from django.db.models import Count, Max, Min

    from coproduce.analysis.models import Layer, Source

    documents = Source.objects.filter(project=project).documents()
    texts = documents.order_by("pk").values_list("pk", flat=True)
    typical = texts[texts.count() // 2]
    heaviest = (
        documents.filter(segments__layer=Layer.CODER)
        .annotate(n=Count("segments"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    dataset = project.datasets.get()
    rows = dataset.responses.aggregate(first=Min("pk"), last=Max("pk"), count=Count("pk"))
    last_page = max(1, -(-rows["count"] // 20))
    base = f"/analysis/{project.pk}"
    datasets = f"{base}/datasets/{dataset.pk}/"
    return [
        ("comparison-typical", f"{base}/comparison/{typical}/", LEAD, COMPARISON_BAR_MS, False),
        ("comparison-heaviest", f"{base}/comparison/{heaviest}/", LEAD, COMPARISON_BAR_MS, False),
        (
            "comparison-response",
            f"{base}/comparison/{rows['first']}/",
            LEAD,
            COMPARISON_BAR_MS,
            False,
        ),
        ("source-coding", f"{base}/sources/{typical}/", CODER, None, False),
        ("source-coding-heaviest-lead", f"{base}/sources/{heaviest}/", LEAD, None, False),
        ("dataset-first-page", datasets, CODER, None, False),
        ("dataset-middle-page", f"{datasets}?page={last_page // 2}", CODER, None, False),
        ("dataset-last-page", f"{datasets}?page={last_page}", CODER, None, False),
        ("dataset-uncoded", f"{datasets}?show=uncoded", CODER, None, False),
        ("sources-list", f"{base}/sources/", LEAD, None, False),
        ("project-overview", f"{base}/", CODER, None, False),
        ("comparison-overview", f"{base}/comparison/", LEAD, None, True),
    ]


def explain(sql: str, params: Any) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [str(row[-1]) for row in cursor.fetchall()]


def measure_pages(args: argparse.Namespace, project: Any) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client

    from coproduce.accounts.models import User

    clients = {}
    for username in (LEAD, CODER):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    measured = pages(project)
    if args.only:
        wanted = set(args.only.split(","))
        measured = [page for page in measured if page[0] in wanted]
    if args.profile:
        name, url, who, *_ = next(page for page in measured if page[0] == args.profile)
        clients[who].get(url)
        profiler = cProfile.Profile()
        profiler.enable()
        clients[who].get(url)
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(45)
        print(stream.getvalue())
        return []
    print(
        "| page | as | median ms | p95 ms | min ms | queries | SQL ms | KB | bar |\n"
        "|---|---|--:|--:|--:|--:|--:|--:|:-:|"
    )
    results = []
    for name, url, who, bar_ms, slow in measured:
        client = clients[who]
        repeat = args.slow_repeat if slow else args.repeat
        if not slow:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        times: list[float] = []
        queries: list[int] = []
        sql_ms: list[float] = []
        slowest: dict[str, tuple[Any, float]] = {}
        size = 0
        for _ in range(repeat):
            timer = QueryTimer()
            started = time.perf_counter()
            with connection.execute_wrapper(timer):
                response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            size = len(response.content)
            queries.append(len(timer.queries))
            sql_ms.append(sum(ms for *_, ms in timer.queries))
            for sql, params, ms in timer.queries:
                if ms > 5 and (sql not in slowest or slowest[sql][1] < ms):
                    slowest[sql] = (params, ms)
        row: dict[str, Any] = {
            "page": name,
            "url": url,
            "user": who,
            "bytes": size,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(_p95(times), 1),
            "min_ms": round(min(times), 1),
            "max_ms": round(max(times), 1),
            "repeat": repeat,
            "queries": int(statistics.median(queries)),
            "sql_ms": round(statistics.median(sql_ms), 1),
            "bar_ms": bar_ms,
            "met": None if bar_ms is None else _p95(times) <= bar_ms,
            "slow_queries": [
                {"sql": sql[:2000], "ms": round(ms, 1)}
                for sql, (params, ms) in sorted(slowest.items(), key=lambda item: -item[1][1])
            ],
        }
        if args.explain:
            for sql, (params, ms) in sorted(slowest.items(), key=lambda item: -item[1][1]):
                plan = explain(sql, params)
                print(f"\n--- {name}: {ms:.1f} ms\n{sql}\nparams: {params}")
                for line in plan:
                    print("   ", line)
        results.append(row)
        verdict = "—" if bar_ms is None else ("met" if row["met"] else "**missed**")
        print(
            f"| {name} | {who} | {row['median_ms']:.0f} | {row['p95_ms']:.0f} |"
            f" {row['min_ms']:.0f} | {row['queries']} | {row['sql_ms']:.0f} |"
            f" {size // 1024} | {verdict}{f' (< {bar_ms} ms)' if bar_ms else ''} |",
            flush=True,
        )
    return results


def measure_agreement(args: argparse.Namespace, project: Any) -> dict[str, Any]:
    from coproduce.analysis.services import coding

    times = []
    reset_peak()
    before = current_rss_mb()
    with MemorySampler() as memory:
        for _ in range(args.slow_repeat):
            started = time.perf_counter()
            result = coding.project_agreement(project)
            times.append(time.perf_counter() - started)
    overall = result.overall
    found = {
        "median_s": round(statistics.median(times), 2),
        "min_s": round(min(times), 2),
        "max_s": round(max(times), 2),
        "repeat": args.slow_repeat,
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(rss_mb(), 1),
        "peak_rss_anonymous_mb": round(memory.peaks["RssAnon"], 1),
        "peak_rss_file_mb": round(memory.peaks["RssFile"], 1),
        "percent": overall.percent,
        "kappa": overall.kappa,
        "alpha": overall.alpha,
        "codes": len(result.by_code),
    }
    print(
        f"\ncoding.project_agreement: median {found['median_s']} s over {args.slow_repeat}"
        f" (min {found['min_s']}, max {found['max_s']}); peak RSS of the process "
        f"{found['peak_rss_mb']} MB (before: {found['rss_before_mb']} MB; largest anonymous "
        f"{found['peak_rss_anonymous_mb']} MB, file-backed {found['peak_rss_file_mb']} MB); percent {overall.percent:.3f}, kappa {overall.kappa:.3f},"
        f" alpha {overall.alpha:.3f}",
        flush=True,
    )
    return found


def rss_mb() -> float:
    """Peak resident memory of this process since the last `reset_peak` (VmHWM). getrusage's
    maximum is a fallback only: Linux carries it over from the parent through fork and exec."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Start the peak (VmHWM) again from the present resident size, where Linux allows it."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1_048_576


# The import, in a child process of its own --------------------------------------------------


class MemorySampler:
    """The largest resident memory seen, split into anonymous memory (Python's heap and
    SQLite's page cache) and file pages (mainly the database file, which SQLite maps into memory
    up to its `mmap_size`): /proc/self/status read every quarter of a second."""

    FIELDS = ("VmRSS", "RssAnon", "RssFile")

    def __init__(self) -> None:
        self.peaks = dict.fromkeys(self.FIELDS, 0.0)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def sample(self) -> None:
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    name, _, value = line.partition(":")
                    if name in self.peaks:
                        self.peaks[name] = max(self.peaks[name], int(value.split()[0]) / 1024)
        except OSError:
            pass

    def run(self) -> None:
        while not self.stopped.wait(0.25):
            self.sample()

    def __enter__(self) -> MemorySampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()
        self.sample()


def write_csv(path: Path, rows: int, seed: int = 7) -> int:
    """A feedback export: Date, Service, Comment; about one comment in fifty leaves a name or a
    phone number for pseudonymisation to find."""
    import csv

    from coproduce.demo import analysis as demo

    rng = random.Random(seed)
    parts = [part for part, _ in demo.COMMENT_PARTS]
    extras = [
        "Thank you to Sister Karen Whitfield on the ward.",
        "Please ring me back on 07700 900{n:03d}.",
        "My daughter Priya Patel came with me every time.",
    ]
    start = datetime.date(2024, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Date", "Service", "Comment"])
        for n in range(rows):
            text = comment(rng, parts)
            if rng.random() < 0.02:
                text += " " + rng.choice(extras).format(n=n % 1000)
            writer.writerow(
                [(start + datetime.timedelta(days=n % 730)).isoformat(), SERVICES[n % 8], text]
            )
    return path.stat().st_size


def import_child(rows: int, traced: bool) -> dict[str, Any]:
    """Runs in a fresh process with a fresh database: write the CSV, queue it, run it, release."""
    import tracemalloc

    folder = Path(tempfile.mkdtemp(prefix="coproduce-import-"))
    os.environ["COPRODUCE_UPLOADS"] = str(folder / "uploads")
    configure_django(folder / "import.sqlite3")
    from django.core.files.uploadedfile import UploadedFile
    from django.core.management import call_command

    from coproduce.accounts.models import RoleAssignment, User
    from coproduce.analysis.models import Import, Project, Replacement, Source, TeamMember
    from coproduce.analysis.services import sources
    from coproduce.core.roles import Role
    from coproduce.organisations.models import Organisation

    call_command("migrate", interactive=False, verbosity=0)
    organisation = Organisation.objects.create(
        name="Import Cancer Alliance", kind=Organisation.Kind.CANCER_ALLIANCE
    )
    lead = User.objects.create_user(username=LEAD, email="lead@example.org")
    RoleAssignment.objects.create(user=lead, organisation=organisation, role=Role.ANALYST)
    project = Project.objects.create(organisation=organisation, name="Import")
    TeamMember.objects.create(project=project, user=lead, role="lead")
    csv_path = folder / "feedback.csv"
    started = time.perf_counter()
    size = write_csv(csv_path, rows)
    written_s = time.perf_counter() - started
    baseline = current_rss_mb()
    reset_peak()
    if traced:
        tracemalloc.start()
    with MemorySampler() as memory:
        started = time.perf_counter()
        with csv_path.open("rb") as stream:
            upload = UploadedFile(stream, name="feedback.csv", content_type="text/csv", size=size)
            queued = sources.queue_import(
                by=lead,
                project=project,
                upload=upload,
                text_column="Comment",
                attribute_columns=["Date", "Service"],
            )
        queued_s = time.perf_counter() - started
        started = time.perf_counter()
        done = sources.run_import(queued.pk)
        run_s = time.perf_counter() - started
    with MemorySampler() as releasing:
        started = time.perf_counter()
        if done.status == Import.Status.REVIEW:
            done = sources.release(by=lead, source_import=done)
        release_s = time.perf_counter() - started
    traced_peak = None
    if traced:
        traced_peak = tracemalloc.get_traced_memory()[1] / 1_048_576
        tracemalloc.stop()
    result = {
        "rows": rows,
        "csv_mb": round(size / 1_048_576, 1),
        "write_csv_s": round(written_s, 1),
        "queue_s": round(queued_s, 2),
        "run_import_s": round(run_s, 1),
        "rows_per_s": round(rows / run_s),
        "release_s": round(release_s, 1),
        "status": done.status,
        "error": done.error,
        "sources": Source.objects.filter(source_import=done).count(),
        "replacements": Replacement.objects.filter(source__source_import=done).count(),
        "rss_before_mb": round(baseline, 1),
        "peak_rss_mb": round(rss_mb(), 1),
        # While the file is read (`run_import`), then while it is released.
        "peak_rss_anonymous_mb": round(memory.peaks["RssAnon"], 1),
        "peak_rss_file_mb": round(memory.peaks["RssFile"], 1),
        "release_peak_rss_anonymous_mb": round(releasing.peaks["RssAnon"], 1),
        "release_peak_rss_file_mb": round(releasing.peaks["RssFile"], 1),
        "tracemalloc_peak_mb": None if traced_peak is None else round(traced_peak, 1),
        "database_mb": round((folder / "import.sqlite3").stat().st_size / 1_048_576, 1),
    }
    shutil.rmtree(folder)
    return result


def measure_import(rows: int, traced: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--import-child", str(rows)]
    if traced:
        command.append("--traced")
    finished = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if finished.returncode:
        print(finished.stderr, file=sys.stderr)
        raise SystemExit(f"The import child failed ({finished.returncode})")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def data_counts() -> dict[str, int]:
    from coproduce.analysis.models import Code, Import, Segment, Source

    return {
        "documents": Source.objects.documents().count(),
        "responses": Source.objects.responses().count(),
        "segments": Segment.objects.count(),
        "codes": Code.objects.count(),
        "imports": Import.objects.count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"default: {DEFAULT_DB}")
    parser.add_argument("--force", action="store_true", help="build the database again")
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument(
        "--segments",
        type=int,
        help="coded segments in all (default 60 per document + 1.4 per response: 2,000,000)",
    )
    parser.add_argument(
        "--import-rows", type=int, help="rows in the imported CSV (default: --responses)"
    )
    parser.add_argument(
        "--traced-rows",
        type=int,
        default=20_000,
        help="rows in the second import, run under tracemalloc (0: none)",
    )
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--slow-repeat",
        type=int,
        default=1,
        help="repeats of project_agreement and the agreement overview page",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--explain", action="store_true", help="plans of queries over 5 ms")
    parser.add_argument("--profile", metavar="NAME", help="cProfile one page instead")
    parser.add_argument(
        "--only", metavar="NAMES", help="measure only these pages (names, comma-separated)"
    )
    parser.add_argument(
        "--pages-only", action="store_true", help="skip project_agreement and the import"
    )
    parser.add_argument("--import-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.slow_repeat < 1:
        parser.error("--repeat and --slow-repeat must be at least 1")

    if args.import_child is not None:
        print(json.dumps(import_child(args.import_child, args.traced)))
        return 0

    whole = time.perf_counter()
    db: Path = args.db.resolve()
    built = None
    if args.force or not db.exists():
        remove_database(db)
        db.parent.mkdir(parents=True, exist_ok=True)
        configure_django(db)
        started = time.perf_counter()
        built = build(args)
        built["seconds"] = round(time.perf_counter() - started, 1)
        print(f"Built {db} in {built['seconds']} s: {built}", flush=True)
    else:
        configure_django(db)
        from django.core.management import call_command

        # A database built before the latest migrations is brought up to date first.
        call_command("migrate", interactive=False, verbosity=0)

    import django
    from django.db import connection

    from coproduce.analysis.models import Project

    project = Project.objects.get(name="Feedback at national scale")
    counts = data_counts()
    print(
        f"Data: {', '.join(f'{n:,} {label}' for label, n in counts.items())}; "
        f"{db.stat().st_size / 1_048_576:,.0f} MiB. Median of {args.repeat} after a warm-up.",
        flush=True,
    )
    page_rows = measure_pages(args, project)
    if args.profile:
        return 0
    if args.pages_only:
        return 0
    agreement = measure_agreement(args, project)
    connection.close()

    imports = []
    if not args.skip_import:
        for rows, traced in (
            (args.import_rows or args.responses, False),
            (args.traced_rows, True),
        ):
            if not rows:
                continue
            found = measure_import(rows, traced)
            imports.append(found)
            print(
                f"\nImport of {rows:,} rows{' (traced)' if traced else ''}: "
                f"{found['run_import_s']} s, {found['rows_per_s']:,} rows/s, release "
                f"{found['release_s']} s, peak RSS {found['peak_rss_mb']} MB (before: "
                f"{found['rss_before_mb']} MB; largest anonymous "
                f"{found['peak_rss_anonymous_mb']} MB reading and "
                f"{found['release_peak_rss_anonymous_mb']} MB releasing, largest file-backed "
                f"{found['peak_rss_file_mb']} MB), tracemalloc peak "
                f"{found['tracemalloc_peak_mb']} MB; {found['status']}, "
                f"{found['replacements']} replacements",
                flush=True,
            )

    result = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "django": django.get_version(),
        },
        "database": str(db),
        "database_mb": round(db.stat().st_size / 1_048_576, 1),
        "built": built,
        "data": counts,
        "repeat": args.repeat,
        "pages": page_rows,
        "agreement": agreement,
        "imports": imports,
        "bars": {"comparison_ms": COMPARISON_BAR_MS, "import_mb": IMPORT_BAR_MB},
        "seconds": round(time.perf_counter() - whole, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWritten to {args.out} after {result['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
