"""wrap_openai: the real openai client against the fake server, spans checked field by field."""

from __future__ import annotations

import asyncio
import gc
import json
from typing import Any

import openai
import pytest
from openai.types import CreateEmbeddingResponse
from openai.types.chat import ChatCompletion, ChatCompletionChunk
from pydantic import BaseModel

import assay
from assay import prices
from assay.testing.capture import SpanCapture
from assay.testing.fake_llm import FakeLLMServer, FakeReply

HELLO = [{"role": "user", "content": "hello there"}]
TOOLS = [
    {
        "type": "function",
        "function": {"name": "search", "parameters": {"type": "object", "properties": {}}},
    }
]


def client(llm: FakeLLMServer, retries: int = 0) -> openai.OpenAI:
    raw = openai.OpenAI(base_url=llm.openai_base_url, api_key="test", max_retries=retries)
    return assay.wrap_openai(raw)


def async_client(llm: FakeLLMServer) -> openai.AsyncOpenAI:
    raw = openai.AsyncOpenAI(base_url=llm.openai_base_url, api_key="test", max_retries=0)
    return assay.wrap_openai(raw)


def only_llm_span(capture: SpanCapture) -> dict[str, Any]:
    [span] = [s for s in capture.flush() if s["kind"] == "llm"]
    return span


def test_chat_completion_becomes_an_llm_span(llm: FakeLLMServer, capture: SpanCapture) -> None:
    llm.script(FakeReply(content="Hi!", usage={"prompt_tokens": 1000, "completion_tokens": 500}))
    reply = client(llm).chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "system", "content": "be nice"}, *HELLO],
        temperature=0.3,
        max_tokens=50,
        tools=TOOLS,
        tool_choice="auto",
        extra_headers={"x-secret": "do not log"},
    )

    assert type(reply) is ChatCompletion
    span = only_llm_span(capture)
    assert span["name"] == "openai.chat.completions"
    assert span["model"] == "gpt-4o-mini"
    assert span["status"] == "ok"
    assert span["input"] == [{"role": "system", "content": "be nice"}, *HELLO]
    assert span["output"] == {"role": "assistant", "content": "Hi!"}
    assert span["metadata"]["provider"] == "openai"
    params = span["metadata"]["params"]
    assert params["temperature"] == 0.3
    assert params["max_tokens"] == 50
    assert params["tools"] == TOOLS
    assert params["tool_choice"] == "auto"
    assert "messages" not in params and "extra_headers" not in params
    assert span["metrics"]["prompt_tokens"] == 1000
    assert span["metrics"]["completion_tokens"] == 500
    assert span["metrics"]["total_tokens"] == 1500
    assert span["metrics"]["cost"] == pytest.approx(prices.cost("gpt-4o-mini", 1000, 500))
    assert "time_to_first_token" not in span["metrics"]


def test_tool_calls_are_recorded_on_the_output(llm: FakeLLMServer, capture: SpanCapture) -> None:
    llm.script(FakeReply(tool_calls=[{"id": "call_9", "name": "search", "arguments": {"q": "x"}}]))
    reply = client(llm).chat.completions.create(model="gpt-4o", messages=HELLO, tools=TOOLS)

    assert reply.choices[0].message.tool_calls is not None
    output = only_llm_span(capture)["output"]
    assert output["content"] is None
    assert output["tool_calls"] == [
        {
            "id": "call_9",
            "type": "function",
            "function": {"name": "search", "arguments": '{"q": "x"}'},
        }
    ]


def test_unknown_model_has_tokens_but_no_cost(llm: FakeLLMServer, capture: SpanCapture) -> None:
    client(llm).chat.completions.create(model="my-local-model", messages=HELLO)

    metrics = only_llm_span(capture)["metrics"]
    assert metrics["total_tokens"] > 0
    assert "cost" not in metrics


def test_the_span_is_a_child_of_the_current_span(llm: FakeLLMServer, capture: SpanCapture) -> None:
    with assay.span("agent", kind="agent") as parent:
        client(llm).chat.completions.create(model="gpt-4o-mini", messages=HELLO)

    span = only_llm_span(capture)
    assert span["parent_id"] == parent.span_id
    assert span["trace_id"] == parent.trace_id


def test_messages_are_snapshotted_when_the_call_starts(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    messages: list[dict[str, Any]] = list(HELLO)
    stream = client(llm).chat.completions.create(model="m", messages=messages, stream=True)
    messages.append({"role": "assistant", "content": "appended later"})
    list(stream)

    assert only_llm_span(capture)["input"] == HELLO


def test_a_one_shot_iterable_of_messages_still_reaches_the_provider(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    reply = client(llm).chat.completions.create(model="m", messages=iter(HELLO))

    assert reply.choices[0].message.content == "hello there"
    assert only_llm_span(capture)["input"] == HELLO


@pytest.mark.parametrize(
    ("status", "error"), [(400, openai.BadRequestError), (500, openai.InternalServerError)]
)
def test_provider_errors_propagate_unchanged_and_mark_the_span(
    llm: FakeLLMServer, capture: SpanCapture, status: int, error: type[Exception]
) -> None:
    llm.script(FakeReply(status=status, content="model exploded"))

    with pytest.raises(error, match="model exploded") as raised:
        client(llm).chat.completions.create(model="gpt-4o-mini", messages=HELLO)

    assert type(raised.value) is error
    span = only_llm_span(capture)
    assert span["status"] == "error"
    assert span["error"]["type"] == error.__name__
    assert "model exploded" in span["error"]["message"]
    assert span["input"] == HELLO


def test_a_retried_429_is_one_span_with_the_final_answer(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    llm.script(FakeReply(status=429, headers={"retry-after": "0.01"}), "second try")

    reply = client(llm, retries=1).chat.completions.create(model="gpt-4o-mini", messages=HELLO)

    assert reply.choices[0].message.content == "second try"
    assert llm.calls == 2
    span = only_llm_span(capture)
    assert span["status"] == "ok"
    assert span["output"]["content"] == "second try"


def test_stream_yields_the_sdks_chunks_and_records_the_whole_answer(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    llm.script(
        FakeReply(
            chunks=["Hel", "lo"],
            content="Hello",
            tool_calls=[{"id": "call_1", "name": "search", "arguments": {"q": "shoes"}}],
            usage={"prompt_tokens": 10, "completion_tokens": 20},
            delay=0.05,
        )
    )
    stream = client(llm).chat.completions.create(
        model="gpt-4o-mini", messages=HELLO, stream=True, stream_options={"include_usage": True}
    )

    assert isinstance(stream, openai.Stream)
    chunks = list(stream)
    assert all(type(c) is ChatCompletionChunk for c in chunks)
    span = only_llm_span(capture)
    assert span["output"]["content"] == "Hello"
    [call] = span["output"]["tool_calls"]
    assert call["id"] == "call_1"
    assert call["function"]["name"] == "search"
    assert json.loads(call["function"]["arguments"]) == {"q": "shoes"}
    assert span["metrics"]["total_tokens"] == 30
    assert span["metrics"]["cost"] == pytest.approx(prices.cost("gpt-4o-mini", 10, 20))
    assert 0.05 <= span["metrics"]["time_to_first_token"] < 1.0
    assert span["metadata"]["finish_reason"] == "tool_calls"


def test_stream_in_a_with_block_closed_early_ends_the_span(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    llm.script(FakeReply(chunks=["a", "b", "c"], content="abc"))
    with client(llm).chat.completions.create(model="m", messages=HELLO, stream=True) as stream:
        first = next(stream)
        assert first.choices[0].delta.role == "assistant"

    span = only_llm_span(capture)
    assert span["metadata"]["closed_early"] is True
    assert span["metrics"]["time_to_first_token"] >= 0


def test_an_abandoned_stream_ends_its_span_when_collected(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    stream = client(llm).chat.completions.create(model="m", messages=HELLO, stream=True)
    next(iter(stream))
    del stream
    gc.collect()

    assert only_llm_span(capture)["output"]["role"] == "assistant"


def test_the_stream_helper_is_traced_through_create(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    with client(llm).chat.completions.stream(model="gpt-4o-mini", messages=HELLO) as stream:
        final = stream.get_final_completion()

    assert final.choices[0].message.content == "hello there"
    assert only_llm_span(capture)["output"]["content"] == "hello there"


def test_embeddings_become_a_span_with_tokens_and_cost(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    result = client(llm).embeddings.create(model="text-embedding-3-small", input=["a", "b"])

    assert type(result) is CreateEmbeddingResponse
    span = only_llm_span(capture)
    assert span["name"] == "openai.embeddings"
    assert span["input"] == ["a", "b"]
    assert span["output"] == {"embeddings": 2, "dimensions": 16}
    assert span["metrics"]["prompt_tokens"] > 0
    assert span["metrics"]["cost"] > 0


def test_async_client_calls_and_streams(llm: FakeLLMServer, capture: SpanCapture) -> None:
    llm.script("plain", FakeReply(chunks=["str", "eam"], content="stream"))

    async def run() -> tuple[Any, list[Any]]:
        aclient = async_client(llm)
        reply = await aclient.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
        stream = await aclient.chat.completions.create(
            model="gpt-4o-mini", messages=HELLO, stream=True
        )
        assert isinstance(stream, openai.AsyncStream)
        chunks = [c async for c in stream]
        return reply, chunks

    reply, chunks = asyncio.run(run())

    assert type(reply) is ChatCompletion
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "stream"
    plain, streamed = [s for s in capture.flush() if s["kind"] == "llm"]
    assert plain["output"]["content"] == "plain"
    assert streamed["output"]["content"] == "stream"
    assert streamed["metrics"]["time_to_first_token"] > 0


def test_async_errors_propagate_and_mark_the_span(llm: FakeLLMServer, capture: SpanCapture) -> None:
    llm.script(FakeReply(status=400, content="bad request"))

    async def run() -> None:
        await async_client(llm).chat.completions.create(model="m", messages=HELLO)

    with pytest.raises(openai.BadRequestError):
        asyncio.run(run())
    assert only_llm_span(capture)["status"] == "error"


def test_wrapping_keeps_the_class_and_leaves_the_original_alone(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    raw = openai.OpenAI(base_url=llm.openai_base_url, api_key="test", max_retries=0)
    wrapped = assay.wrap_openai(raw)

    assert type(wrapped) is openai.OpenAI
    assert assay.wrap_openai(wrapped) is wrapped
    raw.chat.completions.create(model="m", messages=HELLO)
    assert [s for s in capture.flush() if s["kind"] == "llm"] == []

    wrapped.with_options(timeout=5).chat.completions.create(model="m", messages=HELLO)
    assert only_llm_span(capture)["input"] == HELLO


class Answer(BaseModel):
    x: int


def test_parse_is_traced_and_names_the_response_format(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    llm.script('{"x": 3}')
    reply = client(llm).chat.completions.parse(
        model="gpt-4o-mini", messages=HELLO, response_format=Answer
    )

    assert reply.choices[0].message.parsed == Answer(x=3)
    span = only_llm_span(capture)
    assert span["output"] == {"role": "assistant", "content": '{"x": 3}'}
    assert span["metadata"]["params"]["response_format"] == "Answer"
