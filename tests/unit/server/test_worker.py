"""The job worker over a real store: each job done once, retries and dead letters, periodic
jobs once per period, leases kept by the heartbeat, lost claims dropped, graceful stops."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from assay.server.jobs.base import JobContext, Periodic
from assay.server.worker import Worker, WorkerThread, notify_all
from assay.store.base import Store
from assay.store.shapes import ClaimedJob, JobOutcome, JobQuery, NewJob
from assay.store.sql import SqlStore
from tests.support.wait import wait_until

DEADLINE = 30.0


@contextmanager
def workers(store: Store, count: int = 1, **options: Any) -> Iterator[list[WorkerThread]]:
    options.setdefault("poll_interval", 0.05)
    started = [Worker(store, name=f"w{n}", **options).start_in_thread() for n in range(count)]
    try:
        yield started
    finally:
        for handle in started:
            assert handle.stop(timeout=5)


class Calls:
    """What handlers saw, from any worker thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.jobs: list[str] = []
        self.running = Counter[str]()
        self.most = Counter[str]()

    def enter(self, ctx: JobContext, job: ClaimedJob) -> None:
        with self.lock:
            self.jobs.append(job.id)
            self.running[ctx.worker] += 1
            self.most[ctx.worker] = max(self.most[ctx.worker], self.running[ctx.worker])

    def leave(self, ctx: JobContext) -> None:
        with self.lock:
            self.running[ctx.worker] -= 1


def statuses(store: Store, project_id: str | None) -> dict[str, int]:
    return store.list_jobs(project_id, JobQuery(limit=1)).counts


def test_every_job_is_done_exactly_once_by_two_concurrent_workers(
    store: Store,
) -> None:
    pid = store.ensure_project("demo")
    calls = Calls()

    async def count(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
        calls.enter(ctx, job)
        await asyncio.sleep(0.01)
        calls.leave(ctx)
        return JobOutcome(result={"by": ctx.worker, "n": job.payload["n"]})

    total = 80
    store.enqueue_jobs(
        [NewJob(kind="count", project_id=pid, payload={"n": n}) for n in range(total)]
    )
    with workers(store, 2, concurrency=3, handlers={"count": count}):
        wait_until(lambda: statuses(store, pid)["done"] == total)
    assert sorted(Counter(calls.jobs).values()) == [1] * total
    assert max(calls.most.values()) <= 3, "no worker runs more than its concurrency"
    page = store.list_jobs(pid, JobQuery(limit=total))
    assert {j.result["by"] for j in page.items if j.result} <= {"w0", "w1"}
    assert all(j.attempts == 1 for j in page.items)


def test_a_failing_handler_is_retried_then_dead_lettered(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_JOB_BACKOFF_BASE", "0.01")
    pid = store.ensure_project("demo")
    tries = Counter[str]()

    async def broken(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
        tries[job.id] += 1
        raise ValueError(f"span {job.payload['span']} has no output")

    [job_id] = store.enqueue_jobs(
        [NewJob(kind="judge", project_id=pid, payload={"span": "ab"}, max_attempts=3)]
    )
    assert job_id is not None
    with workers(store, handlers={"judge": broken}):
        dead = wait_until(lambda: (j := store.get_job(job_id)) and j.status == "dead" and j)
    assert tries[job_id] == 3
    assert (dead.attempts, dead.error) == (3, "ValueError: span ab has no output")


def test_a_job_of_an_unknown_kind_fails_saying_so(store: Store) -> None:
    [job_id] = store.enqueue_jobs([NewJob(kind="mystery", max_attempts=1)])
    assert job_id is not None

    async def nothing(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
        return JobOutcome()

    with workers(store, handlers={"count": nothing}):
        dead = wait_until(lambda: (j := store.get_job(job_id)) and j.status == "dead" and j)
    assert "unknown job kind 'mystery'" in dead.error and "count" in dead.error


def test_a_periodic_job_is_enqueued_once_per_period_across_workers(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_ALERT_INTERVAL", str(10 * 365 * 86400))
    runs = Counter[str]()

    async def tick(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
        runs[ctx.worker] += 1
        return JobOutcome(result={"payload": job.payload})

    periodic = [
        Periodic("tick", every=10 * 365 * 86400, payload={"what": "tick"}),
        Periodic("tock", every="alert_interval"),
    ]
    handlers = {"tick": tick, "tock": tick}
    with workers(store, 3, handlers=handlers, periodic=periodic):
        wait_until(lambda: statuses(store, None)["done"] == 2)
        time.sleep(0.3)  # more polls of every worker: none may enqueue another
    jobs = store.list_jobs(None, JobQuery()).items
    assert sorted(j.kind for j in jobs) == ["tick", "tock"]
    assert all(j.status == "done" for j in jobs)
    assert sum(runs.values()) == 2
    tick_job = next(j for j in jobs if j.kind == "tick")
    assert tick_job.result == {"payload": {"what": "tick"}}


def test_the_heartbeat_keeps_a_long_job_from_being_taken_over(store: Store) -> None:
    pid = store.ensure_project("demo")
    calls = Calls()

    async def slow(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
        calls.enter(ctx, job)
        await asyncio.sleep(3.5)  # more than three leases
        return JobOutcome(result={"slept": 3.5})

    [job_id] = store.enqueue_jobs([NewJob(kind="slow", project_id=pid)])
    assert job_id is not None
    with workers(store, 2, lease_seconds=1.0, handlers={"slow": slow}):
        done = wait_until(lambda: (j := store.get_job(job_id)) and j.status == "done" and j)
    assert calls.jobs == [job_id], "run once: the other worker never took it over"
    assert (done.attempts, done.result) == (1, {"slept": 3.5})


def test_a_cancelled_job_stops_its_handler_and_commits_nothing(store: Store) -> None:
    pid = store.ensure_project("demo")
    started, stopped = threading.Event(), threading.Event()

    async def endless(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            stopped.set()
            raise
        return JobOutcome(result={"finished": True})

    [job_id] = store.enqueue_jobs([NewJob(kind="endless", project_id=pid)])
    assert job_id is not None
    with workers(store, lease_seconds=1.0, handlers={"endless": endless}):
        assert started.wait(DEADLINE)
        store.cancel_job(job_id)
        assert stopped.wait(DEADLINE), "the handler was cancelled once the claim was lost"
    job = store.get_job(job_id)
    assert job is not None and (job.status, job.result) == ("cancelled", None)


def test_notify_starts_a_fresh_job_without_waiting_for_the_poll(store: Store) -> None:
    pid = store.ensure_project("demo")

    async def quick(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
        return JobOutcome(result={"ok": 1})

    with workers(store, poll_interval=3600, handlers={"quick": quick}):
        time.sleep(0.2)  # the worker has polled once and sleeps for an hour
        [job_id] = store.enqueue_jobs([NewJob(kind="quick", project_id=pid)])
        notify_all()
        wait_until(lambda: (j := store.get_job(str(job_id))) and j.status == "done")


def test_stopping_lets_running_jobs_finish_or_keeps_their_lease(store: Store) -> None:
    pid = store.ensure_project("demo")

    async def waits(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
        if job.payload["wait"]:
            await asyncio.sleep(3600)
        return JobOutcome(result={"ok": 1})

    short, stuck = store.enqueue_jobs(
        [NewJob(kind="w", project_id=pid, payload={"wait": w}) for w in (False, True)]
    )
    assert short and stuck
    handle = Worker(store, poll_interval=0.05, handlers={"w": waits}).start_in_thread()
    wait_until(lambda: statuses(store, pid)["running"] + statuses(store, pid)["done"] == 2)
    assert handle.stop(timeout=0.3)
    short_job, stuck_job = store.get_job(short), store.get_job(stuck)
    assert short_job is not None and short_job.status == "done"
    assert stuck_job is not None and stuck_job.status == "running", "kept with its lease"
    later = time.time_ns() // 1000 + 120 * 1_000_000
    taken = store.claim_jobs("other", limit=5, lease_seconds=30, now=later)
    assert [j.id for j in taken] == [stuck], "another worker takes it over after the lease"


def test_a_worker_waits_out_an_unreachable_database(
    backend: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    if backend != "sqlite":
        pytest.skip("a missing SQLite folder is the outage here")
    url = f"sqlite:///{tmp_path / 'later' / 'assay.db'}"
    store = SqlStore(url)  # the folder does not exist yet: every call fails

    async def quick(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
        return JobOutcome(result={"ok": 1})

    caplog.set_level(logging.WARNING, logger="assay.worker")
    try:
        with workers(store, poll_interval=0.02, handlers={"quick": quick}) as [handle]:
            wait_until(lambda: "the job store failed" in caplog.text)
            (tmp_path / "later").mkdir()
            store.migrate()
            [job_id] = store.enqueue_jobs([NewJob(kind="quick")])
            notify_all()
            wait_until(lambda: (j := store.get_job(str(job_id))) and j.status == "done")
            assert handle.alive
    finally:
        store.close()
