"""The real agent in the playground: the shipped example (``examples/serve_agent.py``) as its
own process, registered with a real ``assay serve`` and run with a parameter override through
``POST …/playground/runs``; its spans (agent, tool, llm) join the playground's trace, the
override reaches the model, and Ctrl-C stops the agent cleanly."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from assay.testing import FakeLLMServer, FakeReply
from tests.integration.conftest import REPO, ServerProcess, child_env, walk
from tests.support.postgres import free_port
from tests.support.wait import wait_until

PROJECT = "support"
EXAMPLE = REPO / "examples" / "serve_agent.py"


@pytest.fixture
def llm() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as fake:
        yield fake


@pytest.fixture
def agent_url(server: ServerProcess, llm: FakeLLMServer) -> Iterator[str]:
    """The example agent as its own process, blocking in ``serve_agent``."""
    port = free_port()
    env = child_env(
        ASSAY_API_URL=server.url, ASSAY_PROJECT=PROJECT, OPENAI_BASE_URL=llm.openai_base_url
    )
    cmd = [sys.executable, str(EXAMPLE), str(port)]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        try:
            return httpx.get(url + "/", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_until(up, timeout=30)
        yield url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err  # Ctrl-C stops the agent cleanly
        assert "Traceback" not in err, err


def stream(api: httpx.Client, path: str, body: dict[str, Any]) -> list[tuple[str, Any]]:
    """A streamed answer as (event, data) pairs."""
    found: list[tuple[str, Any]] = []
    with api.stream("POST", path, json=body) as response:
        assert response.status_code == 200, response.read()
        event = ""
        for line in response.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: "):
                found.append((event, json.loads(line.removeprefix("data: "))))
    return found


def test_the_playground_runs_the_registered_agent_with_overridden_parameters(
    api: httpx.Client, llm: FakeLLMServer, agent_url: str
) -> None:
    registered = api.put(f"/api/v1/projects/{PROJECT}/agents/support-bot", json={"url": agent_url})
    assert registered.status_code == 200, registered.text
    assert registered.json()["task"] == "support"
    assert {p["name"]: p["default"] for p in registered.json()["parameters"]} == {
        "model": "gpt-4o-mini",
        "temperature": 0.2,
        "tone": "friendly",
    }

    llm.script(
        FakeReply(
            content="Order 1042 ships tomorrow.", chunks=["Order 1042 ", "ships ", "tomorrow."]
        )
    )
    body = {
        "variant": {"agent": "support-bot", "parameters": {"temperature": 0.9}},
        "input": {"question": "Where is my order?"},
    }
    events = stream(api, f"/api/v1/projects/{PROJECT}/playground/runs", body)
    assert [data["text"] for event, data in events if event == "delta"] == [
        "Order 1042 ",
        "ships ",
        "tomorrow.",
    ]
    assert events[-1][0] == "done", events
    done = events[-1][1]
    assert done["output"] == "Order 1042 ships tomorrow."
    trace_id = done["trace_id"]
    assert trace_id
    assert llm.requests[-1].json["temperature"] == 0.9  # the override reached the model

    def whole_trace() -> dict[str, Any] | None:
        response = api.get(f"/api/v1/projects/{PROJECT}/traces/{trace_id}")
        if response.status_code != 200:
            return None
        found: dict[str, Any] = response.json()
        kinds = {s["kind"] for s in walk(found["roots"])}
        names = {s["name"] for s in walk(found["roots"])}
        return found if {"support", "lookup_order"} <= names and "llm" in kinds else None

    trace = wait_until(whole_trace, timeout=30)
    spans = {s["name"]: s for s in walk(trace["roots"])}
    agent = spans["support"]
    assert agent["kind"] == "agent"
    assert agent["input"] == {"question": "Where is my order?"}
    assert agent["output"] == "Order 1042 ships tomorrow."
    assert agent["metadata"]["agent_parameters"] == {
        "model": "gpt-4o-mini",
        "temperature": 0.9,
        "tone": "friendly",
    }
    tool = spans["lookup_order"]
    assert tool["kind"] == "tool" and tool["parent_id"] == agent["span_id"]
    llm_span = next(s for s in spans.values() if s["kind"] == "llm")
    assert llm_span["parent_id"] == agent["span_id"]
    assert llm_span["metadata"]["params"]["temperature"] == 0.9
    assert trace["orphans"] == [] and len(trace["roots"]) == 1
    root = trace["roots"][0]
    assert agent["parent_id"] == root["span_id"], "the playground's own span is the parent"
