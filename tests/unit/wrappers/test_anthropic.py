"""wrap_anthropic: the real anthropic client against the fake server, spans checked by field."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import anthropic
import pytest
from anthropic.types import Message

import assay
from assay import prices
from assay.testing.capture import SpanCapture
from assay.testing.fake_llm import FakeLLMServer, FakeReply

MODEL = "claude-3-5-haiku-latest"
HELLO = [{"role": "user", "content": "where is my order?"}]
TOOLS = [{"name": "lookup", "description": "find an order", "input_schema": {"type": "object"}}]
TOOL_REPLY = FakeReply(
    content="Let me check.",
    tool_calls=[{"id": "toolu_1", "name": "lookup", "arguments": {"order": 42}}],
    usage={"input_tokens": 2000, "output_tokens": 100},
)
EXPECTED_OUTPUT = {
    "role": "assistant",
    "content": "Let me check.",
    "tool_calls": [
        {
            "id": "toolu_1",
            "type": "function",
            "function": {"name": "lookup", "arguments": '{"order": 42}'},
        }
    ],
}


def client(llm: FakeLLMServer) -> anthropic.Anthropic:
    raw = anthropic.Anthropic(base_url=llm.anthropic_base_url, api_key="test", max_retries=0)
    return assay.wrap_anthropic(raw)


def async_client(llm: FakeLLMServer) -> anthropic.AsyncAnthropic:
    raw = anthropic.AsyncAnthropic(base_url=llm.anthropic_base_url, api_key="test", max_retries=0)
    return assay.wrap_anthropic(raw)


def only_llm_span(capture: SpanCapture) -> dict[str, Any]:
    [span] = [s for s in capture.flush() if s["kind"] == "llm"]
    return span


def test_message_becomes_an_llm_span(llm: FakeLLMServer, capture: SpanCapture) -> None:
    llm.script(TOOL_REPLY)
    message = client(llm).messages.create(
        model=MODEL, max_tokens=300, system="You help customers.", messages=HELLO, tools=TOOLS
    )

    assert type(message) is Message
    span = only_llm_span(capture)
    assert span["name"] == "anthropic.messages"
    assert span["model"] == MODEL
    assert span["input"] == [{"role": "system", "content": "You help customers."}, *HELLO]
    assert span["output"] == EXPECTED_OUTPUT
    assert span["metadata"]["provider"] == "anthropic"
    assert span["metadata"]["stop_reason"] == "tool_use"
    params = span["metadata"]["params"]
    assert params["max_tokens"] == 300
    assert params["tools"] == TOOLS
    assert "system" not in params and "messages" not in params
    metrics = span["metrics"]
    assert (metrics["prompt_tokens"], metrics["completion_tokens"]) == (2000, 100)
    assert metrics["total_tokens"] == 2100
    assert metrics["cost"] == pytest.approx(prices.cost(MODEL, 2000, 100))


def test_raw_event_stream_is_passed_through_and_recorded(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    llm.script(TOOL_REPLY)
    stream = client(llm).messages.create(
        model=MODEL, max_tokens=300, messages=HELLO, tools=TOOLS, stream=True
    )

    assert isinstance(stream, anthropic.Stream)
    events = list(stream)
    assert events[0].type == "message_start"
    assert events[-1].type == "message_stop"
    span = only_llm_span(capture)
    assert span["output"] == EXPECTED_OUTPUT
    assert span["metrics"]["completion_tokens"] == 100
    assert span["metrics"]["prompt_tokens"] == 2000
    assert span["metrics"]["time_to_first_token"] > 0
    assert span["metadata"]["stream"] is True


def test_stream_helper_keeps_its_api_and_records_the_message(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    llm.script(FakeReply(content="It ships today.", delay=0.05))
    manager = client(llm).messages.stream(model=MODEL, max_tokens=100, messages=HELLO)

    assert isinstance(manager, anthropic.lib.streaming.MessageStreamManager)
    with manager as stream:
        assert isinstance(stream, anthropic.lib.streaming.MessageStream)
        text = "".join(stream.text_stream)
        final = stream.get_final_message()

    assert text == "It ships today."
    assert final.content[0].text == "It ships today."  # type: ignore[union-attr]
    span = only_llm_span(capture)
    assert span["output"] == {"role": "assistant", "content": "It ships today."}
    assert span["metadata"]["stop_reason"] == "end_turn"
    assert 0.05 <= span["metrics"]["time_to_first_token"] < 1.0


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, anthropic.BadRequestError), (500, anthropic.InternalServerError)],
)
def test_provider_errors_propagate_unchanged_and_mark_the_span(
    llm: FakeLLMServer, capture: SpanCapture, status: int, error: type[Exception]
) -> None:
    llm.script(FakeReply(status=status, content="overloaded brain"))

    with pytest.raises(error, match="overloaded brain") as raised:
        client(llm).messages.create(model=MODEL, max_tokens=10, messages=HELLO)

    assert type(raised.value) is error
    span = only_llm_span(capture)
    assert span["status"] == "error"
    assert span["error"]["type"] == error.__name__


def test_stream_helper_error_on_enter_marks_the_span(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    llm.script(FakeReply(status=500, content="down"))

    with (
        pytest.raises(anthropic.InternalServerError),
        client(llm).messages.stream(model=MODEL, max_tokens=10, messages=HELLO),
    ):
        pass

    assert only_llm_span(capture)["status"] == "error"


def test_async_create_stream_and_helper(llm: FakeLLMServer, capture: SpanCapture) -> None:
    llm.script("plain", FakeReply(content="raw stream"), FakeReply(content="helper"))

    async def run() -> list[str]:
        aclient = async_client(llm)
        message = await aclient.messages.create(model=MODEL, max_tokens=10, messages=HELLO)
        stream = await aclient.messages.create(
            model=MODEL, max_tokens=10, messages=HELLO, stream=True
        )
        assert isinstance(stream, anthropic.AsyncStream)
        events = [e async for e in stream]
        async with aclient.messages.stream(model=MODEL, max_tokens=10, messages=HELLO) as helper:
            final = await helper.get_final_message()
        return [message.content[0].text, events[-1].type, final.content[0].text]  # type: ignore[union-attr]

    assert asyncio.run(run()) == ["plain", "message_stop", "helper"]
    spans = [s for s in capture.flush() if s["kind"] == "llm"]
    assert [s["output"]["content"] for s in spans] == ["plain", "raw stream", "helper"]
    assert "time_to_first_token" not in spans[0]["metrics"]
    assert spans[1]["metrics"]["time_to_first_token"] > 0
    assert spans[2]["metrics"]["time_to_first_token"] > 0


def test_malformed_tool_arguments_do_not_break_the_caller(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    llm.script(FakeReply(tool_calls=[{"name": "lookup", "arguments": "{not json"}]))
    message = client(llm).messages.create(model=MODEL, max_tokens=10, messages=HELLO)

    assert message.content[0].type == "tool_use"
    [call] = only_llm_span(capture)["output"]["tool_calls"]
    assert json.loads(call["function"]["arguments"]) == {"_raw": "{not json"}


def test_wrapping_keeps_the_class_and_leaves_the_original_alone(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    raw = anthropic.Anthropic(base_url=llm.anthropic_base_url, api_key="test", max_retries=0)
    wrapped = assay.wrap_anthropic(raw)

    assert type(wrapped) is anthropic.Anthropic
    raw.messages.create(model=MODEL, max_tokens=10, messages=HELLO)
    assert [s for s in capture.flush() if s["kind"] == "llm"] == []
    wrapped.with_options(timeout=5).messages.create(model=MODEL, max_tokens=10, messages=HELLO)
    assert only_llm_span(capture)["model"] == MODEL
