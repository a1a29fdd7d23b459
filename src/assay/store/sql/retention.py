"""SQL of data retention: deleting a project's old production traces (issue 8).

A trace goes with everything that exists only because of it: its spans and open spans, its
rollup row, its scores, and the annotation queue items that point at it (with their holds and
reviews). Large bodies live in the shared ``blobs`` table, deduplicated per project, so a blob
is deleted only once nothing (span, open span, dataset record, experiment case) points at it.
Dataset records copied from a trace are kept: a dataset is curated data with its own history.
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.store.sql import search
from assay.store.sql.dialect import Dialect
from assay.store.sql.eval_tables import dataset_record_versions, experiment_cases, scores
from assay.store.sql.review_tables import queue_holds, queue_items, reviews
from assay.store.sql.tables import blobs, open_spans, spans, traces

#: Tables whose ``refs`` column may point at blobs.
_REF_TABLES = (spans, open_spans, dataset_record_versions, experiment_cases)


def old_trace_ids(conn: Connection, project_id: str, before_us: int, *, limit: int) -> list[str]:
    """Up to ``limit`` production traces of the project that started before ``before_us``."""
    t = traces.c
    stmt = (
        sa.select(t.trace_id)
        .where(t.project_id == project_id, t.start_time < before_us, t.experiment_id.is_(None))
        .order_by(t.start_time, t.trace_id)
        .limit(limit)
    )
    return [str(r) for r in conn.execute(stmt).scalars()]


def delete_traces(
    conn: Connection, dialect: Dialect, project_id: str, trace_ids: Sequence[str]
) -> set[str]:
    """Delete the traces and what hangs on them; returns the sha256 of the blobs their spans
    pointed at (candidates for :func:`delete_unused_blobs`)."""
    dialect.lock_traces(conn, project_id, trace_ids)
    ids = list(trace_ids)
    candidates: set[str] = set()
    for table in (spans, open_spans):
        stmt = sa.select(table.c.refs).where(
            table.c.project_id == project_id,
            table.c.trace_id.in_(ids),
            table.c.refs.is_not(None),
        )
        candidates.update(_shas(conn.execute(stmt).scalars()))
    item_ids = list(
        conn.execute(
            sa.select(queue_items.c.id).where(
                queue_items.c.project_id == project_id, queue_items.c.trace_id.in_(ids)
            )
        ).scalars()
    )
    if item_ids:
        for table, column in ((queue_holds, queue_holds.c.item_id), (reviews, reviews.c.item_id)):
            conn.execute(
                sa.delete(table).where(table.c.project_id == project_id, column.in_(item_ids))
            )
        conn.execute(
            sa.delete(queue_items).where(
                queue_items.c.project_id == project_id, queue_items.c.id.in_(item_ids)
            )
        )
    for table in (scores, spans, open_spans, traces):
        conn.execute(
            sa.delete(table).where(table.c.project_id == project_id, table.c.trace_id.in_(ids))
        )
    search.after_span_delete(conn, dialect)  # a freed rowid must not count as indexed
    return candidates


def delete_unused_blobs(conn: Connection, project_id: str, candidates: set[str]) -> int:
    """Delete the candidate blobs nothing of the project points at any more; returns how many."""
    if not candidates:
        return 0
    used: set[str] = set()
    for table in _REF_TABLES:
        stmt = sa.select(table.c.refs).where(
            table.c.project_id == project_id, table.c.refs.is_not(None)
        )
        used.update(_shas(conn.execute(stmt).scalars()))
    unused = sorted(candidates - used)
    deleted = 0
    for start in range(0, len(unused), 1000):
        part = unused[start : start + 1000]
        done = conn.execute(
            sa.delete(blobs).where(blobs.c.project_id == project_id, blobs.c.sha256.in_(part))
        )
        deleted += done.rowcount or 0
    return deleted


def _shas(refs_texts: Sequence[str] | sa.ScalarResult[str]) -> set[str]:
    """The sha256 of every pointer in some ``refs`` JSON texts."""
    found: set[str] = set()
    for text in refs_texts:
        if text:
            found.update(ref["sha256"] for ref in orjson.loads(text).values())
    return found
