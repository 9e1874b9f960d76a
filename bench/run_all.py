"""Every benchmark in turn (`make bench`): build the national database if missing, then the
load test of the lists, the activity report, the impact dashboard and annual report, and
matching.

.venv/bin/python bench/run_all.py [extra arguments for load.py]

A database built before the involvement data (or the asks, questionnaires and
self-assessments) was added lacks it: rebuild it with `bench/generate.py --force`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def main(argv: list[str]) -> int:
    database = ROOT / "bench" / "results" / "national.sqlite3"
    if not database.exists():
        built = subprocess.run([PYTHON, "bench/generate.py", "--db", str(database)], cwd=ROOT)
        if built.returncode:
            return built.returncode
    for command in (
        ["bench/load.py", "--db", str(database), *argv],
        ["bench/report.py", "--db", str(database)],
        ["bench/impact.py", "--db", str(database)],
        ["bench/matching.py"],
    ):
        finished = subprocess.run([PYTHON, *command], cwd=ROOT)
        if finished.returncode:
            return finished.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
