"""Load benchmark: list and detail pages at national scale, on loopback only.

    .venv/bin/python bench/load.py [--db PATH] [--users 20] [--rounds 3] [--per-url 30]

Starts gunicorn on 127.0.0.1 (2 workers x 8 threads, DEBUG off) against the national-scale
SQLite database that bench/generate.py builds, signs in through the sign-in page and the token
endpoint, then measures each URL:

* "1 user": one client, requests one after another: the time the server spends on a request.
* "N users": N clients (threads, each with its own keep-alive connection) sending requests back
  to back with no pause, for several rounds; each round asks for every URL `--per-url` times in
  a shuffled order. p50 and p95 are taken per round and the median over the rounds is reported.

`--think-ms` makes each user pause between requests, `--connection close` opens a connection per
request, `--lists-only` leaves the detail pages out, and `--scope` picks `lead` (one alliance),
`national` (all 21, the user bench/generate.py adds) or both.

It stops by itself: every phase is bounded in requests, and the whole run (server start included)
is cut off at `--max-seconds`. The server is always stopped before it exits. Results are written
as JSON to bench/results/ and printed as a markdown table.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import queue
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DB = RESULTS / "national.sqlite3"
HOST = "127.0.0.1"  # loopback only, by design
PASSWORD = "coproduce-demo"
BAR_MS = 300.0
REQUEST_TIMEOUT_S = 30.0


class BenchError(RuntimeError):
    pass


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    api: bool
    is_list: bool  # the bar applies to lists


@dataclass
class Credentials:
    username: str
    session_cookie: str
    token: str

    def headers(self, target: Target) -> dict[str, str]:
        if target.api:
            return {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        return {"Cookie": f"sessionid={self.session_cookie}", "Accept": "text/html"}


@dataclass
class Samples:
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    bytes: dict[str, list[int]] = field(default_factory=dict)
    elapsed_s: float = 0.0
    truncated: bool = False

    def add(self, other: Samples) -> None:
        for mine, theirs in (
            (self.latencies_ms, other.latencies_ms),
            (self.errors, other.errors),
            (self.bytes, other.bytes),
        ):
            for key, values in theirs.items():
                mine.setdefault(key, []).extend(values)  # type: ignore[arg-type]


def percentile(values: list[float], pct: float) -> float:
    """Linear interpolation between closest ranks (the same as numpy's default)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --- HTTP ------------------------------------------------------------------------------------


def connect(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)


def fetch(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    return response.status, response.headers, data


def cookies_from(headers: http.client.HTTPMessage) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in(port: int, username: str) -> Credentials:
    """A session through the real sign-in form, and a bearer token from the API."""
    conn = connect(port)
    try:
        status, headers, page = fetch(conn, "GET", "/account/sign-in/")
        if status != 200:
            raise BenchError(f"GET /account/sign-in/ answered {status}")
        csrf_cookie = cookies_from(headers).get("csrftoken")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not csrf_cookie or not found:
            raise BenchError("the sign-in page has no CSRF token")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": found.group(1).decode(),
                "username": username,
                "password": PASSWORD,
            }
        ).encode()
        status, headers, _ = fetch(
            conn,
            "POST",
            "/account/sign-in/",
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf_cookie}",
                "Referer": f"http://{HOST}:{port}/account/sign-in/",
            },
            form,
        )
        session = cookies_from(headers).get("sessionid")
        if status != 302 or not session:
            raise BenchError(f"signing in as {username!r} failed ({status})")

        status, _, body = fetch(
            conn,
            "POST",
            "/api/v1/auth/token",
            {"Content-Type": "application/json"},
            json.dumps({"username": username, "password": PASSWORD}).encode(),
        )
        if status != 200:
            raise BenchError(f"token for {username!r} refused ({status}): {body[:200]!r}")
        return Credentials(username, session, json.loads(body)["token"])
    finally:
        conn.close()


def api_json(port: int, credentials: Credentials, path: str) -> Any:
    conn = connect(port)
    try:
        target = Target(path, path, api=True, is_list=False)
        status, _, body = fetch(conn, "GET", path, credentials.headers(target))
    finally:
        conn.close()
    if status != 200:
        raise BenchError(f"GET {path} answered {status}")
    return json.loads(body)


def targets_for(port: int, credentials: Credentials) -> list[Target]:
    """The URLs to measure; the detail pages are the first group and first person by name."""
    groups = api_json(port, credentials, "/api/v1/groups")["items"]
    people = api_json(port, credentials, "/api/v1/people")["items"]
    if not groups or not people:
        raise BenchError(f"{credentials.username!r} can see no groups or no people")
    group_id = groups[0]["id"]
    person_id = people[0]["id"]
    return [
        Target("/groups/", "/groups/", api=False, is_list=True),
        Target("/people/", "/people/", api=False, is_list=True),
        Target("/people/?q=smith", "/people/?q=smith", api=False, is_list=True),
        Target("/people/?page=20", "/people/?page=20", api=False, is_list=True),
        Target("/groups/<id>/", f"/groups/{group_id}/", api=False, is_list=False),
        Target("/people/<id>/", f"/people/{person_id}/", api=False, is_list=False),
        Target("/api/v1/groups", "/api/v1/groups", api=True, is_list=True),
        Target("/api/v1/people", "/api/v1/people", api=True, is_list=True),
        Target("/api/v1/people?page=10", "/api/v1/people?page=10", api=True, is_list=True),
    ]


# --- Load ------------------------------------------------------------------------------------


def run_phase(
    port: int,
    credentials: Credentials,
    plan: list[Target],
    users: int,
    deadline: float,
    think_ms: float = 0.0,
    close: bool = False,
) -> Samples:
    """`users` threads work through `plan` together, each on its own keep-alive connection.

    With `think_ms`, each client pauses for a random 0 to 2 x `think_ms` after each response;
    with `close`, each request asks for the connection to be closed and the next opens another.
    """
    extra = {"Connection": "close"} if close else {}
    work: queue.SimpleQueue[Target] = queue.SimpleQueue()
    for target in plan:
        work.put(target)
    per_thread = [Samples() for _ in range(users)]
    cut_off = threading.Event()

    def client(samples: Samples, pause: random.Random) -> None:
        conn = connect(port)
        try:
            while time.monotonic() < deadline:
                try:
                    target = work.get_nowait()
                except queue.Empty:
                    return
                started = time.perf_counter()
                try:
                    status, headers, body = fetch(
                        conn, "GET", target.path, credentials.headers(target) | extra
                    )
                except (OSError, http.client.HTTPException) as error:
                    samples.errors.setdefault(target.name, []).append(type(error).__name__)
                    conn.close()
                    conn = connect(port)
                    continue
                elapsed_ms = (time.perf_counter() - started) * 1000
                if status == 200:
                    samples.latencies_ms.setdefault(target.name, []).append(elapsed_ms)
                    samples.bytes.setdefault(target.name, []).append(len(body))
                else:
                    samples.errors.setdefault(target.name, []).append(f"HTTP {status}")
                if close or headers.get("Connection", "").lower() == "close":
                    conn.close()
                    conn = connect(port)
                if think_ms:
                    wait_s = pause.uniform(0, 2 * think_ms) / 1000
                    time.sleep(max(0.0, min(wait_s, deadline - time.monotonic())))
            cut_off.set()  # reached only when the deadline passed
        finally:
            conn.close()

    threads = [
        threading.Thread(target=client, args=(samples, random.Random(index)), daemon=True)
        for index, samples in enumerate(per_thread)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT_S)
    merged = Samples(elapsed_s=time.perf_counter() - began)
    for samples in per_thread:
        merged.add(samples)
    merged.truncated = cut_off.is_set() or not work.empty()
    return merged


def summarise(samples: Samples, name: str) -> dict[str, Any]:
    latencies = samples.latencies_ms.get(name, [])
    sizes = samples.bytes.get(name, [])
    return {
        "count": len(latencies),
        "errors": len(samples.errors.get(name, [])),
        "error_kinds": sorted(set(samples.errors.get(name, []))),
        "p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
        "mean_bytes": round(statistics.fmean(sizes)) if sizes else None,
    }


def measure_scope(
    port: int,
    server_pid: int,
    username: str,
    *,
    users: int,
    think_ms: float,
    close: bool,
    lists_only: bool,
    rounds: int,
    per_url: int,
    baseline_per_url: int,
    seed: int,
    deadline: float,
) -> dict[str, Any]:
    credentials = sign_in(port, username)
    targets = targets_for(port, credentials)
    if lists_only:
        targets = [target for target in targets if target.is_list]
    rng = random.Random(seed)

    # Warm up: every URL a few times across all clients (imports, template compilation, caches).
    run_phase(port, credentials, targets * users, users, deadline, close=close)

    baseline = run_phase(port, credentials, targets * baseline_per_url, 1, deadline, close=close)
    round_results: list[dict[str, dict[str, Any]]] = []
    round_seconds: list[float] = []
    server_cpu = client_cpu = machine_cpu = stolen = 0.0
    by_process: dict[int, float] = {}
    truncated = baseline.truncated
    for _ in range(rounds):
        if time.monotonic() >= deadline:
            truncated = True
            break
        plan = targets * per_url
        rng.shuffle(plan)
        server_before, client_before = process_cpu_seconds(server_pid), time.process_time()
        machine_before, stolen_before = machine_cpu_seconds()
        samples = run_phase(port, credentials, plan, users, deadline, think_ms, close)
        server_after = process_cpu_seconds(server_pid)
        client_cpu += time.process_time() - client_before
        machine_after, stolen_after = machine_cpu_seconds()
        machine_cpu += machine_after - machine_before
        stolen += stolen_after - stolen_before
        for pid, seconds in server_after.items():
            used = seconds - server_before.get(pid, 0.0)
            by_process[pid] = by_process.get(pid, 0.0) + used
            server_cpu += used
        truncated = truncated or samples.truncated
        round_seconds.append(round(samples.elapsed_s, 2))
        round_results.append({target.name: summarise(samples, target.name) for target in targets})

    per_url_results = []
    for target in targets:
        per_round = [result[target.name] for result in round_results]
        p50s = [r["p50_ms"] for r in per_round if r["count"]]
        p95s = [r["p95_ms"] for r in per_round if r["count"]]
        p95_median = round(statistics.median(p95s), 1) if p95s else None
        per_url_results.append(
            {
                "name": target.name,
                "path": target.path,
                "api": target.api,
                "is_list": target.is_list,
                "baseline": summarise(baseline, target.name),
                "rounds": per_round,
                "count": sum(r["count"] for r in per_round),
                "errors": sum(r["errors"] for r in per_round),
                "p50_ms": round(statistics.median(p50s), 1) if p50s else None,
                "p95_ms": p95_median,
                "meets_bar": p95_median < BAR_MS
                if target.is_list and p95_median is not None
                else None,
            }
        )
    requests = sum(r["count"] + r["errors"] for result in round_results for r in result.values())
    wall = sum(round_seconds)
    return {
        "username": username,
        "users": users,
        "think_ms": think_ms,
        "rounds_completed": len(round_results),
        "round_seconds": round_seconds,
        "requests": requests,
        "throughput_rps": round(requests / wall, 1) if wall else None,
        # CPU seconds per wall second while loaded (2.0 = two cores busy), and per request.
        "server_cpu_cores": round(server_cpu / wall, 2) if wall else None,
        "client_cpu_cores": round(client_cpu / wall, 2) if wall else None,
        # Everything else the machine did meanwhile (other processes): ideally close to 0.
        "other_cpu_cores": round((machine_cpu - server_cpu - client_cpu) / wall, 2)
        if wall
        else None,
        "stolen_cpu_cores": round(stolen / wall, 2) if wall else None,
        "server_cpu_ms_per_request": round(server_cpu * 1000 / requests, 1) if requests else None,
        # How evenly the load spread over gunicorn's processes (master first).
        "server_cpu_seconds_by_process": [round(used, 1) for _, used in sorted(by_process.items())],
        "connection": "close" if close else "keep-alive",
        "lists_only": lists_only,
        "truncated": truncated,
        "urls": per_url_results,
    }


# --- Server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> dict[int, float]:
    """User plus system CPU seconds of a process and each of its children (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        found = {pid: (int(fields[11]) + int(fields[12])) / CLOCK_TICKS}  # utime + stime
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, IndexError, ValueError):
        return {}
    for child in children:
        found |= process_cpu_seconds(int(child))
    return found


def machine_cpu_seconds() -> tuple[float, float]:
    """CPU seconds the whole machine has been busy, and stolen by its hypervisor (/proc/stat)."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    # user nice system idle iowait irq softirq steal ...
    busy = sum(fields[index] for index in (0, 1, 2, 5, 6) if index < len(fields))
    steal = fields[7] if len(fields) > 7 else 0
    return busy / CLOCK_TICKS, steal / CLOCK_TICKS


def busy_cores(seconds: float) -> float:
    before, _ = machine_cpu_seconds()
    time.sleep(seconds)
    after, _ = machine_cpu_seconds()
    return round((after - before) / seconds, 2)


@contextmanager
def gunicorn(
    db: Path, port: int, workers: int, threads: int, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "60",
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so its workers stop with it
        )
        try:
            yield_when_healthy(server, port, log)
            yield server
        finally:
            stop(server)


def yield_when_healthy(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    give_up = time.monotonic() + 30
    while time.monotonic() < give_up:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            conn = connect(port)
            try:
                status, _, _ = fetch(conn, "GET", "/healthz")
            finally:
                conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer /healthz within 30 s; see {log}")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)


# --- Report ----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    memory_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory_kib / 1_048_576, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "commit": commit,
    }


def markdown(report: dict[str, Any]) -> str:
    lines = []
    for scope in report["scopes"]:
        users = scope["users"]
        pause = f" pausing {scope['think_ms']:g} ms on average" if scope["think_ms"] else ""
        lines += [
            "",
            f"**{scope['username']}** ({scope['description']}): {users} concurrent users"
            f"{pause}, median of {scope['rounds_completed']} rounds;"
            f" {scope['throughput_rps']} requests/s; server CPU {scope['server_cpu_cores']} cores"
            f" ({scope['server_cpu_ms_per_request']} ms a request), load generator"
            f" {scope['client_cpu_cores']} cores, anything else {scope['other_cpu_cores']} cores;"
            " CPU seconds by server process (master first):"
            f" {scope['server_cpu_seconds_by_process']}; connections: {scope['connection']}",
            "",
            f"| URL | 1 user p50 (ms) | {users} users p50 (ms) | {users} users p95 (ms)"
            " | requests | errors | p95 < 300 ms |",
            "|---|--:|--:|--:|--:|--:|:-:|",
        ]
        for url in scope["urls"]:
            bar = "n/a" if url["meets_bar"] is None else ("yes" if url["meets_bar"] else "**no**")
            figures = [url["baseline"]["p50_ms"], url["p50_ms"], url["p95_ms"]]
            shown = " | ".join("-" if value is None else str(value) for value in figures)
            lines.append(
                f"| `{url['name']}` | {shown} | {url['count']} | {url['errors']} | {bar} |"
            )
        if scope["truncated"]:
            lines.append("\n(cut off by the time limit: fewer requests than planned)")
    return "\n".join(lines)


SCOPES = {
    "lead": "involvement lead in one alliance, about 950 people",
    "national": "involvement lead in all 21 alliances, 20,000 people",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-url", type=int, default=30, help="requests per URL per round")
    parser.add_argument("--baseline-per-url", type=int, default=10)
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="mean pause of each user between requests (default 0: back to back)",
    )
    parser.add_argument(
        "--scope", choices=[*SCOPES, "both"], default="both", help="whose view of the data"
    )
    parser.add_argument(
        "--connection",
        choices=["keep-alive", "close"],
        default="keep-alive",
        help="keep each user's connection open, or open one per request",
    )
    parser.add_argument(
        "--lists-only", action="store_true", help="leave the two detail pages out of the mix"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=120.0, help="hard stop for the run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="JSON file (default: bench/results/load-*.json)")
    args = parser.parse_args(argv)

    if not 1 <= args.users <= 64 or not 1 <= args.rounds <= 10 or not 1 <= args.per_url <= 500:
        parser.error("keep --users in 1..64, --rounds in 1..10 and --per-url in 1..500")
    db: Path = args.db.resolve()
    if not db.exists():
        parser.error(f"{db} does not exist; build it with bench/generate.py")

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out: Path = args.out or RESULTS / f"load-{stamp}.json"
    deadline = time.monotonic() + args.max_seconds
    scopes = list(SCOPES) if args.scope == "both" else [args.scope]
    port = free_port()

    report: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "database": str(db),
        "server": f"gunicorn --workers {args.workers} --threads {args.threads}, DEBUG=0",
        "command": " ".join([".venv/bin/python", "bench/load.py", *sys.argv[1:]]),
        "bar_ms": BAR_MS,
        # Other work on the machine skews the figures: cores busy just before starting.
        "busy_cores_before": busy_cores(seconds=2.0),
        "scopes": [],
    }
    if report["busy_cores_before"] > 0.25:
        print(
            f"Warning: {report['busy_cores_before']} cores were busy before starting;"
            " other work on this machine will skew the figures",
            file=sys.stderr,
        )
    started = time.monotonic()
    try:
        with gunicorn(db, port, args.workers, args.threads, RESULTS / "gunicorn.log") as server:
            for index, username in enumerate(scopes):
                if time.monotonic() >= deadline:
                    print(f"Time limit reached; {username!r} not measured", file=sys.stderr)
                    break
                print(f"Measuring as {username!r}...", file=sys.stderr)
                scope = measure_scope(
                    port,
                    server.pid,
                    username,
                    users=args.users,
                    think_ms=args.think_ms,
                    close=args.connection == "close",
                    lists_only=args.lists_only,
                    rounds=args.rounds,
                    per_url=args.per_url,
                    baseline_per_url=args.baseline_per_url,
                    seed=args.seed + index,
                    deadline=deadline,
                )
                scope["description"] = SCOPES[username]
                report["scopes"].append(scope)
    except BenchError as error:
        print(f"Stopped: {error}", file=sys.stderr)
        return 2
    report["elapsed_s"] = round(time.monotonic() - started, 1)

    out.write_text(json.dumps(report, indent=2) + "\n")
    info = report["machine"]
    print(
        f"{report['date']}: {info['cpus']} CPUs, {info['memory_gib']} GiB, Python {info['python']},"
        f" SQLite {info['sqlite']}; {report['server']}; {report['elapsed_s']} s;"
        f" {report['busy_cores_before']} cores busy before starting"
    )
    print(markdown(report))
    print(f"\nWritten to {out}")
    failed = any(url["errors"] for scope in report["scopes"] for url in scope["urls"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
