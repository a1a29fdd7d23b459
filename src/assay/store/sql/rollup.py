"""The ``traces`` rollup: per-trace totals derived from the spans of the trace.

Recomputed for every trace an ``add_spans`` call touches, inside the same transaction, from the
trace's finished and open spans; running it again gives the same row, so it can be rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.store.sql.dialect import Dialect
from assay.store.sql.tables import open_spans, spans, traces

ROLLUP_FIELDS = (
    "trace_id", "span_id", "parent_id", "name", "start_time", "end_time", "status",
    "prompt_tokens", "completion_tokens", "total_tokens", "cost", "tags", "session_id",
    "user_id", "input_preview", "output_preview", "experiment_id",
)  # fmt: skip
CHUNK = 2000


def read_rows(
    conn: Connection, project_id: str, trace_ids: Sequence[str], *, table: sa.Table
) -> list[dict[str, Any]]:
    """The rollup columns of the spans of ``trace_ids`` in ``table`` (spans or open_spans)."""
    cols = [table.c[name] for name in ROLLUP_FIELDS]
    is_open = table is open_spans
    out: list[dict[str, Any]] = []
    for i in range(0, len(trace_ids), CHUNK):
        stmt = sa.select(*cols).where(
            table.c.project_id == project_id, table.c.trace_id.in_(trace_ids[i : i + CHUNK])
        )
        for r in conn.execute(stmt):
            row = dict(r._mapping)
            row["open"] = is_open
            out.append(row)
    return out


def summarise(project_id: str, trace_id: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The ``traces`` row of one trace from its span rows (``open`` set on spans still open)."""
    roots = [r for r in rows if r["parent_id"] is None]
    first = min(rows, key=lambda r: (r["start_time"], r["span_id"]))
    root = min(roots, key=lambda r: (r["start_time"], r["span_id"])) if roots else None
    head = root or first
    finished = [r for r in rows if not r["open"]]
    start = min(r["start_time"] for r in rows)
    end = max(r["end_time"] for r in finished) if finished and len(finished) == len(rows) else None
    errors = sum(1 for r in finished if r["status"] == "error")
    if errors:
        status = "error"
    elif root is None or root["open"]:
        status = "unset"
    else:
        status = root["status"]
    return {
        "project_id": project_id,
        "trace_id": trace_id,
        "start_time": start,
        "end_time": end,
        "duration_us": -1 if end is None else max(end - start, 0),
        "root_span_id": None if root is None else root["span_id"],
        "name": head["name"],
        "status": status,
        "input_preview": head["input_preview"],
        "output_preview": head["output_preview"],
        "span_count": len(rows),
        "error_count": errors,
        "prompt_tokens": sum(r["prompt_tokens"] for r in finished),
        "completion_tokens": sum(r["completion_tokens"] for r in finished),
        "total_tokens": sum(r["total_tokens"] for r in finished),
        "cost": float(sum(r["cost"] for r in finished)),
        "tags": _union_tags(r["tags"] for r in rows),
        "session_id": _first(head, rows, "session_id"),
        "user_id": _first(head, rows, "user_id"),
        "experiment_id": _first(head, rows, "experiment_id"),
    }


def _union_tags(tag_texts: Iterable[str]) -> str:
    seen: dict[str, None] = {}
    for text in tag_texts:
        if text != "[]":
            seen.update(dict.fromkeys(orjson.loads(text)))
    return orjson.dumps(sorted(seen)).decode()


def _first(head: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], name: str) -> Any:
    if head[name] is not None:
        return head[name]
    return next((r[name] for r in rows if r[name] is not None), None)


def write(conn: Connection, dialect: Dialect, rows: Sequence[dict[str, Any]]) -> None:
    """Upsert ``traces`` rows."""
    dialect.executemany(conn, dialect.upsert(traces), rows)


def rebuild(conn: Connection, dialect: Dialect, project_id: str, trace_ids: Sequence[str]) -> None:
    """Recompute the rollup rows of ``trace_ids`` from the stored spans."""
    by_trace: dict[str, list[dict[str, Any]]] = {}
    for table in (spans, open_spans):
        for row in read_rows(conn, project_id, trace_ids, table=table):
            by_trace.setdefault(row["trace_id"], []).append(row)
    write(conn, dialect, [summarise(project_id, t, rs) for t, rs in by_trace.items()])
