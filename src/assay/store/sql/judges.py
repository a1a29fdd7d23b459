"""Judges: named LLM judges whose definition is versioned, and their scores paired with humans'.

Functions here run on a connection inside the caller's transaction. A writer locks the judge's
row first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite has a single writer), so versions are
numbered without gaps even with several servers.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.errors import NotFoundError
from assay.schema.judge import Judge, JudgeIn, JudgeVersion
from assay.store.base import PairQuery, ScorePair
from assay.store.sql import named
from assay.store.sql._ids import uuid7
from assay.store.sql.bodies import json_text, loads_or
from assay.store.sql.decode import to_datetime
from assay.store.sql.dialect import Dialect
from assay.store.sql.eval_tables import judge_versions, judges, scores

_J = judges.c
_V = judge_versions.c
JUDGE_FIELDS = ("description", "score_name", "threshold", "threshold_metric")
_NULLABLE = ("description", "threshold")


def _now() -> int:
    return time.time_ns() // 1000


def to_model(
    judge: Mapping[Any, Any], version: Mapping[Any, Any], project: str, *, created: bool = False
) -> Judge:
    """A :class:`Judge` from its row and the row of one of its versions."""
    return Judge(
        id=judge["id"],
        project=project,
        name=judge["name"],
        description=judge["description"],
        score_name=judge["score_name"],
        threshold=judge["threshold"],
        threshold_metric=judge["threshold_metric"],
        latest_version=judge["version"],
        version=version["version"],
        prompt=version["prompt"],
        choices=loads_or(version["choices"], {}),
        model=version["model"],
        use_cot=bool(version["use_cot"]),
        params=loads_or(version["params"], {}),
        created_at=to_datetime(judge["created_at"]),
        updated_at=to_datetime(judge["updated_at"]),
        version_created_at=to_datetime(version["created_at"]),
        created=created,
    )


def find(
    conn: Connection, project_id: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any] | None:
    """The row of judge ``name`` (locked for a write with ``lock``), or None."""
    return named.find(conn, judges, project_id, name, lock=lock)


def require(
    conn: Connection, project_id: str, project: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any]:
    """The row of judge ``name``; NotFoundError naming it when there is none."""
    return named.require(conn, judges, project_id, name, what="Judge", project=project, lock=lock)


def version_row(
    conn: Connection, judge: Mapping[Any, Any], version: int, *, project: str
) -> Mapping[Any, Any]:
    """The row of one version of ``judge``; NotFoundError naming the versions there are."""
    stmt = sa.select(judge_versions).where(
        _V.project_id == judge["project_id"], _V.judge_id == judge["id"], _V.version == version
    )
    row = conn.execute(stmt).first()
    if row is None:
        raise NotFoundError(
            f"Judge {judge['name']!r} of project {project!r} has versions 1 to "
            f"{judge['version']}; version {version} does not exist."
        )
    return row._mapping


def _definition(body: JudgeIn) -> dict[str, Any]:
    return {
        "prompt": body.prompt,
        "choices": json_text(body.choices),
        "model": body.model,
        "use_cot": body.use_cot,
        "params": json_text(body.params),
    }


def _same(old: Mapping[Any, Any], new: Mapping[str, Any]) -> bool:
    """Whether two definitions are equal (choices in order; params as a mapping)."""
    return (
        old["prompt"] == new["prompt"]
        and list(loads_or(old["choices"], {}).items()) == list(loads_or(new["choices"], {}).items())
        and old["model"] == new["model"]
        and bool(old["use_cot"]) == new["use_cot"]
        and loads_or(old["params"], {}) == loads_or(new["params"], {})
    )


def _judge_changes(body: JudgeIn) -> dict[str, Any]:
    """The judge-level fields ``body`` sets (a null clears only description and threshold)."""
    changes: dict[str, Any] = {}
    for name in JUDGE_FIELDS:
        value = getattr(body, name)
        if name in body.model_fields_set and (value is not None or name in _NULLABLE):
            changes[name] = value
    return changes


def _insert_judge(
    conn: Connection, dialect: Dialect, project_id: str, body: JudgeIn, now: int
) -> Mapping[Any, Any] | None:
    row = {
        "project_id": project_id,
        "id": uuid7(),
        "name": body.name,
        "description": body.description,
        "score_name": body.score_name or body.name,
        "threshold": body.threshold,
        "threshold_metric": body.threshold_metric or "cohen_kappa",
        "version": 0,
        "created_at": now,
        "updated_at": now,
    }
    return row if dialect.insert_new(conn, judges, row) else None


def save(conn: Connection, dialect: Dialect, project_id: str, project: str, body: JudgeIn) -> Judge:
    """Create judge ``body.name`` or add a version when its definition changed."""
    now = _now()
    judge = find(conn, project_id, body.name, lock=True)
    if judge is None:
        judge = _insert_judge(conn, dialect, project_id, body, now)
        if judge is None:  # made by another writer since; it is committed now
            judge = require(conn, project_id, project, body.name, lock=True)
    definition = _definition(body)
    changes = _judge_changes(body)
    number = judge["version"]
    latest = None if number == 0 else version_row(conn, judge, number, project=project)
    created = latest is None or not _same(latest, definition)
    if latest is None or created:
        latest = {
            "project_id": project_id,
            "judge_id": judge["id"],
            "version": number + 1,
            "created_at": now,
            **definition,
        }
        conn.execute(sa.insert(judge_versions), latest)
        changes["version"] = number + 1
    if changes:
        judge = update(conn, judge, changes, now=now)
    return to_model(judge, latest, project, created=created)


def update(
    conn: Connection,
    judge: Mapping[Any, Any],
    changes: Mapping[str, Any],
    *,
    now: int | None = None,
) -> Mapping[Any, Any]:
    """Write ``changes`` to the judge's row; returns the row as it is now."""
    values = {**changes, "updated_at": _now() if now is None else now}
    conn.execute(
        sa.update(judges)
        .where(_J.project_id == judge["project_id"], _J.id == judge["id"])
        .values(**values)
    )
    return {**judge, **values}


def list_all(conn: Connection, project_id: str, project: str) -> list[Judge]:
    """Every judge of the project at its latest version, by name."""
    stmt = (
        sa.select(judges, judge_versions)
        .join(
            judge_versions,
            sa.and_(_V.project_id == _J.project_id, _V.judge_id == _J.id, _V.version == _J.version),
        )
        .where(_J.project_id == project_id)
        .order_by(_J.name)
    )
    out = []
    for row in conn.execute(stmt):
        judge = {c.name: row._mapping[c] for c in judges.c}
        version = {c.name: row._mapping[c] for c in judge_versions.c}
        out.append(to_model(judge, version, project))
    return out


def list_versions(conn: Connection, judge: Mapping[Any, Any]) -> list[JudgeVersion]:
    """Every version of the judge, oldest first."""
    stmt = (
        sa.select(judge_versions)
        .where(_V.project_id == judge["project_id"], _V.judge_id == judge["id"])
        .order_by(_V.version)
    )
    return [
        JudgeVersion(
            version=r.version,
            prompt=r.prompt,
            choices=loads_or(r.choices, {}),
            model=r.model,
            use_cot=bool(r.use_cot),
            params=loads_or(r.params, {}),
            created_at=to_datetime(r.created_at),
        )
        for r in conn.execute(stmt)
    ]


def _latest_scores(project_id: str, name: str, source: str, *where: Any) -> Any:
    """The scores of one name and source, each ranked within its target, latest first."""
    c = scores.c
    rank = sa.func.row_number().over(
        partition_by=(c.trace_id, c.span_id), order_by=(c.created_at.desc(), c.id.desc())
    )
    return (
        sa.select(
            c.id,
            c.trace_id,
            c.span_id,
            c.value,
            c.label,
            c.rationale,
            c.author,
            c.created_at,
            sa.func.coalesce(c.span_id, "").label("target"),
            rank.label("rank"),
        )
        .where(
            c.project_id == project_id,
            c.name == name,
            c.source == source,
            c.superseded_by.is_(None),
            *where,
        )
        .subquery(source)
    )


def pairs(conn: Connection, project_id: str, query: PairQuery) -> list[ScorePair]:
    """Judge scores paired with human scores on the same target, most recently judged first."""
    c = scores.c
    where = [c.judge == query.judge]
    if query.version is not None:
        where.append(c.judge_version == query.version)
    if query.since is not None:
        where.append(c.created_at >= query.since)
    if query.until is not None:
        where.append(c.created_at < query.until)
    j = _latest_scores(project_id, query.score_name, "llm_judge", *where)
    h = _latest_scores(project_id, query.human, "human")
    stmt = (
        sa.select(
            j.c.trace_id,
            j.c.span_id,
            j.c.value,
            j.c.label,
            j.c.rationale,
            j.c.created_at,
            h.c.value.label("human_value"),
            h.c.label.label("human_label"),
            h.c.author,
        )
        .select_from(j.join(h, sa.and_(j.c.trace_id == h.c.trace_id, j.c.target == h.c.target)))
        .where(j.c.rank == 1, h.c.rank == 1)
        .order_by(j.c.created_at.desc(), j.c.id.desc())
    )
    return [
        ScorePair(
            trace_id=r.trace_id,
            span_id=r.span_id,
            judge_value=r.value,
            judge_label=r.label,
            rationale=r.rationale,
            judged_at=r.created_at,
            human_value=r.human_value,
            human_label=r.human_label,
            author=r.author,
        )
        for r in conn.execute(stmt)
    ]
