"""Where a request's time goes: SQL queries, their plans, and a Python profile, in-process.

    .venv/bin/python bench/queries.py [--db PATH] [--user lead] [--explain] [--profile URL]

For each URL that bench/load.py measures, requests it a few times through Django's test client
against the national-scale database (DEBUG off, signed in as `--user`) and prints the median
wall time, how many queries it ran and how long SQLite spent on them. `--explain` prints each
distinct slow query with SQLite's EXPLAIN QUERY PLAN; `--profile URL` prints a cProfile of that
URL (cumulative time, top functions).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import DEFAULT_DB, configure_django

URLS = [
    "/healthz",
    "/accessibility/",
    "/groups/",
    "/people/",
    "/people/?q=smith",
    "/people/?page=20",
    "/groups/{group}/",
    "/people/{person}/",
    "/api/v1/groups",
    "/api/v1/people",
    "/api/v1/people?page=10",
]


class QueryTimer:
    """A database execute wrapper that times each query (DEBUG off does not record them)."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, Any, float]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, params, (time.perf_counter() - started) * 1000))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--user", default="lead")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="plans of queries over 2 ms")
    parser.add_argument("--profile", metavar="URL", help="cProfile one URL, e.g. /groups/")
    parser.add_argument("--sort", default="cumulative", help="profile order: cumulative or tottime")
    args = parser.parse_args(argv)
    db: Path = args.db.resolve()
    if not db.exists():
        parser.error(f"{db} does not exist; build it with bench/generate.py")
    configure_django(db)

    from django.db import connection
    from django.test import Client

    from coproduce.accounts.models import ApiToken, User
    from coproduce.core import access
    from coproduce.core.access import Permission
    from coproduce.groups.models import PartnershipGroup
    from coproduce.people.models import Person

    user = User.objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    _, raw = ApiToken.issue(user)
    groups = access.scoped(user, PartnershipGroup.objects.all(), Permission.VIEW_GROUPS)
    people = access.scoped(user, Person.objects.all(), Permission.VIEW_PEOPLE)
    ids = {"group": groups.order_by("name", "pk").first().pk, "person": people.first().pk}  # type: ignore[union-attr]

    def get(url: str) -> int:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if url.startswith("/api/") else {}
        response = client.get(url, **headers)  # type: ignore[arg-type]
        return int(response.status_code)

    if args.profile:
        url = args.profile.format(**ids)
        get(url)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            get(url)
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats(args.sort).print_stats(40)
        print(stream.getvalue())
        return 0

    print(f"Signed in as {args.user!r}; median of {args.repeat} requests after one warm-up")
    print("| URL | status | wall ms | queries | SQL ms |\n|---|--:|--:|--:|--:|")
    slow: dict[str, tuple[str, Any, float]] = {}
    for pattern in URLS:
        url = pattern.format(**ids)
        get(url)
        walls, counts, sql_ms = [], [], []
        status = 0
        for _ in range(args.repeat):
            timer = QueryTimer()
            started = time.perf_counter()
            with connection.execute_wrapper(timer):
                status = get(url)
            walls.append((time.perf_counter() - started) * 1000)
            counts.append(len(timer.queries))
            sql_ms.append(sum(q[2] for q in timer.queries))
            for sql, params, ms in timer.queries:
                if ms > 2 and (sql not in slow or slow[sql][2] < ms):
                    slow[sql] = (url, params, ms)
        print(
            f"| `{url}` | {status} | {statistics.median(walls):.1f} | {statistics.median(counts)}"
            f" | {statistics.median(sql_ms):.1f} |"
        )

    if args.explain:
        for sql, (url, params, ms) in sorted(slow.items(), key=lambda item: -item[1][2]):
            print(f"\n--- {url}: {ms:.1f} ms\n{sql}\nparams: {params}")
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                for row in cursor.fetchall():
                    print("   ", row[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
