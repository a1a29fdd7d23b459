"""Scores: one row per named value on a trace or span; an edit is a new row superseding the old.

Evals write them (source ``code``); human reviews and LLM judges write the same rows, a judge's
with its name and version.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.schema.eval import Score, ScoreIn
from assay.store.sql._ids import uuid7
from assay.store.sql.bodies import json_text, loads_or
from assay.store.sql.decode import to_datetime, to_micros
from assay.store.sql.eval_tables import scores


def row_of(
    project_id: str, score: ScoreIn, *, created_at: int | None = None, rule_id: str | None = None
) -> dict[str, Any]:
    """The row of a new score (with a fresh UUIDv7 id).

    The time is ``created_at`` when given, else the score's own ``created_at``, else now.
    ``rule_id`` names the online rule that wrote it.
    """
    if created_at is None and score.created_at is not None:
        created_at = to_micros(score.created_at)
    return {
        "project_id": project_id,
        "id": uuid7(),
        "trace_id": score.trace_id.lower(),
        "span_id": None if score.span_id is None else score.span_id.lower(),
        "name": score.name,
        "value": score.value,
        "label": score.label,
        "source": score.source,
        "scorer": score.scorer,
        "author": score.author,
        "rationale": score.rationale,
        "metadata": json_text(score.metadata),
        "experiment_id": score.experiment_id,
        "created_at": created_at if created_at is not None else time.time_ns() // 1000,
        "superseded_by": None,
        "judge": score.judge,
        "judge_version": score.judge_version,
        "review_id": None,
        "rule_id": rule_id,
    }


def insert(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert score rows (inside the caller's transaction)."""
    if rows:
        conn.execute(sa.insert(scores), list(rows))


def to_model(row: Mapping[Any, Any]) -> Score:
    """A :class:`Score` from its row."""
    return Score(
        id=row["id"],
        trace_id=row["trace_id"],
        span_id=row["span_id"],
        name=row["name"],
        value=row["value"],
        label=row["label"],
        source=row["source"],
        scorer=row["scorer"],
        author=row["author"],
        rationale=row["rationale"],
        metadata=loads_or(row["metadata"], {}),
        experiment_id=row["experiment_id"],
        judge=row["judge"],
        judge_version=row["judge_version"],
        review_id=row["review_id"],
        rule_id=row["rule_id"],
        created_at=to_datetime(row["created_at"]),
    )


def of_trace(
    conn: Connection, project_id: str, trace_id: str, *, superseded: bool = False
) -> list[Score]:
    """The scores of a trace, oldest first (then by name); superseded ones only when asked."""
    c = scores.c
    stmt = sa.select(scores).where(c.project_id == project_id, c.trace_id == trace_id)
    if not superseded:
        stmt = stmt.where(c.superseded_by.is_(None))
    stmt = stmt.order_by(c.created_at, c.name, c.id)
    return [to_model(r._mapping) for r in conn.execute(stmt)]


def means_by_trace(
    conn: Connection, project_id: str, trace_ids: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Mean value per score name of each trace in ``trace_ids``, over its current scores.

    One query for the whole page of the trace list; label-only scores are left out.
    """
    if not trace_ids:
        return {}
    c = scores.c
    stmt = (
        sa.select(c.trace_id, c.name, sa.func.avg(c.value).label("mean"))
        .where(
            c.project_id == project_id,
            c.trace_id.in_(list(trace_ids)),
            c.superseded_by.is_(None),
            c.value.is_not(None),
        )
        .group_by(c.trace_id, c.name)
    )
    result: dict[str, dict[str, float]] = {}
    for row in conn.execute(stmt):
        result.setdefault(row.trace_id, {})[row.name] = float(row.mean)
    return result
