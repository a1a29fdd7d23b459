"""OTLP JSON encoding of trace export requests (hex ids, lowerCamelCase, int64 as strings).

Anything can arrive here, so every value is checked for its type: a malformed request as a
whole is a 400, a malformed span is reported through ``partial_success`` like any other.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson

from assay.server.errors import ApiError
from assay.server.otlp import (
    KIND_NAMES,
    STATUS_NAMES,
    Converted,
    RawSpan,
    SpanProblem,
    build_span,
    origin,
    project_of,
    reject,
)

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1


def decode_json(body: bytes) -> dict[str, Any]:
    """Parse the body as an OTLP JSON ExportTraceServiceRequest (a JSON object)."""
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, f"The body is not valid JSON: {exc}; send OTLP JSON.") from None
    if not isinstance(doc, dict):
        raise ApiError(
            400,
            f"The body is a JSON {type(doc).__name__}; OTLP JSON is an object with "
            "'resourceSpans'.",
        )
    _list_at(doc, "resourceSpans", "")
    return doc


def count_json(doc: dict[str, Any]) -> int:
    """Number of spans in the request (checking the nesting on the way)."""
    total = 0
    for r_index, rs in enumerate(_list_at(doc, "resourceSpans", "")):
        where = f"resourceSpans[{r_index}]"
        rs = _object(rs, where)
        for s_index, ss in enumerate(_scope_list(rs, where)):
            total += len(_list_at(_object(ss, f"{where}.scopeSpans[{s_index}]"), "spans", where))
    return total


def convert_json(doc: dict[str, Any], header_project: str | None) -> Converted:
    """Turn an OTLP JSON request into spans per project plus rejection messages."""
    out = Converted()
    for r_index, rs in enumerate(_list_at(doc, "resourceSpans", "")):
        where_r = f"resourceSpans[{r_index}]"
        resource = _resource(_object(rs, where_r), where_r)
        project = project_of(resource, header_project)
        for s_index, ss in enumerate(_scope_list(rs, where_r)):
            shared = origin(resource, _scope(ss.get("scope")))
            for index, span in enumerate(_list_at(ss, "spans", where_r)):
                out.total += 1
                where = f"{where_r}.scopeSpans[{s_index}].spans[{index}]"
                span_obj = span if isinstance(span, dict) else {}
                raw_id = _id_or_empty(span_obj.get("spanId"))
                name = span_obj.get("name", "")
                if project is None:
                    out.missing_project += 1
                    reject(out, where, raw_id, name, "no project (see below)")
                    continue
                try:
                    new = build_span(_raw(span), shared)
                except SpanProblem as exc:
                    reject(out, where, raw_id, name, str(exc))
                    continue
                out.by_project.setdefault(project, []).append(new)
    return out


def _resource(rs: dict[str, Any], where: str) -> dict[str, Any]:
    resource = rs.get("resource") or {}
    try:
        return _attributes(resource.get("attributes") if isinstance(resource, dict) else None)
    except SpanProblem as exc:
        field = f"{where}.resource.attributes"
        raise ApiError(
            400, f"{field} cannot be read: {exc}", details=[{"field": field, "reason": str(exc)}]
        ) from None


def _raw(span: Any) -> RawSpan:
    if not isinstance(span, dict):
        raise SpanProblem(f"a span must be a JSON object, got {type(span).__name__}")
    name = span.get("name", "")
    if not isinstance(name, str):
        raise SpanProblem(f"name must be a string, got {name!r:.60}")
    status = span.get("status") or {}
    if not isinstance(status, dict):
        raise SpanProblem(f"status must be an object, got {status!r:.60}")
    message = status.get("message", "")
    return RawSpan(
        trace_id=_id(span.get("traceId"), 16, "traceId"),
        span_id=_id(span.get("spanId"), 8, "spanId"),
        parent_id=_id(span.get("parentSpanId"), 8, "parentSpanId", optional=True),
        name=name,
        kind=_enum(span.get("kind", 0), KIND_NAMES, "kind"),
        start_ns=_uint(span.get("startTimeUnixNano"), "startTimeUnixNano"),
        end_ns=_uint(span.get("endTimeUnixNano"), "endTimeUnixNano"),
        attributes=_attributes(span.get("attributes")),
        events=_events(span.get("events")),
        status_code=_enum(status.get("code", 0), STATUS_NAMES, "status.code"),
        status_message=message if isinstance(message, str) else str(message),
        links=_links(span.get("links")),
        trace_state=str(span.get("traceState") or ""),
    )


def _events(value: Any) -> list[tuple[int, str, dict[str, Any]]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SpanProblem(f"events must be a list, got {value!r:.60}")
    events = []
    for event in value:
        if not isinstance(event, dict):
            raise SpanProblem(f"each event must be an object, got {event!r:.60}")
        time_ns = _uint(event.get("timeUnixNano"), "events.timeUnixNano")
        events.append((time_ns, str(event.get("name", "")), _attributes(event.get("attributes"))))
    return events


def _links(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    links = []
    for link in value:
        if isinstance(link, dict):
            links.append(
                {
                    "trace_id": str(link.get("traceId", "")),
                    "span_id": str(link.get("spanId", "")),
                    "attributes": _attributes(link.get("attributes")),
                }
            )
    return links


def _attributes(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, list):
        raise SpanProblem(f"attributes must be a list of {{key, value}}, got {value!r:.60}")
    result = {}
    for kv in value:
        if not isinstance(kv, dict) or not isinstance(kv.get("key"), str):
            raise SpanProblem(f"an attribute must be {{key, value}}, got {kv!r:.60}")
        result[kv["key"]] = _value(kv.get("value"))
    return result


def _value(value: Any) -> Any:
    if not isinstance(value, dict) or not value:
        return None
    if "stringValue" in value:
        return str(value["stringValue"])
    if "intValue" in value:
        number = _int(value["intValue"], "intValue")
        if not _INT64_MIN <= number <= _INT64_MAX:
            raise SpanProblem(f"intValue {number} is outside the int64 range")
        return number
    if "doubleValue" in value:
        number = value["doubleValue"]
        if isinstance(number, int | float) and not isinstance(number, bool):
            return float(number)
        raise SpanProblem(f"doubleValue must be a number, got {number!r:.60}")
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "arrayValue" in value:
        values = (
            (value["arrayValue"] or {}).get("values")
            if isinstance(value["arrayValue"], dict)
            else None
        )
        return [_value(v) for v in values] if isinstance(values, list) else []
    if "kvlistValue" in value:
        kv = value["kvlistValue"]
        return _attributes(kv.get("values") if isinstance(kv, dict) else None)
    if "bytesValue" in value:
        return str(value["bytesValue"])
    return None


def _id(value: Any, size: int, name: str, *, optional: bool = False) -> bytes:
    if value is None or value == "":
        if optional:
            return b""
        raise SpanProblem(f"{name} is missing")
    if not isinstance(value, str):
        raise SpanProblem(f"{name} must be a hex string, got {value!r:.60}")
    if len(value) == size * 2:
        try:
            return bytes.fromhex(value)
        except ValueError:
            pass
    try:  # some encoders (protobuf's own JSON) send base64
        decoded = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) == size:
        return decoded
    raise SpanProblem(f"{name} {value[:64]!r} is not {size * 2} hex characters")


def _id_or_empty(value: Any) -> bytes:
    try:
        return _id(value, 8, "spanId")
    except SpanProblem:
        return b""


def _uint(value: Any, name: str) -> int:
    number = _int(value if value is not None else 0, name)
    if number < 0:
        raise SpanProblem(f"{name} must not be negative, got {number}")
    return number


def _int(value: Any, name: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            pass
        else:
            return value  # type: ignore[no-any-return]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise SpanProblem(f"{name} must be an integer (or a string of digits), got {value!r:.60}")


def _enum(value: Any, names: dict[str, int], name: str) -> int:
    if isinstance(value, str) and value in names:
        return names[value]
    return _int(value, name)


def _scope(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict):
        return None
    name, version = value.get("name") or "", value.get("version") or ""
    if not name and not version:
        return None
    return {"name": str(name), "version": str(version)}


def _scope_list(rs: dict[str, Any], where: str) -> list[dict[str, Any]]:
    key = "scopeSpans" if "scopeSpans" in rs else "instrumentationLibrarySpans"
    items = _list_at(rs, key, where)
    for index, item in enumerate(items):
        _object(item, f"{where}.{key}[{index}]")
    return items


def _list_at(obj: dict[str, Any], key: str, where: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        path = f"{where}.{key}" if where else key
        raise ApiError(
            400,
            f"{path} must be a list, got {type(value).__name__}; see the OTLP JSON encoding.",
            details=[{"index": None, "field": path, "reason": "must be a list"}],
        )
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ApiError(
            400,
            f"{where} must be an object, got {type(value).__name__}; see the OTLP JSON encoding.",
            details=[{"index": None, "field": where, "reason": "must be an object"}],
        )
    return value
