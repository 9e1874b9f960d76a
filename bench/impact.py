"""How long the impact dashboard and the annual involvement report take at national scale.

    .venv/bin/python bench/impact.py [--db PATH] [--repeat 7] [--out PATH] [--profile NAME]

In-process through Django's test client (DEBUG off), as bench/report.py does, against the
national database from bench/generate.py: 21 alliances with 2,400 asks each (50,400, with their
histories and contributors), a year of questionnaire responses and the groups'
self-assessments. Signed in as `national`, an involvement lead in all 21 alliances, it requests
each page once to warm up, then `--repeat` times, and reports the median, the 95th percentile
and the number of SQL queries, with where the time went: SQL, building the figures
(`dashboard.build` or `annual.build`, SQL included), and drawing the PDF (WeasyPrint).

Bars (from the issue): the dashboard within 1 s, the annual report within 10 s.

`--profile NAME` prints a cProfile of one page (a name from the table, e.g. `annual-pdf`)
instead of timing them all.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import functools
import io
import json
import logging
import os
import platform
import pstats
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import DEFAULT_DB, NATIONAL_USERNAME, configure_django
from queries import QueryTimer

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "impact.json"
DASHBOARD_BAR_MS = 1_000
ANNUAL_BAR_MS = 10_000


def _dates(prefix: str, day: datetime.date) -> str:
    return f"{prefix}-day={day.day}&{prefix}-month={day.month}&{prefix}-year={day.year}"


def pages(organisation_id: int, today: datetime.date) -> list[tuple[str, str, int]]:
    """(name, URL, bar in ms) for every page measured."""
    from coproduce.impact.forms import last_financial_year

    starts_on, ends_on = last_financial_year(today)
    year = f"{_dates('starts_on', starts_on)}&{_dates('ends_on', ends_on)}"
    twelve = (
        f"{_dates('starts_on', today - datetime.timedelta(days=364))}&{_dates('ends_on', today)}"
    )
    annual = f"/impact/annual-report/?organisation={organisation_id}"
    return [
        ("dashboard-all", "/impact/", DASHBOARD_BAR_MS),
        ("dashboard-one", f"/impact/?organisation={organisation_id}", DASHBOARD_BAR_MS),
        ("dashboard-all-csv", "/impact/?download=csv", DASHBOARD_BAR_MS),
        ("annual-html", f"{annual}&{year}", ANNUAL_BAR_MS),
        ("annual-pdf", f"{annual}&{year}&format=pdf", ANNUAL_BAR_MS),
        # The demo's year of activity ends today, so the last financial year holds only part
        # of it; the last twelve months hold all of it.
        ("annual-12-months-html", f"{annual}&{twelve}", ANNUAL_BAR_MS),
        ("annual-12-months-pdf", f"{annual}&{twelve}&format=pdf", ANNUAL_BAR_MS),
    ]


class Stages:
    """Wall time spent inside a few functions during one request, by label."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}
        self.depth: dict[str, int] = {}

    def wrap(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            outer = self.depth.get(label, 0) == 0  # annual.build calls dashboard.build
            self.depth[label] = self.depth.get(label, 0) + 1
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.depth[label] -= 1
                if outer:
                    spent = (time.perf_counter() - started) * 1000
                    self.ms[label] = self.ms.get(label, 0.0) + spent

        return timed


def _p95(times: list[float]) -> float:
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def data_counts() -> dict[str, int]:
    from coproduce.asks.models import Ask, AskUpdate, Contribution
    from coproduce.impact.models import Answer, Invitation, Response, SelfAssessment

    models: list[Any] = [
        Ask,
        AskUpdate,
        Contribution,
        Invitation,
        Response,
        Answer,
        SelfAssessment,
    ]
    return {model._meta.label: model.objects.count() for model in models}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--profile", metavar="NAME", help="cProfile one page, e.g. annual-pdf")
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"{args.db} does not exist; build it with bench/generate.py")
    configure_django(args.db.resolve())

    import django
    import weasyprint

    # WeasyPrint warns about CSS it ignores on every PDF; the timings are what matter here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from coproduce.accounts.models import User
    from coproduce.impact import annual, dashboard
    from coproduce.impact.models import Response
    from coproduce.organisations.models import Organisation

    if not Response.objects.exists():
        parser.error(
            f"{args.db} has no questionnaire responses; rebuild it with generate.py --force"
        )
    organisation = Organisation.objects.order_by("pk").first()
    assert organisation is not None
    measured = pages(organisation.pk, timezone.localdate())
    client = Client()
    client.force_login(User.objects.get(username=NATIONAL_USERNAME))

    if args.profile:
        url = {name: url for name, url, _ in measured}[args.profile]
        client.get(url)
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(url)
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(45)
        print(stream.getvalue())
        return 0

    stages = Stages()
    dashboard.build = stages.wrap("build", dashboard.build)
    annual.build = stages.wrap("build", annual.build)
    weasyprint.HTML.write_pdf = stages.wrap("pdf", weasyprint.HTML.write_pdf)

    counts = data_counts()
    described = ", ".join(f"{n:,} {label.split('.')[-1]}" for label, n in counts.items())
    print(
        f"Data: {described}. "
        f"Signed in as {NATIONAL_USERNAME!r} (all 21 alliances); one organisation is "
        f"{organisation.name} (pk {organisation.pk}). Median of {args.repeat} after a warm-up."
    )
    print(
        "| page | URL | median ms | p95 ms | min ms | queries | SQL ms | build ms | PDF ms"
        " | bar |\n|---|---|--:|--:|--:|--:|--:|--:|--:|:-:|"
    )
    rows = []
    for name, url, bar_ms in measured:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
        times: list[float] = []
        queries: list[int] = []
        sql_ms: list[float] = []
        build_ms: list[float] = []
        pdf_ms: list[float] = []
        for _ in range(args.repeat):
            timer = QueryTimer()
            stages.ms.clear()
            started = time.perf_counter()
            with connection.execute_wrapper(timer):
                client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            queries.append(len(timer.queries))
            sql_ms.append(sum(ms for *_, ms in timer.queries))
            build_ms.append(stages.ms.get("build", 0.0))
            pdf_ms.append(stages.ms.get("pdf", 0.0))
        row = {
            "page": name,
            "url": url,
            "content_type": response["Content-Type"],
            "bytes": size,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(_p95(times), 1),
            "min_ms": round(min(times), 1),
            "max_ms": round(max(times), 1),
            "times_ms": [round(t, 1) for t in times],
            "queries": int(statistics.median(queries)),
            "sql_ms": round(statistics.median(sql_ms), 1),
            "build_ms": round(statistics.median(build_ms), 1),
            "pdf_ms": round(statistics.median(pdf_ms), 1),
            "bar_ms": bar_ms,
            "met": _p95(times) <= bar_ms,
        }
        rows.append(row)
        print(
            f"| {name} | `{url}` | {row['median_ms']:.0f} | {row['p95_ms']:.0f} |"
            f" {row['min_ms']:.0f} | {row['queries']} | {row['sql_ms']:.0f} |"
            f" {row['build_ms']:.0f} | {row['pdf_ms']:.0f} |"
            f" {'met' if row['met'] else '**missed**'} (< {bar_ms / 1000:g} s) |"
        )

    result = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "django": django.get_version(),
            "weasyprint": weasyprint.__version__,
        },
        "database": str(args.db),
        "user": NATIONAL_USERNAME,
        "organisation": {"pk": organisation.pk, "name": organisation.name},
        "repeat": args.repeat,
        "data": counts,
        "pages": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
