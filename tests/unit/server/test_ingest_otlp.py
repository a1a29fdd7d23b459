"""POST /v1/traces: OTLP/HTTP in protobuf and JSON, with partial_success for bad spans."""

from __future__ import annotations

import gzip
from typing import Any

import orjson
from fastapi.testclient import TestClient
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

from tests.unit.server.helpers import (
    NOW,
    json_request,
    json_span,
    new_span_id,
    new_trace_id,
    pb_request,
    pb_span,
)

PROTOBUF = {"content-type": "application/x-protobuf"}
JSON = {"content-type": "application/json"}


def export_pb(client: TestClient, request: Any, **headers: str) -> ExportTraceServiceResponse:
    response = client.post(
        "/v1/traces", content=request.SerializeToString(), headers={**PROTOBUF, **headers}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-protobuf"
    decoded = ExportTraceServiceResponse()
    decoded.ParseFromString(response.content)
    return decoded


def get_span(client: TestClient, project: str, trace_id: str, span_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/projects/{project}/traces/{trace_id}/spans/{span_id}")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_protobuf_export_builds_one_trace_with_parent_links(client: TestClient) -> None:
    trace_id, root, child = new_trace_id(), new_span_id(), new_span_id()
    request = pb_request(
        [
            pb_span(
                trace_id=trace_id, span_id=child, parent_id=root, name="child", start=NOW + 0.1
            ),
            pb_span(trace_id=trace_id, span_id=root, name="root", duration=1.0, kind=2),
        ],
        resource={"assay.project": "otel-app", "service.name": "checkout"},
    )
    answer = export_pb(client, request)
    assert not answer.HasField("partial_success")
    trace = client.get(f"/api/v1/projects/otel-app/traces/{trace_id}").json()
    (root_node,) = trace["roots"]
    assert root_node["name"] == "root" and root_node["duration_ms"] == 1000.0
    assert root_node["metadata"]["otel.kind"] == "server"
    assert root_node["metadata"]["resource"]["service.name"] == "checkout"
    assert [c["name"] for c in root_node["children"]] == ["child"]


def test_header_names_the_project_and_gzip_works(client: TestClient) -> None:
    span = pb_span()
    body = gzip.compress(pb_request([span]).SerializeToString())
    response = client.post(
        "/v1/traces",
        content=body,
        headers={**PROTOBUF, "content-encoding": "gzip", "x-assay-project": "from-header"},
    )
    assert response.status_code == 200, response.text
    traces = client.get("/api/v1/projects/from-header/traces").json()["items"]
    assert [t["trace_id"] for t in traces] == [span.trace_id.hex()]


def test_openinference_project_attribute_names_the_project(client: TestClient) -> None:
    request = pb_request([pb_span()], resource={"openinference.project.name": "oi-proj"})
    export_pb(client, request)
    assert client.get("/api/v1/projects/oi-proj/traces").json()["items"]


def test_bad_spans_are_reported_in_partial_success_and_good_ones_stored(
    client: TestClient,
) -> None:
    good = pb_span(name="good")
    zero_trace = pb_span(name="zero trace")
    zero_trace.trace_id = bytes(16)
    short_span = pb_span(name="short id")
    short_span.span_id = b"\x01\x02"
    backwards = pb_span(name="backwards")
    backwards.end_time_unix_nano = backwards.start_time_unix_nano - 1
    request = pb_request([zero_trace, good, short_span, backwards], resource={"assay.project": "p"})
    answer = export_pb(client, request)
    assert answer.partial_success.rejected_spans == 3
    message = answer.partial_success.error_message
    assert "3 of 4 spans rejected" in message
    assert "spans[0]" in message and "trace_id is all zeros" in message
    assert "'short id'" in message and "span_id has 2 bytes" in message
    assert "'backwards'" in message and "before" in message
    stored = get_span(client, "p", good.trace_id.hex(), good.span_id.hex())
    assert stored["name"] == "good"


def test_otlp_json_export_is_stored_and_answered_in_json(client: TestClient) -> None:
    trace_id, root = new_trace_id(), new_span_id()
    spans = [
        json_span(
            traceId=trace_id,
            spanId=root,
            name="agent run",
            kind="SPAN_KIND_SERVER",
            attributes={
                "openinference.span.kind": "AGENT",
                "input.value": "hello",
                "retries": 3,
                "ratio": 0.5,
                "flag": True,
                "list": ["a", "b"],
            },
            status={"code": "STATUS_CODE_ERROR", "message": "boom"},
        ),
        json_span(traceId=trace_id, parentSpanId=root, name="tool", kind=3),
        json_span(traceId="not-hex", name="broken"),
        json_span(startTimeUnixNano="soon", name="bad time"),
    ]
    response = client.post(
        "/v1/traces",
        content=orjson.dumps(json_request(spans)),
        headers={**JSON, "x-assay-project": "j"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    partial = response.json()["partialSuccess"]
    assert partial["rejectedSpans"] == "2"
    assert "traceId 'not-hex'" in partial["errorMessage"]
    assert "startTimeUnixNano" in partial["errorMessage"]
    root_span = get_span(client, "j", trace_id, root)
    assert root_span["kind"] == "agent" and root_span["input"] == "hello"
    assert root_span["status"] == "error" and root_span["error"]["message"] == "boom"
    assert root_span["metadata"]["retries"] == 3 and root_span["metadata"]["ratio"] == 0.5
    assert root_span["metadata"]["flag"] is True and root_span["metadata"]["list"] == ["a", "b"]
    assert root_span["metadata"]["otel.kind"] == "server"
    trace = client.get(f"/api/v1/projects/j/traces/{trace_id}").json()
    assert trace["span_count"] == 2


def test_otlp_json_with_nothing_wrong_answers_an_empty_object(client: TestClient) -> None:
    response = client.post(
        "/v1/traces",
        content=orjson.dumps(json_request([json_span()], resource={"assay.project": "q"})),
        headers=JSON,
    )
    assert response.json() == {}


def test_otlp_json_with_wrong_nesting_is_a_400_naming_the_place(client: TestClient) -> None:
    body = {"resourceSpans": [{"scopeSpans": "nope"}]}
    response = client.post("/v1/traces", content=orjson.dumps(body), headers=JSON)
    assert response.status_code == 400
    assert "resourceSpans[0].scopeSpans" in response.json()["error"]["message"]


def test_spans_from_the_opentelemetry_sdk_encoder_are_accepted(client: TestClient) -> None:
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"assay.project": "sdk"}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("tests")
    with tracer.start_as_current_span("outer") as outer:
        outer.set_attribute("openinference.span.kind", "CHAIN")
        with tracer.start_as_current_span("inner"):
            pass
        try:
            raise ValueError("bad input")
        except ValueError as exc:
            outer.record_exception(exc)
    body = encode_spans(exporter.get_finished_spans()).SerializeToString()
    response = client.post("/v1/traces", content=body, headers=PROTOBUF)
    assert response.status_code == 200, response.text
    trace_id = format(outer.get_span_context().trace_id, "032x")
    trace = client.get(f"/api/v1/projects/sdk/traces/{trace_id}").json()
    (root,) = trace["roots"]
    assert root["kind"] == "chain" and [c["name"] for c in root["children"]] == ["inner"]
    assert root["error"]["type"] == "ValueError" and root["error"]["message"] == "bad input"
    assert "Traceback" in root["error"]["traceback"]
    assert root["metadata"]["events"][0]["name"] == "exception"


def test_contradicting_message_attributes_reject_that_span_only(client: TestClient) -> None:
    odd = pb_span(
        name="odd messages",
        attributes={
            "openinference.span.kind": "LLM",
            "llm.input_messages.0.message.tool_calls": "[]",
            "llm.input_messages.0.message.tool_calls.0.tool_call.function.name": "lookup",
        },
    )
    good = pb_span(name="fine")
    answer = export_pb(client, pb_request([odd, good], resource={"assay.project": "p"}))
    assert answer.partial_success.rejected_spans == 1
    assert "'odd messages'" in answer.partial_success.error_message
    assert "cannot be mapped" in answer.partial_success.error_message
    assert get_span(client, "p", good.trace_id.hex(), good.span_id.hex())["name"] == "fine"


def test_deployment_environment_and_service_version_become_environment_and_release(
    client: TestClient,
) -> None:
    span = pb_span(name="deployed")
    resource = {
        "assay.project": "p",
        "deployment.environment.name": "staging",
        "service.version": "2.4.1",
    }
    export_pb(client, pb_request([span], resource=resource))
    stored = get_span(client, "p", span.trace_id.hex(), span.span_id.hex())
    assert (stored["environment"], stored["release"]) == ("staging", "2.4.1")


def test_a_large_export_is_stored_whole_with_traces_spread_over_it(client: TestClient) -> None:
    # 1,000 spans of 50 traces, interleaved so every trace has spans all through the request
    traces = [new_trace_id() for _ in range(50)]
    roots = [new_span_id() for _ in range(50)]
    spans = [
        pb_span(trace_id=t, span_id=r, name="root", duration=2.0)
        for t, r in zip(traces, roots, strict=True)
    ]
    for i in range(950):
        n = i % 50
        spans.append(
            pb_span(
                trace_id=traces[n],
                parent_id=roots[n],
                name="step",
                start=NOW + 0.001 * i,
                attributes={"llm.token_count.prompt": 2, "llm.token_count.completion": 1},
            )
        )
    spans.append(spans[3])  # a repeat in another part of the request is counted once
    answer = export_pb(client, pb_request(spans), **{"x-assay-project": "big"})
    assert not answer.HasField("partial_success")
    page = client.get("/api/v1/projects/big/traces?limit=100").json()["items"]
    assert len(page) == 50
    assert {t["span_count"] for t in page} == {20}
    assert {t["total_tokens"] for t in page} == {19 * 3}
    assert {t["name"] for t in page} == {"root"}
