"""The audit log, project settings and creation, and retention in the store (both backends)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from assay.errors import UsageError
from assay.schema import QueueIn, QueueItemRef, ScoreConfigIn, ScoreIn
from assay.store import Store
from assay.store.base import ReviewScore, ReviewWrite
from assay.store.sql.tables import blobs
from tests.unit.store.conftest import T0, make, span_id, trace_id

DAY = 86_400_000_000
BIG = "x" * 70_000  # over the default inline limit: stored as a blob


def test_audit_events_are_listed_newest_first_in_pages(store: Store, pid: str) -> None:
    for n in range(5):
        store.record_audit(
            pid, actor="ann@example.com", action=f"member.{'add' if n % 2 else 'remove'}",
            target=f"user{n}", details={"n": n}, address="10.0.0.1",
        )  # fmt: skip
    store.record_audit(None, actor="local", action="user.create", target="bob@example.com")
    first = store.list_audit(pid, limit=2)
    assert [e.target for e in first.items] == ["user4", "user3"]
    assert first.items[0].project == "demo" and first.items[0].details == {"n": 4}
    assert first.items[0].address == "10.0.0.1" and first.next_cursor
    second = store.list_audit(pid, limit=2, cursor=first.next_cursor)
    third = store.list_audit(pid, limit=2, cursor=second.next_cursor)
    assert [e.target for e in [*second.items, *third.items]] == ["user2", "user1", "user0"]
    assert third.next_cursor is None
    instance = store.list_audit(None)
    assert [(e.action, e.project) for e in instance.items] == [("user.create", None)]
    adds = store.list_audit(pid, action="member.add")
    assert [e.target for e in adds.items] == ["user3", "user1"]
    assert len(store.list_audit(pid, action="member.").items) == 5
    assert store.list_audit(pid, action="key.").items == []
    with pytest.raises(UsageError, match="not made by"):
        store.list_audit(pid, cursor="garbage")


def test_projects_are_created_once_with_settings(store: Store) -> None:
    made = store.create_project("support-bot")
    assert made is not None and made.name == "support-bot"
    assert store.create_project("support-bot") is None
    assert store.find_project("support-bot") == made.id
    assert store.get_project_settings(made.id).retention_days is None
    assert store.retention_policies() == {}
    changed = store.update_project_settings(made.id, {"retention_days": 30})
    assert changed.retention_days == 30
    assert store.get_project_settings(made.id).retention_days == 30
    assert store.retention_policies() == {made.id: 30}
    assert store.update_project_settings(made.id, {}).retention_days == 30
    store.update_project_settings(made.id, {"retention_days": None})
    assert store.retention_policies() == {}


def _queue_with_reviews(store: Store, pid: str, traces: list[str]) -> str:
    config = {"name": "ok", "kind": "boolean"}
    store.create_score_config(pid, ScoreConfigIn.model_validate(config))
    queue = store.create_queue(pid, QueueIn(name="q", score_configs=["ok"]))
    assert queue is not None
    store.add_queue_items(pid, "q", [QueueItemRef(trace_id=t) for t in traces])
    for item in store.next_queue_items(pid, "q", reviewer="ann", count=10).items:
        review = ReviewWrite(reviewer="ann", answers={"ok": True}, rows=[ReviewScore("ok", 1.0)])
        store.submit_review(pid, "q", item.id, review)
    return "q"


def test_retention_deletes_old_traces_with_their_scores_and_keeps_new_ones(
    store: Store, pid: str
) -> None:
    old, new = T0, T0 + 40 * DAY
    store.add_spans(
        pid,
        [
            make(1, 1, input=BIG), make(1, 2, parent=1), make(2, 3),
            make(3, 4, start=old - T0, duration_ms=None),  # an open span, still old
            make(10, 10, start=new - T0, input=BIG), make(11, 11, start=new - T0),
        ],
    )  # fmt: skip
    store.add_spans(pid, [make(20, 20, experiment_id="exp-1")])  # old, but an experiment's
    store.record_scores(
        pid, [ScoreIn(trace_id=trace_id(n), name="quality", value=0.5) for n in (1, 2, 10)]
    )
    _queue_with_reviews(store, pid, [trace_id(1), trace_id(10)])

    deleted = store.delete_traces_before(pid, new - DAY, chunk=2)

    assert deleted == 3
    for gone in (1, 2, 3):
        assert store.get_trace(pid, trace_id(gone)) is None
        assert store.list_trace_scores(pid, trace_id(gone)) == []
    kept = store.get_span(pid, trace_id(10), span_id(10))
    assert kept is not None and kept.input == BIG  # the blob it shares stays
    assert {s.name for s in store.list_trace_scores(pid, trace_id(10))} == {"quality", "ok"}
    assert store.get_trace(pid, trace_id(20)) is not None
    items = store.list_queue_items(pid, "q").items
    assert [i.trace_id for i in items] == [trace_id(10)]
    reviews = store.list_queue_reviews(pid, "q")
    assert [r.item_id for r in reviews] == [items[0].id]
    assert store.delete_traces_before(pid, new - DAY) == 0


def test_retention_deletes_blobs_nothing_points_at_any_more(store: Store, pid: str) -> None:
    store.add_spans(pid, [make(1, 1, input=BIG + "a"), make(2, 2, start=2 * DAY, input=BIG)])
    engine = store.engine  # type: ignore[attr-defined]

    def blob_count() -> int:
        with engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(blobs)).scalar_one())

    assert blob_count() == 2
    assert store.delete_traces_before(pid, T0 + DAY) == 1
    assert blob_count() == 1
    kept = store.get_span(pid, trace_id(2), span_id(2))
    assert kept is not None and kept.input == BIG


def test_retention_stops_after_max_chunks_and_resumes(store: Store, pid: str) -> None:
    store.add_spans(pid, [make(n, n, start=n) for n in range(1, 8)])
    assert store.delete_traces_before(pid, T0 + DAY, chunk=2, max_chunks=2) == 4
    assert store.delete_traces_before(pid, T0 + DAY, chunk=2, max_chunks=2) == 3
    assert store.get_trace(pid, trace_id(7)) is None
    other = store.ensure_project("other")
    store.add_spans(other, [make(1, 1)])
    assert store.delete_traces_before(pid, T0 + DAY) == 0
    assert store.get_trace(other, trace_id(1)) is not None  # another project is untouched
