"""OpenInference and OpenTelemetry GenAI attributes land on the span fields users query."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.unit.server.helpers import pb_request, pb_span


def export_one(client: TestClient, attributes: dict[str, Any], **span: Any) -> dict[str, Any]:
    sent = pb_span(attributes=attributes, **span)
    request = pb_request([sent], resource={"assay.project": "map", "service.name": "bot"})
    response = client.post(
        "/v1/traces",
        content=request.SerializeToString(),
        headers={"content-type": "application/x-protobuf"},
    )
    assert response.status_code == 200, response.text
    path = f"/api/v1/projects/map/traces/{sent.trace_id.hex()}/spans/{sent.span_id.hex()}"
    return client.get(path).json()  # type: ignore[no-any-return]


def test_openinference_llm_span(client: TestClient) -> None:
    span = export_one(
        client,
        {
            "openinference.span.kind": "LLM",
            "llm.model_name": "gpt-4o-mini",
            "llm.token_count.prompt": 120,
            "llm.token_count.completion": 30,
            "llm.token_count.total": 150,
            "llm.invocation_parameters": json.dumps({"temperature": 0.2, "max_tokens": 256}),
            "llm.input_messages.0.message.role": "system",
            "llm.input_messages.0.message.content": "Be brief.",
            "llm.input_messages.1.message.role": "user",
            "llm.input_messages.1.message.content": "Where is order 42?",
            "llm.output_messages.0.message.role": "assistant",
            "llm.output_messages.0.message.tool_calls.0.tool_call.id": "call_1",
            "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "find_order",
            "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": '{"id":42}',
            "session.id": "sess-1",
            "user.id": "user-7",
            "tag.tags": ["beta", "eu"],
            "metadata": json.dumps({"experiment": "b"}),
            "llm.provider": "openai",
        },
        name="ChatCompletion",
    )
    assert span["kind"] == "llm" and span["model"] == "gpt-4o-mini"
    assert span["metrics"]["prompt_tokens"] == 120
    assert span["metrics"]["completion_tokens"] == 30
    assert span["metrics"]["total_tokens"] == 150
    assert span["metrics"]["cost"] == pytest.approx((120 * 0.15 + 30 * 0.6) / 1e6)
    assert span["input"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Where is order 42?"},
    ]
    assert span["output"] == {
        "role": "assistant",
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "find_order", "arguments": '{"id":42}'},
            }
        ],
    }
    assert span["metadata"]["params"] == {"temperature": 0.2, "max_tokens": 256}
    assert span["session_id"] == "sess-1" and span["user_id"] == "user-7"
    assert span["tags"] == ["beta", "eu"]
    assert span["metadata"]["experiment"] == "b"
    assert span["metadata"]["llm.provider"] == "openai"
    assert span["metadata"]["resource"]["service.name"] == "bot"


@pytest.mark.parametrize(
    ("openinference", "kind"),
    [
        ("CHAIN", "chain"),
        ("TOOL", "tool"),
        ("AGENT", "agent"),
        ("RETRIEVER", "retrieval"),
        ("EMBEDDING", "embedding"),
        ("RERANKER", "reranker"),
        ("GUARDRAIL", "guardrail"),
        ("EVALUATOR", "eval"),
    ],
)
def test_openinference_kinds(client: TestClient, openinference: str, kind: str) -> None:
    assert export_one(client, {"openinference.span.kind": openinference})["kind"] == kind


def test_json_mime_types_are_parsed(client: TestClient) -> None:
    span = export_one(
        client,
        {
            "openinference.span.kind": "TOOL",
            "input.value": '{"customer_id": "c1"}',
            "input.mime_type": "application/json",
            "output.value": "[1, 2]",
            "output.mime_type": "application/json",
        },
    )
    assert span["input"] == {"customer_id": "c1"} and span["output"] == [1, 2]


def test_text_bodies_stay_text(client: TestClient) -> None:
    span = export_one(client, {"input.value": '{"not": "parsed"}', "output.value": "done"})
    assert span["input"] == '{"not": "parsed"}' and span["output"] == "done"
    assert span["kind"] == "span"


def test_genai_chat_span_with_flattened_prompt(client: TestClient) -> None:
    span = export_one(
        client,
        {
            "gen_ai.operation.name": "chat",
            "gen_ai.system": "openai",
            "gen_ai.request.model": "gpt-4o",
            "gen_ai.response.model": "gpt-4o-2024-08-06",
            "gen_ai.usage.input_tokens": 11,
            "gen_ai.usage.output_tokens": 7,
            "gen_ai.request.temperature": 0.5,
            "gen_ai.request.max_tokens": 100,
            "gen_ai.request.top_p": 0.9,
            "gen_ai.prompt.0.role": "user",
            "gen_ai.prompt.0.content": "hi",
            "gen_ai.completion.0.role": "assistant",
            "gen_ai.completion.0.content": "hello!",
            "gen_ai.completion.0.finish_reason": "stop",
        },
        name="chat gpt-4o",
    )
    assert span["kind"] == "llm" and span["model"] == "gpt-4o-2024-08-06"
    assert span["metadata"]["gen_ai.request.model"] == "gpt-4o"
    assert span["metrics"]["prompt_tokens"] == 11 and span["metrics"]["completion_tokens"] == 7
    assert span["metrics"]["total_tokens"] == 18
    assert span["metrics"]["cost"] > 0
    assert span["metadata"]["params"] == {"temperature": 0.5, "max_tokens": 100, "top_p": 0.9}
    assert span["input"] == [{"role": "user", "content": "hi"}]
    assert span["output"] == {"role": "assistant", "content": "hello!", "finish_reason": "stop"}
    assert span["metadata"]["gen_ai.system"] == "openai"


def test_genai_json_messages_and_older_token_names(client: TestClient) -> None:
    input_messages = [
        {"role": "user", "parts": [{"type": "text", "content": "weather in Paris?"}]},
        {
            "role": "assistant",
            "parts": [
                {"type": "tool_call", "id": "c1", "name": "weather", "arguments": {"city": "Paris"}}
            ],
        },
        {"role": "tool", "parts": [{"type": "tool_call_response", "id": "c1", "response": "rain"}]},
    ]
    output_messages = [
        {
            "role": "assistant",
            "parts": [{"type": "text", "content": "Rain."}],
            "finish_reason": "stop",
        }
    ]
    span = export_one(
        client,
        {
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": "unknown-model-x",
            "gen_ai.usage.prompt_tokens": 5,
            "gen_ai.usage.completion_tokens": 2,
            "gen_ai.input.messages": json.dumps(input_messages),
            "gen_ai.output.messages": json.dumps(output_messages),
        },
    )
    assert span["model"] == "unknown-model-x"
    assert span["metrics"]["prompt_tokens"] == 5 and "cost" not in span["metrics"]
    assert span["input"][0] == {"role": "user", "content": "weather in Paris?"}
    assert span["input"][1]["tool_calls"] == [
        {
            "id": "c1",
            "type": "function",
            "function": {"name": "weather", "arguments": '{"city":"Paris"}'},
        }
    ]
    assert span["input"][2] == {"role": "tool", "tool_call_id": "c1", "content": "rain"}
    assert span["output"] == {"role": "assistant", "content": "Rain.", "finish_reason": "stop"}


@pytest.mark.parametrize(
    ("operation", "kind"),
    [
        ("text_completion", "llm"),
        ("embeddings", "embedding"),
        ("execute_tool", "tool"),
        ("invoke_agent", "agent"),
        ("create_agent", "agent"),
    ],
)
def test_genai_operation_kinds(client: TestClient, operation: str, kind: str) -> None:
    assert export_one(client, {"gen_ai.operation.name": operation})["kind"] == kind


def test_explicit_cost_wins_over_the_price_table(client: TestClient) -> None:
    span = export_one(
        client,
        {
            "llm.model_name": "gpt-4o-mini",
            "llm.token_count.prompt": 1000,
            "llm.cost.total": 1.25,
        },
    )
    assert span["metrics"]["cost"] == 1.25


def test_unmapped_attributes_events_and_status_are_kept(client: TestClient) -> None:
    span = export_one(
        client,
        {"http.method": "POST", "app.retry": 2, "gen_ai.prompt.x": "odd key"},
        status_code=2,
        status_message="upstream 503",
        events=[("cache miss", {"key": "k1"})],
        kind=3,
    )
    assert span["metadata"]["http.method"] == "POST"
    assert span["metadata"]["app.retry"] == 2
    assert span["metadata"]["gen_ai.prompt.x"] == "odd key"
    assert span["metadata"]["events"][0]["name"] == "cache miss"
    assert span["metadata"]["events"][0]["attributes"] == {"key": "k1"}
    assert span["metadata"]["otel.kind"] == "client"
    assert span["metadata"]["otel.scope"] == {"name": "tests", "version": ""}
    assert span["status"] == "error" and span["error"]["message"] == "upstream 503"


def test_exception_event_becomes_the_error(client: TestClient) -> None:
    span = export_one(
        client,
        {},
        events=[
            (
                "exception",
                {
                    "exception.type": "TimeoutError",
                    "exception.message": "tool took too long",
                    "exception.stacktrace": "Traceback (most recent call last): ...",
                },
            )
        ],
    )
    assert span["status"] == "error"
    assert span["error"] == {
        "type": "TimeoutError",
        "message": "tool took too long",
        "traceback": "Traceback (most recent call last): ...",
    }
