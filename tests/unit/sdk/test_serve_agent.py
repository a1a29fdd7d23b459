"""``assay.serve_agent``: a task function as an HTTP endpoint, driven over real loopback HTTP."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

import assay
from assay.errors import UsageError
from assay.sdk._agent import prompt_override
from assay.testing.capture import SpanCapture


def serve(task: Callable[..., Any], **parameters: Any) -> assay.AgentServer:
    return assay.serve_agent(task, parameters=parameters or None, port=0, block=False)


@pytest.fixture
def agents() -> Iterator[Callable[..., assay.AgentServer]]:
    """Start agents on free ports; close them after the test."""
    started: list[assay.AgentServer] = []

    def start(task: Callable[..., Any], **parameters: Any) -> assay.AgentServer:
        server = serve(task, **parameters)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


def events(
    url: str,
    body: dict[str, Any],
    *,
    headers: dict[str, str] | None = None,
    on_event: Callable[[str, Any], None] | None = None,
) -> list[tuple[str, Any]]:
    """POST /run and read its server-sent events as (event, data) pairs, as they come."""
    found: list[tuple[str, Any]] = []
    with httpx.stream("POST", f"{url}/run", json=body, headers=headers, timeout=30) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"] == "text/event-stream"
        event = ""
        for line in response.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data = json.loads(line.removeprefix("data: "))
                found.append((event, data))
                if on_event is not None:
                    on_event(event, data)
    return found


def answer(question: str, lang: str = "en") -> str:
    return f"{lang}: {question}"


def test_get_describes_the_task_and_its_parameters(agents: Any) -> None:
    agent = agents(answer, model="gpt-4o-mini", temperature=0.2, max_steps=3, verbose=False)
    info = httpx.get(agent.url + "/").json()
    assert info["task"] == "answer"
    assert info["assay_version"] == assay.__version__
    assert info["parameters"] == [
        {"name": "model", "default": "gpt-4o-mini", "type": "string"},
        {"name": "temperature", "default": 0.2, "type": "number"},
        {"name": "max_steps", "default": 3, "type": "integer"},
        {"name": "verbose", "default": False, "type": "boolean"},
    ]
    assert httpx.get(agent.url + "/nothing").status_code == 404


def test_a_dict_input_binds_to_named_arguments_and_parameters_are_passed(agents: Any) -> None:
    seen: list[dict[str, Any]] = []

    def task(question: str, lang: str = "en", *, parameters: dict[str, Any]) -> str:
        seen.append(parameters)
        return f"{lang}: {question} at {parameters['temperature']}"

    agent = agents(task, temperature=0.2, model="m")
    body = {"input": {"question": "hi", "lang": "fr"}, "parameters": {"temperature": 0.9}}
    assert events(agent.url, body)[-1][1]["output"] == "fr: hi at 0.9"
    assert seen == [{"temperature": 0.9, "model": "m"}]

    # keys the function does not name: the dict is the one argument
    agent = agents(lambda record: sorted(record))
    done = events(agent.url, {"input": {"a": 1, "b": 2}})[-1]
    assert done == ("done", {"output": ["a", "b"], "trace_id": done[1]["trace_id"]})


def test_a_generator_streams_each_piece_before_the_next_is_made(agents: Any) -> None:
    first_seen = threading.Event()

    def story(topic: str) -> Iterator[str]:
        yield "Once "
        assert first_seen.wait(10), "the first piece did not reach the caller on its own"
        yield "upon "
        yield f"a {topic}."

    def on_event(event: str, data: Any) -> None:
        if event == "delta":
            first_seen.set()

    agent = agents(story)
    got = events(agent.url, {"input": "time"}, on_event=on_event)
    assert [e for e, _ in got] == ["delta", "delta", "delta", "done"]
    assert [d["text"] for e, d in got if e == "delta"] == ["Once ", "upon ", "a time."]
    assert got[-1][1]["output"] == "Once upon a time."


def test_async_tasks_and_async_generators_run(agents: Any) -> None:
    async def shout(text: str) -> str:
        await asyncio.sleep(0)
        return text.upper()

    async def count(n: int) -> AsyncIterator[Any]:
        for i in range(n):
            yield f"{i} "
        yield {"counted": n}

    got = events(agents(shout).url, {"input": "hey"})
    assert [(e, d["output"]) for e, d in got] == [("done", "HEY")]
    got = events(agents(count).url, {"input": {"n": 3}})
    assert [d["text"] for e, d in got if e == "delta"] == ["0 ", "1 ", "2 "]
    assert got[-1] == ("done", {"output": {"counted": 3}, "trace_id": got[-1][1]["trace_id"]})


def test_a_failing_task_is_an_error_event_on_its_span_and_the_server_goes_on(
    agents: Any, capture: SpanCapture
) -> None:
    def flaky(order: str) -> str:
        if order == "bad":
            raise LookupError(f"no order {order!r}")
        return "shipped"

    agent = agents(flaky)
    assert events(agent.url, {"input": "bad"}) == [
        ("error", {"message": "no order 'bad'", "type": "LookupError"})
    ]
    assert events(agent.url, {"input": "7"})[-1][1]["output"] == "shipped"
    failed, ok = capture.flush()[0], capture.flush()[1]
    assert failed["name"] == "flaky" and failed["kind"] == "agent"
    assert failed["status"] == "error" and failed["error"]["type"] == "LookupError"
    assert ok["status"] == "ok" and ok["output"] == "shipped"


def test_unknown_parameters_are_refused_with_the_known_ones(agents: Any) -> None:
    agent = agents(answer, temperature=0.2, model="m")
    response = httpx.post(
        agent.url + "/run", json={"input": "q", "parameters": {"temprature": 1, "x": 2}}
    )
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "'temprature', 'x'" in message
    assert "it accepts: model, prompts, temperature" in message

    for body, needle in [
        ({"input": "q", "parameters": [1]}, "'parameters'"),
        ({"input": "q", "params": {}}, "'params'"),
        ({"input": "q", "parameters": {"prompts": {"answer": True}}}, "prompts.answer"),
    ]:
        response = httpx.post(agent.url + "/run", json=body)
        assert response.status_code == 400
        assert needle in response.json()["error"]["message"]
    response = httpx.post(agent.url + "/run", content=b"{not json")
    assert response.status_code == 400 and "not JSON" in response.json()["error"]["message"]


def test_prompt_pins_and_parameters_are_visible_inside_a_run_only(agents: Any) -> None:
    def task(question: str) -> dict[str, Any]:
        return {
            "answer": prompt_override("answer"),
            "other": prompt_override("other"),
            "parameters": assay.agent_parameters(),
        }

    agent = agents(task, temperature=0.2, prompts={"answer": "production", "other": 2})
    body = {"input": "q", "parameters": {"prompts": {"answer": 3}, "temperature": 1.0}}
    output = events(agent.url, body)[-1][1]["output"]
    assert output == {
        "answer": 3,
        "other": 2,
        "parameters": {"temperature": 1.0, "prompts": {"answer": 3, "other": 2}},
    }
    label = events(agent.url, {"input": "q", "parameters": {"prompts": {"answer": "staging"}}})
    assert label[-1][1]["output"]["answer"] == "staging"
    assert prompt_override("answer") is None
    assert assay.agent_parameters() == {
        "temperature": 0.2,
        "prompts": {"answer": "production", "other": 2},
    }


def test_spans_of_the_run_join_the_callers_trace(agents: Any, capture: SpanCapture) -> None:
    def task(question: str) -> str:
        with assay.span("lookup", kind="tool"):
            return question[::-1]

    agent = agents(task)
    with assay.span("caller", kind="agent") as caller:
        headers = assay.inject({})
        done = events(agent.url, {"input": "abc"}, headers=headers)[-1]
    assert done == ("done", {"output": "cba", "trace_id": caller.trace_id})
    spans = {s["name"]: s for s in capture.flush()}
    assert spans["task"]["parent_id"] == caller.span_id
    assert spans["task"]["input"] == "abc" and spans["task"]["output"] == "cba"
    assert spans["lookup"]["parent_id"] == spans["task"]["span_id"]


def test_serving_refuses_what_cannot_be_served() -> None:
    with pytest.raises(UsageError, match="a function"):
        assay.serve_agent("answer", port=0, block=False)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="prompts"):
        assay.serve_agent(answer, parameters={"prompts": ["x"]}, port=0, block=False)


def test_close_stops_listening() -> None:
    agent = serve(answer)
    assert httpx.get(agent.url + "/").status_code == 200
    agent.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(agent.url + "/", timeout=5)
