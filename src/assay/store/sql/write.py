"""``add_spans``: finished spans written once, start events kept open, rollups recomputed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.store.base import AddResult, NewSpan
from assay.store.sql import decode, rollup
from assay.store.sql.dialect import Dialect
from assay.store.sql.encode import Encoder, merge
from assay.store.sql.tables import blobs, open_spans, spans

Key = tuple[str, str]


def _stored_open(conn: Connection, project_id: str, trace_ids: list[str]) -> dict[Key, NewSpan]:
    found: list[dict[str, Any]] = []
    for i in range(0, len(trace_ids), rollup.CHUNK):
        stmt = sa.select(open_spans).where(
            open_spans.c.project_id == project_id,
            open_spans.c.trace_id.in_(trace_ids[i : i + rollup.CHUNK]),
        )
        found.extend(dict(r._mapping) for r in conn.execute(stmt))
    if not found:
        return {}
    blob_data = decode.load_blobs(conn, project_id, found)
    return {(r["trace_id"], r["span_id"]): decode.new_span(r, blob_data) for r in found}


def add_spans(
    conn: Connection,
    dialect: Dialect,
    project_id: str,
    batch: Sequence[NewSpan],
    *,
    inline_limit: int,
) -> AddResult:
    """Write ``batch`` on ``conn`` (inside the caller's write transaction)."""
    result = AddResult()
    trace_ids = list(dict.fromkeys(s.trace_id for s in batch))
    dialect.lock_traces(conn, project_id, trace_ids)
    stored = rollup.read_rows(conn, project_id, trace_ids, table=spans)
    stored_keys = {(r["trace_id"], r["span_id"]) for r in stored}
    was_open = _stored_open(conn, project_id, trace_ids)
    finished: dict[Key, NewSpan] = {}
    opened: dict[Key, NewSpan] = {}
    for span in batch:
        key = (span.trace_id, span.span_id)
        if key in stored_keys or key in finished:
            result.duplicates += 1
            continue
        prev = opened.pop(key, None) or was_open.get(key)
        if span.end_time is None:
            opened[key] = span if prev is None else merge(prev, span)
            result.opened += 1
        else:
            finished[key] = span if prev is None else merge(prev, span)
            result.written += 1
    enc = Encoder(project_id, inline_limit)
    rows = [enc.row(s) for s in finished.values()]
    open_rows = [enc.row(s, finished=False) for s in opened.values()]
    if enc.blobs:
        dialect.executemany(
            conn,
            dialect.insert_ignore(blobs),
            [
                {"project_id": project_id, "sha256": k, "length": len(v), "data": v}
                for k, v in enc.blobs.items()
            ],
        )
    if rows:
        dialect.executemany(conn, dialect.insert_ignore(spans), rows)
    closed = [k for k in finished if k in was_open]
    if closed:
        conn.execute(
            sa.delete(open_spans).where(
                open_spans.c.project_id == project_id,
                sa.tuple_(open_spans.c.trace_id, open_spans.c.span_id).in_(closed),
            )
        )
    if open_rows:
        dialect.executemany(conn, dialect.upsert(open_spans), open_rows)
    _update_rollups(conn, dialect, project_id, stored, rows, open_rows, was_open, finished)
    return result


def _update_rollups(
    conn: Connection,
    dialect: Dialect,
    project_id: str,
    stored: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    open_rows: list[dict[str, Any]],
    was_open: dict[Key, NewSpan],
    finished: dict[Key, NewSpan],
) -> None:
    """Recompute the rollups of the touched traces from what is stored now."""
    by_trace: dict[str, list[dict[str, Any]]] = {}
    for row in stored:
        by_trace.setdefault(row["trace_id"], []).append(row)
    for row in rows:  # already written: marking them costs less than copying them
        row["open"] = False
        by_trace.setdefault(row["trace_id"], []).append(row)
    fresh_open = {(r["trace_id"], r["span_id"]) for r in open_rows}
    for row in open_rows:
        row["open"] = True
        by_trace.setdefault(row["trace_id"], []).append(row)
    still_open = [k for k in was_open if k not in finished and k not in fresh_open]
    if still_open:  # open spans this batch did not touch: take their rollup fields as stored
        keep = set(still_open)
        for row in rollup.read_rows(
            conn, project_id, sorted({k[0] for k in keep}), table=open_spans
        ):
            if (row["trace_id"], row["span_id"]) in keep:
                by_trace.setdefault(row["trace_id"], []).append(row)
    summaries = [rollup.summarise(project_id, t, rs) for t, rs in by_trace.items()]
    rollup.write(conn, dialect, summaries)
