"""Text search through the index: SQLite's word index (filled after the fact) and PostgreSQL's
trigram index. Results must equal what a scan finds, indexed or not."""

from __future__ import annotations

import logging
import uuid

import psycopg
import pytest
import sqlalchemy as sa

from assay.schema import QueueIn, ScoreConfigIn
from assay.store import SpanQuery, Store, TraceQuery, open_store
from assay.store.sql import search
from assay.store.sql.store import SqlStore
from assay.store.sql.tables import spans
from tests.unit.store.conftest import T0, make, trace_id

DAY_US = 86_400 * 1_000_000


def traces_found(store: Store, pid: str, text: str, **filters: object) -> list[str]:
    return sorted(
        t.trace_id for t in store.list_traces(pid, TraceQuery(text=text, **filters)).items
    )


def spans_found(store: Store, pid: str, text: str) -> list[str]:
    return sorted(s.span_id for s in store.list_spans(pid, SpanQuery(text=text)).items)


def index_all(store: Store) -> int:
    total = 0
    while done := store.index_search_text(limit=1000):
        total += done
    return total


def watermark(store: Store) -> int:
    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        return search.watermark(conn)


def test_search_finds_indexed_spans_and_the_unindexed_tail(store: Store, pid: str) -> None:
    store.add_spans(pid, [make(1, 1, input="Please refund order 42"), make(2, 2, input="hello")])
    index_all(store)
    store.add_spans(pid, [make(3, 3, output={"reply": "Your REFUND is on its way"})])
    assert traces_found(store, pid, "refund") == [trace_id(1), trace_id(3)]
    assert traces_found(store, pid, "REFUND order") == [trace_id(1)]
    assert len(spans_found(store, pid, "refund")) == 2
    index_all(store)
    assert traces_found(store, pid, "refund") == [trace_id(1), trace_id(3)]
    assert traces_found(store, pid, "refund", kind="llm") == []  # span conditions still apply
    assert traces_found(store, pid, "refund", start_from=T0 + DAY_US) == []


def test_search_for_text_nowhere_finds_nothing(store: Store, pid: str) -> None:
    store.add_spans(pid, [make(n, n, input=f"order {n} shipped") for n in range(1, 6)])
    index_all(store)
    assert traces_found(store, pid, "no such words") == []
    assert spans_found(store, pid, "no such words") == []
    # words that are all there, but not as one piece of text, do not match either
    assert traces_found(store, pid, "shipped order") == []


def test_wildcards_in_the_text_are_literal_once_indexed(store: Store, pid: str) -> None:
    store.add_spans(
        pid,
        [
            make(1, 1, input="Where is my ORDER 42?", output={"answer": "Shipped_today"}),
            make(2, 2, input="refund please", output="100% done"),
            make(3, 3, input="shippedXtoday 1000 done"),
        ],
    )
    index_all(store)
    assert traces_found(store, pid, "shipped_") == [trace_id(1)]
    assert traces_found(store, pid, "100% done") == [trace_id(2)]
    assert traces_found(store, pid, "_%") == []
    assert traces_found(store, pid, "answer") == [trace_id(1)]  # keys of JSON bodies count


def test_escaped_characters_of_json_bodies_do_not_glue_words(store: Store, pid: str) -> None:
    store.add_spans(pid, [make(1, 1, input='line one\nsecond\tline "quoted" C:\\new')])
    index_all(store)
    for text in ("second", "line", "quoted", "new", "one\nsecond"):
        assert traces_found(store, pid, text) == [trace_id(1)], text


def test_spans_whose_bodies_went_to_blobs_are_found(db_url: str) -> None:
    store = SqlStore(db_url, inline_limit=100)
    store.migrate()
    pid = store.ensure_project("blobs")
    long_input = "You are a helpful assistant. " * 20 + "Where is parcel ZX-9?"
    store.add_spans(pid, [make(1, 1, input=long_input, output={"text": "Lost " + "x" * 200})])
    store.add_spans(pid, [make(2, 2, input="short")])
    index_all(store)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(spans.c.search_text).where(spans.c.input.is_(None))).all()
    assert traces_found(store, pid, "parcel zx-9") == [trace_id(1)]
    assert traces_found(store, pid, "lost") == [trace_id(1)]
    assert traces_found(store, pid, "missing parcel") == []
    store.close()


def test_the_indexer_catches_up_in_chunks_and_moves_the_watermark(
    store: Store, pid: str, backend: str
) -> None:
    store.add_spans(pid, [make(n, n, input=f"text {n}") for n in range(1, 6)])
    done = [store.index_search_text(limit=2) for _ in range(4)]
    if backend == "postgresql":  # PostgreSQL keeps its trigram index itself
        assert done == [0, 0, 0, 0]
        return
    assert done == [2, 2, 1, 0]
    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        top = conn.exec_driver_sql("SELECT max(rowid) FROM spans").scalar()
    assert watermark(store) == top
    store.add_spans(pid, [make(9, 9, input="late")])
    assert store.index_search_text(limit=2) == 1
    assert watermark(store) == top + 1


def test_a_rowid_freed_by_retention_cannot_hide_a_new_span(store: Store, pid: str) -> None:
    store.add_spans(pid, [make(1, 1, input="alpha"), make(2, 2, input="beta", start=DAY_US)])
    index_all(store)
    # delete the newest trace: its rowid is free again and the next span takes it
    store.delete_traces_before(pid, T0 + 2 * DAY_US)
    store.add_spans(pid, [make(3, 3, input="gamma")])
    assert traces_found(store, pid, "gamma") == [trace_id(3)]
    index_all(store)
    assert traces_found(store, pid, "gamma") == [trace_id(3)]
    assert traces_found(store, pid, "beta") == []  # the deleted span's words find nothing


def test_sqlite_search_starts_at_a_word_once_indexed(store: Store, pid: str, backend: str) -> None:
    store.add_spans(pid, [make(1, 1, input="refund requested")])
    assert traces_found(store, pid, "efund requ") == [trace_id(1)]  # unindexed: substring
    index_all(store)
    expected = [] if backend == "sqlite" else [trace_id(1)]  # word index vs trigram index
    assert traces_found(store, pid, "efund requ") == expected
    assert traces_found(store, pid, "refund requ") == [trace_id(1)]  # the last word: a prefix
    assert traces_found(store, pid, "fu") == [trace_id(1)]  # too short for the index: scanned


def test_postgresql_answers_text_search_from_the_trigram_index(
    store: Store, pid: str, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    store.add_spans(pid, [make(n, n, input=f"order {n}") for n in range(1, 50)])
    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        narrow = search.narrowing(conn, store.dialect, spans, "refund")  # type: ignore[attr-defined]
        assert narrow is not None
        sql = (
            sa.select(spans.c.trace_id)
            .where(narrow)
            .compile(conn, compile_kwargs={"literal_binds": True})
        )
        conn.exec_driver_sql("SET enable_seqscan = off")  # a small table would be read whole
        plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
    assert search.TRGM_INDEX in plan


def test_postgresql_without_pg_trgm_migrates_and_scans(
    backend: str, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    cluster = request.getfixturevalue("pg_cluster")
    name, role = "t_" + uuid.uuid4().hex[:12], "r_" + uuid.uuid4().hex[:12]
    admin = f"host=127.0.0.1 port={cluster.port} user={cluster.user}"
    with psycopg.connect(f"{admin} dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(f"{admin} dbname={name}", autocommit=True) as conn:
        # the role may create tables but not extensions (no CREATE on the database)
        conn.execute(f'GRANT ALL ON SCHEMA public TO "{role}"')
    url = f"postgresql+psycopg://{role}@127.0.0.1:{cluster.port}/{name}"
    store = open_store(url)
    with caplog.at_level(logging.WARNING, logger="assay.store"):
        store.migrate()
    assert "CREATE EXTENSION pg_trgm failed" in caplog.text
    pid = store.ensure_project("p")
    store.add_spans(pid, [make(1, 1, input="Please refund"), make(2, 2, input="hello")])
    assert traces_found(store, pid, "refund") == [trace_id(1)]
    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        assert conn.exec_driver_sql(f"SELECT to_regclass('{search.TRGM_INDEX}')").scalar() is None
    store.close()


def test_a_queue_from_a_text_filter_takes_exactly_the_matching_traces(
    store: Store, pid: str
) -> None:
    store.add_spans(pid, [make(n, n, input=f"ticket {n}: please refund") for n in (1, 2)])
    store.add_spans(pid, [make(n, n, input=f"ticket {n}: where is it") for n in (3, 4)])
    index_all(store)  # the indexed part, then a tail the index has not reached
    store.add_spans(pid, [make(5, 5, output="REFUND sent"), make(6, 6, input="thanks")])
    done = ScoreConfigIn.model_validate({"name": "done", "kind": "boolean"})
    store.create_score_config(pid, done)
    queue = QueueIn.model_validate({"name": "refunds", "score_configs": ["done"]})
    assert store.create_queue(pid, queue) is not None
    added = store.add_queue_items_from_traces(pid, "refunds", TraceQuery(text="refund"))
    assert (added.added, added.duplicates) == (3, 0)
    queued = sorted(i.trace_id for i in store.list_queue_items(pid, "refunds").items)
    assert queued == [trace_id(1), trace_id(2), trace_id(5)]
    none = store.add_queue_items_from_traces(pid, "refunds", TraceQuery(text="no such words"))
    assert (none.added, none.duplicates) == (0, 0)
