"""The retention job: each project with retention_days loses its old traces, on a schedule."""

from __future__ import annotations

import asyncio
import time

import pytest

from assay.schema import ScoreIn
from assay.server.jobs import retention
from assay.server.jobs.base import JobContext
from assay.server.worker import Worker
from assay.store.base import Store
from assay.store.shapes import JobQuery, NewJob
from tests.support.wait import wait_until
from tests.unit.store.conftest import T0, make, trace_id

DAY_US = 86_400_000_000


def _now_offset(days_ago: float) -> int:
    """The ``start`` offset (from T0) of a span that started ``days_ago`` days ago."""
    return int((time.time() - days_ago * 86_400) * 1_000_000) - T0


def _seed(store: Store, name: str, *, days: int | None) -> str:
    pid = store.ensure_project(name)
    store.add_spans(
        pid,
        [
            make(1, 1, start=_now_offset(40)),
            make(2, 2, start=_now_offset(10)),
            make(3, 3, start=_now_offset(0.01)),
        ],
    )
    store.record_scores(pid, [ScoreIn(trace_id=trace_id(n), name="q", value=1.0) for n in (1, 3)])
    if days is not None:
        store.update_project_settings(pid, {"retention_days": days})
    return pid


def _left(store: Store, pid: str) -> list[int]:
    return [n for n in (1, 2, 3) if store.get_trace(pid, trace_id(n)) is not None]


def test_the_job_deletes_traces_older_than_each_projects_retention(store: Store) -> None:
    month = _seed(store, "month", days=30)
    week = _seed(store, "week", days=7)
    forever = _seed(store, "forever", days=None)
    store.enqueue_jobs([NewJob(kind=retention.KIND)])
    [job] = store.claim_jobs("test", limit=1, lease_seconds=60)

    async def heartbeat() -> bool:
        return True

    ctx = JobContext(store=store, worker="test", public_url="", heartbeat=heartbeat)
    outcome = asyncio.run(retention.apply_retention(ctx, job))

    assert outcome.result == {
        "projects": 2,
        "traces_deleted": 3,
        "by_project": {month: 1, week: 2},
    }
    assert _left(store, month) == [2, 3]
    assert _left(store, week) == [3]
    assert _left(store, forever) == [1, 2, 3]
    assert store.list_trace_scores(month, trace_id(1)) == []
    assert [s.name for s in store.list_trace_scores(week, trace_id(3))] == ["q"]


def test_a_worker_runs_retention_on_its_schedule(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_RETENTION_INTERVAL", "0.2")
    pid = _seed(store, "week", days=7)
    running = Worker(
        store, handlers=retention.HANDLERS, periodic=retention.PERIODIC, poll_interval=0.05
    ).start_in_thread()
    try:
        wait_until(lambda: _left(store, pid) == [3], timeout=30)
        done = wait_until(
            lambda: [
                j
                for j in store.list_jobs(None, JobQuery(kind=retention.KIND)).items
                if j.status == "done" and j.result and j.result["traces_deleted"]
            ]
        )
        assert done[0].result["by_project"] == {pid: 2}
    finally:
        running.stop()
