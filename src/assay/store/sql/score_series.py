"""Score means per time bucket, for the monitoring charts next to the trace aggregates.

A score falls in the bucket of its ``created_at`` (when it was given), so an online judge or a
reviewer's labels show up when they happened. Only the production log counts: scores of
experiments, superseded edits and label-only scores are left out.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.store.sql.eval_tables import scores
from assay.store.sql.tables import traces


def bucket_means(
    conn: Connection,
    project_id: str,
    *,
    start: int,
    end: int,
    width: int,
    trace_name: str | None = None,
) -> dict[int, dict[str, float]]:
    """Mean value per score name in each bucket of ``width`` µs from ``start`` up to ``end``.

    Keys are bucket indexes (0 is the bucket at ``start``); buckets without scores are absent.
    With ``trace_name``, only scores of traces whose root has that name count.
    """
    c = scores.c
    bucket = ((c.created_at - start) // width).label("bucket")
    conds = [
        c.project_id == project_id,
        c.experiment_id.is_(None),
        c.superseded_by.is_(None),
        c.value.is_not(None),
        c.created_at >= start,
        c.created_at < end,
    ]
    if trace_name is not None:
        named = sa.select(traces.c.trace_id).where(
            traces.c.project_id == project_id, traces.c.name == trace_name
        )
        conds.append(c.trace_id.in_(named))
    stmt = (
        sa.select(bucket, c.name, sa.func.avg(c.value).label("mean"))
        .where(*conds)
        .group_by(bucket, c.name)
    )
    result: dict[int, dict[str, float]] = {}
    for row in conn.execute(stmt):
        result.setdefault(int(row.bucket), {})[row.name] = float(row.mean)
    return result
