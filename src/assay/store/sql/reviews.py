"""Reviewing a queue: handing out held items, storing reviews as score rows, skipping.

Functions here run inside the caller's write transaction, after it locked the queue's row (see
:mod:`assay.store.sql.queues`), so the choice of items and the holds on them are one step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.schema.eval import ScoreIn
from assay.schema.review import QueueItem, Review
from assay.store.base import ReviewWrite
from assay.store.sql import scores
from assay.store.sql._ids import uuid7
from assay.store.sql.bodies import json_text, loads_or
from assay.store.sql.decode import to_datetime
from assay.store.sql.dialect import Dialect
from assay.store.sql.eval_tables import scores as score_table
from assay.store.sql.queues import find_item, item_model, item_select
from assay.store.sql.review_tables import queue_holds, queue_items, reviews

_I = queue_items.c
_H = queue_holds.c
_R = reviews.c


def next_items(
    conn: Connection,
    dialect: Dialect,
    queue: Mapping[Any, Any],
    *,
    reviewer: str,
    count: int,
    after: str | None,
    now: int,
) -> list[QueueItem]:
    """Choose up to ``count`` items for ``reviewer`` in queue order and hold them."""
    pid, qid = queue["project_id"], queue["id"]
    done_by_me = sa.exists(
        sa.select(sa.literal(1)).where(
            _H.project_id == _I.project_id,
            _H.item_id == _I.id,
            _H.reviewer == reviewer,
            _H.outcome.is_not(None),
        )
    )
    held_by_others = (
        sa.select(sa.func.count())
        .where(
            _H.project_id == _I.project_id,
            _H.item_id == _I.id,
            _H.reviewer != reviewer,
            _H.held_until > now,
        )
        .scalar_subquery()
    )
    conds = [
        _I.project_id == pid,
        _I.queue_id == qid,
        _I.status == "pending",
        sa.not_(done_by_me),
        _I.reviews + held_by_others < queue["reviews_per_item"],
    ]
    if after is not None:
        conds.append(_I.position > find_item(conn, queue, after)["position"])
    stmt = item_select().where(*conds).order_by(_I.position).limit(count)
    rows = conn.execute(stmt).all()
    until = now + int(queue["hold_seconds"]) * 1_000_000
    holds = [
        {
            "project_id": pid,
            "item_id": row.id,
            "reviewer": reviewer,
            "queue_id": qid,
            "held_until": until,
            "outcome": None,
            "updated_at": now,
        }
        for row in rows
    ]
    if holds:
        conn.execute(dialect.upsert(queue_holds), holds)
    return [item_model(r) for r in rows]


def _mark(
    conn: Connection,
    dialect: Dialect,
    item: Mapping[Any, Any],
    reviewer: str,
    outcome: str,
    now: int,
) -> None:
    """Release the reviewer's hold on ``item`` and note what they did."""
    conn.execute(
        dialect.upsert(queue_holds),
        {
            "project_id": item["project_id"],
            "item_id": item["id"],
            "reviewer": reviewer,
            "queue_id": item["queue_id"],
            "held_until": None,
            "outcome": outcome,
            "updated_at": now,
        },
    )


def _current(conn: Connection, item: Mapping[Any, Any], reviewer: str) -> Any:
    return conn.execute(
        sa.select(reviews).where(
            _R.project_id == item["project_id"],
            _R.queue_id == item["queue_id"],
            _R.item_id == item["id"],
            _R.reviewer == reviewer,
            _R.superseded_by.is_(None),
        )
    ).first()


def _score_rows(
    item: Mapping[Any, Any], queue: Mapping[Any, Any], review: ReviewWrite, review_id: str, now: int
) -> list[dict[str, Any]]:
    rows = []
    for entry in review.rows:
        score = ScoreIn.model_construct(
            trace_id=item["trace_id"],
            span_id=item["span_id"] or None,
            name=entry.name,
            value=entry.value,
            label=entry.label,
            source="human",
            author=review.reviewer,
            rationale=entry.text if entry.text is not None else review.comment,
            metadata={"queue": queue["name"], "comment": review.comment}
            if entry.text is not None and review.comment
            else {"queue": queue["name"]},
        )
        row = scores.row_of(item["project_id"], score, created_at=now)
        row["review_id"] = review_id
        rows.append(row)
    return rows


def submit(
    conn: Connection,
    dialect: Dialect,
    queue: Mapping[Any, Any],
    item_id: str,
    review: ReviewWrite,
    *,
    now: int,
) -> Review:
    """Store ``review`` of item ``item_id`` and its score rows; supersede the previous one."""
    item = find_item(conn, queue, item_id)
    review_id = uuid7()
    rows = _score_rows(item, queue, review, review_id, now)
    previous = _current(conn, item, review.reviewer)
    pid = item["project_id"]
    if previous is not None:
        conn.execute(
            sa.update(reviews)
            .where(_R.project_id == pid, _R.id == previous.id)
            .values(superseded_by=review_id)
        )
        s = score_table.c
        conn.execute(
            sa.update(score_table)
            .where(s.project_id == pid, s.review_id == previous.id, s.superseded_by.is_(None))
            .values(superseded_by=review_id)
        )
    else:
        needed = queue["reviews_per_item"]
        conn.execute(
            sa.update(queue_items)
            .where(_I.project_id == pid, _I.id == item["id"])
            .values(
                reviews=_I.reviews + 1,
                status=sa.case((_I.reviews + 1 >= needed, "done"), else_="pending"),
            )
        )
    scores.insert(conn, rows)
    correction = None if review.corrected_output is None else json_text(review.corrected_output)
    conn.execute(
        sa.insert(reviews),
        {
            "project_id": pid,
            "id": review_id,
            "queue_id": queue["id"],
            "item_id": item["id"],
            "reviewer": review.reviewer,
            "scores": json_text(review.answers),
            "score_ids": json_text([r["id"] for r in rows]),
            "comment": review.comment,
            "corrected_output": correction,
            "created_at": now,
            "superseded_by": None,
        },
    )
    _mark(conn, dialect, item, review.reviewer, "reviewed", now)
    return Review(
        id=review_id,
        item_id=item["id"],
        trace_id=item["trace_id"],
        span_id=item["span_id"] or None,
        reviewer=review.reviewer,
        scores=review.answers,
        comment=review.comment,
        corrected_output=review.corrected_output,
        created_at=to_datetime(now),
        score_ids=[r["id"] for r in rows],
    )


def skip(
    conn: Connection,
    dialect: Dialect,
    queue: Mapping[Any, Any],
    item_id: str,
    reviewer: str,
    *,
    now: int,
) -> None:
    """Release the reviewer's hold on the item and keep it from them (a review stays one)."""
    item = find_item(conn, queue, item_id)
    reviewed = _current(conn, item, reviewer) is not None
    _mark(conn, dialect, item, reviewer, "reviewed" if reviewed else "skipped", now)


def list_reviews(
    conn: Connection,
    queue: Mapping[Any, Any],
    *,
    item_id: str | None = None,
    reviewer: str | None = None,
) -> list[Review]:
    """The queue's current reviews, oldest first."""
    conds = [
        _R.project_id == queue["project_id"],
        _R.queue_id == queue["id"],
        _R.superseded_by.is_(None),
    ]
    if item_id is not None:
        conds.append(_R.item_id == item_id)
    if reviewer is not None:
        conds.append(_R.reviewer == reviewer)
    stmt = (
        sa.select(reviews, _I.trace_id, _I.span_id)
        .join(queue_items, sa.and_(_I.project_id == _R.project_id, _I.id == _R.item_id))
        .where(*conds)
        .order_by(_R.created_at, _R.id)
    )
    return [
        Review(
            id=r.id,
            item_id=r.item_id,
            trace_id=r.trace_id,
            span_id=r.span_id or None,
            reviewer=r.reviewer,
            scores=loads_or(r.scores, {}),
            comment=r.comment,
            corrected_output=loads_or(r.corrected_output, None),
            created_at=to_datetime(r.created_at),
            score_ids=loads_or(r.score_ids, []),
        )
        for r in conn.execute(stmt)
    ]
