"""``add_spans``: finished spans written once, start events kept open, rollups recomputed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.store.base import AddResult, NewJob, NewSpan
from assay.store.sql import decode, jobs, rollup
from assay.store.sql.dialect import Dialect
from assay.store.sql.encode import Encoder, blob_rows, merge
from assay.store.sql.tables import blobs, open_spans, spans

Key = tuple[str, str]
Followup = Callable[[Sequence[NewSpan]], Sequence[NewJob]]


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


@dataclass(slots=True)
class Prepared:
    """A batch encoded into rows before the write transaction starts.

    Encoding is pure Python and needs no database, so it runs outside the write lock; inside it
    only spans that meet an earlier start event of themselves are encoded again (merged).
    """

    project_id: str
    spans: dict[Key, NewSpan]
    rows: dict[Key, dict[str, Any]]
    encoder: Encoder
    repeats: int = 0


def prepare(project_id: str, batch: Sequence[NewSpan], *, inline_limit: int) -> Prepared:
    """Encode ``batch``; a span sent twice in the batch keeps its first finished form."""
    enc = Encoder(project_id, inline_limit)
    spans: dict[Key, NewSpan] = {}
    repeats = 0
    for span in batch:
        key = (span.trace_id, span.span_id)
        prev = spans.get(key)
        if prev is None:
            spans[key] = span
        elif prev.end_time is not None:
            repeats += 1
        else:
            spans[key] = merge(prev, span)
    rows = {key: enc.row(span, finished=span.end_time is not None) for key, span in spans.items()}
    return Prepared(project_id, spans, rows, enc, repeats)


def add_spans(
    conn: Connection, dialect: Dialect, prepared: Prepared, *, followup: Followup | None = None
) -> AddResult:
    """Write a prepared batch on ``conn`` (inside the caller's write transaction).

    ``followup`` gets the finished spans this batch newly wrote; the jobs it returns are
    enqueued on ``conn`` (see ``Store.add_spans``).
    """
    project_id = prepared.project_id
    result = AddResult(duplicates=prepared.repeats)
    trace_ids = list(dict.fromkeys(key[0] for key in prepared.spans))
    dialect.lock_traces(conn, project_id, trace_ids)
    stored = rollup.read_rows(conn, project_id, trace_ids, table=spans)
    stored_keys = {(r["trace_id"], r["span_id"]) for r in stored}
    was_open = _stored_open(conn, project_id, trace_ids) if _any_open(conn, project_id) else {}
    enc = prepared.encoder
    rows: list[dict[str, Any]] = []
    open_rows: list[dict[str, Any]] = []
    finished: dict[Key, NewSpan] = {}
    for key, span in prepared.spans.items():
        if key in stored_keys:
            result.duplicates += 1
            continue
        prev = was_open.get(key)
        row = prepared.rows[key]
        if prev is not None:
            span = merge(prev, span)
            row = enc.row(span, finished=span.end_time is not None)
        if span.end_time is None:
            open_rows.append(row)
            result.opened += 1
        else:
            finished[key] = span
            rows.append(row)
            result.written += 1
    used = _blobs_of([*rows, *open_rows], enc.blobs)
    if used:
        dialect.executemany(conn, dialect.insert_ignore(blobs), blob_rows(project_id, used))
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
    if followup is not None and finished:
        _enqueue(conn, dialect, followup(list(finished.values())))
    return result


def _enqueue(conn: Connection, dialect: Dialect, new_jobs: Sequence[NewJob]) -> None:
    """Enqueue the jobs a followup asked for, in the spans' transaction."""
    if new_jobs:
        jobs.insert(conn, dialect, new_jobs)


def _blobs_of(rows: list[dict[str, Any]], encoded: dict[str, bytes]) -> dict[str, bytes]:
    """The blobs the rows being written point to (not those of duplicates or merged-away forms)."""
    if not encoded:
        return {}
    used: dict[str, bytes] = {}
    for row in rows:
        if row["refs"]:
            for ref in orjson.loads(row["refs"]).values():
                used[ref["sha256"]] = encoded[ref["sha256"]]
    return used


def _any_open(conn: Connection, project_id: str) -> bool:
    """Whether the project has any open span at all (usually not: one cheap index probe)."""
    stmt = sa.select(sa.literal(1)).where(open_spans.c.project_id == project_id).limit(1)
    return conn.execute(stmt).first() is not None


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
