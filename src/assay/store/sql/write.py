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
from assay.store.sql.encode import COLUMN, SPAN_COLUMNS, Encoder, blob_rows, merge
from assay.store.sql.tables import blobs, open_spans, spans

Key = tuple[str, str]
Row = tuple[Any, ...]
Followup = Callable[[Sequence[NewSpan]], Sequence[NewJob]]
_REFS = COLUMN["refs"]


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
    ``spans`` and ``rows`` are parallel lists, one entry per distinct span.
    """

    project_id: str
    keys: list[Key]
    spans: list[NewSpan]
    rows: list[Row]
    trace_ids: list[str]
    encoder: Encoder
    repeats: int = 0
    # The traces rows when none of the batch's traces is stored yet (the usual case), worked
    # out here so that the write transaction only has to check that.
    new_traces: list[Row] | None = None


def prepare(project_id: str, batch: Sequence[NewSpan], *, inline_limit: int) -> Prepared:
    """Encode ``batch``; a span sent twice in the batch keeps its first finished form."""
    enc = Encoder(project_id, inline_limit)
    unique: dict[Key, NewSpan] = {}
    repeats = 0
    for span in batch:
        key = (span.trace_id, span.span_id)
        prev = unique.get(key)
        if prev is None:
            unique[key] = span
        elif prev.end_time is not None:
            repeats += 1
        else:
            unique[key] = merge(prev, span)
    row = enc.row
    listed = list(unique.values())
    rows = [row(span, finished=span.end_time is not None) for span in listed]
    trace_ids = list(dict.fromkeys(key[0] for key in unique))
    prepared = Prepared(project_id, list(unique), listed, rows, trace_ids, enc, repeats)
    if all(span.end_time is not None for span in listed):  # no start event in the batch
        by_trace = _facts_by_trace([], rows, [])
        prepared.new_traces = rollup.rows_of(
            [rollup.summarise(project_id, t, fs) for t, fs in by_trace.items()]
        )
    return prepared


def add_spans(
    conn: Connection, dialect: Dialect, prepared: Prepared, *, followup: Followup | None = None
) -> AddResult:
    """Write a prepared batch on ``conn`` (inside the caller's write transaction).

    ``followup`` gets the finished spans this batch newly wrote; the jobs it returns are
    enqueued on ``conn`` (see ``Store.add_spans``).
    """
    project_id = prepared.project_id
    result = AddResult(duplicates=prepared.repeats)
    trace_ids = prepared.trace_ids
    dialect.lock_traces(conn, project_id, trace_ids)
    stored = rollup.read_rows(conn, project_id, trace_ids, table=spans)
    was_open = _stored_open(conn, project_id, trace_ids) if _any_open(conn, project_id) else {}
    rows: list[Row] = []
    open_rows: list[Row] = []
    finished: dict[Key, NewSpan] = {}
    if not stored and not was_open:  # the usual case: every span and trace is new
        for key, span, row in zip(prepared.keys, prepared.spans, prepared.rows, strict=True):
            if span.end_time is None:
                open_rows.append(row)
            else:
                finished[key] = span
                rows.append(row)
    else:
        _sort_against_stored(prepared, stored, was_open, rows, open_rows, finished, result)
    result.written = len(rows)
    result.opened = len(open_rows)
    enc = prepared.encoder
    used = _blobs_of([*rows, *open_rows], enc.blobs)
    if used:
        dialect.executemany(conn, dialect.insert_ignore(blobs), blob_rows(project_id, used))
    if rows:
        dialect.write_rows(conn, spans, SPAN_COLUMNS, rows)
    closed = [k for k in finished if k in was_open]
    if closed:
        conn.execute(
            sa.delete(open_spans).where(
                open_spans.c.project_id == project_id,
                sa.tuple_(open_spans.c.trace_id, open_spans.c.span_id).in_(closed),
            )
        )
    if open_rows:
        dialect.write_rows(conn, open_spans, SPAN_COLUMNS, open_rows, update=True)
    if not stored and not was_open and prepared.new_traces is not None:
        rollup.write_rows(conn, dialect, prepared.new_traces)
    else:
        _update_rollups(conn, dialect, project_id, stored, rows, open_rows, was_open, finished)
    if followup is not None and finished:
        _enqueue(conn, dialect, followup(list(finished.values())))
    return result


def _sort_against_stored(
    prepared: Prepared,
    stored: list[rollup.Facts],
    was_open: dict[Key, NewSpan],
    rows: list[Row],
    open_rows: list[Row],
    finished: dict[Key, NewSpan],
    result: AddResult,
) -> None:
    """Split a batch touching stored traces: repeats of stored spans are dropped, spans that
    meet their own stored start event are merged with it."""
    stored_keys = {(r[rollup.TRACE], r[rollup.SPAN]) for r in stored}
    enc = prepared.encoder
    for key, span, row in zip(prepared.keys, prepared.spans, prepared.rows, strict=True):
        if key in stored_keys:
            result.duplicates += 1
            continue
        prev = was_open.get(key)
        if prev is not None:
            span = merge(prev, span)
            row = enc.row(span, finished=span.end_time is not None)
        if span.end_time is None:
            open_rows.append(row)
        else:
            finished[key] = span
            rows.append(row)


def _enqueue(conn: Connection, dialect: Dialect, new_jobs: Sequence[NewJob]) -> None:
    """Enqueue the jobs a followup asked for, in the spans' transaction."""
    if new_jobs:
        jobs.insert(conn, dialect, new_jobs)


def _blobs_of(rows: list[Row], encoded: dict[str, bytes]) -> dict[str, bytes]:
    """The blobs the rows being written point to (not those of duplicates or merged-away forms)."""
    if not encoded:
        return {}
    used: dict[str, bytes] = {}
    for row in rows:
        if row[_REFS]:
            for ref in orjson.loads(row[_REFS]).values():
                used[ref["sha256"]] = encoded[ref["sha256"]]
    return used


def _any_open(conn: Connection, project_id: str) -> bool:
    """Whether the project has any open span at all (usually not: one cheap index probe)."""
    stmt = sa.select(sa.literal(1)).where(open_spans.c.project_id == project_id).limit(1)
    return conn.execute(stmt).first() is not None


def _facts_by_trace(
    stored: list[rollup.Facts], rows: list[Row], open_rows: list[Row]
) -> dict[str, list[rollup.Facts]]:
    """The rollup facts of stored, newly finished and open spans, per trace."""
    by_trace: dict[str, list[rollup.Facts]] = {}
    for facts in stored:
        by_trace.setdefault(facts[rollup.TRACE], []).append(facts)
    facts_of = rollup.facts_of
    for row in rows:
        facts = facts_of(row, is_open=False)
        by_trace.setdefault(facts[rollup.TRACE], []).append(facts)
    for row in open_rows:
        facts = facts_of(row, is_open=True)
        by_trace.setdefault(facts[rollup.TRACE], []).append(facts)
    return by_trace


def _update_rollups(
    conn: Connection,
    dialect: Dialect,
    project_id: str,
    stored: list[rollup.Facts],
    rows: list[Row],
    open_rows: list[Row],
    was_open: dict[Key, NewSpan],
    finished: dict[Key, NewSpan],
) -> None:
    """Recompute the rollups of the touched traces from what is stored now."""
    by_trace = _facts_by_trace(stored, rows, open_rows)
    fresh_open = {(r[COLUMN["trace_id"]], r[COLUMN["span_id"]]) for r in open_rows}
    still_open = [k for k in was_open if k not in finished and k not in fresh_open]
    if still_open:  # open spans this batch did not touch: take their rollup fields as stored
        keep = set(still_open)
        for facts in rollup.read_rows(
            conn, project_id, sorted({k[0] for k in keep}), table=open_spans
        ):
            if (facts[rollup.TRACE], facts[rollup.SPAN]) in keep:
                by_trace.setdefault(facts[rollup.TRACE], []).append(facts)
    summaries = [rollup.summarise(project_id, t, fs) for t, fs in by_trace.items()]
    rollup.write(conn, dialect, summaries)
