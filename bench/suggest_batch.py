"""A batch of suggestions end to end from the database: 1,000,000 survey responses, a model
trained on 20,000 of them coded, and every uncoded one read by one worker and then by two.

    .venv/bin/python bench/suggest_batch.py [--responses 1000000] [--coded 20000]
        [--part-size 20000] [--modes one,two] [--rq] [--quick] [--db PATH] [--force]
        [--profile] [--pages] [--database-url postgres://...] [--out PATH]

Build (once per size; again with --force): migrates a fresh SQLite file (default
bench/results/suggest-batch-<responses>.sqlite3) and bulk-inserts a project with a lead and a
coder, a codebook of the development set's sub-categories, a released survey dataset of
`--responses` comments made up from the development comments (../shared/data/
nhs-feedback-phase1/text_data.csv, read at run time, never copied: each comment a development
one with small random changes, as bench/suggest_speed.py makes them; without that file, the
demo survey's sentences changed the same way), and the first `--coded`
of them coded whole with their sub-category, as Segments. The codes model is then trained
through the service (`suggestions.train` + `run_training`, in this process) and kept.

Measure, for each mode, from a database with no batch, suggestion or reading left: the time
from `batches.start` to the last part done, in responses per second, and each worker's peak
resident memory (VmHWM, from /proc):
- one: one worker process (spawned, so it starts from nothing) runs `batches.run_part` on
  every part in turn;
- two: two such processes take parts from a shared queue;
- rq (`--rq`): a redis-server on a free port (no persistence) and two `manage.py rqworker
  default` processes (SimpleWorker, django_tasks_rq's Job class); `batches.start` enqueues the
  parts through django-tasks' RQ backend, as production does with REDIS_URL set.
Worker start-up (Django, NumPy, scikit-learn) is before the clock starts for `one` and `two`;
for `rq` the workers are started and have connected before `batches.start` too.

Bars from the issue: one worker, 1,000,000 responses end to end within 2 minutes; two workers
<= 0.6 of one worker's time; under 1 GB per worker. `--quick` is 20,000 responses (5,000
coded, parts of 2,000) with all three modes: CI's check that the fan-out works.

`--database-url` builds and measures in that database instead (PostgreSQL, which production
uses: its writers do not wait for each other as SQLite's do). The database is used only if it
is empty or holds this benchmark's project; `--force` empties it (drops its public schema).

`--pages` then times, as the lead and over the last mode's batch (every response read and its
suggestions waiting), the pages a team reads: the suggested codes overview, the review's first
page, its complex-only and one-code filters, a page deep in the review, and the trends.

`--profile` runs one part in this process under cProfile and prints where its time goes:
reading the texts, scoring, deleting and writing rows.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import multiprocessing
import os
import platform
import pstats
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import ROOT, configure_django, remove_database

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "nhs-feedback-phase1" / "text_data.csv"
DEFAULT_OUT = ROOT / "bench" / "results" / "suggest-batch.json"
LEAD = "bench-lead"
CODER = "bench-coder"
PROJECT = "Suggestions at national scale"
ONE_BAR_S = 120
TWO_RATIO_BAR = 0.6
RSS_BAR_MB = 1024


def peak_rss_mb(pid: int | str = "self") -> float:
    """The process's peak resident set (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# Build ------------------------------------------------------------------------------------


def comments(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """`--responses` made-up comments and the sub-category (code) of each."""
    from suggest_speed import made_up, perturb

    if args.data.exists():
        from suggest_quality import load

        base_texts, labels, _ = load(args.data, "subcategory")
        return made_up(base_texts, labels, args.responses, seed=11)
    # Without the development set (a fresh CI machine): the demo survey's sentences, changed
    # the same way, each comment coded with its first sentence's reason.
    from coproduce.demo import analysis as demo

    print(f"no {args.data}: comments made from the demo survey's sentences instead")
    rng = random.Random(11)
    texts, codes = [], []
    for _ in range(args.responses):
        chosen = rng.sample(demo.COMMENT_PARTS, rng.choice((1, 2, 3)))
        texts.append(perturb(" ".join(part for part, _ in chosen), rng))
        codes.append(chosen[0][1])
    return texts, codes


def build(args: argparse.Namespace) -> None:
    from analysis_scale import Rows, next_id
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from coproduce.accounts.models import RoleAssignment, User
    from coproduce.analysis.models import (
        Code,
        Dataset,
        Import,
        Project,
        Segment,
        Source,
        Suggester,
        TeamMember,
        TeamRole,
    )
    from coproduce.analysis.services import suggestions
    from coproduce.core.roles import Role
    from coproduce.organisations.models import Organisation

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    texts, codings = comments(args)
    labels = codings
    now = timezone.now()
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name="Bench Suggestions Alliance", kind=Organisation.Kind.CANCER_ALLIANCE
        )
        users = {}
        for username in (LEAD, CODER):
            users[username] = User.objects.create_user(
                username=username, password=None, email=f"{username}@example.org"
            )
            RoleAssignment.objects.create(
                user=users[username], organisation=organisation, role=Role.ANALYST
            )
        project = Project.objects.create(organisation=organisation, name=PROJECT, blind=False)
        TeamMember.objects.create(project=project, user=users[LEAD], role=TeamRole.LEAD)
        TeamMember.objects.create(project=project, user=users[CODER], role=TeamRole.CODER)
        codes = {
            name: Code.objects.create(project=project, name=name, position=i).pk
            for i, name in enumerate(sorted(set(labels)))
        }
        source_import = Import.objects.create(
            project=project,
            file_name="survey.csv",
            status=Import.Status.RELEASED,
            rows_done=args.responses,
            rows_total=args.responses,
        )
        dataset = Dataset.objects.create(
            project=project, source_import=source_import, name="Survey", text_column="Comment"
        )
        first = next_id(Source)
        rows = Rows(
            Source,
            ["id", "project_id", "source_import_id", "dataset_id", "row", "kind", "name", "text"],
        )
        rows.insert(
            (
                first + i,
                project.pk,
                source_import.pk,
                dataset.pk,
                i + 2,
                Source.Kind.RESPONSE,
                f"Survey, row {i + 2}",
                text,
            )
            for i, text in enumerate(texts)
        )
        Rows(
            Segment,
            ["project_id", "source_id", "code_id", "start", "end", "coder_id"],
            coded_at=now,
        ).insert(
            (project.pk, first + i, codes[codings[i]], 0, len(texts[i]), users[CODER].pk)
            for i in range(args.coded)
        )
    if connection.vendor == "postgresql":
        # The responses were given their ids, so the sequence that numbers new ones is moved on.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Source]):
                cursor.execute(statement)
            cursor.execute("ANALYZE")
    print(f"built {args.responses:,} responses in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    suggester = suggestions.train(by=users[LEAD], project=project, kind=Suggester.Kind.CODES)
    suggester = suggestions.run_training(suggester.pk)
    if suggester.status != Suggester.Status.READY:
        raise SystemExit(f"training failed: {suggester.error}")
    print(f"trained on {args.coded:,} coded responses in {time.perf_counter() - started:.0f} s")


# Measuring ----------------------------------------------------------------------------------


def clear() -> None:
    """No batch, suggestion or reading left from an earlier run."""
    from django.db import connection

    from coproduce.analysis.models import Batch, BatchPart, Reading, Suggestion

    tables = [model._meta.db_table for model in (Suggestion, Reading, BatchPart, Batch)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            cursor.execute("VACUUM ANALYZE")
            return
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def database(args: argparse.Namespace) -> str:
    """What the workers are pointed at: the URL, or the SQLite file."""
    return str(args.database_url or args.db)


def built(args: argparse.Namespace) -> bool:
    """Whether the database already holds this benchmark's project at this size."""
    from django.db import connection

    from coproduce.analysis.models import Project, Source

    if "analysis_project" not in connection.introspection.table_names():
        return False
    project = Project.objects.filter(name=PROJECT).first()
    if project is None:
        if Project.objects.exists():
            raise SystemExit("That database holds other projects: use an empty one.")
        return False
    if Source.objects.filter(project=project).count() != args.responses:
        raise SystemExit("That database holds this benchmark at another size: add --force.")
    return True


def empty_postgres() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


def project_and_lead() -> tuple[Any, Any]:
    from coproduce.accounts.models import User
    from coproduce.analysis.models import Project

    return Project.objects.get(name=PROJECT), User.objects.get(username=LEAD)


def worker(db: str, part_size: int, parts: Any, ready: Any, results: Any) -> None:
    """A worker process: takes part ids until it is given None."""
    os.environ["SUGGEST_PART_SIZE"] = str(part_size)
    configure_django(db)
    from coproduce.analysis.services import batches

    ready.put(os.getpid())
    done = 0
    reading = 0.0
    busy = 0.0
    real_read = batches.read_part

    def timed_read(part: Any) -> Any:
        nonlocal reading
        started = time.perf_counter()
        try:
            return real_read(part)
        finally:
            reading += time.perf_counter() - started

    batches.read_part = timed_read
    while (part_id := parts.get()) is not None:
        started = time.perf_counter()
        if batches.run_part(part_id) == "done":
            done += 1
        busy += time.perf_counter() - started
    results.put(
        {
            "pid": os.getpid(),
            "parts": done,
            "busy_s": round(busy, 2),
            "read_and_score_s": round(reading, 2),
            "write_s": round(busy - reading, 2),
            "peak_rss_mb": round(peak_rss_mb(), 1),
        }
    )


def run_processes(args: argparse.Namespace, count: int) -> dict[str, Any]:
    from coproduce.analysis.models import Batch
    from coproduce.analysis.services import batches

    context = multiprocessing.get_context("spawn")
    parts, ready, results = context.Queue(), context.Queue(), context.Queue()
    processes = [
        context.Process(target=worker, args=(database(args), args.part_size, parts, ready, results))
        for _ in range(count)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.get(timeout=300)
    project, lead = project_and_lead()
    started = time.perf_counter()
    batch = batches.start(by=lead, project=project)
    started_s = time.perf_counter() - started
    for part_id in batch.parts.values_list("pk", flat=True):
        parts.put(part_id)
    for _ in processes:
        parts.put(None)
    workers = [results.get(timeout=3600) for _ in processes]
    wall = time.perf_counter() - started
    for process in processes:
        process.join()
    batch.refresh_from_db()
    return summary(batch, wall, started_s, workers, Batch)


def summary(
    batch: Any, wall: float, started_s: float, workers: list[dict[str, Any]], batch_model: Any
) -> dict[str, Any]:
    from coproduce.analysis.models import Reading, Suggestion

    return {
        "finished": batch.status == batch_model.Status.DONE,
        "responses": batch.responses,
        "parts": batch.parts.count(),
        "attempts": sum(batch.parts.values_list("attempts", flat=True)),
        "readings": Reading.objects.filter(batch=batch).count(),
        "suggestions": Suggestion.objects.filter(project=batch.project).count(),
        "start_s": round(started_s, 2),
        "wall_s": round(wall, 2),
        "responses_per_s": round(batch.responses / wall),
        "workers": workers,
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_rq(args: argparse.Namespace, redis_url: str, folder: Path) -> dict[str, Any]:
    from django.test import override_settings

    from coproduce.analysis.models import Batch
    from coproduce.analysis.services import batches

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "0",
        "DATABASE_URL": database(args) if args.database_url else f"sqlite:///{args.db}",
        "REDIS_URL": redis_url,
        "SUGGEST_PART_SIZE": str(args.part_size),
    }
    command = [
        sys.executable,
        *("manage.py", "rqworker", "default"),
    ]
    workers = [
        subprocess.Popen(
            [*command, "--name", f"bench-{n}"],
            cwd=ROOT,
            env=env,
            stdout=(folder / f"worker-{n}.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        for n in (1, 2)
    ]
    try:
        import redis

        connection = redis.Redis.from_url(redis_url)
        deadline = time.monotonic() + 300
        while len(connection.smembers("rq:workers")) < len(workers):
            if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
                raise SystemExit("the RQ workers did not start: see " + str(folder))
            time.sleep(0.2)
        project, lead = project_and_lead()
        with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
            RQ_QUEUES={"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 3600}},
            SUGGEST_PART_SIZE=args.part_size,
        ):
            started = time.perf_counter()
            batch = batches.start(by=lead, project=project)
            started_s = time.perf_counter() - started
            while True:
                batch.refresh_from_db()
                if batch.status == Batch.Status.DONE:
                    break
                if any(w.poll() is not None for w in workers):
                    raise SystemExit("an RQ worker stopped: see " + str(folder))
                time.sleep(0.05)
            wall = time.perf_counter() - started
        stats = []
        for w in workers:
            parts = batch.parts.filter(worker__endswith=f":{w.pid}").count()
            stats.append(
                {"pid": w.pid, "parts": parts, "peak_rss_mb": round(peak_rss_mb(w.pid), 1)}
            )
        return summary(batch, wall, started_s, stats, Batch)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)


def with_redis(args: argparse.Namespace) -> dict[str, Any]:
    if shutil.which("redis-server") is None:
        raise SystemExit("--rq needs redis-server (`make redis`)")
    folder = Path(tempfile.mkdtemp(prefix="coproduce-bench-rq-"))
    port = _free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            *("--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)),
            *("--save", "", "--appendonly", "no"),
        ],
        stdout=(folder / "redis.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        import redis

        deadline = time.monotonic() + 30
        while True:
            try:
                redis.Redis(port=port).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        return run_rq(args, f"redis://127.0.0.1:{port}/0", folder)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def profile_one_part(args: argparse.Namespace) -> None:
    from coproduce.analysis.services import batches

    clear()
    project, lead = project_and_lead()
    batch = batches.start(by=lead, project=project)
    part_id = batch.parts.order_by("number").values_list("pk", flat=True)[1]
    profiler = cProfile.Profile()
    profiler.runcall(batches.run_part, part_id)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    clear()


PAGES = {
    "suggested codes": "analysis:suggestions",
    "review, first page": "analysis:suggestion_review",
    "review, complex only": "analysis:suggestion_review?show=complex",
    "review, one code": "analysis:suggestion_review?code={code}",
    "review, page 500": "analysis:suggestion_review?page=500",
    "trends": "analysis:trends",
}


def time_pages(args: argparse.Namespace, repeat: int = 5) -> dict[str, dict[str, float]]:
    """Each page the team reads while a batch's suggestions wait, as the lead, with every
    response of the last batch read: median and slowest of `repeat` requests, after one
    request that is not counted."""
    from django.test import Client, override_settings
    from django.urls import reverse

    from coproduce.analysis.models import Code

    project, lead = project_and_lead()
    code = Code.objects.filter(project=project, name="Care received").first() or (
        Code.objects.filter(project=project).order_by("position").first()
    )
    client = Client()
    client.force_login(lead)
    found = {}
    with override_settings(ALLOWED_HOSTS=["*"]):
        for name, target in PAGES.items():
            route, _, query = target.partition("?")
            url = reverse(route, kwargs={"project_pk": project.pk})
            if query:
                url += "?" + query.format(code=code.pk if code else "")
            seconds = []
            for attempt in range(repeat + 1):
                started = time.perf_counter()
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
                if attempt:
                    seconds.append(time.perf_counter() - started)
            found[name] = {
                "median_s": round(sorted(seconds)[len(seconds) // 2], 3),
                "max_s": round(max(seconds), 3),
            }
            print(f"{name}: {found[name]}", flush=True)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--coded", type=int, default=20_000)
    parser.add_argument("--part-size", type=int, default=20_000)
    parser.add_argument("--modes", default="one,two")
    parser.add_argument("--rq", action="store_true", help="also two real RQ workers")
    parser.add_argument("--quick", action="store_true", help="20,000 responses, every mode")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--database-url", help="measure in this database instead of SQLite")
    parser.add_argument(
        "--pages", action="store_true", help="then time the review pages over the last batch"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if args.quick:
        args.responses, args.coded, args.part_size, args.rq = 20_000, 5_000, 2_000, True
        if args.out == DEFAULT_OUT:
            args.out = DEFAULT_OUT.with_name("suggest-batch-quick.json")
    if args.db is None:
        args.db = ROOT / "bench" / "results" / f"suggest-batch-{args.responses}.sqlite3"
    os.environ["SUGGEST_PART_SIZE"] = str(args.part_size)
    if args.database_url:
        configure_django(args.database_url)
        fresh = args.force or not built(args)
        if args.force:  # only when asked: a database without the project is built in as it is
            empty_postgres()
    else:
        args.db.parent.mkdir(parents=True, exist_ok=True)
        fresh = args.force or not args.db.exists()
        if fresh:
            remove_database(args.db)
        configure_django(args.db)
    if fresh:
        build(args)
    if args.profile:
        profile_one_part(args)
        return 0
    modes = [mode for mode in args.modes.split(",") if mode] + (["rq"] if args.rq else [])
    results: dict[str, Any] = {}
    for mode in modes:
        clear()
        if mode == "rq":
            results[mode] = with_redis(args)
        else:
            results[mode] = run_processes(args, {"one": 1, "two": 2}[mode])
        print(mode, json.dumps(results[mode]), flush=True)
    pages = time_pages(args) if args.pages and results else None
    clear()
    from django.db import connection

    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": connection.vendor,
        "responses": args.responses,
        "coded": args.coded,
        "part_size": args.part_size,
        "modes": results,
    }
    if pages is not None:
        report["pages"] = pages
    ok = all(
        result["finished"] and result["readings"] == result["responses"]
        for result in results.values()
    )
    if "one" in results and "two" in results:
        report["two_over_one"] = round(results["two"]["wall_s"] / results["one"]["wall_s"], 2)
    print("\n| Mode | Wall (s) | Responses/s | Parts | Attempts | Peak RSS per worker (MB) |")
    print("|---|---:|---:|---:|---:|---|")
    for mode, result in results.items():
        rss = ", ".join(f"{w['peak_rss_mb']:.0f}" for w in result["workers"])
        print(
            f"| {mode} | {result['wall_s']:.1f} | {result['responses_per_s']:,} | "
            f"{result['parts']} | {result['attempts']} | {rss} |"
        )
    if "two_over_one" in report:
        print(f"\ntwo / one: {report['two_over_one']} (bar <= {TWO_RATIO_BAR})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"wrote {args.out}")
    if not ok:
        print("FAILED: a batch did not finish, or a response was not read exactly once")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
