"""How long the activity report takes for a national-scale year, in-process.

    .venv/bin/python bench/report.py [--db PATH] [--repeat 9]

Needs the national database from bench/generate.py (which now includes a year of meetings,
one-off activities, attendance and claims). Signs in as `lead` (one alliance) and `national`
(all 21) and requests the report page, and its XLSX download, `--repeat` times each after one
warm-up. The accessibility statement (a page with the same layout and no data) is timed in the
same run as a baseline, so the ratio says what the report itself costs. Bar: under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import DEFAULT_DB, configure_django

URLS = ["/accessibility/", "/reports/activity/", "/reports/activity/?download=xlsx"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"{args.db} does not exist; build it with bench/generate.py")
    configure_django(args.db.resolve())

    from django.test import Client

    from coproduce.accounts.models import User
    from coproduce.activities.models import Activity, Attendance
    from coproduce.payments.models import Claim

    print(
        f"Data: {Activity.objects.count():,} activities, {Attendance.objects.count():,} "
        f"attendance records, {Claim.objects.count():,} claims"
    )
    print("| user | URL | median ms | min ms | max ms | x baseline |\n|---|---|--:|--:|--:|--:|")
    for username in ("lead", "national"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        medians: dict[str, float] = {}
        for url in URLS:
            assert client.get(url).status_code == 200, url
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            medians[url] = statistics.median(times)
            ratio = medians[url] / medians[URLS[0]]
            print(
                f"| {username} | `{url}` | {medians[url]:.0f} | {min(times):.0f} |"
                f" {max(times):.0f} | {ratio:.1f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
