"""``assay worker`` processes and ``assay serve``'s own worker run the job queue of one database.

Jobs are put in the queue straight through the store (as the server's ingest does); their kind
is one no worker knows, so each attempt fails with an error that says so, is retried after the
backoff, and is dead after its last attempt, visible through the jobs API.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from assay.store import open_store
from assay.store.shapes import NewJob
from tests.integration.conftest import ServerProcess, child_env, list_all
from tests.support.wait import wait_until

PROJECT = "queue"
FAST_RETRIES = {"ASSAY_JOB_BACKOFF_BASE": "0.05", "ASSAY_WORKER_POLL_INTERVAL": "0.05"}


@dataclass
class WorkerProcess:
    """One ``assay worker`` subprocess with its output collected line by line."""

    proc: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, database_url: str, *args: str, **env: str) -> WorkerProcess:
        cmd = [sys.executable, "-m", "assay.cli", "worker", "--database-url", database_url, *args]
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=child_env(ASSAY_LOG_LEVEL="warning", **env),
        )
        started = cls(proc)
        threading.Thread(target=started._read, daemon=True).start()
        return started

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def first_line(self) -> str:
        wait_until(lambda: self.lines or self.proc.poll() is not None)
        assert self.lines, f"assay worker printed nothing (exit code {self.proc.poll()})"
        return self.lines[0]

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return int(self.proc.returncode)


@pytest.fixture
def queue_url(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The database, migrated, where jobs get 2 attempts."""
    monkeypatch.setenv("ASSAY_JOB_MAX_ATTEMPTS", "2")
    store = open_store(db_url)
    store.migrate()
    store.close()
    yield db_url


def enqueue_mystery_jobs(database_url: str, count: int) -> list[str]:
    store = open_store(database_url)
    try:
        pid = store.ensure_project(PROJECT)
        ids = store.enqueue_jobs(
            [NewJob(kind="mystery", project_id=pid, payload={"n": n}) for n in range(count)]
        )
    finally:
        store.close()
    return [str(i) for i in ids]


def wait_all_dead(api: httpx.Client, ids: list[str]) -> list[dict[str, Any]]:
    def dead() -> list[dict[str, Any]] | None:
        jobs = list_all(api, f"/api/v1/projects/{PROJECT}/jobs", status="dead")
        return jobs if {j["id"] for j in jobs} == set(ids) else None

    found: list[dict[str, Any]] = wait_until(dead)
    return found


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_worker_starts_with_one_line_and_stops_cleanly(
    queue_url: str, sig: int, tmp_path: Path
) -> None:
    worker = WorkerProcess.start(queue_url, "--name", "night-shift", "--concurrency", "3")
    try:
        line = worker.first_line()
        assert "assay worker night-shift" in line and "3 jobs at a time" in line
        assert "database " in line
    finally:
        code = worker.stop(sig)
    assert code == 0, "\n".join(worker.lines)
    assert worker.lines[-1] == "assay worker night-shift stopped"
    assert not any("Traceback" in line for line in worker.lines)


def test_a_worker_process_runs_the_jobs_of_a_server_without_one(
    queue_url: str, tmp_path: Path
) -> None:
    server = ServerProcess(database_url=queue_url, workdir=tmp_path, args=["--no-worker"])
    server.start()
    worker = WorkerProcess.start(queue_url, "--name", "extra", **FAST_RETRIES)
    try:
        worker.first_line()
        ids = enqueue_mystery_jobs(queue_url, 5)
        with server.client() as api:
            jobs = wait_all_dead(api, ids)
            for job in jobs:
                assert (job["attempts"], job["max_attempts"], job["claimed_by"]) == (2, 2, "extra")
                assert "unknown job kind 'mystery'" in job["error"]
            counts = api.get(f"/api/v1/projects/{PROJECT}/jobs").json()["counts"]
            assert counts["dead"] == 5 and counts["queued"] == counts["running"] == 0

            retried = api.post(f"/api/v1/projects/{PROJECT}/jobs/{ids[0]}/retry")
            assert retried.status_code == 200 and retried.json()["status"] == "queued"
            wait_all_dead(api, ids)
    finally:
        assert worker.stop() == 0, "\n".join(worker.lines)
        server.stop()
    assert "job worker off" in server.log()


def test_serve_runs_jobs_in_its_own_worker(queue_url: str, tmp_path: Path) -> None:
    server = ServerProcess(database_url=queue_url, workdir=tmp_path, env=FAST_RETRIES)
    server.start()
    try:
        ids = enqueue_mystery_jobs(queue_url, 3)
        with server.client() as api:
            jobs = wait_all_dead(api, ids)
        assert all(job["claimed_by"] and job["attempts"] == 2 for job in jobs)
    finally:
        server.stop()
    assert "job worker on" in server.log()
