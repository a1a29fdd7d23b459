"""Writing spans: idempotence, start/end merging, out-of-order arrival, blobs, projects."""

from __future__ import annotations

import sqlalchemy as sa

from assay.store import Store, TraceQuery, open_store
from assay.store.sql import SqlStore
from tests.unit.store.conftest import make, span_id, trace_id


def test_resending_a_batch_changes_nothing(store: Store, pid: str) -> None:
    batch = [make(1, 1, input="q"), make(1, 2, 1, metrics={"prompt_tokens": 5, "cost": 0.5})]
    first = store.add_spans(pid, batch)
    again = store.add_spans(pid, batch)
    assert (first.written, first.duplicates) == (2, 0)
    assert (again.written, again.duplicates) == (0, 2)
    trace = store.get_trace(pid, trace_id(1))
    assert trace is not None and trace.span_count == 2
    [summary] = store.list_traces(pid, TraceQuery()).items
    assert (summary.span_count, summary.prompt_tokens, summary.cost) == (2, 5, 0.5)


def test_repeats_inside_one_batch_are_counted_once(store: Store, pid: str) -> None:
    result = store.add_spans(pid, [make(1, 1), make(1, 1), make(1, 1)])
    assert (result.written, result.duplicates) == (1, 2)


def test_start_event_then_end_event_become_one_span(store: Store, pid: str) -> None:
    start = make(1, 1, duration_ms=None, name="agent", kind="agent", input={"q": "hi"},
                 metadata={"a": "1"}, tags=["x"], session_id="s1")  # fmt: skip
    assert store.add_spans(pid, [start]).opened == 1
    trace = store.get_trace(pid, trace_id(1))
    assert trace is not None
    [root] = trace.roots
    assert root.open and root.status == "unset" and root.end_time is None
    assert root.input == {"q": "hi"}
    [summary] = store.list_traces(pid, TraceQuery()).items
    assert summary.status == "unset" and summary.duration_ms is None

    end = make(1, 1, name="agent", output="done", metadata={"b": "2"}, tags=["y"], kind="span")
    result = store.add_spans(pid, [end])
    assert (result.written, result.opened) == (1, 0)
    span = store.get_span(pid, trace_id(1), span_id(1))
    assert span is not None and not span.open
    assert span.kind == "agent" and span.input == {"q": "hi"} and span.output == "done"
    assert span.metadata == {"a": "1", "b": "2"} and span.tags == ["x", "y"]
    assert span.session_id == "s1" and span.status == "ok" and span.duration_ms == 10.0
    trace = store.get_trace(pid, trace_id(1))
    assert trace is not None and trace.span_count == 1 and not trace.roots[0].open
    [summary] = store.list_traces(pid, TraceQuery()).items
    assert summary.status == "ok" and summary.duration_ms == 10.0 and summary.tags == ["x", "y"]


def test_partial_start_events_fill_fields_and_a_late_start_is_ignored(
    store: Store, pid: str
) -> None:
    store.add_spans(pid, [make(1, 1, duration_ms=None, input="in")])
    store.add_spans(pid, [make(1, 1, duration_ms=None, model="m1", metadata={"k": "v"})])
    span = store.get_span(pid, trace_id(1), span_id(1))
    assert span is not None and span.open
    assert (span.input, span.model, span.metadata) == ("in", "m1", {"k": "v"})
    store.add_spans(pid, [make(1, 1, output="out")])
    late = store.add_spans(pid, [make(1, 1, duration_ms=None, input="other")])
    assert late.duplicates == 1
    span = store.get_span(pid, trace_id(1), span_id(1))
    assert span is not None and not span.open
    assert (span.input, span.output, span.model) == ("in", "out", "m1")


def test_children_before_parents_become_a_tree_when_the_parent_arrives(
    store: Store, pid: str
) -> None:
    store.add_spans(pid, [make(1, 3, 2, start=300), make(1, 2, 1, start=200)])
    trace = store.get_trace(pid, trace_id(1))
    assert trace is not None
    assert [r.span_id for r in trace.roots] == [span_id(2)]
    assert trace.orphans == [span_id(2)]
    assert [c.span_id for c in trace.roots[0].children] == [span_id(3)]
    [summary] = store.list_traces(pid, TraceQuery()).items
    assert summary.root_span_id is None and summary.span_count == 2

    store.add_spans(pid, [make(1, 1, name="root", duration_ms=50)])
    trace = store.get_trace(pid, trace_id(1))
    assert trace is not None and trace.orphans == []
    [root] = trace.roots
    assert root.name == "root"
    assert root.children[0].span_id == span_id(2)
    assert root.children[0].children[0].span_id == span_id(3)
    [summary] = store.list_traces(pid, TraceQuery()).items
    assert summary.root_span_id == span_id(1) and summary.name == "root"
    assert summary.span_count == 3


def test_trace_tree_orders_children_by_start_and_survives_a_parent_loop(
    store: Store, pid: str
) -> None:
    store.add_spans(
        pid,
        [
            make(1, 1, start=0, duration_ms=100),
            make(1, 4, 1, start=40),
            make(1, 2, 1, start=10),
            make(1, 3, 2, start=20),
            make(2, 8, 9, start=5),  # 8 and 9 name each other as parent
            make(2, 9, 8, start=6),
        ],
    )
    trace = store.get_trace(pid, trace_id(1), bodies=False)
    assert trace is not None
    [root] = trace.roots
    assert [c.span_id for c in root.children] == [span_id(2), span_id(4)]
    assert [c.span_id for c in root.children[0].children] == [span_id(3)]
    looped = store.get_trace(pid, trace_id(2))
    assert looped is not None and looped.span_count == 2
    assert [r.span_id for r in looped.roots] == [span_id(8)]
    assert looped.roots[0].children[0].span_id == span_id(9)
    assert store.get_trace(pid, trace_id(3)) is None


def test_large_bodies_go_to_blobs_and_come_back(db_url: str) -> None:
    store = SqlStore(db_url, inline_limit=1000)
    store.migrate()
    pid = store.ensure_project("blobs")
    big = {"messages": [{"role": "user", "content": "Ünïcode " + "word " * 2000}]}
    meta = {"customer": "acme", "dump": "z" * 5000, "n": 3}
    store.add_spans(pid, [make(1, 1, input=big, output="x" * 3000, metadata=meta)])
    span = store.get_span(pid, trace_id(1), span_id(1))
    assert span is not None
    assert span.input == big and span.output == "x" * 3000 and span.metadata == meta
    assert span.input_preview is not None and len(span.input_preview) == 200
    assert span.output_preview == "x" * 200
    # the short metadata values stay filterable even though metadata went to a blob
    page = store.list_traces(pid, TraceQuery(metadata={"customer": "acme"}))
    assert len(page.items) == 1
    with store.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT input, output FROM spans")).one()
        assert row == (None, None)
        assert conn.execute(sa.text("SELECT count(*) FROM blobs")).scalar() == 3
    store.close()


def test_previews_and_case_insensitive_text_search(store: Store, pid: str) -> None:
    store.add_spans(
        pid,
        [
            make(1, 1, input="Where is my ORDER 42?", output={"answer": "Shipped_today"}),
            make(2, 2, input="refund please", output="100% done"),
            make(3, 3, input="nothing"),
        ],
    )
    items = store.list_traces(pid, TraceQuery(text="order 42")).items
    assert [t.trace_id for t in items] == [trace_id(1)]
    assert items[0].input_preview == "Where is my ORDER 42?"
    assert items[0].output_preview == '{"answer":"Shipped_today"}'
    assert [t.trace_id for t in store.list_traces(pid, TraceQuery(text="shipped_")).items] == [
        trace_id(1)
    ]
    assert [t.trace_id for t in store.list_traces(pid, TraceQuery(text="100%")).items] == [
        trace_id(2)
    ]
    assert store.list_traces(pid, TraceQuery(text="_%")).items == []


def test_projects_are_created_on_first_use_and_listed_with_counts(store: Store) -> None:
    assert store.find_project("a") is None
    a = store.ensure_project("a")
    assert store.ensure_project("a") == a and store.find_project("a") == a
    b = store.ensure_project("b")
    store.add_spans(b, [make(1, 1), make(1, 2, 1, status="error"), make(2, 3)])
    store.add_spans(a, [make(1, 1)])  # same ids in another project are another span
    listed = {p.name: p for p in store.list_projects()}
    assert set(listed) == {"a", "b"}
    assert (listed["b"].trace_count, listed["b"].span_count, listed["b"].error_count) == (2, 3, 1)
    assert (listed["a"].trace_count, listed["a"].span_count) == (1, 1)
    assert len(listed["a"].id) == 36 and listed["a"].id[14] == "7"  # a UUIDv7


def test_migrate_twice_is_harmless_and_keeps_data(db_url: str) -> None:
    store = open_store(db_url)
    store.migrate()
    pid = store.ensure_project("p")
    store.add_spans(pid, [make(1, 1)])
    store.migrate()
    store.close()
    again = open_store(db_url)
    again.migrate()
    assert again.find_project("p") == pid
    assert again.get_trace(pid, trace_id(1)) is not None
    again.close()


def test_spans_read_back_equal_validated_models(store: Store, pid: str) -> None:
    store.add_spans(pid, [make(1, 1, input={"a": [1, 2]}, error={"type": "E", "message": "m"})])
    span = store.get_span(pid, trace_id(1), span_id(1))
    assert span is not None
    validated = type(span).model_validate(span.model_dump())
    assert validated == span
    assert validated.model_dump_json() == span.model_dump_json()
    trace = store.get_trace(pid, trace_id(1))
    assert trace is not None
    assert type(trace).model_validate_json(trace.model_dump_json()) == trace


def test_text_search_reaches_the_end_of_a_long_input(store: Store, pid: str) -> None:
    messages = [
        {"role": "system", "content": "You are a helpful assistant. " * 300},
        {"role": "user", "content": "Where is parcel ZX-9?"},
    ]
    store.add_spans(pid, [make(1, 1, input=messages, output="ok")])
    assert len(store.list_traces(pid, TraceQuery(text="parcel zx-9")).items) == 1
    assert len(store.list_traces(pid, TraceQuery(text="helpful assistant")).items) == 1


def test_a_resent_span_leaves_no_blob_behind(db_url: str) -> None:
    store = SqlStore(db_url, inline_limit=100)
    store.migrate()
    pid = store.ensure_project("blobs")
    store.add_spans(pid, [make(1, 1, input="a" * 500)])
    again = store.add_spans(pid, [make(1, 1, input="b" * 500)])  # same span: ignored
    assert again.duplicates == 1
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM blobs")).scalar() == 1
    store.close()


def test_rollups_built_batch_by_batch_equal_a_rebuild_from_the_spans(db_url: str) -> None:
    import random

    from assay.store.sql import engine as engines
    from assay.store.sql import rollup
    from assay.store.sql.tables import traces

    store = SqlStore(db_url)
    store.migrate()
    pid = store.ensure_project("rollups")
    spans = [make(1, 1, start=0, duration_ms=900, name="root", tags=["a"], session_id="s")]
    spans += [
        make(1, n, 1, start=n * 10, kind="llm", status="error" if n % 5 == 0 else "ok",
             tags=[f"t{n % 3}"], metrics={"prompt_tokens": n, "completion_tokens": 1, "cost": 0.01})
        for n in range(2, 40)
    ]  # fmt: skip
    spans += [make(1, 40, 1, start=500, duration_ms=None, name="still open")]
    random.Random(7).shuffle(spans)
    for i in range(0, len(spans), 7):  # children before parents, across batches
        store.add_spans(pid, spans[i : i + 7])

    def row() -> dict[str, object]:
        with store.engine.connect() as conn:
            found = conn.execute(sa.select(traces).where(traces.c.project_id == pid)).one()
        return dict(found._mapping)

    incremental = row()
    with engines.writing(store.engine) as conn:
        rollup.rebuild(conn, store.dialect, pid, [trace_id(1)])
    assert row() == incremental
    assert incremental["span_count"] == 40 and incremental["error_count"] == 7
    assert incremental["prompt_tokens"] == sum(range(2, 40))
    assert incremental["end_time"] is None  # one span is still open
    assert incremental["tags"] == '["a","t0","t1","t2"]'
    store.close()


def test_a_batch_larger_than_one_insert_statement_is_stored_once(store: Store, pid: str) -> None:
    # 2,100 spans: more rows than one SQLite statement takes, the last statement padded
    batch = [make(t, s, None if s == 1 else 1) for t in range(1, 101) for s in range(1, 22)]
    result = store.add_spans(pid, batch)
    assert (result.written, result.duplicates) == (2100, 0)
    page = store.list_traces(pid, TraceQuery(limit=200)).items
    assert len(page) == 100 and {t.span_count for t in page} == {21}
    again = store.add_spans(pid, batch[::7])
    assert (again.written, again.duplicates) == (0, 300)
