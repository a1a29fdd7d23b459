"""Project rows: created on first use by name, listed with their volume."""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.schema import Project
from assay.store.sql._ids import uuid7
from assay.store.sql.decode import to_datetime
from assay.store.sql.dialect import Dialect
from assay.store.sql.tables import projects, traces


def find(conn: Connection, name: str) -> str | None:
    """The id of project ``name``, or None."""
    found = conn.execute(sa.select(projects.c.id).where(projects.c.name == name)).scalar()
    return None if found is None else str(found)


def create(conn: Connection, dialect: Dialect, name: str) -> str:
    """The id of project ``name``, inserting it when missing (safe against a concurrent insert)."""
    row = {"id": uuid7(), "name": name, "created_at": time.time_ns() // 1000}
    conn.execute(dialect.insert_ignore(projects), row)
    found = find(conn, name)
    assert found is not None
    return found


def name_of(conn: Connection, project_id: str) -> str | None:
    """The name of the project with id ``project_id``."""
    found = conn.execute(sa.select(projects.c.name).where(projects.c.id == project_id)).scalar()
    return None if found is None else str(found)


def list_all(conn: Connection) -> list[Project]:
    """Every project with the volume of its production log, most recent activity first.

    Experiment traces are not production traffic and are not counted.
    """
    t = traces.c
    totals = (
        sa.select(
            t.project_id,
            sa.func.count().label("trace_count"),
            sa.func.sum(t.span_count).label("span_count"),
            sa.func.sum(t.error_count).label("error_count"),
            sa.func.max(t.start_time).label("last"),
        )
        .where(t.experiment_id.is_(None))
        .group_by(t.project_id)
        .subquery()
    )
    stmt = sa.select(projects, totals).outerjoin(totals, totals.c.project_id == projects.c.id)
    out = [
        Project(
            id=r.id,
            name=r.name,
            created_at=to_datetime(r.created_at),
            trace_count=r.trace_count or 0,
            span_count=int(r.span_count or 0),
            error_count=int(r.error_count or 0),
            last_trace_at=None if r.last is None else to_datetime(r.last),
        )
        for r in conn.execute(stmt)
    ]
    out.sort(key=lambda p: (p.last_trace_at or p.created_at, p.created_at), reverse=True)
    return out
