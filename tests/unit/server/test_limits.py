"""Request limits: body size, batch size and string length, each a clear 4xx naming the limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

from assay.server import create_app
from assay.server.limits import find_long_string
from assay.store.base import Store
from tests.unit.server.helpers import json_request, json_span, native_span, pb_request, pb_span

LIMIT = 100
LONG = "y" * (LIMIT + 1)


@pytest.fixture
def limited(store: Store) -> Iterator[TestClient]:
    """An app that accepts at most LIMIT characters per string."""
    with TestClient(create_app(store, max_string_length=LIMIT)) as test_client:
        yield test_client


def test_the_path_of_a_long_string_is_named_in_document_order() -> None:
    doc = {"a": [1, {"b": "ok"}, {"c": ["short", LONG]}], "z": LONG}
    found = find_long_string(doc, LIMIT)
    assert found is not None and (found.path, found.length) == ("a[2].c[1]", LIMIT + 1)
    key = find_long_string({"k": {LONG: 1}}, LIMIT)
    assert key is not None and key.path.startswith("k.yyy")
    assert find_long_string({"a": ["x" * LIMIT]}, LIMIT) is None


def test_a_long_string_in_a_json_body_is_a_413_naming_the_field(limited: TestClient) -> None:
    limited.post("/api/v1/spans", json={"project": "p", "spans": [native_span()]})
    score = {"trace_id": "a" * 32, "name": "q", "value": 1.0, "rationale": LONG}
    response = limited.post(
        "/api/v1/projects/p/scores", json={"scores": [{"trace_id": "a" * 32}, score]}
    )
    assert response.status_code == 413
    error = response.json()["error"]
    assert "'scores[1].rationale'" in error["message"]
    assert f"the limit is {LIMIT}" in error["message"]
    assert "ASSAY_MAX_STRING_LENGTH" in error["message"]
    assert error["details"][0]["field"] == "scores[1].rationale"
    short = limited.post("/api/v1/projects", json={"name": "fine"})
    assert short.status_code == 201


def test_native_ingest_rejects_only_the_span_with_a_long_string(limited: TestClient) -> None:
    good = native_span(input={"text": "short"})
    bad = native_span(input={"messages": [{"content": LONG}]})
    response = limited.post("/api/v1/spans", json={"project": "p", "spans": [good, bad]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["accepted"] == 1
    [rejected] = body["rejected"]
    assert rejected["index"] == 1 and rejected["field"] == "input.messages[0].content"
    assert f"the limit is {LIMIT}" in rejected["reason"]
    stored = limited.get(f"/api/v1/projects/p/traces/{good['trace_id']}")
    assert stored.status_code == 200
    assert limited.get(f"/api/v1/projects/p/traces/{bad['trace_id']}").status_code == 404
    alone = limited.post("/api/v1/spans", json={"project": "p", "spans": [bad]})
    assert alone.status_code == 422
    assert "input.messages[0].content" in alone.json()["error"]["message"]


def test_otlp_json_rejects_only_the_span_with_a_long_attribute(limited: TestClient) -> None:
    good = json_span(name="kept")
    bad = json_span(name="too-long", attributes={"input.value": LONG})
    response = limited.post(
        "/v1/traces",
        json=json_request([good, bad]),
        headers={"x-assay-project": "otel"},
    )
    assert response.status_code == 200, response.text
    partial = response.json()["partialSuccess"]
    assert partial["rejectedSpans"] == "1"
    assert (
        "'too-long'" in partial["errorMessage"] and f"limit is {LIMIT}" in partial["errorMessage"]
    )
    traces = limited.get("/api/v1/projects/otel/traces").json()["items"]
    assert [t["name"] for t in traces] == ["kept"]


def test_body_and_batch_limits_are_413s_naming_their_settings(small_client: TestClient) -> None:
    spans = [native_span() for _ in range(6)]
    many = small_client.post("/api/v1/spans", json={"project": "p", "spans": spans})
    assert many.status_code == 413 and "ASSAY_MAX_BATCH_SPANS" in many.json()["error"]["message"]
    big = native_span(input="z" * 30_000)
    large = small_client.post("/api/v1/spans", json={"project": "p", "spans": [big]})
    assert large.status_code == 413 and "ASSAY_MAX_BODY_BYTES" in large.json()["error"]["message"]


def test_otlp_protobuf_rejects_only_the_span_with_a_long_attribute(limited: TestClient) -> None:
    # both spans are larger than the limit once encoded; only one holds a string that long
    good = pb_span(name="kept", attributes={f"k{i}": "x" * 60 for i in range(4)})
    bad = pb_span(name="too-long", attributes={"output.value": LONG})
    response = limited.post(
        "/v1/traces",
        content=pb_request([good, bad]).SerializeToString(),
        headers={"content-type": "application/x-protobuf", "x-assay-project": "otel-pb"},
    )
    assert response.status_code == 200, response.text
    answer = ExportTraceServiceResponse()
    answer.ParseFromString(response.content)
    assert answer.partial_success.rejected_spans == 1
    message = answer.partial_success.error_message
    assert "'too-long'" in message and "output" in message and f"limit is {LIMIT}" in message
    traces = limited.get("/api/v1/projects/otel-pb/traces").json()["items"]
    assert [t["name"] for t in traces] == ["kept"]
