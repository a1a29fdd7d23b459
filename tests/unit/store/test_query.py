"""Reading: every trace-list filter and sort, cursors, the span list, series."""

from __future__ import annotations

import pytest

from assay.errors import UsageError
from assay.store import SeriesQuery, SpanQuery, Store, TraceQuery
from tests.unit.store.conftest import T0, make, trace_id

SEC = 1_000_000


@pytest.fixture
def filled(store: Store, pid: str) -> str:
    """Four traces with distinct names, kinds, models, tags, metadata, costs and durations."""
    store.add_spans(
        pid,
        [
            make(1, 10, start=0, duration_ms=100, name="chat", tags=["beta"], session_id="s1",
                 user_id="u1", input="hello there"),
            make(1, 11, 10, start=10, kind="llm", model="gpt-4o", metadata={"env": "prod", "n": 1},
                 metrics={"prompt_tokens": 10, "completion_tokens": 5, "cost": 0.01}),
            make(2, 20, start=1 * SEC, duration_ms=2000, name="chat", tags=["beta", "vip"],
                 user_id="u2"),
            make(2, 21, 20, start=1 * SEC + 5, kind="tool", status="error",
                 metadata={"env": "dev"}, error={"type": "KeyError", "message": "x"}),
            make(3, 30, start=2 * SEC, duration_ms=500, name="search", session_id="s1"),
            make(3, 31, 30, start=2 * SEC + 5, kind="llm", model="claude",
                 metrics={"prompt_tokens": 100, "completion_tokens": 50, "cost": 0.2}),
            make(4, 40, start=3 * SEC, duration_ms=50, name="search", kind="agent",
                 input="find the refund policy"),
        ],
    )  # fmt: skip
    return pid


def ids(store: Store, pid: str, **kw: object) -> list[int]:
    page = store.list_traces(pid, TraceQuery(**kw))  # type: ignore[arg-type]
    return [int(t.trace_id, 16) for t in page.items]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, [4, 3, 2, 1]),
        ({"start_from": T0 + SEC, "start_to": T0 + 3 * SEC}, [3, 2]),
        ({"name": "chat"}, [2, 1]),
        ({"kind": "llm"}, [3, 1]),
        ({"kind": "agent"}, [4]),
        ({"status": "error"}, [2]),
        ({"status": "ok"}, [4, 3, 1]),
        ({"tags": ["beta"]}, [2, 1]),
        ({"tags": ["beta", "vip"]}, [2]),
        ({"metadata": {"env": "prod"}}, [1]),
        ({"metadata": {"env": "prod", "n": "1"}}, [1]),
        ({"metadata": {"env": "staging"}}, []),
        ({"model": "claude"}, [3]),
        ({"kind": "llm", "model": "gpt-4o"}, [1]),
        ({"min_duration_ms": 100, "max_duration_ms": 600}, [3, 1]),
        ({"min_duration_ms": 1000}, [2]),
        ({"min_cost": 0.05}, [3]),
        ({"max_cost": 0.05}, [4, 2, 1]),
        ({"text": "REFUND"}, [4]),
        ({"session_id": "s1"}, [3, 1]),
        ({"user_id": "u2"}, [2]),
        ({"name": "search", "model": "claude", "min_cost": 0.1}, [3]),
    ],
)
def test_trace_list_filters(
    store: Store, filled: str, filters: dict[str, object], expected: list[int]
) -> None:
    assert ids(store, filled, **filters) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-start_time", [4, 3, 2, 1]),
        ("start_time", [1, 2, 3, 4]),
        ("-duration", [2, 3, 1, 4]),
        ("duration", [4, 1, 3, 2]),
        ("-cost", [3, 1, 4, 2]),  # ties (cost 0) fall back to trace id, descending
        ("cost", [2, 4, 1, 3]),
        ("-tokens", [3, 1, 4, 2]),
        ("tokens", [2, 4, 1, 3]),
    ],
)
def test_trace_list_sorts(store: Store, filled: str, sort: str, expected: list[int]) -> None:
    assert ids(store, filled, sort=sort) == expected


def test_trace_summary_has_the_trace_totals(store: Store, filled: str) -> None:
    page = store.list_traces(filled, TraceQuery(name="search", sort="start_time"))
    three = page.items[0]
    assert three.trace_id == trace_id(3)
    assert (three.span_count, three.error_count, three.status) == (2, 0, "ok")
    assert (three.prompt_tokens, three.completion_tokens, three.total_tokens) == (100, 50, 150)
    assert three.cost == pytest.approx(0.2) and three.duration_ms == 500.0
    two = store.list_traces(filled, TraceQuery(status="error")).items[0]
    assert (two.error_count, two.tags) == (1, ["beta", "vip"])


@pytest.mark.parametrize("sort", ["-start_time", "start_time", "-duration", "cost", "-tokens"])
def test_cursor_walks_every_trace_once(store: Store, pid: str, sort: str) -> None:
    spans = [
        make(n, n, start=(n % 7) * SEC, duration_ms=float(n % 5), metrics={"cost": n % 3})
        for n in range(1, 58)
    ]
    store.add_spans(pid, spans)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = store.list_traces(pid, TraceQuery(sort=sort, limit=10, cursor=cursor))  # type: ignore[arg-type]
        seen.extend(t.trace_id for t in page.items)
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
        if pages == 2:  # a trace arriving mid-walk must not shift the pages already handed out
            store.add_spans(pid, [make(999, 999, start=100 * SEC)])
    assert pages == 6
    assert len(seen) == len(set(seen))
    assert set(seen) >= {trace_id(n) for n in range(1, 58)}
    everything = store.list_traces(pid, TraceQuery(sort=sort, limit=1000)).items  # type: ignore[arg-type]
    assert seen == [t.trace_id for t in everything if t.trace_id in set(seen)]


def test_a_foreign_cursor_is_a_usage_error(store: Store, filled: str) -> None:
    page = store.list_traces(filled, TraceQuery(limit=1))
    assert page.next_cursor is not None
    with pytest.raises(UsageError, match="cursor"):
        store.list_traces(filled, TraceQuery(sort="cost", cursor=page.next_cursor))
    with pytest.raises(UsageError, match="cursor"):
        store.list_traces(filled, TraceQuery(cursor="not-a-cursor"))


def test_span_list_filters_and_pages(store: Store, filled: str) -> None:
    page = store.list_spans(filled, SpanQuery(limit=3))
    assert [s.name for s in page.items][:1] == ["search"]
    walked = list(page.items)
    while page.next_cursor:
        page = store.list_spans(filled, SpanQuery(limit=3, cursor=page.next_cursor))
        walked.extend(page.items)
    assert len(walked) == 7 and len({s.span_id for s in walked}) == 7
    assert [s.start_time for s in walked] == sorted((s.start_time for s in walked), reverse=True)
    llm = store.list_spans(filled, SpanQuery(kind="llm"))
    assert [s.model for s in llm.items] == ["claude", "gpt-4o"]
    assert llm.items[1].metadata == {"env": "prod", "n": 1}
    errors = store.list_spans(filled, SpanQuery(status="error"))
    assert [s.error.type for s in errors.items if s.error] == ["KeyError"]
    assert len(store.list_spans(filled, SpanQuery(trace_id=trace_id(1))).items) == 2
    assert len(store.list_spans(filled, SpanQuery(metadata={"env": "dev"})).items) == 1
    assert len(store.list_spans(filled, SpanQuery(tags=["vip"])).items) == 1
    assert len(store.list_spans(filled, SpanQuery(text="hello")).items) == 1
    assert len(store.list_spans(filled, SpanQuery(min_duration_ms=400)).items) == 2


def test_series_buckets_traces_by_start(store: Store, filled: str) -> None:
    points = store.series(filled, SeriesQuery(start=T0, end=T0 + 4 * SEC, bucket_seconds=2))
    assert [p.traces for p in points] == [2, 2]
    first, second = points
    assert (first.spans, first.errors, first.error_rate) == (4, 1, 0.5)
    assert first.latency_p50_ms == pytest.approx(1050.0)
    assert first.latency_p95_ms == pytest.approx(100 + 0.95 * 1900)
    assert (first.prompt_tokens, first.total_tokens) == (10, 15)
    assert second.cost == pytest.approx(0.2) and second.errors == 0
    assert second.latency_p50_ms == pytest.approx(275.0)
    empty = store.series(
        filled, SeriesQuery(start=T0 - 10 * SEC, end=T0 - 5 * SEC, bucket_seconds=5)
    )
    assert [(p.traces, p.latency_p50_ms, p.error_rate) for p in empty] == [(0, None, 0.0)]
    named = store.series(
        filled, SeriesQuery(start=T0, end=T0 + 4 * SEC, bucket_seconds=4, name="chat")
    )
    assert [p.traces for p in named] == [2]


def test_experiment_traces_stay_out_of_the_production_log(store: Store, filled: str) -> None:
    store.add_spans(
        filled,
        [
            make(7, 70, start=SEC, name="exp-case", kind="eval", experiment_id="exp-1"),
            make(7, 71, 70, start=SEC + 5, kind="task", experiment_id="exp-1"),
            make(8, 80, start=2 * SEC, name="exp-case", kind="eval", experiment_id="exp-2"),
        ],
    )
    assert ids(store, filled) == [4, 3, 2, 1]
    assert ids(store, filled, experiment_id="exp-1") == [7]
    (case,) = store.list_traces(filled, TraceQuery(experiment_id="exp-2")).items
    assert case.experiment_id == "exp-2" and case.name == "exp-case"
    points = store.series(filled, SeriesQuery(start=T0, end=T0 + 4 * SEC, bucket_seconds=4))
    assert [p.traces for p in points] == [4]
