"""One table from several load.py runs: the median over every round of every run.

    .venv/bin/python bench/summarise.py bench/results/run-1.json bench/results/run-2.json

Runs are grouped by scope and by how they were run (users, pause, connections, mix); for each URL
it prints the median of the 1-user p50s, the median of the per-round p50s and p95s under load,
and the lowest and highest per-round p95, so the spread between rounds stays visible.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

BAR_MS = 300.0


def key_of(scope: dict[str, Any]) -> tuple[Any, ...]:
    return (
        scope["username"],
        scope["users"],
        scope.get("think_ms", 0.0),
        scope.get("connection", "keep-alive"),
        scope.get("lists_only", False),
    )


def median_of(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path)
    args = parser.parse_args(argv)

    grouped: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for path in args.runs:
        report = json.loads(path.read_text())
        for scope in report["scopes"]:
            grouped.setdefault(key_of(scope), []).append(scope)

    for (username, users, think_ms, connection, lists_only), scopes in grouped.items():
        rounds = sum(scope["rounds_completed"] for scope in scopes)
        rps = median_of(scope["throughput_rps"] for scope in scopes)
        cpu = median_of(scope["server_cpu_ms_per_request"] for scope in scopes)
        how = [f"{users} users", connection]
        if think_ms:
            how.append(f"pausing {think_ms:g} ms on average")
        if lists_only:
            how.append("lists only")
        print(
            f"\n**{username}** ({', '.join(how)}): {len(scopes)} run(s), {rounds} rounds;"
            f" median {rps} requests/s, {cpu} ms server CPU a request\n"
        )
        print(
            f"| URL | 1 user p50 (ms) | {users} users p50 (ms) | {users} users p95 (ms)"
            " | p95 range over rounds (ms) | requests | errors | p95 < 300 ms |"
        )
        print("|---|--:|--:|--:|--:|--:|--:|:-:|")
        names = [url["name"] for url in scopes[0]["urls"]]
        for name in names:
            urls = [url for scope in scopes for url in scope["urls"] if url["name"] == name]
            per_round = [r for url in urls for r in url["rounds"] if r["count"]]
            baselines = [url["baseline"]["p50_ms"] for url in urls if url["baseline"]["count"]]
            if not per_round or not baselines:
                print(f"| `{name}` | - | - | - | - | 0 | - | n/a |")
                continue
            baseline = statistics.median(baselines)
            p50 = statistics.median(r["p50_ms"] for r in per_round)
            p95s = [r["p95_ms"] for r in per_round]
            p95 = statistics.median(p95s)
            bar = "n/a" if not urls[0]["is_list"] else ("yes" if p95 < BAR_MS else "**no**")
            print(
                f"| `{name}` | {baseline:.0f} | {p50:.0f} | {p95:.0f}"
                f" | {min(p95s):.0f} to {max(p95s):.0f} | {sum(url['count'] for url in urls)}"
                f" | {sum(url['errors'] for url in urls)} | {bar} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
