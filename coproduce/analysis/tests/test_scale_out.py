"""A batch of suggestions shared by two RQ workers in their own processes, through a real Redis,
on the test's own database: every response read once, and a worker killed mid-part costs
nothing but a second attempt at its part."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import override_settings

from coproduce.analysis.models import Batch, BatchPart, Reading, Source, Suggester, Suggestion
from coproduce.analysis.services import batches, suggestions
from coproduce.analysis.tests.suggest_project import Survey, coded_survey

pytestmark = [
    # Committed rows, so that the workers' own connections see them; the rows the data
    # migrations made are put back afterwards (serialized_rollback), as the browser tests
    # expect of every test that empties the database.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        shutil.which("redis-server") is None, reason="needs redis-server (`make redis`)"
    ),
]

ROOT = Path(settings.BASE_DIR)
PART_SIZE = 40
# When a part is taken to be abandoned: soon where a worker is killed, and a healthy part that
# outlives it may be read twice (only the first to finish writes it). Where no worker dies, long
# enough that on a loaded machine no healthy part is taken from its worker.
PART_TIMEOUT = 2
SHARED_PART_TIMEOUT = 60
DEADLINE = 120


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(ready: Callable[[], Any], what: str, logs: Callable[[], str] = str) -> Any:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        found = ready()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail(f"Gave up waiting for {what}\n{logs()}")


def _database_url() -> str:
    """Where the test's own database is, for processes outside this one."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip("the SQLite test database is in memory: other processes cannot open it")
        return f"sqlite:///{name}"
    user = quote(str(db["USER"]), safe="")
    password = quote(str(db["PASSWORD"]), safe="")
    return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Cluster:
    """A throwaway Redis and the RQ workers taking suggestion parts from it."""

    folder: Path
    redis_url: str = ""
    redis: subprocess.Popen[bytes] | None = None
    workers: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    part_timeout: int = SHARED_PART_TIMEOUT

    def start_redis(self) -> None:
        port = _free_port()
        self.redis_url = f"redis://127.0.0.1:{port}/0"
        # A fixed command line: the server program from PATH, as `make redis` installs it.
        self.redis = subprocess.Popen(  # noqa: S603
            [  # noqa: S607
                "redis-server",
                *("--port", str(port), "--bind", "127.0.0.1", "--dir", str(self.folder)),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=(self.folder / "redis.log").open("wb"),
            stderr=subprocess.STDOUT,
        )

        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    return sock.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        _wait_for(answers, "Redis to answer", self.logs)

    def start_worker(self) -> int:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DEBUG": "0",
            "REDIS_URL": self.redis_url,
            "DATABASE_URL": _database_url(),
            "SUGGEST_PART_SIZE": str(PART_SIZE),
            "SUGGEST_PART_TIMEOUT": str(self.part_timeout),
        }
        number = len(self.workers) + 1
        # SimpleWorker runs each job in the worker's own process (no fork per job), so the
        # process that claims a part is the one this test kills, and the trained model loaded
        # for its first part serves the rest.
        worker = subprocess.Popen(  # noqa: S603 - this interpreter and fixed arguments
            [
                sys.executable,
                *("manage.py", "rqworker", "default"),
                *("--name", f"test-worker-{number}"),
            ],
            cwd=ROOT,
            env=env,
            stdout=(self.folder / f"worker-{number}.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.workers[worker.pid] = worker
        return worker.pid

    def kill(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)
        self.workers[pid].wait(timeout=30)

    def stop(self) -> None:
        for process in [*self.workers.values(), self.redis]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [*self.workers.values(), self.redis]:
            if process is None:
                continue
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
            for log in sorted(self.folder.glob("*.log"))
        )

    def rq(self) -> Any:
        """Settings that send this process's tasks to the workers, through this Redis."""
        return override_settings(
            TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
            RQ_QUEUES={"default": {"URL": self.redis_url, "DEFAULT_TIMEOUT": 600}},
            SUGGEST_PART_SIZE=PART_SIZE,
            SUGGEST_PART_TIMEOUT=self.part_timeout,
        )


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    cluster = Cluster(tmp_path)
    try:
        cluster.start_redis()
        yield cluster
    finally:
        # The workers hold connections to the test database: they go before it is flushed.
        cluster.stop()


@pytest.fixture
def survey(tenant: Any) -> Survey:
    survey = coded_survey(tenant, n=600, coded=120)
    # Trained here, in this process, by the test settings' immediate backend.
    model = suggestions.train(by=survey.lead, project=survey.project, kind=Suggester.Kind.CODES)
    model.refresh_from_db()
    assert model.status == Suggester.Status.READY, model.error
    return survey


def _worker_pid(part: BatchPart) -> int:
    return int(part.worker.rsplit(":", 1)[1])


def _done(batch: Batch) -> bool:
    batch.refresh_from_db()
    return batch.status == Batch.Status.DONE


def _assert_read_once(survey: Survey, batch: Batch) -> None:
    uncoded = set(suggestions.uncoded(survey.project).values_list("pk", flat=True))
    # The survey's 480 uncoded responses, and whatever the project held before.
    assert len(uncoded) >= 480
    assert batch.responses == len(uncoded)
    parts = list(batch.parts.all())
    assert len(parts) == -(-len(uncoded) // PART_SIZE)
    assert all(part.status == BatchPart.Status.DONE for part in parts)
    read = Reading.objects.filter(project=survey.project)
    # One reading per response is also what the database allows (one-to-one): none missing.
    assert set(read.values_list("source_id", flat=True)) == uncoded
    assert set(read.values_list("batch_id", flat=True)) == {batch.pk}
    made = Suggestion.objects.filter(project=survey.project)
    assert made.count() > len(uncoded) // 2
    assert set(made.values_list("source_id", flat=True)) <= uncoded
    doubled = made.values("source_id", "code_id").annotate(n=Count("pk")).filter(n__gt=1)
    assert not doubled.exists(), list(doubled)


def test_two_workers_share_a_batch_and_read_every_response_once(
    survey: Survey, cluster: Cluster
) -> None:
    pids = {cluster.start_worker(), cluster.start_worker()}
    with cluster.rq():
        batch = batches.start(by=survey.lead, project=survey.project)
    _wait_for(lambda: _done(batch), "the batch to finish", cluster.logs)
    _assert_read_once(survey, batch)
    parts = list(batch.parts.all())
    assert {_worker_pid(part) for part in parts} <= pids
    # Which worker took which part is down to timing, so only the count is checked.
    assert all(part.attempts >= 1 for part in parts)


def _kill_a_worker_mid_part(cluster: Cluster, batch: Batch) -> BatchPart | None:
    """Kill the worker of a part that is running, with the parts' table held still meanwhile,
    so that the part cannot finish between being seen running and its worker being killed."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Others may still read the table, but no part is claimed or finished.
                cursor.execute(f"LOCK TABLE {BatchPart._meta.db_table} IN EXCLUSIVE MODE")
        # On SQLite the transaction itself begins IMMEDIATE: it holds the write lock.
        running = batch.parts.filter(status=BatchPart.Status.RUNNING)
        for part in running:
            pid = _worker_pid(part)
            if pid in cluster.workers and cluster.workers[pid].poll() is None:
                cluster.kill(pid)
                return part
    return None


def test_a_part_whose_worker_is_killed_is_done_again_and_nothing_is_doubled_or_lost(
    survey: Survey, cluster: Cluster
) -> None:
    # Long responses, so that reading a part takes long enough to be caught at it: with short
    # ones a part is read and written between two looks at the parts table.
    long = [
        Source(pk=pk, text=" ".join([text] * 150))
        for pk, text in suggestions.uncoded(survey.project).values_list("pk", "text")
    ]
    Source.objects.bulk_update(long, ["text"])
    cluster.part_timeout = PART_TIMEOUT
    cluster.start_worker()
    cluster.start_worker()
    with cluster.rq():
        batch = batches.start(by=survey.lead, project=survey.project)
        killed = _wait_for(
            lambda: _kill_a_worker_mid_part(cluster, batch) or _done(batch),
            "a part to be running",
            cluster.logs,
        )
        assert isinstance(killed, BatchPart), "the batch finished before any part was seen running"
        killed.refresh_from_db()
        assert killed.status == BatchPart.Status.RUNNING
        assert killed.attempts == 1
        dead = _worker_pid(killed)

        def resumed() -> bool:
            # The surviving worker hands the stalled part out again after its next part; when it
            # has no next part, the lead's "resume" does.
            if _done(batch):
                return True
            if batches.stalled(batch):
                batches.resume(by=survey.lead, batch=batch)
                time.sleep(1)
            return False

        _wait_for(resumed, "the batch to finish after a worker was killed", cluster.logs)
    killed.refresh_from_db()
    assert killed.status == BatchPart.Status.DONE
    assert killed.attempts >= 2
    assert _worker_pid(killed) != dead
    _assert_read_once(survey, batch)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so two parts cannot be finished at once",
)
def test_two_workers_finishing_the_last_two_parts_at_once_finish_the_batch(
    survey: Survey,
) -> None:
    with override_settings(SUGGEST_PART_SIZE=PART_SIZE), mock.patch.object(batches, "_enqueue"):
        batch = batches.start(by=survey.lead, project=survey.project)
    parts = list(batch.parts.order_by("number"))
    assert len(parts) > 2
    for part in parts[:-2]:
        assert batches.run_part(part.pk) == "done"
    # Each of the last two workers has marked its part done and written its rows, and neither
    # has committed, when both look to see whether the batch is finished.
    both_written = threading.Barrier(2, timeout=30)
    insert = batches._insert

    def insert_then_wait(model: Any, columns: tuple[str, ...], rows: list[Any]) -> None:
        insert(model, columns, rows)
        if model is Reading:
            both_written.wait()

    outcomes: list[str] = []

    def finish(part_id: int) -> None:
        try:
            outcomes.append(batches.run_part(part_id))
        finally:
            connection.close()

    with mock.patch.object(batches, "_insert", insert_then_wait):
        workers = [threading.Thread(target=finish, args=(part.pk,)) for part in parts[-2:]]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
    assert outcomes == ["done", "done"]
    assert _done(batch)
    _assert_read_once(survey, batch)
