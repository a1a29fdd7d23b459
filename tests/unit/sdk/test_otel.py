"""assay spans and OpenTelemetry spans in one process share one trace, both ways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import assay
from assay.testing.capture import SpanCapture

trace = pytest.importorskip("opentelemetry.trace")
sdk_trace = pytest.importorskip("opentelemetry.sdk.trace")
export = pytest.importorskip("opentelemetry.sdk.trace.export")
in_memory = pytest.importorskip("opentelemetry.sdk.trace.export.in_memory_span_exporter")


@pytest.fixture
def otel() -> Iterator[tuple[object, object]]:
    exporter = in_memory.InMemorySpanExporter()
    provider = sdk_trace.TracerProvider()
    provider.add_span_processor(export.SimpleSpanProcessor(exporter))
    yield provider.get_tracer("test"), exporter
    provider.shutdown()


def _hex(n: int, width: int) -> str:
    return f"{n:0{width}x}"


def test_assay_span_inside_an_otel_span_is_its_child(
    capture: SpanCapture, otel: tuple[object, object]
) -> None:
    tracer, _ = otel
    with tracer.start_as_current_span("http request") as outer:  # type: ignore[attr-defined]
        ctx = outer.get_span_context()
        with assay.span("agent") as s:
            assert assay.current_trace_id() == _hex(ctx.trace_id, 32)
        with assay.span("second"):
            pass
    got = capture.find("agent")
    assert got["trace_id"] == _hex(ctx.trace_id, 32)
    assert got["parent_id"] == _hex(ctx.span_id, 16)
    assert capture.find("second")["parent_id"] == _hex(ctx.span_id, 16)
    assert s.trace_id == got["trace_id"]


def test_otel_span_inside_an_assay_span_is_its_child_and_nesting_continues(
    capture: SpanCapture, otel: tuple[object, object]
) -> None:
    tracer, exporter = otel
    with assay.span("agent") as agent:
        with (
            tracer.start_as_current_span("db query"),  # type: ignore[attr-defined]
            assay.span("inner tool") as inner,
        ):
            pass
        with assay.span("after"):
            pass
    (db,) = exporter.get_finished_spans()  # type: ignore[attr-defined]
    assert _hex(db.context.trace_id, 32) == agent.trace_id
    assert _hex(db.parent.span_id, 16) == agent.span_id
    assert inner.trace_id == agent.trace_id
    assert inner.parent_id == _hex(db.context.span_id, 16)
    assert capture.find("after")["parent_id"] == agent.span_id
    # assay's own placeholder is non-recording: OpenTelemetry exports only its real span
    assert trace.get_current_span().get_span_context().is_valid is False


def test_extract_makes_the_remote_parent_visible_to_otel(
    capture: SpanCapture, otel: tuple[object, object]
) -> None:
    tracer, exporter = otel
    tp = "00-" + "1" * 32 + "-" + "2" * 16 + "-01"
    with (
        assay.extract({"traceparent": tp}),
        tracer.start_as_current_span("handler"),  # type: ignore[attr-defined]
    ):
        pass
    (handler,) = exporter.get_finished_spans()  # type: ignore[attr-defined]
    assert _hex(handler.context.trace_id, 32) == "1" * 32
    assert _hex(handler.parent.span_id, 16) == "2" * 16
