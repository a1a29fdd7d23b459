"""The fake model server, driven by the real openai and anthropic clients over HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from assay.testing.fake_llm import FakeLLMServer, FakeReply

SRC = Path(__file__).resolve().parents[3] / "src"
USER_HELLO = [{"role": "user", "content": "hello there"}]


@pytest.fixture
def llm() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as server:
        yield server


def oai(llm: FakeLLMServer, retries: int = 0) -> openai.OpenAI:
    return openai.OpenAI(base_url=llm.openai_base_url, api_key="test", max_retries=retries)


def ant(llm: FakeLLMServer, retries: int = 0) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=llm.anthropic_base_url, api_key="test", max_retries=retries)


def test_unscripted_chat_echoes_the_last_user_message(llm: FakeLLMServer) -> None:
    reply = oai(llm).chat.completions.create(model="gpt-4o-mini", messages=USER_HELLO)

    assert reply.choices[0].message.content == "hello there"
    assert reply.model == "gpt-4o-mini"
    assert reply.usage is not None
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens > 0


def test_unscripted_forced_tool_calls_get_a_call_that_fits_the_schema(llm: FakeLLMServer) -> None:
    schema = {
        "type": "object",
        "properties": {
            "why": {"type": "string"},
            "choice": {"type": "string", "enum": ["B", "A"]},
            "n": {"type": "integer"},
        },
    }
    forced = oai(llm).chat.completions.create(
        model="gpt-4o-mini", messages=USER_HELLO,
        tools=[{"type": "function", "function": {"name": "verdict", "parameters": schema}}],
        tool_choice={"type": "function", "function": {"name": "verdict"}},
    )  # fmt: skip
    (call,) = forced.choices[0].message.tool_calls or []
    assert call.function.name == "verdict"
    assert json.loads(call.function.arguments) == {"why": "fake", "choice": "B", "n": 0}
    message = ant(llm).messages.create(
        model="claude-3-5-haiku-latest", max_tokens=10, messages=USER_HELLO,
        tools=[{"name": "verdict", "input_schema": schema}],
        tool_choice={"type": "tool", "name": "verdict"},
    )  # fmt: skip
    (block,) = message.content
    assert block.type == "tool_use" and block.input == {"why": "fake", "choice": "B", "n": 0}
    auto = oai(llm).chat.completions.create(
        model="gpt-4o-mini", messages=USER_HELLO,
        tools=[{"type": "function", "function": {"name": "verdict", "parameters": schema}}],
    )  # fmt: skip
    assert auto.choices[0].message.content == "hello there"  # not forced: echoed


def test_scripted_replies_are_used_in_order_then_the_responder(llm: FakeLLMServer) -> None:
    client = oai(llm)
    llm.script(
        "first", FakeReply(content="second", usage={"prompt_tokens": 7, "completion_tokens": 3})
    )
    llm.respond_with(lambda body: FakeReply(content=f"model was {body['model']}"))

    answers = [
        client.chat.completions.create(model="gpt-4o", messages=USER_HELLO) for _ in range(3)
    ]

    assert [a.choices[0].message.content for a in answers] == [
        "first",
        "second",
        "model was gpt-4o",
    ]
    assert answers[1].usage is not None
    assert (answers[1].usage.prompt_tokens, answers[1].usage.completion_tokens) == (7, 3)
    assert llm.calls == 3
    assert llm.pending == 0


def test_every_request_is_recorded_with_path_headers_and_body(llm: FakeLLMServer) -> None:
    oai(llm).chat.completions.create(
        model="gpt-4o-mini", messages=USER_HELLO, temperature=0.2, extra_headers={"X-Test": "1"}
    )

    [request] = llm.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["x-test"] == "1"
    assert request.headers["authorization"] == "Bearer test"
    assert request.json["temperature"] == 0.2
    assert request.json["messages"] == USER_HELLO


def test_tool_calls_reach_the_client_including_malformed_arguments(llm: FakeLLMServer) -> None:
    llm.script(
        FakeReply(
            tool_calls=[
                {"name": "search", "arguments": {"q": "shoes"}, "id": "call_1"},
                {"name": "broken", "arguments": '{"q": '},
            ]
        )
    )
    reply = oai(llm).chat.completions.create(model="gpt-4o-mini", messages=USER_HELLO)

    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls"
    calls = choice.message.tool_calls or []
    assert [(c.id, c.function.name) for c in calls] == [
        ("call_1", "search"),
        ("call_0001", "broken"),
    ]
    assert json.loads(calls[0].function.arguments) == {"q": "shoes"}
    assert calls[1].function.arguments == '{"q": '


def test_openai_stream_sends_text_tool_call_pieces_and_usage(llm: FakeLLMServer) -> None:
    llm.script(
        FakeReply(
            chunks=["Hel", "lo"],
            content="Hello",
            tool_calls=[{"name": "f", "arguments": {"a": 1}}],
            usage={"prompt_tokens": 5, "completion_tokens": 9},
        )
    )
    stream = oai(llm).chat.completions.create(
        model="gpt-4o-mini",
        messages=USER_HELLO,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)

    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    args = "".join(
        tc.function.arguments or ""
        for c in chunks
        if c.choices
        for tc in c.choices[0].delta.tool_calls or []
        if tc.function
    )
    assert text == "Hello"
    assert json.loads(args) == {"a": 1}
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens == 14


def test_stream_with_chunk_delay_arrives_piece_by_piece(llm: FakeLLMServer) -> None:
    llm.script(FakeReply(chunks=["a", "b", "c", "d"], content="abcd", chunk_delay=0.05))
    stream = oai(llm).chat.completions.create(model="m", messages=USER_HELLO, stream=True)

    start = time.perf_counter()
    first_content_at = None
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content and first_content_at is None:
            first_content_at = time.perf_counter() - start
    total = time.perf_counter() - start

    assert first_content_at is not None
    assert total >= 0.2
    assert first_content_at < total - 0.1


def test_embeddings_are_deterministic_in_float_and_base64(llm: FakeLLMServer) -> None:
    client = oai(llm)
    one = client.embeddings.create(model="text-embedding-3-small", input=["cat", "dog"])
    two = client.embeddings.create(
        model="text-embedding-3-small", input="cat", encoding_format="float", dimensions=8
    )
    again = client.embeddings.create(model="text-embedding-3-small", input=["cat", "dog"])

    assert [d.embedding for d in one.data] == [d.embedding for d in again.data]
    assert one.data[0].embedding != one.data[1].embedding
    assert len(one.data[0].embedding) == 16
    assert len(two.data[0].embedding) == 8
    assert sum(v * v for v in two.data[0].embedding) == pytest.approx(1.0, abs=1e-5)


def test_models_list_reads_in_both_clients(llm: FakeLLMServer) -> None:
    openai_ids = [m.id for m in oai(llm).models.list()]
    anthropic_ids = [m.id for m in ant(llm).models.list()]

    assert "gpt-4o-mini" in openai_ids
    assert "claude-sonnet-4-5" in anthropic_ids


def test_anthropic_message_with_text_and_tool_use(llm: FakeLLMServer) -> None:
    llm.script(
        FakeReply(content="Let me look.", tool_calls=[{"name": "lookup", "arguments": {"id": 3}}])
    )
    message = ant(llm).messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=100,
        system="be brief",
        messages=[{"role": "user", "content": "where is order 3?"}],
    )

    assert message.stop_reason == "tool_use"
    text, tool = message.content
    assert text.type == "text" and text.text == "Let me look."
    assert tool.type == "tool_use" and tool.name == "lookup" and tool.input == {"id": 3}
    assert message.usage.input_tokens > 0
    assert llm.requests[0].path == "/v1/messages"


def test_anthropic_stream_helper_accumulates_the_final_message(llm: FakeLLMServer) -> None:
    llm.script(
        FakeReply(content="one two three", tool_calls=[{"name": "t", "arguments": {"k": "v"}}])
    )
    with ant(llm).messages.stream(
        model="claude-3-5-haiku-latest",
        max_tokens=100,
        messages=[{"role": "user", "content": "hi"}],
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()

    assert text == "one two three"
    assert [b.type for b in final.content] == ["text", "tool_use"]
    assert final.content[1].input == {"k": "v"}  # type: ignore[union-attr]
    assert final.usage.output_tokens > 1


@pytest.mark.parametrize(
    ("status", "openai_error", "anthropic_error"),
    [
        (400, openai.BadRequestError, anthropic.BadRequestError),
        (500, openai.InternalServerError, anthropic.InternalServerError),
    ],
)
def test_error_statuses_become_the_clients_own_exceptions(
    llm: FakeLLMServer, status: int, openai_error: type, anthropic_error: type
) -> None:
    llm.script(FakeReply(status=status, content="nope"), FakeReply(status=status, content="nope"))

    with pytest.raises(openai_error, match="nope"):
        oai(llm).chat.completions.create(model="m", messages=USER_HELLO)
    with pytest.raises(anthropic_error, match="nope"):
        ant(llm).messages.create(model="m", max_tokens=5, messages=USER_HELLO)


def test_429_with_retry_after_is_retried_by_the_client(llm: FakeLLMServer) -> None:
    llm.script(FakeReply(status=429, headers={"retry-after": "0.01"}), "after the wait")

    reply = oai(llm, retries=1).chat.completions.create(model="m", messages=USER_HELLO)

    assert reply.choices[0].message.content == "after the wait"
    assert llm.calls == 2


def test_raw_body_override_sends_malformed_answers(llm: FakeLLMServer) -> None:
    llm.script(FakeReply(body="{this is not json"))
    response = httpx.post(llm.openai_base_url + "/chat/completions", json={"messages": []})

    assert response.status_code == 200
    assert response.text == "{this is not json"


def test_unknown_paths_and_bodies_get_a_clear_4xx(llm: FakeLLMServer) -> None:
    missing = httpx.post(llm.url + "/v1/nothing", json={})
    not_json = httpx.post(llm.openai_base_url + "/chat/completions", content=b"[[[")

    assert missing.status_code == 404
    assert "/v1/nothing" in missing.json()["error"]["message"]
    assert not_json.status_code == 400


def test_delays_add_up_per_reply_and_server_wide(llm: FakeLLMServer) -> None:
    llm.delay = 0.05
    llm.script(FakeReply(content="slow", delay=0.1))
    client = oai(llm)

    start = time.perf_counter()
    client.chat.completions.create(model="m", messages=USER_HELLO)
    first = time.perf_counter() - start
    start = time.perf_counter()
    client.chat.completions.create(model="m", messages=USER_HELLO)
    second = time.perf_counter() - start

    assert first >= 0.15
    assert 0.05 <= second < 0.15


def test_fifty_concurrent_requests_are_answered_in_parallel() -> None:
    async def run(server: FakeLLMServer) -> None:
        client = openai.AsyncOpenAI(base_url=server.openai_base_url, api_key="t", max_retries=0)
        await asyncio.gather(
            *(client.chat.completions.create(model="m", messages=USER_HELLO) for _ in range(50))
        )
        await client.close()

    # Each answer is held 0.5 s, so all fifty overlap even when a busy machine is slow to send
    # them; answered one after another the peak would be 1 (bench/judges.py measures the time).
    with FakeLLMServer(delay=0.5) as server:
        asyncio.run(run(server))  # warm up: open the connections once
        server.reset()
        asyncio.run(run(server))
        assert server.peak_concurrency >= 40


def test_runs_as_a_process_and_prints_its_url_first() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "assay.testing.fake_llm", "--port", "0", "--delay", "0.01"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        client = openai.OpenAI(base_url=url + "/v1", api_key="t", max_retries=0)
        reply = client.chat.completions.create(model="m", messages=USER_HELLO)
        assert reply.choices[0].message.content == "hello there"
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0
