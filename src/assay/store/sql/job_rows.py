"""Jobs read back as :class:`~assay.schema.Job`: one job, and a project's jobs a page at a time.

A job names its project and its rule by name (joined in the query); a job of a deleted rule
keeps its ``rule_id`` but shows no rule name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.errors import UsageError
from assay.schema import Job, JobPage
from assay.schema.online import JobStatus
from assay.store.shapes import JobQuery
from assay.store.sql.bodies import loads_or
from assay.store.sql.decode import to_datetime
from assay.store.sql.online_tables import jobs, rules
from assay.store.sql.query import decode_cursor, encode_cursor
from assay.store.sql.tables import projects

_J = jobs.c
STATUSES: tuple[str, ...] = get_args(JobStatus)
MAX_PAGE = 500


def _select(*where: sa.ColumnElement[bool]) -> sa.Select[Any]:
    r, p = rules.c, projects.c
    joined = jobs.outerjoin(rules, sa.and_(r.project_id == _J.project_id, r.id == _J.rule_id))
    joined = joined.outerjoin(projects, p.id == _J.project_id)
    return (
        sa.select(jobs, r.name.label("rule_name"), p.name.label("project_name"))
        .select_from(joined)
        .where(*where)
    )


def _when(micros: int | None) -> Any:
    return None if micros is None else to_datetime(micros)


def to_model(row: Mapping[Any, Any]) -> Job:
    """A :class:`Job` from a row of :func:`_select`."""
    return Job(
        id=row["id"],
        project=row["project_name"],
        kind=row["kind"],
        status=row["status"],
        attempts=row["attempts"],
        max_attempts=row["max_attempts"],
        payload=loads_or(row["payload"], {}),
        result=loads_or(row["result"], None),
        error=row["error"],
        progress_done=row["progress_done"],
        progress_total=row["progress_total"],
        rule=row["rule_name"],
        claimed_by=row["claimed_by"],
        run_after=to_datetime(row["run_after"]),
        created_at=to_datetime(row["created_at"]),
        updated_at=to_datetime(row["updated_at"]),
        started_at=_when(row["started_at"]),
        finished_at=_when(row["finished_at"]),
    )


def get(conn: Connection, job_id: str) -> Job | None:
    """Job ``job_id``, or None."""
    row = conn.execute(_select(_J.id == job_id)).first()
    return None if row is None else to_model(row._mapping)


def _conditions(project_id: str | None, query: JobQuery) -> list[sa.ColumnElement[bool]]:
    """Project, kind and rule conditions (not the status: the counts ignore it)."""
    conds = [_J.project_id.is_(None) if project_id is None else _J.project_id == project_id]
    if query.kind is not None:
        conds.append(_J.kind == query.kind)
    if query.rule_id is not None:
        conds.append(_J.rule_id == query.rule_id)
    return conds


def counts(conn: Connection, project_id: str | None, query: JobQuery) -> dict[str, int]:
    """Jobs per status (every status named, zeros included) under the kind and rule filters."""
    stmt = (
        sa.select(_J.status, sa.func.count().label("n"))
        .where(*_conditions(project_id, query))
        .group_by(_J.status)
    )
    found = {row.status: int(row.n) for row in conn.execute(stmt)}
    return {status: found.get(status, 0) for status in STATUSES} | found


def list_page(conn: Connection, project_id: str | None, query: JobQuery) -> JobPage:
    """A page of jobs, newest first, with the counts per status of the whole (filtered) list."""
    conds = _conditions(project_id, query)
    if query.status is not None:
        conds.append(_J.status == query.status)
    if query.cursor:
        created, last_id = decode_cursor(query.cursor, 3, "jobs")
        if not isinstance(created, int) or not isinstance(last_id, str):
            raise UsageError(
                f"cursor {query.cursor[:40]!r} was not made by the job list; pass back its "
                "next_cursor, or no cursor for the first page"
            )
        conds.append(
            sa.or_(_J.created_at < created, sa.and_(_J.created_at == created, _J.id < last_id))
        )
    limit = max(1, min(query.limit, MAX_PAGE))
    stmt = _select(*conds).order_by(_J.created_at.desc(), _J.id.desc()).limit(limit + 1)
    rows = [r._mapping for r in conn.execute(stmt)]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(["jobs", last["created_at"], last["id"]])
    return JobPage(
        items=[to_model(r) for r in rows[:limit]],
        next_cursor=next_cursor,
        counts=counts(conn, project_id, query),
    )
