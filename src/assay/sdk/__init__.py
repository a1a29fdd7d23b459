"""Tracing: spans, context, W3C propagation, background export, OpenTelemetry interop.

Public names are re-exported from :mod:`assay`; this package also offers the pieces an
integration may need (``Exporter``, ``HttpExporter``, ``get_client``).
"""

from assay.sdk._client import Client, Exporter, flush, get_client, init, shutdown
from assay.sdk._context import bind_context
from assay.sdk._http import HttpExporter
from assay.sdk._propagation import extract, inject, parse_traceparent
from assay.sdk._span import Span, current_span, current_trace_id, span, start_span
from assay.sdk._traced import traced

__all__ = [
    "Client",
    "Exporter",
    "HttpExporter",
    "Span",
    "bind_context",
    "current_span",
    "current_trace_id",
    "extract",
    "flush",
    "get_client",
    "init",
    "inject",
    "parse_traceparent",
    "shutdown",
    "span",
    "start_span",
    "traced",
]
