"""span(), start_span(), Span.log and what reaches the exporter."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re

import pydantic
import pytest

import assay
from assay.testing.capture import SpanCapture


def test_nested_spans_share_the_trace_and_link_parents(capture: SpanCapture) -> None:
    with assay.span("root", kind="agent", input="q") as root:
        assert assay.current_span() is root
        with assay.span("child", kind="tool") as child:
            assert assay.current_span() is child
            assert assay.current_trace_id() == root.trace_id
        assert assay.current_span() is root
    assert assay.current_span() is None
    got_root, got_child = capture.find("root"), capture.find("child")
    assert got_child["trace_id"] == got_root["trace_id"] == root.trace_id
    assert got_child["parent_id"] == got_root["span_id"]
    assert "parent_id" not in got_root
    assert got_root["kind"] == "agent" and got_root["input"] == "q"
    assert re.fullmatch(r"[0-9a-f]{32}", root.trace_id)
    assert re.fullmatch(r"[0-9a-f]{16}", child.span_id)
    assert got_root["start_time"] <= got_child["start_time"] <= got_child["end_time"]
    assert got_child["end_time"] <= got_root["end_time"]


def test_sibling_traces_get_different_ids(capture: SpanCapture) -> None:
    ids = set()
    for _ in range(200):
        with assay.span("t") as s:
            ids.add((s.trace_id, s.span_id))
    assert len({t for t, _ in ids}) == 200 and len({s for _, s in ids}) == 200


def test_log_merges_metadata_and_metrics_extends_tags_replaces_the_rest(
    capture: SpanCapture,
) -> None:
    with assay.span("s", metadata={"a": 1}, tags=["x"], attributes={"b": 2}) as s:
        s.log(input="in", output="first", metadata={"c": 3}, tags=["y"], metrics={"cost": 0.5})
        s.log(output="second", metrics={"prompt_tokens": 10}, model="gpt-4o-mini")
    got = capture.find("s")
    assert got["metadata"] == {"a": 1, "b": 2, "c": 3}
    assert got["tags"] == ["x", "y"]
    assert got["metrics"] == {"cost": 0.5, "prompt_tokens": 10}
    assert got["output"] == "second" and got["input"] == "in"
    assert got["model"] == "gpt-4o-mini" and got["status"] == "ok"


def test_log_none_clears_a_value_and_log_after_end_is_ignored(capture: SpanCapture) -> None:
    with assay.span("s", input="secret") as s:
        s.log(input=None, output="kept")
    s.log(output="too late")
    got = capture.find("s")
    assert "input" not in got and got["output"] == "kept"


def test_exception_is_recorded_and_reraised(capture: SpanCapture) -> None:
    with pytest.raises(KeyError), assay.span("boom"):
        raise KeyError("missing-order")
    got = capture.find("boom")
    assert got["status"] == "error"
    assert got["error"]["type"] == "KeyError"
    assert "missing-order" in got["error"]["message"]
    assert "raise KeyError" in got["error"]["traceback"]


def test_async_with_span(capture: SpanCapture) -> None:
    async def main() -> str:
        async with assay.span("outer") as outer, assay.span("inner") as inner:
            assert assay.current_span() is inner
        return outer.span_id

    outer_id = asyncio.run(main())
    assert capture.find("inner")["parent_id"] == outer_id


def test_start_span_is_not_current_and_end_is_idempotent(capture: SpanCapture) -> None:
    with assay.span("root") as root:
        s = assay.start_span("stream", kind="llm")
        assert assay.current_span() is root
        s.log(output="chunk")
        s.end()
        s.end()
        assert s.ended
    spans = capture.flush()
    assert [x["name"] for x in spans].count("stream") == 1
    assert capture.find("stream")["parent_id"] == root.span_id


def test_trace_level_fields_are_inherited(capture: SpanCapture) -> None:
    with (
        assay.span("root", session_id="sess-1", user_id="u-1", environment="prod"),
        assay.span("mid", release="v2"),
        assay.span("leaf", user_id="u-2"),
    ):
        pass
    leaf, mid = capture.find("leaf"), capture.find("mid")
    assert (leaf["session_id"], leaf["user_id"], leaf["environment"]) == ("sess-1", "u-2", "prod")
    assert leaf["release"] == mid["release"] == "v2"
    assert mid["user_id"] == "u-1"


def test_values_mutated_after_end_are_sent_as_they_were(capture: SpanCapture) -> None:
    messages = [{"role": "user", "content": "hi"}]
    meta = {"history": ["a"]}
    with assay.span("llm", input=messages, metadata=meta) as s:
        s.log(output={"choices": ["hello"]})
    messages.append({"role": "assistant", "content": "later"})
    meta["history"].append("b")
    got = capture.find("llm")
    assert got["input"] == [{"role": "user", "content": "hi"}]
    assert got["metadata"] == {"history": ["a"]}
    assert got["output"] == {"choices": ["hello"]}


class _Order(pydantic.BaseModel):
    id: int
    items: list[str]


@dataclasses.dataclass
class _Point:
    x: int
    y: int


class _Opaque:
    def __str__(self) -> str:
        return "opaque-thing"


def test_any_value_is_serialised_never_failing(capture: SpanCapture) -> None:
    value = {
        "order": _Order(id=1, items=["a"]),
        "point": _Point(1, 2),
        "set": {3},
        "raw": b"bytes",
        "opaque": _Opaque(),
        "huge": 2**80,
        7: "int key",
    }
    with assay.span("v", input=value) as s:
        s.set_output(_Opaque())
    got = capture.find("v")
    assert got["input"]["order"] == {"id": 1, "items": ["a"]}
    assert got["input"]["point"] == {"x": 1, "y": 2}
    assert got["input"]["set"] == [3] and got["input"]["raw"] == "bytes"
    assert got["input"]["opaque"] == "opaque-thing"
    assert got["input"]["7"] == "int key"
    assert got["input"]["huge"] == str(2**80)
    assert got["output"] == "opaque-thing"


def test_mask_applies_to_every_value_before_export() -> None:
    cap = SpanCapture()

    def mask(value: object) -> object:
        return str(value).replace("alice@example.com", "<email>")

    client = assay.init(project="t", exporter=cap, mask=mask)
    try:
        with assay.span(
            "m", input="mail alice@example.com", metadata={"to": "alice@example.com"}
        ) as s:
            s.log(output="sent to alice@example.com", expected="alice@example.com")
        got = cap.find("m")
    finally:
        client.shutdown()
    assert got["input"] == "mail <email>"
    assert got["output"] == "sent to <email>"
    assert got["expected"] == "<email>"
    assert "alice" not in str(got["metadata"])


def test_failing_mask_sends_a_placeholder_and_warns(caplog: pytest.LogCaptureFixture) -> None:
    cap = SpanCapture()

    def mask(value: object) -> object:
        raise RuntimeError("mask bug")

    client = assay.init(project="t", exporter=cap, mask=mask)
    try:
        with caplog.at_level(logging.WARNING, logger="assay"), assay.span("m", input="pii"):
            pass
        got = cap.find("m")
    finally:
        client.shutdown()
    assert got["input"] == "<masking failed>"
    assert got["name"] == "m"
    assert any("mask" in r.getMessage() for r in caplog.records) or "mask" in str(
        assay.sdk._util._warned
    )


def test_without_init_spans_are_context_only() -> None:
    assay.shutdown()
    with assay.span("free") as s:
        assert assay.current_span() is s
    assert assay.flush() is True


def test_init_again_replaces_and_flushes_the_previous_client() -> None:
    first, second = SpanCapture(), SpanCapture()
    assay.init(project="a", exporter=first, flush_interval=60)
    with assay.span("one"):
        pass
    client = assay.init(project="b", exporter=second)
    with assay.span("two"):
        pass
    client.shutdown()
    assert [s["name"] for s in first.spans] == ["one"]
    assert first.closed
    assert [s["name"] for s in second.spans] == ["two"]
