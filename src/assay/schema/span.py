"""Spans and traces as they travel between the SDK, the server and the UI.

Ingest (``POST /api/v1/spans``) takes a :class:`SpanIngestBatch`. Times on the way in are Unix
epoch **seconds** (a number) or RFC 3339 strings; on the way out they are RFC 3339 strings in UTC.
Ids are lower-case hex: ``trace_id`` 32 characters, ``span_id``/``parent_id`` 16 (W3C sizes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SpanStatus = Literal["ok", "error", "unset"]


class ErrorInfo(BaseModel):
    """An exception recorded on a span."""

    type: str = ""
    message: str = ""
    traceback: str | None = None


class SpanIn(BaseModel):
    """One span as sent to the native ingest API.

    A span without ``end_time`` is a start event; the same ``span_id`` sent later with an
    ``end_time`` completes it. Sending the same finished span again changes nothing.
    """

    model_config = ConfigDict(extra="forbid")

    trace_id: str = Field(description="32 lower-case hex characters (W3C trace id).")
    span_id: str = Field(description="16 lower-case hex characters (W3C span id).")
    parent_id: str | None = Field(
        default=None, description="span_id of the parent, or null for a root."
    )
    name: str
    kind: str = "span"
    start_time: float | str = Field(description="Unix seconds (number) or RFC 3339 string.")
    end_time: float | str | None = None
    status: SpanStatus | None = None
    error: ErrorInfo | None = None
    input: Any = None
    output: Any = None
    expected: Any = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    metrics: dict[str, float] = Field(
        default_factory=dict,
        description="prompt_tokens, completion_tokens, total_tokens, cost (USD), "
        "time_to_first_token (seconds), or any other number.",
    )
    model: str | None = None
    session_id: str | None = None
    user_id: str | None = None
    environment: str | None = None
    release: str | None = None
    experiment_id: str | None = None


class SpanIngestBatch(BaseModel):
    """Body of ``POST /api/v1/spans``."""

    project: str = Field(
        min_length=1, max_length=200, description="Project name; created on first use."
    )
    spans: list[dict[str, Any]] = Field(description="Spans in the shape of SpanIn.")


class IngestRejection(BaseModel):
    """One item of a batch that was not stored, and why."""

    index: int = Field(description="Position of the item in the request.")
    field: str | None = Field(default=None, description="Dotted path of the offending field.")
    reason: str


class IngestResult(BaseModel):
    """Answer of ``POST /api/v1/spans``: what was committed and what was rejected."""

    accepted: int
    rejected: list[IngestRejection] = Field(default_factory=list)


class Span(BaseModel):
    """A stored span."""

    project: str
    trace_id: str
    span_id: str
    parent_id: str | None = None
    name: str
    kind: str
    start_time: datetime
    end_time: datetime | None = None
    duration_ms: float | None = None
    status: SpanStatus
    error: ErrorInfo | None = None
    input: Any = None
    output: Any = None
    expected: Any = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    metrics: dict[str, float] = Field(default_factory=dict)
    model: str | None = None
    session_id: str | None = None
    user_id: str | None = None
    environment: str | None = None
    release: str | None = None
    experiment_id: str | None = None
    input_preview: str | None = Field(default=None, description="Short text of the input.")
    output_preview: str | None = Field(default=None, description="Short text of the output.")
    open: bool = Field(default=False, description="True while only the start event has arrived.")


class SpanNode(Span):
    """A span inside a trace tree."""

    children: list[SpanNode] = Field(default_factory=list)


class Trace(BaseModel):
    """A whole trace as a tree: its roots (usually one) with their descendants.

    A span whose parent has not arrived (yet) is listed among the roots with ``orphan`` set.
    """

    project: str
    trace_id: str
    span_count: int
    roots: list[SpanNode]
    orphans: list[str] = Field(
        default_factory=list, description="span_ids whose parent is missing."
    )


class TraceSummary(BaseModel):
    """One row of the trace list: the root span plus totals over the whole trace."""

    project: str
    trace_id: str
    root_span_id: str | None
    name: str
    start_time: datetime
    end_time: datetime | None
    duration_ms: float | None
    status: SpanStatus
    span_count: int
    error_count: int
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    cost: float
    tags: list[str]
    session_id: str | None = None
    user_id: str | None = None
    input_preview: str | None = None
    output_preview: str | None = None
    experiment_id: str | None = Field(
        default=None, description="The experiment the trace belongs to; null in the production log."
    )
    scores: dict[str, float] = Field(
        default_factory=dict,
        description="Mean value per score name over the trace's current scores (all sources); "
        "label-only scores are left out.",
    )


class TracePage(BaseModel):
    """A page of the trace list; pass ``next_cursor`` back as ``cursor`` for the next one."""

    items: list[TraceSummary]
    next_cursor: str | None = None


class SpanPage(BaseModel):
    """A page of the span list."""

    items: list[Span]
    next_cursor: str | None = None


class SeriesPoint(BaseModel):
    """Aggregates of the traces that started in one time bucket."""

    bucket_start: datetime
    traces: int
    spans: int
    errors: int
    error_rate: float
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    cost: float
    scores: dict[str, float] = Field(
        default_factory=dict,
        description="Mean value per score name over the production scores given in the bucket "
        "(by their created_at); label-only, superseded and experiment scores are left out.",
    )


class Project(BaseModel):
    """A project with its volume."""

    id: str
    name: str
    created_at: datetime
    trace_count: int = 0
    span_count: int = 0
    error_count: int = 0
    last_trace_at: datetime | None = None
