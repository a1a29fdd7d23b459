"""The Store protocol: what the server may ask of storage, in the product's words.

Times inside the store are integers: microseconds since the Unix epoch (UTC).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from assay.schema import Project, SeriesPoint, Span, SpanPage, Trace, TracePage

TraceSort = Literal[
    "start_time", "-start_time", "duration", "-duration", "cost", "-cost", "tokens", "-tokens"
]


@dataclass(slots=True)
class NewSpan:
    """A validated span ready to be written (made by the server from native or OTLP input).

    ``input``, ``output``, ``expected`` and ``metadata`` are plain JSON values; the store decides
    whether they are kept inline or as a blob. ``end_time`` None means a start event.
    """

    trace_id: str
    span_id: str
    parent_id: str | None
    name: str
    kind: str
    start_time: int
    end_time: int | None
    status: str
    error: dict[str, Any] | None = None
    input: Any = None
    output: Any = None
    expected: Any = None
    metadata: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    model: str | None = None
    session_id: str | None = None
    user_id: str | None = None
    environment: str | None = None
    release: str | None = None
    experiment_id: str | None = None


@dataclass(slots=True)
class AddResult:
    """What ``add_spans`` did: finished spans written, start events kept open, repeats ignored."""

    written: int = 0
    opened: int = 0
    duplicates: int = 0


@dataclass(slots=True)
class TraceQuery:
    """Filters of the trace list. Every field left at None filters nothing.

    ``name``, ``status``, the latency/cost ranges and ``tags`` apply to the trace (its root span
    and its totals); ``kind``, ``model``, ``metadata`` and ``text`` match when any span of the
    trace matches. ``text`` is a case-insensitive substring search over input and output.
    """

    start_from: int | None = None
    start_to: int | None = None
    name: str | None = None
    kind: str | None = None
    status: Literal["ok", "error"] | None = None
    tags: Sequence[str] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    model: str | None = None
    min_duration_ms: float | None = None
    max_duration_ms: float | None = None
    min_cost: float | None = None
    max_cost: float | None = None
    text: str | None = None
    session_id: str | None = None
    user_id: str | None = None
    sort: TraceSort = "-start_time"
    limit: int = 50
    cursor: str | None = None


@dataclass(slots=True)
class SpanQuery:
    """Filters of the span list (each applies to the span itself)."""

    start_from: int | None = None
    start_to: int | None = None
    trace_id: str | None = None
    name: str | None = None
    kind: str | None = None
    status: Literal["ok", "error"] | None = None
    tags: Sequence[str] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    model: str | None = None
    min_duration_ms: float | None = None
    max_duration_ms: float | None = None
    text: str | None = None
    limit: int = 50
    cursor: str | None = None


@dataclass(slots=True)
class SeriesQuery:
    """A time series of trace aggregates: buckets of ``bucket_seconds`` from start to end."""

    start: int
    end: int
    bucket_seconds: int = 3600
    name: str | None = None


class Store(Protocol):
    """Everything the server needs from storage."""

    def migrate(self) -> None:
        """Bring the schema up to date (Alembic ``upgrade head``)."""

    def ensure_project(self, name: str) -> str:
        """Return the id of project ``name``, creating it on first use."""

    def find_project(self, name: str) -> str | None:
        """Return the id of project ``name``, or None when there is none."""

    def list_projects(self) -> list[Project]:
        """Every project with its volume, newest activity first."""

    def add_spans(self, project_id: str, spans: Sequence[NewSpan]) -> AddResult:
        """Commit spans; idempotent per (project, trace_id, span_id). Returns after commit."""

    def get_trace(self, project_id: str, trace_id: str, *, bodies: bool = True) -> Trace | None:
        """One trace as a tree; ``bodies=False`` leaves out input, output, expected, metadata."""

    def get_span(self, project_id: str, trace_id: str, span_id: str) -> Span | None:
        """One span with its bodies."""

    def list_traces(self, project_id: str, query: TraceQuery) -> TracePage:
        """A page of the trace list."""

    def list_spans(self, project_id: str, query: SpanQuery) -> SpanPage:
        """A page of the span list, newest first."""

    def series(self, project_id: str, query: SeriesQuery) -> list[SeriesPoint]:
        """Aggregates per time bucket (traces by start time)."""

    def close(self) -> None:
        """Release connections."""
