"""OTLP/HTTP trace ingest: decode protobuf or JSON requests into :class:`NewSpan` objects.

Both encodings go through the same per-span builder, which checks ids and times, maps the
attributes with :mod:`assay.server.semconv` and keeps everything unmapped in metadata
(resource attributes under ``resource``, events under ``events``, the OTLP span kind under
``otel.kind``). Spans that cannot be stored are reported, not raised: the caller answers with
``partial_success``. The path avoids pydantic and per-span allocations beyond the span itself.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from google.protobuf.message import DecodeError
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from assay.server import semconv
from assay.server.errors import ApiError
from assay.server.native import ItemError, check_plain_text
from assay.store.base import NewSpan

PROJECT_HEADER = "x-assay-project"
PROJECT_ATTRIBUTES = ("assay.project", "openinference.project.name")
_OTEL_KINDS = {1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"}
KIND_NAMES = {f"SPAN_KIND_{name.upper()}": code for code, name in _OTEL_KINDS.items()}
STATUS_NAMES = {"STATUS_CODE_UNSET": 0, "STATUS_CODE_OK": 1, "STATUS_CODE_ERROR": 2}
_MAX_REJECTION_LINES = 20
_MAX_NANOS = 2**63 - 1


class SpanProblem(Exception):
    """One span cannot be stored; the message says why."""


@dataclass(slots=True)
class Converted:
    """The outcome of decoding one request."""

    by_project: dict[str, list[NewSpan]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    total: int = 0
    missing_project: int = 0
    # Spans that may hold a string over the length limit (see ``limits.drop_long_spans``);
    # None when the decoder could not tell, so every span is checked.
    large: list[NewSpan] | None = None


@dataclass(slots=True)
class RawSpan:
    """The fields of one OTLP span in plain Python values."""

    trace_id: bytes
    span_id: bytes
    parent_id: bytes
    name: str
    kind: int
    start_ns: int
    end_ns: int
    attributes: dict[str, Any]
    events: list[tuple[int, str, dict[str, Any]]]
    status_code: int
    status_message: str
    links: list[dict[str, Any]] = field(default_factory=list)
    trace_state: str = ""


@dataclass(frozen=True, slots=True)
class Origin:
    """What every span of one resource and scope shares, worked out once for all of them."""

    resource: dict[str, Any]
    scope: dict[str, str] | None
    environment: str | None
    release: str | None


def origin(resource: dict[str, Any], scope: dict[str, str] | None) -> Origin:
    """The :class:`Origin` of spans sent under ``resource`` and ``scope``."""
    return Origin(
        resource,
        scope,
        _resource_text(resource, "deployment.environment.name", "deployment.environment"),
        _resource_text(resource, "service.version"),
    )


# ---------------------------------------------------------------- shared span builder


def build_span(raw: RawSpan, source: Origin, *, deep: bool = True) -> NewSpan:
    """Validate one OTLP span and map it onto a NewSpan, or raise SpanProblem.

    ``deep=False`` skips the nesting-depth check of values that came straight from protobuf
    (its decoder stops far below our limit); values parsed from JSON text are still checked.
    """
    trace_id = _check_id(raw.trace_id, 16, "trace_id")
    span_id = _check_id(raw.span_id, 8, "span_id")
    parent_id = None
    if raw.parent_id and raw.parent_id.count(0) != len(raw.parent_id):
        parent_id = _check_id(raw.parent_id, 8, "parent_span_id")
    if not raw.name:
        raise SpanProblem("name is empty; every span needs a name")
    end_us = _end_micros(raw)
    d = semconv.Draft()
    try:
        semconv.apply(d, raw.attributes)
        semconv.finish(d)
    except (TypeError, AttributeError, ValueError, KeyError, IndexError) as exc:
        # attributes that contradict each other (e.g. a message field set both as a string
        # and as an object): the span is refused with the reason, the batch goes on
        raise SpanProblem(
            f"its attributes cannot be mapped ({type(exc).__name__}: {exc})"
        ) from None
    metadata = d.metadata
    error = _events_into(metadata, raw.events) if raw.events else None
    status, error = _status(raw, error, metadata)
    _otel_metadata(metadata, raw, source.resource, source.scope)
    if d.user_metadata:
        metadata = {**d.user_metadata, **metadata}
    new = NewSpan(
        trace_id=trace_id,
        span_id=span_id,
        parent_id=parent_id,
        name=raw.name,
        kind=d.kind or d.op_kind or "span",
        start_time=raw.start_ns // 1000,
        end_time=end_us,
        status=status,
        error=error,
        input=d.input,
        output=d.output,
        metadata=metadata,
        tags=d.tags,
        metrics=d.metrics,
        model=d.model_name,
        session_id=d.session_id,
        user_id=d.user_id,
        environment=source.environment,
        release=source.release,
    )
    try:
        check_plain_text(new, deep=deep or d.parsed)
    except ItemError as exc:
        raise SpanProblem(f"{exc.field} {exc.reason}") from None
    return new


def _resource_text(resource: dict[str, Any], *keys: str) -> str | None:
    """The first of ``keys`` that the resource sets to a string."""
    for key in keys:
        value = resource.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _end_micros(raw: RawSpan) -> int | None:
    if raw.start_ns <= 0:
        raise SpanProblem("start_time_unix_nano is missing or 0")
    if raw.start_ns > _MAX_NANOS or raw.end_ns > _MAX_NANOS:
        raise SpanProblem(f"times must be Unix nanoseconds below {_MAX_NANOS} (year 2262)")
    if not raw.end_ns:
        return None
    if raw.end_ns < raw.start_ns:
        raise SpanProblem(
            f"end_time_unix_nano {raw.end_ns} is before start_time_unix_nano {raw.start_ns}"
        )
    return raw.end_ns // 1000


def _status(
    raw: RawSpan, error: dict[str, Any] | None, metadata: dict[str, Any]
) -> tuple[str, dict[str, Any] | None]:
    """OTLP status ERROR is an error (with its message); UNSET follows the exception events."""
    if raw.status_code == 2 and error is None:
        error = {"type": "", "message": raw.status_message, "traceback": None}
    elif raw.status_message:
        metadata["otel.status_message"] = raw.status_message
    if raw.status_code == 2:
        return "error", error
    if raw.status_code == 1:
        return "ok", error
    return ("error" if error is not None else "ok"), error


def _otel_metadata(
    metadata: dict[str, Any], raw: RawSpan, resource: dict[str, Any], scope: dict[str, str] | None
) -> None:
    if raw.kind in _OTEL_KINDS:
        metadata["otel.kind"] = _OTEL_KINDS[raw.kind]
    if resource:
        metadata["resource"] = resource
    if scope:
        metadata["otel.scope"] = scope
    if raw.links:
        metadata["links"] = raw.links
    if raw.trace_state:
        metadata["otel.trace_state"] = raw.trace_state


def _events_into(
    metadata: dict[str, Any], events: list[tuple[int, str, dict[str, Any]]]
) -> dict[str, Any] | None:
    if not events:
        return None
    error = None
    listed = []
    for time_ns, name, attributes in events:
        listed.append({"name": name, "time": time_ns / 1e9, "attributes": attributes})
        if name == "exception" and error is None:
            error = {
                "type": str(attributes.get("exception.type", "")),
                "message": str(attributes.get("exception.message", "")),
                "traceback": attributes.get("exception.stacktrace"),
            }
            if error["traceback"] is not None:
                error["traceback"] = str(error["traceback"])
    metadata["events"] = listed
    return error


def _check_id(value: bytes, size: int, name: str) -> str:
    if len(value) != size:
        raise SpanProblem(f"{name} has {len(value)} bytes; OTLP needs {size}")
    if value.count(0) == size:
        raise SpanProblem(f"{name} is all zeros")
    return value.hex()


def project_of(resource: dict[str, Any], header: str | None) -> str | None:
    """The project named by the header, else by a resource attribute, else None."""
    if header:
        return header
    for key in PROJECT_ATTRIBUTES:
        value = resource.get(key)
        if isinstance(value, str) and 0 < len(value.strip()) <= 200 and "\x00" not in value:
            return value.strip()
    return None


def reject(out: Converted, where: str, raw_id: bytes, name: Any, reason: str) -> None:
    """Record one rejected span with where it was in the request and why."""
    span = raw_id.hex() if raw_id else "?"
    out.rejected.append(f"span {span} {str(name)[:80]!r} ({where}): {reason}")


# ---------------------------------------------------------------- protobuf


def decode_protobuf(body: bytes) -> ExportTraceServiceRequest:
    """Parse an ExportTraceServiceRequest, answering 400 when the bytes are not one."""
    request = ExportTraceServiceRequest()
    try:
        request.ParseFromString(body)
    except (DecodeError, ValueError, RuntimeError) as exc:
        raise ApiError(
            400,
            f"The body is not a valid OTLP ExportTraceServiceRequest in protobuf ({exc}); "
            "check the exporter's encoding or send Content-Type: application/json for OTLP JSON.",
        ) from None
    return request


def convert_protobuf(
    request: ExportTraceServiceRequest, header_project: str | None, *, long_limit: int | None = None
) -> Converted:
    """Turn a decoded protobuf request into spans per project plus rejection messages.

    With ``long_limit``, spans whose encoded size exceeds it are listed in ``large``: only they
    can hold a string that long, so only they need the walk of ``limits.drop_long_spans``.
    """
    out = Converted(large=None if long_limit is None else [])
    large = out.large
    for r_index, resource_spans in enumerate(request.resource_spans):
        resource = _pb_attributes(resource_spans.resource.attributes)
        project = project_of(resource, header_project)
        for s_index, scope_spans in enumerate(resource_spans.scope_spans):
            shared = origin(resource, _pb_scope(scope_spans.scope))
            kept = None if project is None else out.by_project.setdefault(project, [])
            for index, span in enumerate(scope_spans.spans):
                out.total += 1
                if kept is None:
                    out.missing_project += 1
                    where = _pb_where(r_index, s_index, index)
                    reject(out, where, span.span_id, span.name, "no project (see below)")
                    continue
                try:
                    new = build_span(_pb_raw(span), shared, deep=False)
                except SpanProblem as exc:
                    reject(
                        out, _pb_where(r_index, s_index, index), span.span_id, span.name, str(exc)
                    )
                    continue
                if large is not None and span.ByteSize() > long_limit:
                    large.append(new)
                kept.append(new)
    for project in [p for p, spans in out.by_project.items() if not spans]:
        del out.by_project[project]
    return out


def _pb_where(resource: int, scope: int, span: int) -> str:
    return f"resource_spans[{resource}].scope_spans[{scope}].spans[{span}]"


def count_protobuf(request: ExportTraceServiceRequest) -> int:
    """Number of spans in a decoded request."""
    return sum(len(s.spans) for r in request.resource_spans for s in r.scope_spans)


def _pb_raw(span: Any) -> RawSpan:
    status = span.status
    return RawSpan(
        trace_id=span.trace_id,
        span_id=span.span_id,
        parent_id=span.parent_span_id,
        name=span.name,
        kind=span.kind,
        start_ns=span.start_time_unix_nano,
        end_ns=span.end_time_unix_nano,
        attributes=_pb_attributes(span.attributes),
        events=[(e.time_unix_nano, e.name, _pb_attributes(e.attributes)) for e in span.events]
        if len(span.events)
        else [],
        status_code=status.code,
        status_message=status.message,
        links=[_pb_link(link) for link in span.links] if len(span.links) else [],
        trace_state=span.trace_state,
    )


def _pb_link(link: Any) -> dict[str, Any]:
    return {
        "trace_id": link.trace_id.hex(),
        "span_id": link.span_id.hex(),
        "attributes": _pb_attributes(link.attributes),
    }


def _pb_scope(scope: Any) -> dict[str, str] | None:
    if not scope.name and not scope.version:
        return None
    return {"name": scope.name, "version": scope.version}


_PB_SCALARS = frozenset(("string_value", "int_value", "double_value", "bool_value"))


def _pb_attributes(attributes: Iterable[Any]) -> dict[str, Any]:
    result = {}
    for kv in attributes:
        value = kv.value
        which = value.WhichOneof("value")
        result[kv.key] = getattr(value, which) if which in _PB_SCALARS else _pb_value(value)
    return result


def _pb_value(value: Any) -> Any:
    which = value.WhichOneof("value")
    if which == "string_value":
        return value.string_value
    if which == "int_value":
        return value.int_value
    if which == "double_value":
        return value.double_value
    if which == "bool_value":
        return value.bool_value
    if which == "array_value":
        return [_pb_value(v) for v in value.array_value.values]
    if which == "kvlist_value":
        return {kv.key: _pb_value(kv.value) for kv in value.kvlist_value.values}
    if which == "bytes_value":
        return base64.b64encode(value.bytes_value).decode()
    return None


def encode_protobuf_response(rejected: int, message: str) -> bytes:
    """ExportTraceServiceResponse in protobuf, with partial_success when spans were rejected."""
    response = ExportTraceServiceResponse()
    if rejected:
        response.partial_success.rejected_spans = rejected
        response.partial_success.error_message = message
    return bytes(response.SerializeToString())


def encode_json_response(rejected: int, message: str) -> bytes:
    """ExportTraceServiceResponse in OTLP JSON (int64 as a string)."""
    if not rejected:
        return b"{}"
    partial = {"rejectedSpans": str(rejected), "errorMessage": message}
    return orjson.dumps({"partialSuccess": partial})


def rejection_message(out: Converted) -> str:
    """One readable line naming the rejected spans and why."""
    lines = out.rejected[:_MAX_REJECTION_LINES]
    more = len(out.rejected) - len(lines)
    text = f"{len(out.rejected)} of {out.total} spans rejected: " + "; ".join(lines)
    if more:
        text += f"; and {more} more"
    if out.missing_project:
        text += f". {PROJECT_HELP}"
    return text


PROJECT_HELP = (
    "Name the project with the X-Assay-Project header, or the resource attribute "
    "'assay.project' (or 'openinference.project.name')."
)
