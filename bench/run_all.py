"""Every benchmark in turn (`make bench`): build the national database if missing, then load it.

.venv/bin/python bench/run_all.py [extra arguments for load.py]
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
    loaded = subprocess.run([PYTHON, "bench/load.py", "--db", str(database), *argv], cwd=ROOT)
    return loaded.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
