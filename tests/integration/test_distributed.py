"""Three processes, one trace: a supervisor and two sub-agent services joined by traceparent."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from tests.integration.conftest import (
    ServerProcess,
    child_env,
    get_trace,
    run_agent,
    shape,
    walk,
)

PROJECT = "crew"


@pytest.fixture
def agents(server: ServerProcess) -> Iterator[tuple[str, str]]:
    """Sub-agent B (refund) and sub-agent A (research, which calls B), as HTTP services."""
    env = child_env(ASSAY_API_URL=server.url, ASSAY_PROJECT=PROJECT)
    procs: list[subprocess.Popen[str]] = []

    def start(*args: str) -> str:
        cmd = [sys.executable, "-m", "tests.integration._agents", "subagent", *args]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
        procs.append(proc)
        assert proc.stdout is not None
        return proc.stdout.readline().strip()

    try:
        url_b = start("refund-agent")
        url_a = start("research-agent", url_b)
        yield url_a, url_b
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


def test_supervisor_and_two_subagents_form_one_trace(
    server: ServerProcess, api: httpx.Client, agents: tuple[str, str]
) -> None:
    url_a, url_b = agents
    result = run_agent("supervisor", url_a, url_b, ASSAY_API_URL=server.url, ASSAY_PROJECT=PROJECT)

    traces = api.get(f"/api/v1/projects/{PROJECT}/traces").json()["items"]
    assert [t["trace_id"] for t in traces] == [result["trace_id"]], "exactly one trace"

    trace = get_trace(api, PROJECT, result["trace_id"])
    assert trace["orphans"] == []
    assert trace["span_count"] == 7
    assert [shape(r) for r in trace["roots"]] == [
        (
            "supervisor",
            [
                (
                    "delegate research",
                    [
                        (
                            "research-agent",
                            [("research-agent calls next", [("refund-agent", [])])],
                        )
                    ],
                ),
                ("delegate refund", [("refund-agent", [])]),
            ],
        )
    ]

    root = trace["roots"][0]
    assert root["input"] == {"goal": "refund order 7"}, "sub-agents never overwrite the root"
    assert root["output"] == {"answers": result["answers"]}
    research = next(n for n in walk(trace["roots"]) if n["name"] == "research-agent")
    assert research["input"] == {"task": "research"}
    assert research["output"]["next"]["handled"] == "research/sub"
