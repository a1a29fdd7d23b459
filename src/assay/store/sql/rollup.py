"""The ``traces`` rollup: per-trace totals derived from the spans of the trace.

Recomputed for every trace an ``add_spans`` call touches, inside the same transaction, from the
trace's finished and open spans; running it again gives the same row, so it can be rebuilt.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.store.sql.dialect import Dialect
from assay.store.sql.encode import COLUMN
from assay.store.sql.tables import open_spans, spans, traces

ROLLUP_FIELDS = (
    "trace_id", "span_id", "parent_id", "name", "start_time", "end_time", "status",
    "prompt_tokens", "completion_tokens", "total_tokens", "cost", "tags", "session_id",
    "user_id", "input_preview", "output_preview", "experiment_id",
)  # fmt: skip
CHUNK = 2000
# A span's rollup facts: a tuple of ROLLUP_FIELDS followed by OPEN (True for a start event).
(
    TRACE, SPAN, PARENT, NAME, START, END, STATUS, PROMPT, COMPLETION, TOTAL, COST, TAGS,
    SESSION, USER, IN_PREVIEW, OUT_PREVIEW, EXPERIMENT, OPEN,
) = range(len(ROLLUP_FIELDS) + 1)  # fmt: skip
Facts = tuple[Any, ...]
_FROM_ROW = operator.itemgetter(*(COLUMN[name] for name in ROLLUP_FIELDS))


def facts_of(row: Sequence[Any], *, is_open: bool) -> Facts:
    """The rollup facts of a span row made by ``Encoder.row``."""
    return (*_FROM_ROW(row), is_open)


def read_rows(
    conn: Connection, project_id: str, trace_ids: Sequence[str], *, table: sa.Table
) -> list[Facts]:
    """The rollup facts of the spans of ``trace_ids`` in ``table`` (spans or open_spans)."""
    cols = [table.c[name] for name in ROLLUP_FIELDS]
    is_open = table is open_spans
    out: list[Facts] = []
    for i in range(0, len(trace_ids), CHUNK):
        stmt = sa.select(*cols).where(
            table.c.project_id == project_id, table.c.trace_id.in_(trace_ids[i : i + CHUNK])
        )
        out.extend((*r, is_open) for r in conn.execute(stmt))
    return out


def _order(r: Facts) -> tuple[int, str]:
    return r[START], r[SPAN]


def summarise(project_id: str, trace_id: str, rows: Sequence[Facts]) -> dict[str, Any]:
    """The ``traces`` row of one trace from the rollup facts of its spans."""
    roots = [r for r in rows if r[PARENT] is None]
    first = min(rows, key=_order)
    root = min(roots, key=_order) if roots else None
    head = root or first
    finished = [r for r in rows if not r[OPEN]]
    start = min(r[START] for r in rows)
    end = max(r[END] for r in finished) if finished and len(finished) == len(rows) else None
    errors = sum(1 for r in finished if r[STATUS] == "error")
    if errors:
        status = "error"
    elif root is None or root[OPEN]:
        status = "unset"
    else:
        status = root[STATUS]
    return {
        "project_id": project_id,
        "trace_id": trace_id,
        "start_time": start,
        "end_time": end,
        "duration_us": -1 if end is None else max(end - start, 0),
        "root_span_id": None if root is None else root[SPAN],
        "name": head[NAME],
        "status": status,
        "input_preview": head[IN_PREVIEW],
        "output_preview": head[OUT_PREVIEW],
        "span_count": len(rows),
        "error_count": errors,
        "prompt_tokens": sum(r[PROMPT] for r in finished),
        "completion_tokens": sum(r[COMPLETION] for r in finished),
        "total_tokens": sum(r[TOTAL] for r in finished),
        "cost": float(sum(r[COST] for r in finished)),
        "tags": _union_tags(r[TAGS] for r in rows),
        "session_id": _first(head, rows, SESSION),
        "user_id": _first(head, rows, USER),
        "experiment_id": _first(head, rows, EXPERIMENT),
    }


def _union_tags(tag_texts: Iterable[str]) -> str:
    seen: dict[str, None] = {}
    for text in tag_texts:
        if text != "[]":
            seen.update(dict.fromkeys(orjson.loads(text)))
    return orjson.dumps(sorted(seen)).decode()


def _first(head: Facts, rows: Sequence[Facts], index: int) -> Any:
    if head[index] is not None:
        return head[index]
    return next((r[index] for r in rows if r[index] is not None), None)


TRACE_COLUMNS = tuple(c.name for c in traces.columns)


def rows_of(summaries: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """``summarise`` results as tuples in TRACE_COLUMNS order."""
    return [tuple([row[c] for c in TRACE_COLUMNS]) for row in summaries]


def write(conn: Connection, dialect: Dialect, rows: Sequence[dict[str, Any]]) -> None:
    """Upsert ``traces`` rows."""
    write_rows(conn, dialect, rows_of(rows))


def write_rows(conn: Connection, dialect: Dialect, values: Sequence[tuple[Any, ...]]) -> None:
    """Upsert ``traces`` rows given as tuples in TRACE_COLUMNS order."""
    if values:
        dialect.write_rows(conn, traces, TRACE_COLUMNS, values, update=True)


def rebuild(conn: Connection, dialect: Dialect, project_id: str, trace_ids: Sequence[str]) -> None:
    """Recompute the rollup rows of ``trace_ids`` from the stored spans."""
    by_trace: dict[str, list[Facts]] = {}
    for table in (spans, open_spans):
        for row in read_rows(conn, project_id, trace_ids, table=table):
            by_trace.setdefault(row[TRACE], []).append(row)
    write(conn, dialect, [summarise(project_id, t, rs) for t, rs in by_trace.items()])
