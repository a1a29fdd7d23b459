"""The agents API: register a real ``serve_agent`` endpoint (the server asks it what it takes),
list, read, refresh, forget; clear errors for bad names and URLs that answer no agent."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

import assay
from assay.server.agent_client import AgentEvent, run_agent
from tests.support.postgres import free_port

P = "shop"
BASE = f"/api/v1/projects/{P}/agents"


def answer(question: str) -> str:
    return question


@pytest.fixture
def agent() -> Iterator[assay.AgentServer]:
    server = assay.serve_agent(
        answer, parameters={"temperature": 0.2, "model": "gpt-4o-mini"}, port=0, block=False
    )
    yield server
    server.close()


def test_an_agent_is_registered_from_what_its_endpoint_says(
    client: TestClient, agent: assay.AgentServer
) -> None:
    response = client.put(f"{BASE}/support", json={"url": agent.url, "description": "bot"})
    assert response.status_code == 200, response.text
    made: dict[str, Any] = response.json()
    assert made["name"] == "support" and made["url"] == agent.url
    assert made["task"] == "answer" and made["description"] == "bot"
    assert made["parameters"] == [
        {"name": "temperature", "default": 0.2, "type": "number"},
        {"name": "model", "default": "gpt-4o-mini", "type": "string"},
    ]
    assert client.get(f"{BASE}/support").json() == made
    assert [a["name"] for a in client.get(BASE).json()] == ["support"]

    events = client.get(f"/api/v1/projects/{P}/audit", params={"action": "agent."}).json()
    assert [(e["action"], e["target"]) for e in events["items"]] == [("agent.register", "support")]

    assert client.delete(f"{BASE}/support").status_code == 204
    assert client.get(BASE).json() == []
    missing = client.get(f"{BASE}/support")
    assert missing.status_code == 404 and "not registered" in missing.json()["error"]["message"]
    assert client.delete(f"{BASE}/support").status_code == 404


def test_registering_again_reads_the_endpoint_anew(client: TestClient) -> None:
    first = assay.serve_agent(answer, parameters={"temperature": 0.2}, port=0, block=False)
    with first:
        client.put(f"{BASE}/support", json={"url": first.url}).raise_for_status()
    second = assay.serve_agent(answer, parameters={"depth": 2}, port=0, block=False)
    with second:
        again = client.put(f"{BASE}/support", json={"url": second.url + "/"}).json()
    assert again["url"] == second.url + "/"
    assert [p["name"] for p in again["parameters"]] == ["depth"]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://127.0.0.1:{free_port}", "ConnectError"),
        ("ftp://example.org/agent", "is not an http:// or https:// URL"),
        # mistyped URLs: a 422 saying so, never a 500
        ("http://127.0.0.1:87100", "is not an http:// or https:// URL"),
        ("http://127.0.0.1:8710x", "is not an http:// or https:// URL"),
        ("http://[::1:8710", "is not an http:// or https:// URL"),
        ("http://agent host:8710", "is not an http:// or https:// URL"),
    ],
)
def test_a_url_that_answers_no_agent_is_refused(client: TestClient, url: str, says: str) -> None:
    # the free port is found when the test runs: collection must give every worker the same ids
    url = url.format(free_port=free_port())
    response = client.put(f"{BASE}/support", json={"url": url})
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert says in message and "assay.serve_agent(task)" in message
    assert client.get(BASE).status_code == 404  # nothing made, not even the project


@pytest.mark.parametrize("field", ["url", "description"])
def test_a_nul_character_is_refused_on_every_database(
    client: TestClient, agent: assay.AgentServer, field: str
) -> None:
    # PostgreSQL cannot store NUL: without the check it answered 500 there, 200 on SQLite
    body = {"url": agent.url, "description": "bot"}
    body[field] += "\x00"
    response = client.put(f"{BASE}/support", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["field"] == f"body.{field}"
    assert client.get(BASE).status_code == 404  # nothing made, not even the project


def test_an_http_server_that_is_no_agent_is_refused(client: TestClient) -> None:
    # a URL that speaks HTTP but is no agent's root: GET {url}/ answers 404
    other = assay.serve_agent(answer, port=0, block=False)
    with other:
        response = client.put(f"{BASE}/support", json={"url": other.url + "/run"})
    assert response.status_code == 422
    assert (
        "did not answer as an assay agent (GET / answered 404)"
        in (response.json()["error"]["message"])
    )


def test_agent_names_follow_the_name_rules(client: TestClient, agent: assay.AgentServer) -> None:
    response = client.put(f"{BASE}/-bad name", json={"url": agent.url})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "path.name"
    assert client.get("/api/v1/projects/nowhere/agents").status_code == 404


def _run(url: str, **kwargs: Any) -> list[AgentEvent]:
    async def collect() -> list[AgentEvent]:
        return [event async for event in run_agent(url, **kwargs)]

    return asyncio.run(collect())


def test_the_server_runs_an_agent_and_reads_its_events_as_they_come() -> None:
    def story(topic: str, *, parameters: dict[str, Any]) -> Iterator[str]:
        yield "Once "
        yield f"a {topic} at {parameters['temperature']}."

    with assay.serve_agent(story, parameters={"temperature": 0.2}, port=0, block=False) as agent:
        traceparent = f"00-{'ab' * 16}-{'cd' * 8}-01"
        events = _run(
            agent.url,
            input={"topic": "time"},
            parameters={"temperature": 0.9},
            traceparent=traceparent,
        )
        assert [(e.kind, e.text) for e in events[:2]] == [
            ("delta", "Once "),
            ("delta", "a time at 0.9."),
        ]
        assert events[2].kind == "done" and events[2].output == "Once a time at 0.9."
        assert events[2].trace_id == "ab" * 16  # the agent joined the caller's trace

        refused = _run(agent.url, input="x", parameters={"temp": 1})
        assert [e.kind for e in refused] == ["error"]
        assert "refused the run (400)" in refused[0].message and "'temp'" in refused[0].message

    gone = _run(agent.url, input="x", parameters={})
    assert [e.kind for e in gone] == ["error"]
    assert "ConnectError" in gone[0].message and agent.url in gone[0].message


def test_a_task_failure_reaches_the_server_as_one_error_event() -> None:
    def broken(question: str) -> str:
        raise RuntimeError("the tool is down")

    with assay.serve_agent(broken, port=0, block=False) as agent:
        events = _run(agent.url, input="q", parameters={})
    assert [(e.kind, e.message, e.extra) for e in events] == [
        ("error", "the tool is down", {"type": "RuntimeError"})
    ]
