"""OpenTelemetry clients: OTLP/HTTP protobuf with OpenInference attributes, and mixed nesting."""

from __future__ import annotations

import httpx

from tests.integration.conftest import ServerProcess, by_name, get_trace, run_agent, shape

PROJECT = "otel-app"


def test_otlp_spans_are_queryable_with_mapped_fields(
    server: ServerProcess, api: httpx.Client
) -> None:
    result = run_agent("otel", server.url, PROJECT)

    trace = get_trace(api, PROJECT, result["trace_id"])
    assert [shape(r) for r in trace["roots"]] == [("qa-chain", [("retrieve", []), ("llm", [])])]
    spans = by_name(trace)
    assert spans["qa-chain"]["input"] == "What is the capital of France?"
    assert spans["qa-chain"]["output"] == "Paris."
    assert spans["retrieve"]["kind"] == "retrieval"

    llm = spans["llm"]
    assert llm["kind"] == "llm"
    assert llm["model"] == "gpt-4o-mini"
    assert llm["metrics"]["prompt_tokens"] == 21
    assert llm["metrics"]["completion_tokens"] == 3
    assert llm["metrics"]["total_tokens"] == 24
    messages = llm["input"]
    messages = messages.get("messages", messages) if isinstance(messages, dict) else messages
    assert [m["role"] for m in messages] == ["system", "user"]
    assert messages[1]["content"] == "What is the capital of France?"
    assert "Paris." in str(llm["output"])
    assert llm["metadata"]["app.custom"] == "kept", "unmapped attributes are kept in metadata"

    found = api.get(f"/api/v1/projects/{PROJECT}/spans", params={"kind": "llm"}).json()["items"]
    assert [s["span_id"] for s in found] == [llm["span_id"]]


def test_assay_and_otel_spans_nest_into_one_trace_both_ways(
    server: ServerProcess, api: httpx.Client
) -> None:
    result = run_agent("mixed", server.url, PROJECT)

    first = get_trace(api, PROJECT, result["assay_first"])
    assert first["orphans"] == []
    assert [shape(r) for r in first["roots"]] == [
        ("assay-root", [("otel-middle", [("assay-leaf", [])])])
    ]

    second = get_trace(api, PROJECT, result["otel_first"])
    assert second["orphans"] == []
    assert [shape(r) for r in second["roots"]] == [("otel-root", [("assay-child", [])])]
