"""Rows back into :mod:`assay.schema` models (and open rows back into :class:`NewSpan`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import orjson
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Connection

from assay.schema import ErrorInfo, Span, SpanNode
from assay.store.base import NewSpan
from assay.store.sql.tables import blobs, open_spans, spans

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
M = TypeVar("M", bound=BaseModel)
#: What a trace without bodies reads of each span: no bodies, and no previews of them either.
_BODY_COLUMNS = ("input", "output", "expected", "metadata", "input_preview", "output_preview")
LIGHT = [c for c in spans.c if c.name not in _BODY_COLUMNS]
OPEN_LIGHT = [c for c in open_spans.c if c.name not in _BODY_COLUMNS]


def to_datetime(micros: int) -> datetime:
    """A UTC datetime from microseconds since the epoch."""
    return EPOCH + timedelta(microseconds=micros)


def to_micros(moment: datetime) -> int:
    """Microseconds since the epoch of an aware (or UTC-naive) datetime."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH) // timedelta(microseconds=1)


def load_blobs(
    conn: Connection, project_id: str, rows: Iterable[Mapping[str, Any]]
) -> dict[str, bytes]:
    """The blobs the ``refs`` of ``rows`` point to, by sha256."""
    wanted: set[str] = set()
    for row in rows:
        if row["refs"]:
            wanted.update(ref["sha256"] for ref in orjson.loads(row["refs"]).values())
    if not wanted:
        return {}
    found: dict[str, bytes] = {}
    keys = sorted(wanted)
    for i in range(0, len(keys), 500):
        stmt = sa.select(blobs.c.sha256, blobs.c.data).where(
            blobs.c.project_id == project_id, blobs.c.sha256.in_(keys[i : i + 500])
        )
        found.update((sha, bytes(data)) for sha, data in conn.execute(stmt))
    return found


def read_bodies(
    row: Mapping[str, Any], names: Iterable[str], blob_data: Mapping[str, bytes]
) -> dict[str, Any]:
    """The bodies ``names`` of a row as plain values, from the row or the blobs it points to."""
    refs = orjson.loads(row["refs"]) if row["refs"] else {}
    out: dict[str, Any] = {}
    for name in names:
        ref = refs.get(name)
        raw = row[name] if ref is None else blob_data.get(ref["sha256"])
        out[name] = None if raw is None else orjson.loads(raw)
    return out


def bodies(row: Mapping[str, Any], blob_data: Mapping[str, bytes]) -> dict[str, Any]:
    """input, output, expected and metadata of a span row (metadata ``{}`` when absent)."""
    out = read_bodies(row, ("input", "output", "expected", "metadata"), blob_data)
    if out["metadata"] is None:
        out["metadata"] = {}
    return out


def span_model(
    row: Mapping[str, Any],
    project: str,
    *,
    body: dict[str, Any] | None,
    is_open: bool = False,
    node: bool = False,
) -> Span:
    """A :class:`Span` (or :class:`SpanNode` with ``node``) from a row, without validation."""
    error = row["error"]
    fields = span_fields(row, project, is_open)
    fields["error"] = None if error is None else ErrorInfo.model_construct(**orjson.loads(error))
    fields["tags"] = orjson.loads(row["tags"])
    fields["metrics"] = orjson.loads(row["metrics"])
    if body is not None:
        fields.update(body)
    if node:
        fields["children"] = []
        return _construct(SpanNode, fields)
    return _construct(Span, fields)


def span_fields(row: Mapping[str, Any], project: str, is_open: bool) -> dict[str, Any]:
    """The fields of a stored span in their ``schema.Span`` form, bodies left empty.

    Error, tags and metrics are left to the caller, which decodes them (models) or passes
    their JSON text through (the trace JSON path).
    """
    end = row["end_time"]
    return {
        "project": project,
        "trace_id": row["trace_id"],
        "span_id": row["span_id"],
        "parent_id": row["parent_id"],
        "name": row["name"],
        "kind": row["kind"],
        "start_time": to_datetime(row["start_time"]),
        "end_time": None if end is None else to_datetime(end),
        "duration_ms": None if end is None else row["duration_us"] / 1000.0,
        "status": "unset" if is_open else row["status"],
        "error": None,  # set by the caller, as are tags and metrics; the order of the keys is
        "input": None,  # the order of the model's fields (models are built from this dict)
        "output": None,
        "expected": None,
        "metadata": {},
        "tags": None,
        "metrics": None,
        "model": row["model"],
        "session_id": row["session_id"],
        "user_id": row["user_id"],
        "environment": row["environment"],
        "release": row["release"],
        "experiment_id": row["experiment_id"],
        "input_preview": row.get("input_preview"),  # not read for a trace without bodies
        "output_preview": row.get("output_preview"),
        "open": is_open,
    }


def _construct(cls: type[M], fields: dict[str, Any]) -> M:
    """``cls.model_construct(**fields)`` for a dict naming every field, several times faster.

    Sets the instance state the way ``model_construct`` does (a test compares the two).
    """
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", fields)
    object.__setattr__(obj, "__pydantic_fields_set__", set(fields))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


def new_span(row: Mapping[str, Any], blob_data: Mapping[str, bytes]) -> NewSpan:
    """The :class:`NewSpan` an (open) row was made from, for merging with a later event."""
    body = bodies(row, blob_data)
    return NewSpan(
        trace_id=row["trace_id"],
        span_id=row["span_id"],
        parent_id=row["parent_id"],
        name=row["name"],
        kind=row["kind"],
        start_time=row["start_time"],
        end_time=row["end_time"],
        status=row["status"],
        error=None if row["error"] is None else orjson.loads(row["error"]),
        input=body["input"],
        output=body["output"],
        expected=body["expected"],
        metadata=body["metadata"],
        tags=orjson.loads(row["tags"]),
        metrics=orjson.loads(row["metrics"]),
        model=row["model"],
        session_id=row["session_id"],
        user_id=row["user_id"],
        environment=row["environment"],
        release=row["release"],
        experiment_id=row["experiment_id"],
    )
