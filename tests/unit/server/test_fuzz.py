"""Property-based fuzzing of both ingest endpoints: no input may produce a 5xx."""

from __future__ import annotations

import gzip
from typing import Any

import orjson
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.server.helpers import json_request, json_span, native_span, pb_request, pb_span

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
span_fields = st.sampled_from(
    [
        "trace_id",
        "span_id",
        "parent_id",
        "name",
        "kind",
        "start_time",
        "end_time",
        "status",
        "error",
        "input",
        "output",
        "metadata",
        "tags",
        "metrics",
        "model",
        "session_id",
    ]
)
# A valid span with a few fields replaced by random values of random types.
mangled_spans = st.builds(
    lambda changes: native_span(**changes),
    st.dictionaries(span_fields, json_values, max_size=3),
)


def assert_no_5xx(response: Any) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert "error" in response.json()


@FUZZ
@given(body=json_values)
def test_native_random_json_bodies(client: TestClient, body: Any) -> None:
    response = client.post(
        "/api/v1/spans", content=orjson.dumps(body), headers={"content-type": "application/json"}
    )
    assert_no_5xx(response)


@FUZZ
@given(data=st.binary(max_size=300), gzipped=st.booleans())
def test_both_endpoints_random_bytes(client: TestClient, data: bytes, gzipped: bool) -> None:
    headers = {"content-encoding": "gzip"} if gzipped else {}
    for path, kind in [
        ("/api/v1/spans", "application/json"),
        ("/v1/traces", "application/x-protobuf"),
        ("/v1/traces", "application/json"),
    ]:
        response = client.post(
            path, content=data, headers={"content-type": kind, "x-assay-project": "f", **headers}
        )
        assert_no_5xx(response)


@FUZZ
@given(junk=st.lists(mangled_spans | json_values, min_size=1, max_size=6))
def test_native_mixed_batch_keeps_the_valid_spans(client: TestClient, junk: list[Any]) -> None:
    valid = native_span(name="keeper", input={"n": 1})
    response = client.post(
        "/api/v1/spans",
        content=gzip.compress(orjson.dumps({"project": "fuzz", "spans": [*junk, valid]})),
        headers={"content-type": "application/json", "content-encoding": "gzip"},
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["accepted"] + len(result["rejected"]) == len(junk) + 1
    stored = client.get(
        f"/api/v1/projects/fuzz/traces/{valid['trace_id']}/spans/{valid['span_id']}"
    )
    assert stored.status_code == 200 and stored.json()["input"] == {"n": 1}


otlp_fields = st.sampled_from(
    [
        "traceId",
        "spanId",
        "parentSpanId",
        "name",
        "kind",
        "startTimeUnixNano",
        "endTimeUnixNano",
        "attributes",
        "events",
        "links",
        "status",
        "traceState",
    ]
)
mangled_otlp = st.builds(
    lambda changes: {**json_span(), **changes},
    st.dictionaries(otlp_fields, json_values, max_size=3),
)
attribute_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=6,
)
attribute_keys = st.sampled_from(
    [
        "input.value",
        "output.value",
        "input.mime_type",
        "llm.token_count.prompt",
        "metadata",
        "llm.invocation_parameters",
        "openinference.span.kind",
        "gen_ai.operation.name",
        "llm.input_messages.0.message.role",
        "llm.output_messages.x.message.content",
        "gen_ai.prompt.0.content",
        "gen_ai.input.messages",
        "tag.tags",
        "session.id",
        "gen_ai.usage.input_tokens",
        "llm.model_name",
        "llm.cost.total",
    ]
) | st.text(min_size=1, max_size=12)


@FUZZ
@given(junk=st.lists(mangled_otlp | json_values, min_size=1, max_size=5))
def test_otlp_json_mixed_batch_keeps_the_valid_spans(client: TestClient, junk: list[Any]) -> None:
    valid = json_span(name="keeper")
    body = orjson.dumps(json_request([*junk, valid], resource={"assay.project": "fuzz"}))
    response = client.post("/v1/traces", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text
    path = f"/api/v1/projects/fuzz/traces/{valid['traceId']}/spans/{valid['spanId']}"
    assert client.get(path).json()["name"] == "keeper"


@FUZZ
@given(
    attributes=st.dictionaries(attribute_keys, attribute_values, max_size=8),
    status_code=st.integers(min_value=0, max_value=5),
    kind=st.integers(min_value=0, max_value=9),
    name=st.text(max_size=20),
)
def test_otlp_protobuf_random_attributes(
    client: TestClient, attributes: dict[str, Any], status_code: int, kind: int, name: str
) -> None:
    valid = pb_span(name="keeper")
    random = pb_span(name=name, attributes=attributes, status_code=status_code, kind=kind)
    request = pb_request([random, valid], resource={"assay.project": "fuzz"})
    response = client.post(
        "/v1/traces",
        content=request.SerializeToString(),
        headers={"content-type": "application/x-protobuf"},
    )
    assert response.status_code == 200, response.text
    path = f"/api/v1/projects/fuzz/traces/{valid.trace_id.hex()}/spans/{valid.span_id.hex()}"
    assert client.get(path).json()["name"] == "keeper"
