"""Every call is an ``llm`` span when tracing is on, recorded as the client wrappers record."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import assay
from assay import llm, prices
from assay.errors import ModelNotFoundError
from assay.testing.capture import SpanCapture
from assay.testing.fake_llm import FakeLLMServer, FakeReply


def llm_spans(capture: SpanCapture) -> list[dict[str, Any]]:
    return [s for s in capture.flush() if s["kind"] == "llm"]


@pytest.mark.parametrize("model", ["gpt-4o-mini", "claude-haiku-4-5"])
def test_a_chat_is_an_llm_span_under_the_current_span(
    fake: FakeLLMServer, capture: SpanCapture, model: str
) -> None:
    fake.script(FakeReply(content="Paris", usage={"prompt_tokens": 100, "completion_tokens": 20}))
    with assay.span("agent", kind="agent") as parent:
        llm.chat(
            [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Capital?"}],
            model=model,
            temperature=0.1,
            tools=[{"name": "lookup"}],
        )

    [span] = llm_spans(capture)
    assert span["name"] == "llm.chat"
    assert span["parent_id"] == parent.span_id and span["trace_id"] == parent.trace_id
    assert span["model"] == model
    assert span["input"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Capital?"},
    ]
    assert span["output"] == {"role": "assistant", "content": "Paris"}
    metadata = span["metadata"]
    assert metadata["provider"] == ("openai" if model.startswith("gpt") else "anthropic")
    assert metadata["params"]["temperature"] == 0.1
    assert metadata["params"]["tools"] == [{"name": "lookup"}]
    assert metadata["finish_reason"] in ("stop", "end_turn")
    metrics = span["metrics"]
    assert (metrics["prompt_tokens"], metrics["completion_tokens"], metrics["total_tokens"]) == (
        100,
        20,
        120,
    )
    assert metrics["cost"] == pytest.approx(prices.cost(model, 100, 20))


def test_async_calls_and_tool_calls_are_recorded(fake: FakeLLMServer, capture: SpanCapture) -> None:
    fake.script(FakeReply(tool_calls=[{"id": "c1", "name": "lookup", "arguments": {"q": 1}}]))
    asyncio.run(
        llm.achat("x", model="gpt-4o", tools=[{"name": "lookup"}], tool_choice={"name": "lookup"})
    )
    [span] = llm_spans(capture)
    assert span["output"]["tool_calls"] == [
        {"id": "c1", "type": "function", "function": {"name": "lookup", "arguments": '{"q": 1}'}}
    ]
    assert span["metadata"]["params"]["tool_choice"] == {"name": "lookup"}


def test_a_stream_records_time_to_first_token(fake: FakeLLMServer, capture: SpanCapture) -> None:
    fake.script(FakeReply(content="a b c", chunk_delay=0.01))
    list(llm.chat("x", model="claude-haiku-4-5", stream=True))
    [span] = llm_spans(capture)
    assert span["output"]["content"] == "a b c"
    assert span["metadata"]["stream"] is True
    assert 0 < span["metrics"]["time_to_first_token"] < span["end_time"] - span["start_time"]
    assert span["metrics"]["total_tokens"] > 0


def test_a_failed_call_is_an_error_span(fake: FakeLLMServer, capture: SpanCapture) -> None:
    fake.script(FakeReply(status=404, content="no such model"))
    with pytest.raises(ModelNotFoundError):
        llm.chat("x", model="gpt-9")
    [span] = llm_spans(capture)
    assert span["status"] == "error"
    assert (
        span["error"]["type"] == "ModelNotFoundError"
        and "no such model" in span["error"]["message"]
    )


def test_retries_and_cache_hits_are_marked(fake: FakeLLMServer, capture: SpanCapture) -> None:
    fake.script(FakeReply(status=503), FakeReply(content="ok"))
    llm.chat("x", model="gpt-4o", cache=True)
    llm.chat("x", model="gpt-4o", cache=True)
    fresh, hit = llm_spans(capture)
    assert fresh["metadata"]["attempts"] == 2 and "cached" not in fresh["metadata"]
    assert hit["metadata"]["cached"] is True
    assert "metrics" not in hit or "cost" not in hit["metrics"]  # a hit spends nothing


def test_embeddings_are_llm_spans(fake: FakeLLMServer, capture: SpanCapture) -> None:
    llm.embed(["a", "b", "c"], model="text-embedding-3-small", dimensions=8)
    [span] = llm_spans(capture)
    assert span["name"] == "llm.embed"
    assert span["input"] == ["a", "b", "c"]
    assert span["output"] == {"embeddings": 3, "dimensions": 8}
    assert span["metadata"]["params"] == {"dimensions": 8}
    assert span["metrics"]["prompt_tokens"] > 0


def test_no_span_is_sent_when_tracing_is_off(fake: FakeLLMServer) -> None:
    capture = SpanCapture()
    client = assay.init(project="test", exporter=capture, enabled=False)
    try:
        llm.chat("x", model="gpt-4o")
        assert capture.flush() == [] and capture.batches == 0
    finally:
        client.shutdown(timeout=5)
