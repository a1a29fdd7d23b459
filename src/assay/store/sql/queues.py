"""Annotation queues: the queue rows, their items, and how far each queue is.

Functions here run on a connection inside the caller's transaction. Every writer of a queue's
items, holds or reviews locks the queue's row first (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite has a single writer), so two calls never hand out or count the same item at once.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.errors import NotFoundError
from assay.schema.review import (
    Queue,
    QueueIn,
    QueueItem,
    QueueItemPage,
    QueueItemRef,
    QueueProgress,
)
from assay.store.base import AddedItems, TraceQuery
from assay.store.sql import named
from assay.store.sql._ids import uuid7
from assay.store.sql.bodies import json_text, loads_or
from assay.store.sql.decode import to_datetime
from assay.store.sql.dialect import Dialect
from assay.store.sql.query import decode_cursor, encode_cursor, trace_selection
from assay.store.sql.review_tables import queue_holds, queue_items, queues, reviews
from assay.store.sql.tables import spans, traces

_Q = queues.c
_I = queue_items.c
_H = queue_holds.c
_T = traces.c
#: Fields ``update`` may change.
CHANGEABLE = ("instructions", "assignees", "reviews_per_item", "archived")
MAX_PAGE = 1000
_CHUNK = 500


def now_micros() -> int:
    """The clock in microseconds since the epoch."""
    return time.time_ns() // 1000


def to_model(row: Mapping[Any, Any], progress: QueueProgress) -> Queue:
    """A :class:`Queue` from its row and its progress."""
    return Queue(
        id=row["id"],
        name=row["name"],
        instructions=row["instructions"],
        score_configs=loads_or(row["score_configs"], []),
        reviews_per_item=row["reviews_per_item"],
        assignees=loads_or(row["assignees"], []),
        hold_seconds=row["hold_seconds"],
        archived=bool(row["archived"]),
        created_at=to_datetime(row["created_at"]),
        progress=progress,
    )


def create(
    conn: Connection, dialect: Dialect, project_id: str, body: QueueIn
) -> Mapping[str, Any] | None:
    """Create queue ``body.name``; None when the project already has one of that name."""
    now = now_micros()
    row = {
        "project_id": project_id,
        "id": uuid7(),
        "name": body.name,
        "instructions": body.instructions,
        "score_configs": json_text(body.score_configs),
        "reviews_per_item": body.reviews_per_item,
        "assignees": json_text(body.assignees),
        "hold_seconds": body.hold_seconds,
        "archived": False,
        "created_at": now,
        "updated_at": now,
    }
    return row if dialect.insert_new(conn, queues, row) else None


def find(
    conn: Connection, project_id: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any] | None:
    """The row of queue ``name`` (locked for a write with ``lock``), or None."""
    return named.find(conn, queues, project_id, name, lock=lock)


def require(
    conn: Connection, project_id: str, project: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any]:
    """The row of queue ``name``; NotFoundError naming it when there is none."""
    return named.require(conn, queues, project_id, name, what="Queue", project=project, lock=lock)


def list_rows(conn: Connection, project_id: str) -> list[Mapping[Any, Any]]:
    """Every queue row of the project, newest first."""
    stmt = sa.select(queues).where(_Q.project_id == project_id).order_by(_Q.created_at.desc())
    return [r._mapping for r in conn.execute(stmt)]


def update(conn: Connection, queue: Mapping[Any, Any], changes: Mapping[str, Any]) -> Any:
    """Write ``changes`` to the queue's row (and the items' status when reviews_per_item
    changes); returns the row as it is now."""
    values = dict(changes)
    for field in ("assignees",):
        if field in values:
            values[field] = json_text(values[field])
    values["updated_at"] = now_micros()
    conn.execute(
        sa.update(queues)
        .where(_Q.project_id == queue["project_id"], _Q.id == queue["id"])
        .values(**values)
    )
    if "reviews_per_item" in changes:
        needed = changes["reviews_per_item"]
        conn.execute(
            sa.update(queue_items)
            .where(_I.project_id == queue["project_id"], _I.queue_id == queue["id"])
            .values(status=sa.case((_I.reviews >= needed, "done"), else_="pending"))
        )
    return {**queue, **values}


def progress(conn: Connection, queue: Mapping[Any, Any], *, now: int) -> QueueProgress:
    """Items, completed items, reviews (per reviewer) and items held now."""
    pid, qid = queue["project_id"], queue["id"]
    mine = (_I.project_id == pid, _I.queue_id == qid)
    total = conn.execute(sa.select(sa.func.count()).where(*mine)).scalar_one()
    done = conn.execute(sa.select(sa.func.count()).where(*mine, _I.status == "done")).scalar_one()
    r = reviews.c
    by_reviewer = {
        row.reviewer: int(row.n)
        for row in conn.execute(
            sa.select(r.reviewer, sa.func.count().label("n"))
            .where(r.project_id == pid, r.queue_id == qid, r.superseded_by.is_(None))
            .group_by(r.reviewer)
            .order_by(r.reviewer)
        )
    }
    held = conn.execute(
        sa.select(sa.func.count(sa.distinct(_H.item_id))).where(
            _H.project_id == pid, _H.queue_id == qid, _H.held_until > now
        )
    ).scalar_one()
    return QueueProgress(
        items=int(total),
        completed=int(done),
        reviews=sum(by_reviewer.values()),
        in_progress=int(held),
        by_reviewer=by_reviewer,
    )


def _next_position(conn: Connection, queue: Mapping[Any, Any]) -> int:
    last = conn.execute(
        sa.select(sa.func.max(_I.position)).where(
            _I.project_id == queue["project_id"], _I.queue_id == queue["id"]
        )
    ).scalar_one()
    return 0 if last is None else int(last) + 1


def _count(conn: Connection, queue: Mapping[Any, Any]) -> int:
    stmt = sa.select(sa.func.count()).where(
        _I.project_id == queue["project_id"], _I.queue_id == queue["id"]
    )
    return int(conn.execute(stmt).scalar_one())


def _missing_traces(conn: Connection, project_id: str, trace_ids: Sequence[str]) -> list[str]:
    wanted = sorted(set(trace_ids))
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        stmt = sa.select(_T.trace_id).where(_T.project_id == project_id, _T.trace_id.in_(chunk))
        found.update(conn.scalars(stmt))
    return [t for t in wanted if t not in found]


def add_items(
    conn: Connection, queue: Mapping[Any, Any], refs: Sequence[QueueItemRef], *, project: str
) -> AddedItems:
    """Enqueue ``refs`` (the queue's row is locked); repeats count as duplicates."""
    pid, qid = queue["project_id"], queue["id"]
    targets = list(dict.fromkeys((r.trace_id.lower(), (r.span_id or "").lower()) for r in refs))
    missing = _missing_traces(conn, pid, [t for t, _ in targets])
    if missing:
        raise NotFoundError(
            f"{len(missing)} trace(s) are not in project {project!r}, e.g. {missing[0]!r}; "
            "enqueue traces that exist (ids are 32 hex digits)."
        )
    existing: set[tuple[str, str]] = set()
    for start in range(0, len(targets), _CHUNK):
        chunk = sorted({t for t, _ in targets[start : start + _CHUNK]})
        stmt = sa.select(_I.trace_id, _I.span_id).where(
            _I.project_id == pid, _I.queue_id == qid, _I.trace_id.in_(chunk)
        )
        existing.update((row.trace_id, row.span_id) for row in conn.execute(stmt))
    new = [t for t in targets if t not in existing]
    base, now = _next_position(conn, queue), now_micros()
    rows = [
        {
            "project_id": pid,
            "id": uuid.uuid4().hex,
            "queue_id": qid,
            "position": base + n,
            "trace_id": trace_id,
            "span_id": span_id,
            "added_at": now,
            "reviews": 0,
            "status": "pending",
        }
        for n, (trace_id, span_id) in enumerate(new)
    ]
    if rows:
        conn.execute(sa.insert(queue_items), rows)
    return AddedItems(added=len(rows), duplicates=len(refs) - len(rows))


def add_from_traces(
    conn: Connection,
    dialect: Dialect,
    queue: Mapping[Any, Any],
    query: TraceQuery,
    *,
    sample: int | None,
    target: Literal["trace", "root_span"],
) -> AddedItems:
    """Enqueue the traces matching ``query`` (``sample``: that many at random) in one
    ``INSERT … SELECT``; newest traces first in queue order."""
    pid, qid = queue["project_id"], queue["id"]
    chosen = trace_selection(
        dialect, pid, query, _T.trace_id, _T.root_span_id, _T.start_time, conn=conn
    )
    count = sa.select(sa.func.count()).select_from(chosen.subquery("matched"))
    matched = conn.execute(count).scalar_one()
    if sample is not None:
        chosen = chosen.order_by(sa.func.random()).limit(sample)
    sub = chosen.subquery("chosen")
    order = sa.func.row_number().over(order_by=(sub.c.start_time.desc(), sub.c.trace_id.desc()))
    span = sa.func.coalesce(sub.c.root_span_id, "") if target == "root_span" else sa.literal("")
    base = _next_position(conn, queue)
    select = sa.select(
        sa.literal(pid, sa.Text),
        dialect.random_id(),
        sa.literal(qid, sa.Text),
        order + (base - 1),
        sub.c.trace_id,
        span,
        sa.literal(now_micros(), sa.BigInteger),
        sa.literal(0, sa.BigInteger),
        sa.literal("pending", sa.Text),
    ).where(sa.true())  # SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
    columns = ["project_id", "id", "queue_id", "position", "trace_id", "span_id", "added_at"]
    stmt = dialect.insert_ignore(queue_items).from_select([*columns, "reviews", "status"], select)
    before = _count(conn, queue)
    conn.execute(stmt)
    added = _count(conn, queue) - before  # (psycopg reports no rowcount for this statement)
    taken = matched if sample is None else min(sample, matched)
    return AddedItems(added=added, duplicates=taken - added)


def find_item(conn: Connection, queue: Mapping[Any, Any], item_id: str) -> Mapping[Any, Any]:
    """The row of item ``item_id`` of the queue; NotFoundError when the queue has none."""
    row = conn.execute(
        sa.select(queue_items).where(
            _I.project_id == queue["project_id"], _I.queue_id == queue["id"], _I.id == item_id
        )
    ).first()
    if row is None:
        raise NotFoundError(
            f"Queue {queue['name']!r} has no item {item_id!r}; list its items with "
            "GET .../queues/{queue}/items."
        )
    return row._mapping


def item_select() -> Any:
    """Items with their trace's name and the previews of their span (else of the trace)."""
    s = spans.alias("item_span")
    return sa.select(
        queue_items,
        _T.name.label("trace_name"),
        sa.func.coalesce(s.c.input_preview, _T.input_preview).label("input_preview"),
        sa.func.coalesce(s.c.output_preview, _T.output_preview).label("output_preview"),
    ).select_from(
        queue_items.outerjoin(
            traces, sa.and_(_T.project_id == _I.project_id, _T.trace_id == _I.trace_id)
        ).outerjoin(
            s,
            sa.and_(
                s.c.project_id == _I.project_id,
                s.c.trace_id == _I.trace_id,
                s.c.span_id == _I.span_id,
            ),
        )
    )


def item_model(row: Any) -> QueueItem:
    """A :class:`QueueItem` from a row of :func:`item_select`."""
    return QueueItem(
        id=row.id,
        trace_id=row.trace_id,
        span_id=row.span_id or None,
        added_at=to_datetime(row.added_at),
        reviews=row.reviews,
        status=row.status,
        trace_name=row.trace_name,
        input_preview=row.input_preview,
        output_preview=row.output_preview,
    )


def list_items(
    conn: Connection,
    queue: Mapping[Any, Any],
    *,
    status: Literal["pending", "done", "all"],
    limit: int,
    cursor: str | None,
) -> QueueItemPage:
    """A page of the queue's items in queue order."""
    conds = [_I.project_id == queue["project_id"], _I.queue_id == queue["id"]]
    if status != "all":
        conds.append(_I.status == status)
    if cursor:
        (position,) = decode_cursor(cursor, 2, "queue-items")
        conds.append(_I.position > position)
    limit = max(1, min(limit, MAX_PAGE))
    stmt = item_select().where(*conds).order_by(_I.position).limit(limit + 1)
    rows = conn.execute(stmt).all()
    next_cursor = None
    if len(rows) > limit:
        next_cursor = encode_cursor(["queue-items", rows[limit - 1].position])
    return QueueItemPage(items=[item_model(r) for r in rows[:limit]], next_cursor=next_cursor)
