"""The scaled-out shape of docs/deployment.md on one machine: two stateless API servers and three
worker processes against one PostgreSQL, under concurrent ingest, with a worker killed midway.

Every span a rule samples must end with exactly one score of that rule, every job done once,
none dead.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assay.testing import FakeLLMServer
from tests.integration.conftest import ServerProcess, child_env
from tests.support.postgres import Cluster

PROJECT = "fleet"
TRACES = 240  # each: a root agent span and two llm spans → 480 spans to score
BATCH_TRACES = 20

pytestmark = pytest.mark.xdist_group("deployment")

_JOB_ENV = {
    "ASSAY_WORKER_POLL_INTERVAL": "0.1",
    "ASSAY_JOB_LEASE_SECONDS": "3",
    "ASSAY_JOB_BACKOFF_BASE": "0.2",
    "ASSAY_JOB_BACKOFF_CAP": "1",
    "OPENAI_API_KEY": "sk-test",
}


class WorkerProcess:
    """One ``assay worker`` subprocess."""

    def __init__(self, database_url: str, workdir: Path, name: str, env: dict[str, str]) -> None:
        self.log_path = workdir / f"{name}.log"
        cmd = [sys.executable, "-m", "assay.cli", "worker", "--database-url", database_url]
        cmd += ["--concurrency", "4", "--name", name]
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, env=child_env(**env)
            )

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(timeout=10)


@pytest.fixture
def fleet(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    if backend != "postgresql":
        pytest.skip("several processes writing at once need PostgreSQL (SQLite: one writer)")
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    url = cluster.create_database()
    with FakeLLMServer(delay=0.3) as llm:
        env = {**_JOB_ENV, "OPENAI_BASE_URL": llm.openai_base_url}
        servers = [
            ServerProcess(database_url=url, workdir=tmp_path / f"api-{i}", args=["--no-worker"])
            for i in range(2)
        ]
        for server in servers:
            server.workdir.mkdir()
            server.env = env
            server.start()
        workers = [WorkerProcess(url, tmp_path, f"worker-{i}", env) for i in range(3)]
        try:
            yield {"servers": servers, "workers": workers, "llm": llm}
        finally:
            for worker in workers:
                worker.stop()
            for server in servers:
                server.stop()


def _spans(trace_no: int) -> list[dict[str, Any]]:
    trace_id = uuid.uuid4().hex
    root = uuid.uuid4().hex[:16]
    now = time.time()
    spans = [
        {
            "trace_id": trace_id,
            "span_id": root,
            "name": "support-bot",
            "kind": "agent",
            "start_time": now,
            "end_time": now + 1,
            "input": f"question {trace_no}",
            "output": f"answer {trace_no}",
        }
    ]
    for step in range(2):
        spans.append(
            {
                "trace_id": trace_id,
                "span_id": uuid.uuid4().hex[:16],
                "parent_id": root,
                "name": "chat",
                "kind": "llm",
                "model": "gpt-4o-mini",
                "start_time": now + 0.1 * step,
                "end_time": now + 0.1 * step + 0.05,
                "input": [{"role": "user", "content": f"question {trace_no}"}],
                "output": {"role": "assistant", "content": f"answer {trace_no}.{step}"},
            }
        )
    return spans


def _send_all(urls: list[str]) -> list[str]:
    """Send every trace from four threads, batches alternating between the servers."""
    trace_ids: list[str] = []
    lock = threading.Lock()
    failures: list[str] = []

    def sender(part: int) -> None:
        with httpx.Client(timeout=60) as client:
            for batch_no in range(part, TRACES // BATCH_TRACES, 4):
                spans: list[dict[str, Any]] = []
                for t in range(BATCH_TRACES):
                    spans += _spans(batch_no * BATCH_TRACES + t)
                url = urls[batch_no % len(urls)]
                answer = client.post(
                    f"{url}/api/v1/spans", json={"project": PROJECT, "spans": spans}
                )
                with lock:
                    if answer.status_code != 200:
                        failures.append(answer.text)
                    trace_ids.extend(dict.fromkeys(s["trace_id"] for s in spans))

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return trace_ids


def _kill_when_busy(api: httpx.Client, worker: WorkerProcess) -> None:
    """SIGKILL ``worker`` while it holds a job (its lease must run out before another takes it)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        running = api.get(f"/api/v1/projects/{PROJECT}/jobs", params={"status": "running"})
        if any(job["claimed_by"] == "worker-0" for job in running.json()["items"]):
            worker.proc.send_signal(signal.SIGKILL)
            worker.proc.wait(timeout=10)
            return
        time.sleep(0.05)
    raise AssertionError("worker-0 never held a job")


def _rule(api: httpx.Client) -> dict[str, Any]:
    answer = api.get(f"/api/v1/projects/{PROJECT}/rules/every-llm-call")
    assert answer.status_code == 200, answer.text
    rule: dict[str, Any] = answer.json()
    return rule


def test_two_servers_and_three_workers_score_every_span_exactly_once(
    fleet: dict[str, Any],
) -> None:
    servers: list[ServerProcess] = fleet["servers"]
    workers: list[WorkerProcess] = fleet["workers"]
    api = servers[0].client()
    judge = {
        "name": "grounded",
        "prompt": "Question: {{input}}\nAnswer: {{output}}\nIs the answer grounded?",
        "choices": {"grounded": 1.0, "ungrounded": 0.0},
        "model": "gpt-4o-mini",
        "use_cot": False,
    }
    assert api.post(f"/api/v1/projects/{PROJECT}/judges", json=judge).status_code in (200, 201)
    rule = {
        "name": "every-llm-call",
        "filter": {"kind": "llm"},
        "sample_rate": 1.0,
        "scorers": [{"judge": "grounded"}],
    }
    assert api.post(f"/api/v1/projects/{PROJECT}/rules", json=rule).status_code == 201
    time.sleep(2.5)  # both servers' rule caches refresh (every ~2 s), as after any rule change

    trace_ids = _send_all([s.url for s in servers])
    assert len(trace_ids) == TRACES
    _kill_when_busy(api, workers[0])

    deadline = time.monotonic() + 120
    stats: dict[str, Any] = {}
    while time.monotonic() < deadline:
        stats = _rule(api)["stats"]
        busy = stats["queued_jobs"] or stats["running_jobs"]
        if stats["scored_spans"] >= 2 * TRACES and not busy:
            break
        time.sleep(0.5)
    assert stats["scored_spans"] == 2 * TRACES, stats
    assert stats["scores"] == 2 * TRACES, stats  # no span was scored twice
    assert stats["dead_jobs"] == 0, stats

    jobs = api.get(f"/api/v1/projects/{PROJECT}/jobs", params={"limit": 500}).json()
    assert jobs["counts"].get("done", 0) >= TRACES // BATCH_TRACES
    assert {k: n for k, n in jobs["counts"].items() if n and k != "done"} == {}, jobs["counts"]
    claimed_by = {job["claimed_by"] for job in jobs["items"]}
    assert len(claimed_by) >= 2, claimed_by  # the work was shared
    taken_over = [job for job in jobs["items"] if job["attempts"] >= 2]
    assert taken_over and all(job["claimed_by"] != "worker-0" for job in taken_over)

    for trace_id in trace_ids[:: TRACES // 12]:  # a sample, read through the other server
        scores = httpx.get(
            f"{servers[1].url}/api/v1/projects/{PROJECT}/traces/{trace_id}/scores", timeout=30
        ).json()
        mine = [s for s in scores if s["rule_id"] == _rule(api)["id"]]
        assert len(mine) == 2
        assert {s["judge"] for s in mine} == {"grounded"}
        assert {s["source"] for s in mine} == {"llm_judge"}

    assert workers[0].proc.poll() == -signal.SIGKILL
    for worker in workers[1:]:
        assert worker.stop() == 0, worker.log_path.read_text()
    api.close()
