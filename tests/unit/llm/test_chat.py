"""chat / achat against the fake server: both providers, requests as sent, answers as parsed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pydantic import BaseModel

from assay import llm, prices
from assay.errors import UsageError
from assay.testing.fake_llm import FakeLLMServer, FakeReply

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather of a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}
LOOKUP = {"name": "lookup", "parameters": {"type": "object", "properties": {}}}


class Verdict(BaseModel):
    label: str
    confidence: float


def sent(fake: FakeLLMServer) -> dict[str, Any]:
    """The JSON body of the last request the fake received."""
    body = fake.requests[-1].json
    assert isinstance(body, dict)
    return body


@pytest.mark.parametrize("model", ["gpt-4o-mini", "claude-3-5-haiku-latest"])
def test_sync_and_async_chat_give_the_same_response(fake: FakeLLMServer, model: str) -> None:
    fake.script(
        FakeReply(content="Paris", usage={"prompt_tokens": 1000, "completion_tokens": 200}),
        FakeReply(content="Paris", usage={"prompt_tokens": 1000, "completion_tokens": 200}),
    )
    sync = llm.chat("Capital of France?", model=model)
    async_ = asyncio.run(llm.achat("Capital of France?", model=model))

    for resp in (sync, async_):
        assert resp.content == "Paris"
        assert resp.model == model
        assert resp.usage == llm.Usage(1000, 200, 1200)
        assert resp.cost == pytest.approx(prices.cost(model, 1000, 200))
        assert resp.cost is not None and resp.cost > 0
        assert resp.cached is False and resp.tool_calls == [] and resp.parsed is None
        assert resp.latency_ms > 0
    assert sync.provider == ("openai" if model.startswith("gpt") else "anthropic")
    assert fake.calls == 2


def test_anthropic_request_translates_system_params_and_defaults(fake: FakeLLMServer) -> None:
    llm.chat(
        [
            {"role": "system", "content": "Be brief."},
            {"role": "system", "content": "Answer in French."},
            {"role": "user", "content": "Hi"},
        ],
        model="claude-haiku-4-5",
        temperature=0.2,
        stop="END",
        seed=7,
    )
    body = sent(fake)
    assert fake.requests[-1].path == "/v1/messages"
    assert body["system"] == "Be brief.\n\nAnswer in French."
    assert body["messages"] == [{"role": "user", "content": "Hi"}]
    assert body["max_tokens"] == 1024
    assert body["temperature"] == 0.2
    assert body["stop_sequences"] == ["END"]
    assert "seed" not in body and "stop" not in body


def test_openai_request_passes_params_through(fake: FakeLLMServer) -> None:
    llm.chat("Hi", model="gpt-4o", temperature=0, max_tokens=5, seed=7, top_k=3)
    body = sent(fake)
    assert fake.requests[-1].path == "/v1/chat/completions"
    assert body["messages"] == [{"role": "user", "content": "Hi"}]
    assert (body["temperature"], body["max_tokens"], body["seed"]) == (0, 5, 7)
    assert body["top_k"] == 3  # unknown to the client, sent in the body for vLLM and friends


@pytest.mark.parametrize("model", ["gpt-4o-mini", "claude-haiku-4-5"])
def test_forced_tool_choice_is_sent_and_the_call_parsed(fake: FakeLLMServer, model: str) -> None:
    fake.script(
        FakeReply(tool_calls=[{"id": "c1", "name": "get_weather", "arguments": {"city": "Oslo"}}])
    )
    resp = llm.chat(
        "Weather in Oslo?",
        model=model,
        tools=[WEATHER, LOOKUP],
        tool_choice={"name": "get_weather"},
    )

    body = sent(fake)
    if model.startswith("gpt"):
        assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
        assert body["tools"][1] == {"type": "function", "function": LOOKUP}
    else:
        assert body["tool_choice"] == {"type": "tool", "name": "get_weather"}
        assert body["tools"][0] == {
            "name": "get_weather",
            "description": "Current weather of a city",
            "input_schema": WEATHER["function"]["parameters"],  # type: ignore[index]
        }
    [call] = resp.tool_calls
    assert (call.id, call.name, call.arguments) == ("c1", "get_weather", {"city": "Oslo"})
    assert call.raw_arguments.replace(" ", "") == '{"city":"Oslo"}'


@pytest.mark.parametrize(
    ("choice", "openai_form", "anthropic_form"),
    [
        ("required", "required", {"type": "any"}),
        ("auto", "auto", {"type": "auto"}),
        ("none", "none", {"type": "none"}),
    ],
)
def test_tool_choice_words_translate_per_provider(
    fake: FakeLLMServer, choice: str, openai_form: Any, anthropic_form: Any
) -> None:
    llm.chat("x", model="gpt-4o", tools=[LOOKUP], tool_choice=choice)
    assert sent(fake)["tool_choice"] == openai_form
    llm.chat("x", model="claude-haiku-4-5", tools=[LOOKUP], tool_choice=choice)
    assert sent(fake)["tool_choice"] == anthropic_form


def test_malformed_tool_arguments_keep_the_raw_text(fake: FakeLLMServer) -> None:
    fake.script(FakeReply(tool_calls=[{"name": "lookup", "arguments": '{"q": "unclosed'}]))
    [call] = llm.chat("x", model="gpt-4o", tools=[LOOKUP]).tool_calls
    assert call.arguments is None
    assert call.raw_arguments == '{"q": "unclosed'


def test_tool_round_trip_is_translated_for_anthropic(fake: FakeLLMServer) -> None:
    fake.script(
        FakeReply(
            tool_calls=[{"id": "toolu_1", "name": "get_weather", "arguments": {"city": "Oslo"}}]
        )
    )
    messages: list[dict[str, Any]] = [{"role": "user", "content": "Weather in Oslo?"}]
    first = llm.chat(messages, model="claude-haiku-4-5", tools=[WEATHER])
    messages.append(first.message)
    messages.append({"role": "tool", "tool_call_id": "toolu_1", "content": "4 degrees"})
    fake.script("It is 4 degrees.")
    second = llm.chat(messages, model="claude-haiku-4-5", tools=[WEATHER])

    assert second.content == "It is 4 degrees."
    assert sent(fake)["messages"] == [
        {"role": "user", "content": "Weather in Oslo?"},
        {
            "role": "assistant",
            "content": [
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "get_weather",
                    "input": {"city": "Oslo"},
                }
            ],
        },
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "4 degrees"}],
        },
    ]


def test_tool_round_trip_goes_to_openai_unchanged(fake: FakeLLMServer) -> None:
    fake.script(FakeReply(tool_calls=[{"id": "call_1", "name": "lookup", "arguments": {}}]))
    first = llm.chat("look it up", model="gpt-4o", tools=[LOOKUP])
    messages = [
        {"role": "user", "content": "look it up"},
        first.message,
        {"role": "tool", "tool_call_id": "call_1", "content": "found"},
    ]
    llm.chat(messages, model="gpt-4o", tools=[LOOKUP])
    assert sent(fake)["messages"][1]["tool_calls"] == [
        {"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": "{}"}}
    ]
    assert sent(fake)["messages"][2] == messages[2]


def test_structured_output_with_pydantic_on_openai(fake: FakeLLMServer) -> None:
    fake.script('{"label": "spam", "confidence": 0.9}')
    resp = llm.chat("Classify: WIN MONEY", model="gpt-4o-mini", response_format=Verdict)

    assert resp.parsed == Verdict(label="spam", confidence=0.9)
    assert resp.parse_error is None
    fmt = sent(fake)["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "Verdict" and fmt["json_schema"]["strict"] is True
    schema = fmt["json_schema"]["schema"]
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["label", "confidence"]


def test_structured_output_on_anthropic_is_a_forced_tool(fake: FakeLLMServer) -> None:
    fake.script(
        FakeReply(
            tool_calls=[{"name": "Verdict", "arguments": {"label": "ham", "confidence": 0.2}}]
        )
    )
    resp = asyncio.run(
        llm.achat("Classify: hello mum", model="claude-haiku-4-5", response_format=Verdict)
    )

    assert resp.parsed == Verdict(label="ham", confidence=0.2)
    assert resp.tool_calls == []  # the forced tool is the answer, not a call to make
    body = sent(fake)
    assert body["tool_choice"] == {"type": "tool", "name": "Verdict"}
    assert body["tools"][0]["input_schema"]["properties"]["label"] == {
        "title": "Label",
        "type": "string",
    }


def test_an_answer_that_does_not_fit_is_reported_not_raised(fake: FakeLLMServer) -> None:
    fake.script('{"label": "spam"}', "not json at all")
    missing = llm.chat("x", model="gpt-4o", response_format=Verdict)
    assert missing.parsed is None
    assert missing.content == '{"label": "spam"}'
    assert "Verdict" in (missing.parse_error or "") and "confidence" in (missing.parse_error or "")

    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    garbage = llm.chat("x", model="gpt-4o", response_format=schema)
    assert garbage.parsed is None and "not JSON" in (garbage.parse_error or "")


def test_a_json_schema_dict_is_validated_into_a_dict(fake: FakeLLMServer) -> None:
    schema = {"title": "count", "type": "object", "properties": {"n": {"type": "integer"}}}
    fake.script('{"n": 3}', '{"n": "three"}')
    assert llm.chat("x", model="gpt-4o", response_format=schema).parsed == {"n": 3}
    assert sent(fake)["response_format"]["json_schema"]["name"] == "count"
    wrong = llm.chat("x", model="gpt-4o", response_format=schema)
    assert wrong.parsed is None and "at n" in (wrong.parse_error or "")


def test_anthropic_rejects_response_format_with_tools(fake: FakeLLMServer) -> None:
    with pytest.raises(UsageError, match="cannot be combined"):
        llm.chat("x", model="claude-haiku-4-5", tools=[LOOKUP], response_format=Verdict)
    assert fake.calls == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"messages": []}, "messages is empty"),
        ({"messages": ["hi"]}, r"messages\[0\]"),
        ({"tools": [{"description": "no name"}]}, "has no name"),
        ({"tool_choice": "sometimes"}, "tool_choice is 'sometimes'"),
        ({"response_format": 42}, "response_format is 42"),
    ],
)
def test_wrong_arguments_are_usage_errors_before_any_request(
    fake: FakeLLMServer, kwargs: dict[str, Any], message: str
) -> None:
    args = {"messages": "hi", **kwargs}
    with pytest.raises(UsageError, match=message):
        llm.chat(args.pop("messages"), model="gpt-4o", **args)
    assert fake.calls == 0


def test_user_image_parts_become_anthropic_image_blocks(fake: FakeLLMServer) -> None:
    content = [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0"}},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
    ]
    llm.chat([{"role": "user", "content": content}], model="claude-haiku-4-5")
    assert sent(fake)["messages"][0]["content"] == [
        {"type": "text", "text": "What is this?"},
        {
            "type": "image",
            "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0"},
        },
        {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}},
    ]
