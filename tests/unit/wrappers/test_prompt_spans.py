"""llm spans say which prompt version produced the call when the messages come from build()."""

from __future__ import annotations

import asyncio
from typing import Any

import anthropic
import openai

import assay
from assay.testing.capture import SpanCapture
from assay.testing.fake_llm import FakeLLMServer, FakeReply

PROMPT = assay.Prompt(
    project="support-bot",
    name="answer",
    version=7,
    label="production",
    model="gpt-4o-mini",
    messages=[
        {"role": "system", "content": "You work for {{company}}."},
        {"role": "user", "content": "{{question}}"},
    ],
    params={"temperature": 0.1},
)


def llm_spans(capture: SpanCapture) -> list[dict[str, Any]]:
    return [s for s in capture.flush() if s["kind"] == "llm"]


def openai_client(llm: FakeLLMServer) -> openai.OpenAI:
    raw = openai.OpenAI(base_url=llm.openai_base_url, api_key="test", max_retries=0)
    return assay.wrap_openai(raw)


def test_openai_call_records_prompt_name_and_version(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    llm.script(FakeReply(content="It ships today."))
    reply = openai_client(llm).chat.completions.create(
        **PROMPT.build(company="ACME", question="Where is my order?")
    )

    assert reply.choices[0].message.content == "It ships today."
    [span] = llm_spans(capture)
    assert span["metadata"]["prompt"] == "answer"
    assert span["metadata"]["prompt_version"] == 7
    assert span["metadata"]["params"]["temperature"] == 0.1
    assert span["input"] == [
        {"role": "system", "content": "You work for ACME."},
        {"role": "user", "content": "Where is my order?"},
    ]
    [request] = llm.requests
    assert request.json["messages"][1] == {"role": "user", "content": "Where is my order?"}
    assert request.json["temperature"] == 0.1


def test_streamed_openai_call_records_the_prompt(llm: FakeLLMServer, capture: SpanCapture) -> None:
    llm.script(FakeReply(content="streamed"))
    stream = openai_client(llm).chat.completions.create(
        **PROMPT.build(company="A", question="q"), stream=True
    )
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == "streamed"
    [span] = llm_spans(capture)
    assert (span["metadata"]["prompt"], span["metadata"]["prompt_version"]) == ("answer", 7)


def test_async_openai_call_records_the_prompt(llm: FakeLLMServer, capture: SpanCapture) -> None:
    llm.script(FakeReply(content="ok"))
    raw = openai.AsyncOpenAI(base_url=llm.openai_base_url, api_key="test", max_retries=0)
    client = assay.wrap_openai(raw)
    asyncio.run(client.chat.completions.create(**PROMPT.build(company="A", question="q")))
    [span] = llm_spans(capture)
    assert span["metadata"]["prompt_version"] == 7


def test_plain_messages_record_no_prompt(llm: FakeLLMServer, capture: SpanCapture) -> None:
    llm.script(FakeReply(content="ok"))
    openai_client(llm).chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
    )
    [span] = llm_spans(capture)
    assert "prompt" not in span["metadata"]
    assert "prompt_version" not in span["metadata"]


def test_anthropic_call_records_prompt_name_and_version(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    llm.script(FakeReply(content="Hello from Claude"))
    raw = anthropic.Anthropic(base_url=llm.anthropic_base_url, api_key="test", max_retries=0)
    client = assay.wrap_anthropic(raw)
    kwargs = PROMPT.build_anthropic(company="ACME", question="Hi")
    message = client.messages.create(**{**kwargs, "model": "claude-3-5-haiku-latest"})

    assert message.content[0].text == "Hello from Claude"
    [span] = llm_spans(capture)
    assert span["metadata"]["prompt"] == "answer"
    assert span["metadata"]["prompt_version"] == 7
    assert span["input"] == [
        {"role": "system", "content": "You work for ACME."},
        {"role": "user", "content": "Hi"},
    ]
    [request] = llm.requests
    assert request.json["system"] == "You work for ACME."
    assert request.json["temperature"] == 0.1
    assert request.json["max_tokens"] == 1024


def test_the_enclosing_span_also_records_the_prompt(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    llm.script(FakeReply(content="ok"))
    with assay.span("handle-ticket", kind="agent"):
        openai_client(llm).chat.completions.create(**PROMPT.build(company="A", question="q"))
    spans = {s["name"]: s for s in capture.flush()}
    assert spans["handle-ticket"]["metadata"]["prompt"] == "answer"
    assert spans["handle-ticket"]["metadata"]["prompt_version"] == 7
    assert spans["openai.chat.completions"]["parent_id"] == spans["handle-ticket"]["span_id"]
