"""Human review in the store: score configs, queues, items, holds, reviews as score rows."""

from __future__ import annotations

import threading

import pytest

from assay.errors import NotFoundError, UsageError
from assay.schema import QueueIn, QueueItemRef, ScoreConfigIn, ScoreIn
from assay.store import Store
from assay.store.base import ReviewScore, ReviewWrite, TraceQuery
from tests.unit.store.conftest import make, span_id, trace_id

HOUR = 3_600_000_000


def _config(**fields: object) -> ScoreConfigIn:
    body: dict[str, object] = {"name": "tone", "kind": "categorical", "categories": [
        {"label": "polite", "value": 1.0, "description": "Kind words"},
        {"label": "rude", "value": 0.0},
    ]}  # fmt: skip
    body.update(fields)
    return ScoreConfigIn.model_validate(body)


def _traces(store: Store, pid: str, count: int, **fields: object) -> list[str]:
    """``count`` one-span traces, trace n starting n seconds after T0 (ids from 1)."""
    spans = [make(n, n, start=n * 1_000_000, **fields) for n in range(1, count + 1)]
    store.add_spans(pid, spans)
    return [trace_id(n) for n in range(1, count + 1)]


def _queue(store: Store, pid: str, **fields: object) -> str:
    if store.get_score_config(pid, "tone") is None:
        store.create_score_config(pid, _config())
    body: dict[str, object] = {"name": "q", "score_configs": ["tone"]}
    body.update(fields)
    made = store.create_queue(pid, QueueIn.model_validate(body))
    assert made is not None
    return made.name


def _review(reviewer: str, label: str = "polite", comment: str | None = None) -> ReviewWrite:
    value = 1.0 if label == "polite" else 0.0
    return ReviewWrite(
        reviewer=reviewer,
        answers={"tone": label},
        rows=[ReviewScore("tone", value, label)],
        comment=comment,
    )


def test_score_configs_are_created_once_listed_and_changed(store: Store, pid: str) -> None:
    made = store.create_score_config(pid, _config(description="How it sounds"))
    assert made is not None and made.categories is not None
    assert [c.label for c in made.categories] == ["polite", "rude"]
    assert store.create_score_config(pid, _config()) is None
    stars = _config(name="stars", kind="numeric", min=1, max=5, step=1, categories=None)
    store.create_score_config(pid, stars)
    changed = store.update_score_config(pid, "stars", {"max": 10, "archived": True})
    assert (changed.min, changed.max, changed.step, changed.archived) == (1, 10, 1, True)
    assert [c.name for c in store.list_score_configs(pid)] == ["tone"]
    listed = store.list_score_configs(pid, include_archived=True)
    assert [c.name for c in listed] == ["stars", "tone"]
    with pytest.raises(UsageError, match=r"needs min < max; got min=1\.0, max=0\.5"):
        store.update_score_config(pid, "stars", {"max": 0.5})
    with pytest.raises(UsageError, match=r"cannot change \['kind'\]"):
        store.update_score_config(pid, "stars", {"kind": "boolean"})
    with pytest.raises(NotFoundError, match="'ghost'"):
        store.update_score_config(pid, "ghost", {"description": "x"})


def test_items_by_hand_are_never_enqueued_twice(store: Store, pid: str) -> None:
    t1, t2 = _traces(store, pid, 2)
    name = _queue(store, pid)
    refs = [QueueItemRef(trace_id=t1), QueueItemRef(trace_id=t1.upper()),
            QueueItemRef(trace_id=t1, span_id=span_id(1)), QueueItemRef(trace_id=t2)]  # fmt: skip
    first = store.add_queue_items(pid, name, refs)
    assert (first.added, first.duplicates) == (3, 1)
    again = store.add_queue_items(pid, name, refs[:2])
    assert (again.added, again.duplicates) == (0, 2)
    page = store.list_queue_items(pid, name)
    assert [(i.trace_id, i.span_id) for i in page.items] == [
        (t1, None), (t1, span_id(1)), (t2, None),
    ]  # fmt: skip
    assert page.items[0].trace_name == "span-1" and page.items[0].status == "pending"
    with pytest.raises(NotFoundError, match="1 trace"):
        store.add_queue_items(pid, name, [QueueItemRef(trace_id="f" * 32)])
    queue = store.get_queue(pid, name)
    assert queue is not None and queue.progress.items == 3


def test_items_from_a_filter_in_sql_with_sample_and_score_bounds(store: Store, pid: str) -> None:
    ids = _traces(store, pid, 6, tags=["escalated"])
    _traces_more = [make(n, n, start=n * 1_000_000) for n in range(7, 10)]
    store.add_spans(pid, _traces_more)
    store.record_scores(pid, [
        ScoreIn(trace_id=ids[0], name="judge_tone", value=0.2),
        ScoreIn(trace_id=ids[1], name="judge_tone", value=0.9),
        ScoreIn(trace_id=ids[2], name="judge_tone", value=0.4),
        ScoreIn(trace_id=ids[2], name="judge_tone", value=0.8),  # mean 0.6
    ])  # fmt: skip
    name = _queue(store, pid)
    tagged = TraceQuery(tags=("escalated",))
    added = store.add_queue_items_from_traces(pid, name, tagged)
    assert (added.added, added.duplicates) == (6, 0)
    newest_first = [i.trace_id for i in store.list_queue_items(pid, name).items]
    assert newest_first == ids[::-1]
    again = store.add_queue_items_from_traces(pid, name, TraceQuery())
    assert (again.added, again.duplicates) == (3, 6)
    low = TraceQuery(score_name="judge_tone", score_below=0.5)
    assert [t.trace_id for t in store.list_traces(pid, low).items] == [ids[0]]
    between = TraceQuery(score_name="judge_tone", score_above=0.5, score_below=0.7)
    assert [t.trace_id for t in store.list_traces(pid, between).items] == [ids[2]]
    other = _queue(store, pid, name="sampled")
    sampled = store.add_queue_items_from_traces(pid, other, TraceQuery(), sample=4)
    assert (sampled.added, sampled.duplicates) == (4, 0)
    assert store.add_queue_items_from_traces(pid, other, TraceQuery(), sample=20).added == 5
    roots = _queue(store, pid, name="roots")
    store.add_queue_items_from_traces(pid, roots, low, target="root_span")
    items = store.list_queue_items(pid, roots).items
    assert [(i.trace_id, i.span_id) for i in items] == [(ids[0], span_id(1))]


def test_next_holds_items_for_one_reviewer_until_the_hold_expires(store: Store, pid: str) -> None:
    _traces(store, pid, 4)
    name = _queue(store, pid, hold_seconds=60)
    store.add_queue_items_from_traces(pid, name, TraceQuery())
    t0 = 1_800_000_000_000_000
    ann = store.next_queue_items(pid, name, reviewer="ann", count=2, now=t0)
    bob = store.next_queue_items(pid, name, reviewer="bob", count=5, now=t0 + 1)
    ann_ids, bob_ids = [i.id for i in ann.items], [i.id for i in bob.items]
    assert len(ann_ids) == 2 and len(bob_ids) == 2 and not set(ann_ids) & set(bob_ids)
    assert bob.progress.in_progress == 4 and bob.progress.items == 4
    # ann asking again gets her own held items first; after= moves past them
    assert [i.id for i in store.next_queue_items(pid, name, reviewer="ann", now=t0 + 2).items] == [
        ann_ids[0]
    ]
    past = store.next_queue_items(pid, name, reviewer="ann", after=ann_ids[1], now=t0 + 3)
    assert past.items == []  # bob holds the rest
    later = t0 + 61_000_000
    freed = store.next_queue_items(pid, name, reviewer="cid", count=5, now=later)
    assert len(freed.items) == 4  # every hold expired
    with pytest.raises(NotFoundError, match="has no item 'nope'"):
        store.next_queue_items(pid, name, reviewer="ann", after="nope")


def test_two_reviewers_at_once_never_get_the_same_item(store: Store, pid: str) -> None:
    _traces(store, pid, 12)
    name = _queue(store, pid)
    store.add_queue_items_from_traces(pid, name, TraceQuery())
    got: dict[str, list[str]] = {"ann": [], "bob": []}

    def work(reviewer: str) -> None:
        mine = got[reviewer]
        for _ in range(6):
            after = mine[-1] if mine else None
            mine += [
                i.id
                for i in store.next_queue_items(pid, name, reviewer=reviewer, after=after).items
            ]

    threads = [threading.Thread(target=work, args=(r,)) for r in got]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got["ann"]) + len(got["bob"]) == 12
    assert not set(got["ann"]) & set(got["bob"])


def test_a_review_writes_human_scores_and_a_second_one_replaces_it(store: Store, pid: str) -> None:
    (t1,) = _traces(store, pid, 1)
    name = _queue(store, pid)
    store.add_queue_items(pid, name, [QueueItemRef(trace_id=t1, span_id=span_id(1))])
    (item,) = store.next_queue_items(pid, name, reviewer="ann").items
    first = store.submit_review(pid, name, item.id, _review("ann", "rude", "curt"))
    (score,) = store.list_trace_scores(pid, t1)
    assert (score.source, score.author, score.label, score.value) == ("human", "ann", "rude", 0.0)
    assert (score.rationale, score.review_id, score.span_id) == ("curt", first.id, span_id(1))
    assert score.metadata == {"queue": "q"} and first.score_ids == [score.id]
    second = store.submit_review(pid, name, item.id, _review("ann", "polite"))
    (now,) = store.list_trace_scores(pid, t1)
    assert (now.label, now.review_id) == ("polite", second.id)
    (listed,) = store.list_queue_reviews(pid, name)
    assert (listed.id, listed.scores, listed.trace_id) == (second.id, {"tone": "polite"}, t1)
    queue = store.get_queue(pid, name)
    assert queue is not None
    assert (queue.progress.reviews, queue.progress.completed, queue.progress.in_progress) == (
        1, 1, 0,
    )  # fmt: skip
    assert store.next_queue_items(pid, name, reviewer="bob").items == []


def test_an_item_is_done_after_reviews_per_item_reviewers(store: Store, pid: str) -> None:
    _traces(store, pid, 2)
    name = _queue(store, pid, reviews_per_item=2)
    store.add_queue_items_from_traces(pid, name, TraceQuery())
    (a1,) = store.next_queue_items(pid, name, reviewer="ann").items
    (b1,) = store.next_queue_items(pid, name, reviewer="bob").items
    assert a1.id == b1.id  # two reviews are needed, so both may hold it
    (c1,) = store.next_queue_items(pid, name, reviewer="cid").items
    assert c1.id != a1.id  # but not a third
    store.submit_review(pid, name, a1.id, _review("ann"))
    store.skip_queue_item(pid, name, c1.id, "cid")
    assert store.list_queue_items(pid, name, status="done").items == []
    store.submit_review(pid, name, a1.id, _review("bob", "rude"))
    done = store.list_queue_items(pid, name, status="done").items
    assert [(i.id, i.reviews, i.status) for i in done] == [(a1.id, 2, "done")]
    assert store.next_queue_items(pid, name, reviewer="cid").items == []  # skipped, and done
    queue = store.update_queue(pid, name, {"reviews_per_item": 3, "assignees": ["ann"]})
    assert (queue.progress.completed, queue.assignees) == (0, ["ann"])
    assert queue.progress.by_reviewer == {"ann": 1, "bob": 1}
