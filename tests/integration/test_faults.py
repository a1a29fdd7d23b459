"""Faults: a server that goes away and comes back loses nothing it acknowledged or was sent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import httpx
import pytest

from tests.integration.conftest import ServerProcess, child_env, list_all

PROJECT = "faults"


def _batch(size: int) -> list[dict[str, object]]:
    trace_id = uuid.uuid4().hex
    root = os.urandom(8).hex()
    now = time.time()
    spans: list[dict[str, object]] = [
        {
            "trace_id": trace_id,
            "span_id": root,
            "name": "root",
            "kind": "agent",
            "start_time": now,
            "end_time": now + 0.01,
            "input": {"q": "x" * 200},
        },
    ]
    for i in range(size - 1):
        spans.append(
            {
                "trace_id": trace_id,
                "span_id": os.urandom(8).hex(),
                "parent_id": root,
                "name": f"step-{i}",
                "kind": "tool",
                "start_time": now,
                "end_time": now + 0.005,
                "output": "y" * 200,
                "metrics": {"prompt_tokens": 10},
            }
        )
    return spans


@pytest.mark.xdist_group("faults")
def test_sigkill_loses_nothing_that_was_acknowledged(server: ServerProcess) -> None:
    acknowledged: list[str] = []
    stop = threading.Event()

    def send() -> None:
        with httpx.Client(base_url=server.url, timeout=5) as client:
            while not stop.is_set():
                spans = _batch(100)
                try:
                    response = client.post(
                        "/api/v1/spans", json={"project": PROJECT, "spans": spans}
                    )
                except httpx.TransportError:
                    return
                if response.status_code == 200:
                    assert response.json()["accepted"] == len(spans)
                    acknowledged.extend(str(s["span_id"]) for s in spans)

    senders = [threading.Thread(target=send) for _ in range(3)]
    for t in senders:
        t.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 2000 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.stop(signal.SIGKILL)
    stop.set()
    for t in senders:
        t.join(timeout=10)
    assert len(acknowledged) >= 2000

    server.start()
    with server.client() as api:
        stored = [s["span_id"] for s in list_all(api, f"/api/v1/projects/{PROJECT}/spans")]
    assert len(stored) == len(set(stored)), "no span is stored twice"
    missing = set(acknowledged) - set(stored)
    assert not missing, f"{len(missing)} acknowledged spans lost after SIGKILL"


@pytest.mark.xdist_group("faults")
def test_spans_made_while_the_server_is_down_arrive_exactly_once(server: ServerProcess) -> None:
    cmd = [sys.executable, "-m", "tests.integration._agents", "producer", server.url, PROJECT, "4"]
    program = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env()
    )
    time.sleep(1.2)
    assert program.poll() is None, "the program is still producing when the server goes"
    server.stop()
    time.sleep(1.5)
    server.start()
    out, err = program.communicate(timeout=90)
    assert program.returncode == 0, err
    produced = int(out.strip().splitlines()[-1])
    assert produced > 100

    with server.client() as api:
        stored = [s["span_id"] for s in list_all(api, f"/api/v1/projects/{PROJECT}/spans")]
    assert len(set(stored)) == produced, "every span produced is stored"
    assert len(stored) == produced, "and none twice"
