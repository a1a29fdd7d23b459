"""Pydantic models that cross a process boundary (the wire format of the HTTP API)."""

from assay.schema.span import (
    ErrorInfo,
    IngestRejection,
    IngestResult,
    Project,
    SeriesPoint,
    Span,
    SpanIn,
    SpanIngestBatch,
    SpanNode,
    SpanPage,
    Trace,
    TracePage,
    TraceSummary,
)

__all__ = [
    "ErrorInfo",
    "IngestRejection",
    "IngestResult",
    "Project",
    "SeriesPoint",
    "Span",
    "SpanIn",
    "SpanIngestBatch",
    "SpanNode",
    "SpanPage",
    "Trace",
    "TracePage",
    "TraceSummary",
]
