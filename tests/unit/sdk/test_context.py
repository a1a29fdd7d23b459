"""Context across asyncio tasks and threads; W3C inject/extract."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import assay
from assay.testing.capture import SpanCapture


def test_context_follows_asyncio_gather(capture: SpanCapture) -> None:
    async def worker(i: int) -> str:
        with assay.span(f"worker{i}") as s:
            await asyncio.sleep(0.001 * (3 - i))
            assert assay.current_span() is s
            return s.span_id

    async def main() -> str:
        with assay.span("fan-out") as root:
            await asyncio.gather(*(worker(i) for i in range(3)))
            assert assay.current_span() is root
            return root.span_id

    root_id = asyncio.run(main())
    for i in range(3):
        assert capture.find(f"worker{i}")["parent_id"] == root_id


def test_bind_context_carries_the_span_into_executor_threads(capture: SpanCapture) -> None:
    def work(n: int) -> str | None:
        with assay.span(f"job{n}"):
            pass
        return assay.current_trace_id()

    with assay.span("parent") as parent, ThreadPoolExecutor(max_workers=2) as pool:
        bound = assay.bind_context(work)
        trace_ids = list(pool.map(bound, range(4)))
        unbound = pool.submit(work, 99).result()
    assert trace_ids == [parent.trace_id] * 4
    assert unbound is None
    assert capture.find("job2")["parent_id"] == parent.span_id
    assert capture.find("job99")["trace_id"] != parent.trace_id


def test_plain_thread_starts_empty_without_bind_context(capture: SpanCapture) -> None:
    seen: list[object] = []
    with assay.span("p"):
        t = threading.Thread(target=lambda: seen.append(assay.current_span()))
        t.start()
        t.join()
    assert seen == [None]


def test_inject_extract_round_trip_joins_the_remote_trace(capture: SpanCapture) -> None:
    with assay.span("supervisor") as sup:
        headers = assay.inject({"x-other": "1"})
    assert headers["traceparent"] == f"00-{sup.trace_id}-{sup.span_id}-01"
    assert headers["x-other"] == "1"

    incoming = {
        "TraceParent": headers["traceparent"],
        "TraceState": "vendor=abc",
        "Baggage": "user=42",
    }
    with assay.extract(incoming):
        assert assay.current_span() is None
        assert assay.current_trace_id() == sup.trace_id
        with assay.span("sub-agent") as sub:
            onward = assay.inject({})
    assert assay.current_trace_id() is None
    got = capture.find("sub-agent")
    assert got["trace_id"] == sup.trace_id and got["parent_id"] == sup.span_id
    assert onward == {
        "traceparent": f"00-{sup.trace_id}-{sub.span_id}-01",
        "tracestate": "vendor=abc",
        "baggage": "user=42",
    }
    names = [s["name"] for s in capture.spans]
    assert names.count("supervisor") == 1  # the remote parent is never exported here


def test_malformed_traceparent_is_ignored(capture: SpanCapture) -> None:
    bad = [
        "",
        "garbage",
        "00-" + "0" * 32 + "-" + "1" * 16 + "-01",
        "00-" + "a" * 32 + "-" + "0" * 16 + "-01",
        "ff-" + "a" * 32 + "-" + "b" * 16 + "-01",
        "00-" + "a" * 31 + "-" + "b" * 16 + "-01",
        "00-" + "a" * 32 + "-" + "b" * 16 + "-01-extra",
        "00-" + "g" * 32 + "-" + "b" * 16 + "-01",
    ]
    for value in bad:
        with assay.extract({"traceparent": value}) as ex:
            assert ex.trace_id is None
            with assay.span("fresh") as s:
                assert s.parent_id is None
    with assay.extract({}), assay.span("no-headers") as s:
        assert s.parent_id is None


def test_future_version_traceparent_and_uppercase_are_accepted(capture: SpanCapture) -> None:
    value = "01-" + "A" * 32 + "-" + "B" * 16 + "-01-more"
    with assay.extract({"traceparent": value}), assay.span("child") as s:
        assert s.trace_id == "a" * 32 and s.parent_id == "b" * 16


def test_extract_accepts_any_mapping(capture: SpanCapture) -> None:
    class Headers:
        """A read-only, case-insensitive mapping like Starlette's Headers."""

        def __init__(self, raw: dict[str, str]) -> None:
            self._raw = {k.lower(): v for k, v in raw.items()}

        def get(self, key: str, default: object = None) -> object:
            return self._raw.get(key.lower(), default)

        def items(self) -> object:
            return self._raw.items()

    tp = "00-" + "c" * 32 + "-" + "d" * 16 + "-01"
    with assay.extract(Headers({"Traceparent": tp})), assay.span("x") as s:  # type: ignore[arg-type]
        assert s.parent_id == "d" * 16


def test_inject_outside_a_span_changes_nothing() -> None:
    assert assay.inject({"a": "b"}) == {"a": "b"}
