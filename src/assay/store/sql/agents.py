"""The rows of ``agents``: endpoints made by ``assay.serve_agent``, registered with a project.

Functions here run on a connection inside the caller's transaction.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.schema import Agent, AgentIn, AgentInfo, AgentParameter
from assay.store.sql import named
from assay.store.sql.bodies import json_text
from assay.store.sql.decode import to_datetime
from assay.store.sql.dialect import Dialect
from assay.store.sql.prompt_tables import agents

_A = agents.c


def to_model(row: Mapping[Any, Any]) -> Agent:
    """An :class:`Agent` from its row."""
    return Agent(
        name=row["name"],
        url=row["url"],
        description=row["description"],
        task=row["task"],
        parameters=[AgentParameter.model_validate(p) for p in orjson.loads(row["parameters"])],
        created_at=to_datetime(row["created_at"]),
        updated_at=to_datetime(row["updated_at"]),
    )


def put(
    conn: Connection,
    dialect: Dialect,
    project_id: str,
    name: str,
    *,
    agent: AgentIn,
    info: AgentInfo,
) -> Mapping[Any, Any]:
    """Insert agent ``name``, or replace its URL, description, task and parameters (its
    creation time stays). Of two concurrent first registrations the later write wins."""
    now = time.time_ns() // 1000
    values = {
        "url": agent.url,
        "description": agent.description,
        "task": info.task,
        "parameters": json_text([p.model_dump(mode="json") for p in info.parameters]),
        "updated_at": now,
    }
    found = named.find(conn, agents, project_id, name, lock=True)
    if found is None:
        row = {"project_id": project_id, "name": name, "created_at": now, **values}
        if dialect.insert_new(conn, agents, row):
            return row
        found = named.find(conn, agents, project_id, name, lock=True)  # made meanwhile
        assert found is not None
    where = (_A.project_id == project_id) & (_A.name == name)
    conn.execute(sa.update(agents).where(where).values(values))
    return {**found, **values}


def list_rows(conn: Connection, project_id: str) -> list[Mapping[Any, Any]]:
    """The project's agents by name."""
    stmt = sa.select(agents).where(_A.project_id == project_id).order_by(_A.name)
    return [row._mapping for row in conn.execute(stmt)]


def find(conn: Connection, project_id: str, name: str) -> Mapping[Any, Any] | None:
    """Agent ``name``'s row, or None."""
    return named.find(conn, agents, project_id, name)


def delete(conn: Connection, project_id: str, name: str) -> bool:
    """Forget agent ``name``; False when there was none."""
    where = (_A.project_id == project_id) & (_A.name == name)
    return conn.execute(sa.delete(agents).where(where)).rowcount > 0
