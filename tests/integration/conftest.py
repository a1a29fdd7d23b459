"""A real ``assay serve`` process on a free loopback port, for each backend, and helpers to read it.

Programs that use the SDK run as subprocesses too (``tests/integration/_agents.py``), so every
test sees the SDK exactly as a user's program does: its own process, its own exit handler.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.postgres import free_port

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0


def child_env(**extra: str) -> dict[str, str]:
    """Environment for a child process: our sources on the path, no pytest markers, no settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSAY_", "PYTEST_"))}
    path = [str(REPO / "src"), str(REPO)]
    if env.get("PYTHONPATH"):
        path.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(path)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


@dataclass
class ServerProcess:
    """One ``assay serve`` subprocess; can be stopped and started again on the same port and DB."""

    database_url: str
    workdir: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0
    env: dict[str, str] = field(default_factory=dict)
    args: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"server-{self.starts}.log"

    def start(self) -> None:
        self.starts += 1
        cmd = [sys.executable, "-m", "assay.cli", "serve", "--host", "127.0.0.1"]
        cmd += ["--port", str(self.port), "--database-url", self.database_url, *self.args]
        env = child_env(
            ASSAY_DATA_DIR=str(self.workdir / "data"), ASSAY_LOG_LEVEL="warning", **self.env
        )
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        self.wait_healthy()

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"assay serve exited early:\n{self.log_path.read_text()}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"assay serve not healthy in {START_TIMEOUT}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the process with ``sig`` (SIGKILL after 10 s) and wait for it."""
        if self.proc is None or self.proc.poll() is not None:
            self.proc = None
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    """A running ``assay serve`` on a fresh database of the selected backend."""
    proc = ServerProcess(database_url=db_url, workdir=tmp_path)
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def api(server: ServerProcess) -> Iterator[httpx.Client]:
    """An HTTP client for the running server."""
    with server.client() as client:
        yield client


def run_agent(role: str, *args: str, timeout: float = 60, **env: str) -> Any:
    """Run a role of ``tests.integration._agents``; return its last stdout line as JSON."""
    cmd = [sys.executable, "-m", "tests.integration._agents", role, *args]
    done = subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, env=child_env(**env)
    )
    if done.returncode != 0:
        raise AssertionError(f"{role} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1]) if lines else None


def get_trace(api: httpx.Client, project: str, trace_id: str) -> dict[str, Any]:
    """One whole trace as the API returns it (asserting it exists)."""
    response = api.get(f"/api/v1/projects/{project}/traces/{trace_id}")
    assert response.status_code == 200, response.text
    trace: dict[str, Any] = response.json()
    return trace


def list_all(api: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paged list endpoint, following ``next_cursor``."""
    items: list[dict[str, Any]] = []
    query = {"limit": 500, **params}
    while True:
        response = api.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        if not page.get("next_cursor"):
            return items
        query["cursor"] = page["next_cursor"]


def walk(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every span of a trace tree, depth first."""
    for node in nodes:
        yield node
        yield from walk(node.get("children", []))


def by_name(trace: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The spans of a trace tree by name (names are unique in the test programs)."""
    return {node["name"]: node for node in walk(trace["roots"])}


def shape(node: dict[str, Any]) -> Any:
    """A span tree as nested ``(name, [children])`` pairs, children sorted by start time."""
    children = sorted(node.get("children", []), key=lambda c: c["start_time"])
    return (node["name"], [shape(c) for c in children])
