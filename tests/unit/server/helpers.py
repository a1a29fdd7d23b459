"""Builders of native and OTLP requests for the server tests."""

from __future__ import annotations

import os
import time
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span as PbSpan
from opentelemetry.proto.trace.v1.trace_pb2 import Status

NOW = time.time() - 60


def new_trace_id() -> str:
    return os.urandom(16).hex()


def new_span_id() -> str:
    return os.urandom(8).hex()


def native_span(**fields: Any) -> dict[str, Any]:
    """A valid native span; keyword arguments override fields."""
    span: dict[str, Any] = {
        "trace_id": new_trace_id(),
        "span_id": new_span_id(),
        "name": "step",
        "start_time": NOW,
        "end_time": NOW + 0.5,
    }
    span.update(fields)
    return span


def any_value(value: Any) -> AnyValue:
    if isinstance(value, bool):
        return AnyValue(bool_value=value)
    if isinstance(value, int):
        return AnyValue(int_value=value)
    if isinstance(value, float):
        return AnyValue(double_value=value)
    if isinstance(value, list):
        result = AnyValue()
        result.array_value.values.extend(any_value(v) for v in value)
        return result
    return AnyValue(string_value=str(value))


def key_values(attributes: dict[str, Any]) -> list[KeyValue]:
    return [KeyValue(key=k, value=any_value(v)) for k, v in attributes.items()]


def pb_span(
    *,
    trace_id: str | None = None,
    span_id: str | None = None,
    parent_id: str | None = None,
    name: str = "op",
    attributes: dict[str, Any] | None = None,
    start: float = NOW,
    duration: float = 0.25,
    status_code: int = 0,
    status_message: str = "",
    kind: int = 1,
    events: list[tuple[str, dict[str, Any]]] | None = None,
) -> PbSpan:
    span = PbSpan(
        trace_id=bytes.fromhex(trace_id or new_trace_id()),
        span_id=bytes.fromhex(span_id or new_span_id()),
        parent_span_id=bytes.fromhex(parent_id) if parent_id else b"",
        name=name,
        kind=kind,  # type: ignore[arg-type]
        start_time_unix_nano=int(start * 1e9),
        end_time_unix_nano=int((start + duration) * 1e9),
        status=Status(code=status_code, message=status_message),  # type: ignore[arg-type]
    )
    span.attributes.extend(key_values(attributes or {}))
    for event_name, event_attributes in events or []:
        event = span.events.add()
        event.name = event_name
        event.time_unix_nano = int(start * 1e9) + 1000
        event.attributes.extend(key_values(event_attributes))
    return span


def pb_request(
    spans: list[PbSpan], *, resource: dict[str, Any] | None = None
) -> ExportTraceServiceRequest:
    request = ExportTraceServiceRequest()
    resource_spans = request.resource_spans.add()
    resource_spans.resource.attributes.extend(key_values(resource or {}))
    scope_spans = resource_spans.scope_spans.add()
    scope_spans.scope.name = "tests"
    scope_spans.spans.extend(spans)
    return request


def json_value(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, list):
        return {"arrayValue": {"values": [json_value(v) for v in value]}}
    return {"stringValue": str(value)}


def json_attributes(attributes: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": k, "value": json_value(v)} for k, v in attributes.items()]


def json_span(**fields: Any) -> dict[str, Any]:
    """A valid OTLP JSON span (hex ids, camelCase, int64 as strings)."""
    attributes = fields.pop("attributes", {})
    span: dict[str, Any] = {
        "traceId": new_trace_id(),
        "spanId": new_span_id(),
        "name": "op",
        "kind": 1,
        "startTimeUnixNano": str(int(NOW * 1e9)),
        "endTimeUnixNano": str(int((NOW + 0.25) * 1e9)),
        "attributes": json_attributes(attributes),
        "status": {},
    }
    span.update(fields)
    return span


def json_request(spans: list[Any], *, resource: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "resourceSpans": [
            {
                "resource": {"attributes": json_attributes(resource or {})},
                "scopeSpans": [{"scope": {"name": "tests"}, "spans": spans}],
            }
        ]
    }
