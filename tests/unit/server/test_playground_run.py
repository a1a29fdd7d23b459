"""``POST …/playground/runs``: one variant on one input, streamed as server-sent events (deltas as
the model sends them, then ``done`` with tokens and cost, or ``error``), through the project's
own provider key; saved prompt versions by label or version; registered agents under a root
span of the run."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

import assay
from assay.server import create_app
from assay.store.base import Store
from assay.testing import FakeLLMServer, FakeReply
from tests.support.postgres import free_port
from tests.unit.server.test_providers_api import KEY, elsewhere, fake, model_server, save_fake
from tests.unit.server.test_rules_api import P

__all__ = ["elsewhere", "fake", "model_server"]

RUNS = f"/api/v1/projects/{P}/playground/runs"
HELLO = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi {{name}}"}]


def events_of(text: str) -> list[tuple[str, Any]]:
    """The (event, data) pairs of a text/event-stream body."""
    found = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        found.append((fields["event"], json.loads(fields["data"])))
    return found


def run(client: TestClient, variant: dict[str, Any], **body: Any) -> list[tuple[str, Any]]:
    response = client.post(RUNS, json={"variant": variant, **body})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return events_of(response.text)


def save_prompt(client: TestClient, name: str, **body: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/projects/{P}/prompts/{name}/versions", json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_prompt_streams_deltas_then_done_with_tokens_and_cost(
    client: TestClient, fake: FakeLLMServer
) -> None:
    save_fake(client, fake)
    fake.script(FakeReply(content="Hello Ana!", chunks=["Hel", "lo ", "Ana!"],
                          usage={"prompt_tokens": 12, "completion_tokens": 3}))  # fmt: skip
    response = client.post(RUNS, json={
        "variant": {"messages": HELLO, "model": "gpt-4o-mini", "params": {"temperature": 0.2}},
        "variables": {"name": "Ana"},
    })  # fmt: skip
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-accel-buffering"] == "no"
    events = events_of(response.text)
    assert events[:3] == [("delta", {"text": "Hel"}), ("delta", {"text": "lo "}),
                          ("delta", {"text": "Ana!"})]  # fmt: skip
    kind, done = events[3]
    assert kind == "done" and len(events) == 4
    assert (done["output"], done["prompt_tokens"], done["completion_tokens"]) == (
        "Hello Ana!",
        12,
        3,
    )
    assert done["cost"] > 0 and done["model"] and done["latency_ms"] >= done["ttft_ms"] > 0
    sent = fake.requests[-1]
    assert sent.headers["authorization"] == f"Bearer {KEY}"  # the project's key, not the env's
    assert sent.json["messages"][1] == {"role": "user", "content": "Hi Ana"}
    assert sent.json["temperature"] == 0.2 and sent.json["stream"] is True


def test_a_missing_variable_is_one_error_event_naming_it(
    client: TestClient, fake: FakeLLMServer
) -> None:
    save_fake(client, fake)
    events = run(client, {"messages": HELLO, "model": "gpt-4o-mini"}, variables={"nom": "x"})
    assert [kind for kind, _ in events] == ["error"]
    assert "'name'" in events[0][1]["message"] and fake.calls == 0


def test_a_saved_version_runs_by_label_and_edits_override_it(
    client: TestClient, fake: FakeLLMServer
) -> None:
    save_fake(client, fake)
    v1 = [{"role": "user", "content": "v1 {{q}}"}]
    v2 = [{"role": "user", "content": "v2 {{q}}"}]
    first = {"model": "gpt-4o-mini", "params": {"temperature": 0.1}, "labels": ["production"]}
    save_prompt(client, "answer", messages=v1, **first)
    save_prompt(client, "answer", messages=v2, model="gpt-4o", params={"temperature": 0.9})
    events = run(
        client, {"prompt": {"name": "answer", "label": "production"}}, variables={"q": "?"}
    )
    assert events[-1][0] == "done"
    sent = fake.requests[-1].json
    assert (sent["messages"], sent["model"], sent["temperature"]) == (
        [{"role": "user", "content": "v1 ?"}], "gpt-4o-mini", 0.1,
    )  # fmt: skip
    edited = {"prompt": {"name": "answer", "version": 2}, "model": "gpt-4o-mini",
              "messages": [{"role": "user", "content": "edited {{q}}"}]}  # fmt: skip
    assert run(client, edited, variables={"q": "!"})[-1][0] == "done"
    sent = fake.requests[-1].json
    assert (sent["messages"], sent["model"], sent["temperature"]) == (
        [{"role": "user", "content": "edited !"}], "gpt-4o-mini", 0.9,
    )  # fmt: skip
    latest = run(client, {"prompt": {"name": "answer"}}, variables={"q": "."})
    assert latest[-1][0] == "done" and fake.requests[-1].json["model"] == "gpt-4o"


@pytest.mark.parametrize(
    ("variant", "status", "says"),
    [
        ({"prompt": {"name": "answer", "version": 7}}, 404, "has no version 7"),
        ({"prompt": {"name": "answer", "label": "staging"}}, 404, "has no label 'staging'"),
        ({"prompt": {"name": "nope"}}, 404, "prompt 'nope' does not exist"),
        ({"messages": HELLO}, 422, 'no "model"'),
        ({"agent": "ghost"}, 404, "agent 'ghost' is not registered"),
    ],
)
def test_what_cannot_run_is_refused_before_streaming(
    client: TestClient, variant: dict[str, Any], status: int, says: str
) -> None:
    save_prompt(client, "answer", messages=[{"role": "user", "content": "hi"}], model="m")
    response = client.post(RUNS, json={"variant": variant})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert says in response.json()["error"]["message"]


def test_a_provider_refusal_is_an_error_event_without_the_key(
    client: TestClient, fake: FakeLLMServer
) -> None:
    save_fake(client, fake)
    fake.script(FakeReply(status=400, content=f"temperature is too high for {KEY}"))
    events = run(client, {"messages": HELLO, "model": "gpt-4o-mini"}, variables={"name": "A"})
    assert [kind for kind, _ in events] == ["error"]
    message = events[0][1]["message"]
    assert "temperature is too high" in message and KEY not in message


@pytest.fixture
def live_url(store: Store) -> Iterator[str]:
    """The app served by uvicorn on a loopback port, so responses stream as they would."""
    port = free_port()
    config = uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_the_first_delta_reaches_the_client_while_the_model_is_still_sending(
    live_url: str,
) -> None:
    with FakeLLMServer() as slow, httpx.Client(base_url=live_url, timeout=30) as http:
        body = {"base_url": slow.openai_base_url, "api_key": KEY}
        assert http.put(f"/api/v1/projects/{P}/providers/openai", json=body).status_code == 200
        chunks = ["first", " second", " third"]
        slow.script(FakeReply(content="".join(chunks), chunks=chunks, chunk_delay=5))
        variant = {"messages": [{"role": "user", "content": "go"}], "model": "gpt-4o-mini"}
        seen: list[tuple[str, Any]] = []
        with http.stream("POST", RUNS, json={"variant": variant}) as response:
            buffer = ""
            for piece in response.iter_text():
                buffer += piece
                while "\n\n" in buffer:
                    block, buffer = buffer.split("\n\n", 1)
                    seen.extend(events_of(block + "\n\n"))
                    if seen == [("delta", {"text": "first"})]:
                        slow.stop()  # the model goes away before sending the rest
    # Had the server held the answer back, the model would have finished first (a `done`).
    assert [kind for kind, _ in seen] == ["delta", "error"]
    assert seen[0] == ("delta", {"text": "first"})


def _story(question: str, parameters: dict[str, Any] | None = None) -> Iterator[str]:
    tone = (parameters or {}).get("tone", "plain")
    yield f"{tone}: "
    yield question.upper()


def test_an_agent_streams_its_pieces_and_its_run_is_a_playground_trace(
    client: TestClient,
) -> None:
    agent = assay.serve_agent(_story, parameters={"tone": "plain"}, port=0, block=False)
    try:
        put = client.put(f"/api/v1/projects/{P}/agents/story", json={"url": agent.url})
        assert put.status_code == 200, put.text
        events = run(client, {"agent": "story", "parameters": {"tone": "warm"}},
                     input={"question": "hi"})  # fmt: skip
    finally:
        agent.close()
    assert events[:2] == [("delta", {"text": "warm: "}), ("delta", {"text": "HI"})]
    kind, done = events[-1]
    assert kind == "done" and done["output"] == "warm: HI" and len(done["trace_id"]) == 32
    trace = client.get(f"/api/v1/projects/{P}/traces/{done['trace_id']}")
    assert trace.status_code == 200, trace.text
    root = trace.json()["roots"][0]
    assert (root["name"], root["kind"], root["tags"]) == ("playground: story", "agent",
                                                          ["playground"])  # fmt: skip
    assert root["input"] == {"question": "hi"} and root["output"] == "warm: HI"
    assert root["metadata"]["agent"] == "story"
    assert root["metadata"]["parameters"] == {"tone": "warm"}
