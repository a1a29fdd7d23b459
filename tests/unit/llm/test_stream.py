"""Streams: text deltas, the whole answer on the last chunk, the slot given back however it ends."""

from __future__ import annotations

import asyncio
import json

import pytest

from assay import llm
from assay.errors import ProviderError, ProviderUnavailableError
from assay.llm._route import route
from assay.testing.fake_llm import FakeLLMServer, FakeReply

MODELS = ["gpt-4o-mini", "claude-haiku-4-5"]


def slots_in_use(model: str) -> int:
    return route(model).live.limiter.in_use


@pytest.mark.parametrize("model", MODELS)
def test_sync_stream_gives_deltas_then_the_whole_answer(fake: FakeLLMServer, model: str) -> None:
    fake.script(
        FakeReply(content="one two three", usage={"prompt_tokens": 7, "completion_tokens": 3})
    )
    chunks = list(llm.chat("count", model=model, stream=True))

    assert [c.delta for c in chunks[:-1]] == ["one", " two", " three"]
    last = chunks[-1]
    assert last.delta == "" and last.usage == llm.Usage(7, 3, 10)
    assert last.response is not None
    assert last.response.content == "one two three"
    assert last.response.usage == last.usage
    assert last.response.cost is not None and last.response.cost > 0
    assert last.finish_reason in ("stop", "end_turn")
    assert slots_in_use(model) == 0


@pytest.mark.parametrize("model", MODELS)
def test_async_stream_gives_the_same(fake: FakeLLMServer, model: str) -> None:
    fake.script(FakeReply(content="alpha beta", usage={"prompt_tokens": 2, "completion_tokens": 2}))

    async def run() -> tuple[list[str], llm.ChatResponse | None]:
        stream = await llm.achat("x", model=model, stream=True)
        deltas = [chunk.delta async for chunk in stream]
        return deltas, stream.response

    deltas, response = asyncio.run(run())
    assert deltas == ["alpha", " beta", ""]
    assert response is not None and response.content == "alpha beta"
    assert response.usage.total_tokens == 4


@pytest.mark.parametrize("model", MODELS)
def test_streamed_tool_calls_arrive_in_the_response(fake: FakeLLMServer, model: str) -> None:
    fake.script(
        FakeReply(tool_calls=[{"id": "t1", "name": "lookup", "arguments": {"q": "refund"}}])
    )
    tools = [{"name": "lookup", "parameters": {"type": "object", "properties": {}}}]
    stream = llm.chat("x", model=model, tools=tools, stream=True)
    *_, last = stream
    assert last.response is not None
    [call] = last.response.tool_calls
    assert (call.id, call.name, call.arguments) == ("t1", "lookup", {"q": "refund"})
    assert stream.response is last.response


def test_openai_stream_asks_for_usage(fake: FakeLLMServer) -> None:
    list(llm.chat("x", model="gpt-4o", stream=True))
    body = fake.requests[-1].json
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


def test_closing_a_stream_early_gives_the_slot_back(fake: FakeLLMServer) -> None:
    fake.script(FakeReply(content="a b c d e f"))
    with llm.chat("x", model="gpt-4o", stream=True) as stream:
        assert next(stream).delta == "a"
        assert slots_in_use("gpt-4o") == 1
    assert slots_in_use("gpt-4o") == 0
    assert stream.response is None
    assert list(stream) == []


def test_an_abandoned_stream_gives_the_slot_back_when_collected(fake: FakeLLMServer) -> None:
    stream = llm.chat("x", model="gpt-4o", stream=True)
    assert slots_in_use("gpt-4o") == 1
    del stream
    assert slots_in_use("gpt-4o") == 0


def test_a_stream_that_cannot_open_is_retried(fake: FakeLLMServer) -> None:
    fake.script(FakeReply(status=503), FakeReply(content="recovered"))
    *_, last = llm.chat("x", model="claude-haiku-4-5", stream=True)
    assert last.response is not None and last.response.content == "recovered"
    assert fake.calls == 2


def test_a_stream_that_breaks_halfway_raises_a_provider_error(fake: FakeLLMServer) -> None:
    first = {
        "id": "c",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "gpt-4o",
        "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": None}],
    }
    error = {"error": {"message": "model crashed", "type": "server_error"}}
    broken = f"data: {json.dumps(first)}\n\ndata: {json.dumps(error)}\n\n"
    fake.script(FakeReply(body=broken, headers={"content-type": "text/event-stream"}))
    stream = llm.chat("x", model="gpt-4o", stream=True)
    assert next(stream).delta == "hi"
    with pytest.raises(ProviderError, match="model crashed") as caught:
        next(stream)
    assert type(caught.value) is ProviderError and caught.value.provider == "openai"
    assert slots_in_use("gpt-4o") == 0


def test_a_stream_to_an_unreachable_provider_names_the_attempts(fake: FakeLLMServer) -> None:
    llm.configure_provider(
        "gone", base_url="http://127.0.0.1:9/v1", api_key="k", max_retries=1, backoff_base=0.001
    )
    with pytest.raises(ProviderUnavailableError, match="after 2 attempts"):
        llm.chat("x", model="gone/m", stream=True)
    assert route("gone/m").live.limiter.in_use == 0
