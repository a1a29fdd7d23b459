"""Sharing one trace with OpenTelemetry spans in the same process.

Only active when the program itself imported ``opentelemetry.trace``: callers check
``MODULE in sys.modules`` before calling anything here, so assay never imports OpenTelemetry
on its own. Both directions of nesting work:

* an assay span opened while an OpenTelemetry span is current becomes its child;
* while an assay span is current, a non-recording OpenTelemetry span with the assay ids is
  current in OpenTelemetry's context too, so OpenTelemetry spans started inside are its children.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assay.sdk._span import Span

MODULE = "opentelemetry.trace"


def parent_ids(assay_parent: Span | None) -> tuple[str, str] | None:
    """The OpenTelemetry span to use as parent, as ``(trace_id, span_id)`` hex, or None.

    The current OpenTelemetry span wins when there is no assay parent, or when it lies inside
    the current assay span (same trace, another span id: it was started after the assay span
    made itself current there).
    """
    from opentelemetry import trace

    current = trace.get_current_span()
    sc = current.get_span_context()
    if not sc.is_valid:
        return None
    trace_id = f"{sc.trace_id:032x}"
    span_id = f"{sc.span_id:016x}"
    if assay_parent is None:
        return trace_id, span_id
    if (
        assay_parent.trace_id == trace_id
        and assay_parent.span_id != span_id
        and not isinstance(current, trace.NonRecordingSpan)  # placeholders are ours
    ):
        return trace_id, span_id
    return None


def attach(trace_id: str, span_id: str, *, remote: bool = False) -> Any:
    """Make a non-recording OpenTelemetry span with these ids current; returns the token."""
    from opentelemetry import context, trace

    sc = trace.SpanContext(
        int(trace_id, 16),
        int(span_id, 16),
        is_remote=remote,
        trace_flags=trace.TraceFlags(trace.TraceFlags.SAMPLED),
    )
    return context.attach(trace.set_span_in_context(trace.NonRecordingSpan(sc)))


def detach(token: Any) -> None:
    """Undo :func:`attach`."""
    from opentelemetry import context

    context.detach(token)
