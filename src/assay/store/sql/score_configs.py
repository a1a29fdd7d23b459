"""Score configs: the named rubrics of a project (numeric, categorical, boolean, text).

Functions here run on a connection inside the caller's transaction.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.errors import NotFoundError, UsageError
from assay.schema.review import ScoreCategory, ScoreConfig, ScoreConfigIn, check_config_shape
from assay.store.sql import named
from assay.store.sql._ids import uuid7
from assay.store.sql.bodies import json_text, loads_or
from assay.store.sql.decode import to_datetime
from assay.store.sql.dialect import Dialect
from assay.store.sql.review_tables import score_configs

_C = score_configs.c
#: Fields ``update`` may change, and their columns.
CHANGEABLE = {
    "description": "description",
    "min": "min_value",
    "max": "max_value",
    "step": "step",
    "categories": "categories",
    "archived": "archived",
}


def _now() -> int:
    return time.time_ns() // 1000


def to_model(row: Mapping[Any, Any]) -> ScoreConfig:
    """A :class:`ScoreConfig` from its row."""
    categories = loads_or(row["categories"], None)
    return ScoreConfig(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        description=row["description"],
        min=row["min_value"],
        max=row["max_value"],
        step=row["step"],
        categories=None if categories is None else [ScoreCategory(**c) for c in categories],
        archived=bool(row["archived"]),
        created_at=to_datetime(row["created_at"]),
        updated_at=to_datetime(row["updated_at"]),
    )


def _categories_text(categories: Sequence[ScoreCategory] | None) -> str | None:
    return None if categories is None else json_text([c.model_dump() for c in categories])


def create(
    conn: Connection, dialect: Dialect, project_id: str, body: ScoreConfigIn
) -> ScoreConfig | None:
    """Create config ``body.name``; None when the project already has one of that name."""
    now = _now()
    row = {
        "project_id": project_id,
        "id": uuid7(),
        "name": body.name,
        "kind": body.kind,
        "description": body.description,
        "min_value": body.min,
        "max_value": body.max,
        "step": body.step,
        "categories": _categories_text(body.categories),
        "archived": False,
        "created_at": now,
        "updated_at": now,
    }
    return to_model(row) if dialect.insert_new(conn, score_configs, row) else None


def find(
    conn: Connection, project_id: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any] | None:
    """The row of config ``name`` (locked for a write with ``lock``), or None."""
    return named.find(conn, score_configs, project_id, name, lock=lock)


def list_all(
    conn: Connection, project_id: str, *, include_archived: bool = False
) -> list[ScoreConfig]:
    """The configs of a project by name (archived ones only when asked)."""
    stmt = sa.select(score_configs).where(_C.project_id == project_id)
    if not include_archived:
        stmt = stmt.where(sa.not_(_C.archived))
    return [to_model(r._mapping) for r in conn.execute(stmt.order_by(_C.name))]


def by_names(conn: Connection, project_id: str, names: Sequence[str]) -> dict[str, ScoreConfig]:
    """The configs named in ``names`` that exist (archived ones included), by name."""
    if not names:
        return {}
    stmt = sa.select(score_configs).where(_C.project_id == project_id, _C.name.in_(list(names)))
    return {r.name: to_model(r._mapping) for r in conn.execute(stmt)}


def update(
    conn: Connection, project_id: str, project: str, name: str, changes: Mapping[str, Any]
) -> ScoreConfig:
    """Apply ``changes`` (fields of :data:`CHANGEABLE`) to config ``name``.

    Raises:
        NotFoundError: There is no such config.
        UsageError: A field cannot change, or the result is not a valid config of its kind.
    """
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise UsageError(
            f"a score config cannot change {sorted(unknown)}; only {sorted(CHANGEABLE)} "
            "(the kind never changes: create a config of another name)"
        )
    row = find(conn, project_id, name, lock=True)
    if row is None:
        raise NotFoundError(
            f"Score config {name!r} does not exist in project {project!r}; list them with "
            f"GET /api/v1/projects/{project}/score-configs."
        )
    merged = {**to_model(row).model_dump(), **changes}
    categories = merged["categories"]
    if categories is not None:
        categories = [ScoreCategory.model_validate(c) for c in categories]
    try:
        check_config_shape(
            row["kind"], low=merged["min"], high=merged["max"], step=merged["step"],
            categories=categories,
        )  # fmt: skip
    except ValueError as exc:
        raise UsageError(f"score config {name!r} would be invalid: {exc}") from None
    values: dict[str, Any] = {"updated_at": _now()}
    for field, value in changes.items():
        if field == "categories":
            value = _categories_text(categories)
        values[CHANGEABLE[field]] = value
    conn.execute(
        sa.update(score_configs)
        .where(_C.project_id == project_id, _C.id == row["id"])
        .values(**values)
    )
    return to_model({**row, **values})
