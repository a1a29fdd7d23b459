"""SQL of the audit log and of project settings and creation (issue 8)."""

from __future__ import annotations

import time
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.errors import NotFoundError, UsageError
from assay.schema import AuditEvent, AuditPage, Project, ProjectSettings
from assay.store.sql._ids import uuid7
from assay.store.sql.auth_tables import audit_log
from assay.store.sql.decode import to_datetime
from assay.store.sql.dialect import Dialect
from assay.store.sql.query import decode_cursor, encode_cursor
from assay.store.sql.tables import projects

_CURSOR_TAG = "audit"


def now_micros() -> int:
    """The clock, in microseconds since the epoch."""
    return time.time_ns() // 1000


def record(
    conn: Connection,
    project_id: str | None,
    *,
    actor: str,
    action: str,
    target: str | None,
    details: dict[str, Any] | None,
    address: str | None,
) -> str:
    """Insert one audit event; returns its id (UUIDv7, so ids sort by time)."""
    event_id = uuid7()
    conn.execute(
        audit_log.insert().values(
            id=event_id,
            project_id=project_id,
            actor=actor,
            action=action,
            target=target,
            details=orjson.dumps(details or {}, default=str).decode(),
            address=address,
            created_at=now_micros(),
        )
    )
    return event_id


def list_page(
    conn: Connection,
    project_id: str | None,
    *,
    limit: int,
    cursor: str | None,
    action: str | None,
) -> AuditPage:
    """A page of events newest first, by (created_at, id) descending."""
    a = audit_log.c
    where = [a.project_id.is_(None) if project_id is None else a.project_id == project_id]
    if action:
        if action.endswith("."):
            escaped = action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append(a.action.like(escaped + "%", escape="\\"))
        else:
            where.append(a.action == action)
    if cursor:
        created, last_id = decode_cursor(cursor, 3, _CURSOR_TAG)
        if not isinstance(created, int) or not isinstance(last_id, str):
            raise UsageError(f"cursor {cursor[:40]!r} was not made by the audit log listing")
        where.append(sa.tuple_(a.created_at, a.id) < sa.tuple_(created, last_id))
    stmt = (
        sa.select(audit_log, projects.c.name.label("project_name"))
        .outerjoin(projects, projects.c.id == a.project_id)
        .where(*where)
        .order_by(a.created_at.desc(), a.id.desc())
        .limit(limit + 1)
    )
    rows = conn.execute(stmt).mappings().all()
    page = rows[:limit]
    next_cursor = None
    if len(rows) > limit and page:
        next_cursor = encode_cursor([_CURSOR_TAG, page[-1]["created_at"], page[-1]["id"]])
    return AuditPage(items=[_event(row) for row in page], next_cursor=next_cursor)


def _event(row: Any) -> AuditEvent:
    return AuditEvent(
        id=row["id"],
        project=row["project_name"],
        actor=row["actor"],
        action=row["action"],
        target=row["target"],
        details=orjson.loads(row["details"]) if row["details"] else {},
        address=row["address"],
        created_at=to_datetime(row["created_at"]),
    )


def create_project(conn: Connection, dialect: Dialect, name: str) -> Project | None:
    """Insert project ``name``; None when the name is taken (also by a concurrent insert)."""
    project_id, created = uuid7(), now_micros()
    row = {"id": project_id, "name": name, "created_at": created}
    if not dialect.insert_new(conn, projects, row):
        return None
    return Project(id=project_id, name=name, created_at=to_datetime(created))


def get_settings(conn: Connection, project_id: str) -> ProjectSettings:
    """The settings of a project (NotFoundError when it does not exist)."""
    stmt = sa.select(projects.c.retention_days).where(projects.c.id == project_id)
    found = conn.execute(stmt).first()
    if found is None:
        raise NotFoundError(f"no project has id {project_id!r}")
    days = found.retention_days
    return ProjectSettings(retention_days=None if days is None else int(days))


def update_settings(conn: Connection, project_id: str, changes: dict[str, Any]) -> ProjectSettings:
    """Apply ``changes`` (validated against ``ProjectSettings``) and return the result."""
    current = get_settings(conn, project_id)
    merged = ProjectSettings.model_validate({**current.model_dump(), **changes})
    conn.execute(
        projects.update()
        .where(projects.c.id == project_id)
        .values(retention_days=merged.retention_days)
    )
    return merged


def retention_policies(conn: Connection) -> dict[str, int]:
    """Project id → retention_days for the projects that have it."""
    p = projects.c
    rows = conn.execute(sa.select(p.id, p.retention_days).where(p.retention_days.is_not(None)))
    return {str(r.id): int(r.retention_days) for r in rows}
