"""Span values on their way out: frozen snapshots, masking, and the wire dict.

A mutable value (a dict or list the agent keeps appending to) is frozen as JSON bytes when its
span ends; the exporter thread thaws it, applies the mask and builds the dict sent to the server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from assay.sdk._util import PRIMITIVES, encode, warn_once

# Trace-level fields copied from a span onto every span created below it.
CTX_FIELDS = ("session_id", "user_id", "environment", "release", "experiment_id")


class _Snapshot:
    """A value frozen as JSON bytes when its span ended (later mutations do not show)."""

    __slots__ = ("raw",)

    def __init__(self, raw: bytes) -> None:
        self.raw = raw


def freeze(value: Any) -> Any:
    if type(value) in PRIMITIVES or type(value) is _Snapshot:
        return value
    return _Snapshot(encode(value))


def freeze_metadata(metadata: dict[str, Any]) -> Any:
    for v in metadata.values():
        if type(v) not in PRIMITIVES:
            return _Snapshot(encode(metadata))
    return metadata


def thaw(value: Any) -> Any:
    return orjson.loads(value.raw) if type(value) is _Snapshot else value


def wire_dict(span: Any, mask: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    """The span as a dict in the shape of ``assay.schema.SpanIn`` (empty fields omitted).

    Args:
        mask: Applied to input, output, expected and metadata before they are returned.
    """
    d: dict[str, Any] = {
        "trace_id": span.trace_id,
        "span_id": span.span_id,
        "name": span.name,
        "kind": span.kind,
        "start_time": span.start_time,
        "status": span.status,
    }
    if span.parent_id is not None:
        d["parent_id"] = span.parent_id
    if span.end_time is not None:
        d["end_time"] = span.end_time
    if span.error is not None:
        d["error"] = span.error
    for key, value in (
        ("input", span.input),
        ("output", span.output),
        ("expected", span.expected),
        ("metadata", span.metadata or None),
    ):
        if value is not None:
            value = thaw(value)
            if mask is not None:
                value = _masked(mask, value)
            if value is not None:
                d[key] = value
    if span.tags:
        d["tags"] = span.tags
    if span.metrics:
        d["metrics"] = span.metrics
    if span.model is not None:
        d["model"] = span.model
    if span._ctx is not None:
        for key, value in zip(CTX_FIELDS, span._ctx, strict=True):
            if value is not None:
                d[key] = value
    return d


def _masked(mask: Callable[[Any], Any], value: Any) -> Any:
    try:
        return mask(value)
    except Exception as exc:
        warn_once(
            "mask",
            "assay: the mask function raised %s: %s; the value was sent as '<masking failed>'",
            type(exc).__name__,
            exc,
        )
        return "<masking failed>"
