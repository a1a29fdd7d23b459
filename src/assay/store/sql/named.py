"""Rows a project names: datasets, experiments, judges, queues and score configs.

Each of these tables has ``project_id`` and a ``name`` unique in the project; these two functions
read one by name, locked for a write when asked, and say what to do when it is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.errors import NotFoundError


def find(
    conn: Connection, table: sa.Table, project_id: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any] | None:
    """The row named ``name`` in ``table`` (locked for a write with ``lock``), or None."""
    stmt = sa.select(table).where(table.c.project_id == project_id, table.c.name == name)
    if lock:
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).first()
    return None if row is None else row._mapping


def require(
    conn: Connection,
    table: sa.Table,
    project_id: str,
    name: str,
    *,
    what: str,
    project: str,
    lock: bool = False,
) -> Mapping[Any, Any]:
    """The row named ``name``; NotFoundError naming it, and the path that creates or lists them.

    Args:
        what: What the row is, capitalised for the message ("Judge").
        project: The project's name, for the message.
    """
    row = find(conn, table, project_id, name, lock=lock)
    if row is None:
        path = f"/api/v1/projects/{project}/{table.name.replace('_', '-')}"
        raise NotFoundError(
            f"{what} {name!r} does not exist in project {project!r}; create it with "
            f"POST {path} or list them with GET on the same path."
        )
    return row
