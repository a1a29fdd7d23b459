"""The value of an alert's series over its window, in SQL.

Traces count when they started in ``[now - window, now)`` in the production log and match the
alert's trace filter (the trace list's own conditions, from :func:`query.trace_selection`).
Scores count when they were written in the window, are current (not superseded), carry a value
and belong to the production log.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.errors import UsageError
from assay.schema.online import Alert
from assay.store.shapes import TraceQuery
from assay.store.sql.dialect import Dialect, percentile
from assay.store.sql.eval_tables import scores
from assay.store.sql.query import trace_selection
from assay.store.sql.tables import traces

_T = traces.c
_S = scores.c
_NO_WINDOW: dict[str, Any] = {"start_from": None, "start_to": None, "experiment_id": None}


def value(
    conn: Connection,
    dialect: Dialect,
    project_id: str,
    alert: Alert,
    *,
    now: int,
    traces_query: TraceQuery | None,
) -> float | None:
    """The series' value at ``now`` (µs); None when the window holds no data for it."""
    start = now - alert.window_seconds * 1_000_000
    base = dataclasses.replace(traces_query or TraceQuery(), **_NO_WINDOW)
    window = dataclasses.replace(base, start_from=start, start_to=now)
    if alert.metric == "score_mean":
        if not alert.score_name:
            return None
        narrowed = base if _narrows(base) else None
        return _score_mean(conn, dialect, project_id, alert.score_name, start, now, narrowed)
    if alert.metric == "p95_latency_ms":
        return _p95_ms(conn, dialect, project_id, window)
    if alert.metric in ("error_rate", "trace_count", "cost_per_hour"):
        return _trace_totals(conn, dialect, project_id, window, alert)
    raise UsageError(
        f"alert_value cannot compute metric {alert.metric!r}; judge_agreement is computed from "
        "judge_score_pairs"
    )


def _narrows(q: TraceQuery) -> bool:
    """Whether ``q`` (without time bounds) leaves out any production trace."""
    plain = dataclasses.replace(q, sort="-start_time", limit=50, cursor=None)
    return plain != TraceQuery()


def _trace_totals(
    conn: Connection, dialect: Dialect, project_id: str, q: TraceQuery, alert: Alert
) -> float | None:
    errors = sa.func.sum(sa.case((_T.status == "error", 1), else_=0))
    columns = (sa.func.count(), errors, sa.func.sum(_T.cost))
    stmt = trace_selection(dialect, project_id, q, *columns, conn=conn)
    count, error_count, cost = conn.execute(stmt).one()
    if alert.metric == "trace_count":
        return float(count)
    if alert.metric == "cost_per_hour":
        return float(cost or 0.0) / (alert.window_seconds / 3600.0)
    return None if not count else float(error_count) / float(count)


def _p95_ms(conn: Connection, dialect: Dialect, project_id: str, q: TraceQuery) -> float | None:
    pct = dialect.percentiles(_T.duration_us)
    if pct is not None:
        stmt = trace_selection(dialect, project_id, q, pct[1], conn=conn)
        stmt = stmt.where(_T.duration_us >= 0)
        found = conn.execute(stmt).scalar()
        return None if found is None else float(found) / 1000.0
    stmt = trace_selection(dialect, project_id, q, _T.duration_us, conn=conn)
    stmt = stmt.where(_T.duration_us >= 0)
    durations = sorted(float(d) for d in conn.execute(stmt).scalars())
    p95 = percentile(durations, 0.95)
    return None if p95 is None else p95 / 1000.0


def _score_mean(
    conn: Connection,
    dialect: Dialect,
    project_id: str,
    name: str,
    start: int,
    end: int,
    narrowed: TraceQuery | None,
) -> float | None:
    conds: list[Any] = [
        _S.project_id == project_id,
        _S.name == name,
        _S.experiment_id.is_(None),
        _S.superseded_by.is_(None),
        _S.value.is_not(None),
        _S.created_at >= start,
        _S.created_at < end,
    ]
    if narrowed is not None:
        chosen = trace_selection(dialect, project_id, narrowed, _T.trace_id, conn=conn)
        conds.append(_S.trace_id.in_(chosen))
    found = conn.execute(sa.select(sa.func.avg(_S.value)).where(*conds)).scalar()
    return None if found is None else float(found)
