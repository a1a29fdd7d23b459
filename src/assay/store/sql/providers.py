"""A project's model providers: the rows of ``provider_keys`` (keys arrive encrypted).

Functions here run on a connection inside the caller's transaction.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.schema import ProviderKey
from assay.store.prompts import ProviderSecret
from assay.store.sql.decode import to_datetime
from assay.store.sql.dialect import Dialect
from assay.store.sql.prompt_tables import provider_keys

_P = provider_keys.c


def now_micros() -> int:
    """The clock in microseconds since the epoch."""
    return time.time_ns() // 1000


def find(conn: Connection, project_id: str, name: str, *, lock: bool = False) -> Any:
    """The provider's row, or None."""
    query = sa.select(provider_keys).where(_P.project_id == project_id, _P.name == name)
    if lock:
        query = query.with_for_update()
    return conn.execute(query).mappings().first()


def put(
    conn: Connection,
    dialect: Dialect,
    project_id: str,
    name: str,
    *,
    fields: Mapping[str, Any],
    key_cipher: str | None,
    key_hint: str | None,
) -> Any:
    """Insert or replace the provider (``key_cipher`` None keeps the stored key); its row."""
    now = now_micros()
    values = dict(fields)
    if key_cipher is not None:
        values |= {"key_cipher": key_cipher, "key_hint": key_hint or ""}
    found = find(conn, project_id, name, lock=True)
    if found is None:
        row = {"project_id": project_id, "name": name, "created_at": now, "updated_at": now}
        row |= {"key_cipher": None, "key_hint": ""} | values
        if dialect.insert_new(conn, provider_keys, row):
            return find(conn, project_id, name)
        found = find(conn, project_id, name, lock=True)  # made meanwhile by another server
    # strictly later than before, so a cache keyed on updated_at always sees the change
    stamp = max(now, int(found["updated_at"]) + 1)
    conn.execute(
        sa.update(provider_keys)
        .where(_P.project_id == project_id, _P.name == name)
        .values(updated_at=stamp, **values)
    )
    return find(conn, project_id, name)


def list_rows(conn: Connection, project_id: str) -> list[Any]:
    """The project's providers by name."""
    query = sa.select(provider_keys).where(_P.project_id == project_id).order_by(_P.name)
    return list(conn.execute(query).mappings())


def delete(conn: Connection, project_id: str, name: str) -> bool:
    """Delete the provider; False when there was none."""
    gone = conn.execute(
        sa.delete(provider_keys)
        .where(_P.project_id == project_id, _P.name == name)
        .returning(_P.name)
    ).first()
    return gone is not None


def to_model(row: Mapping[str, Any]) -> ProviderKey:
    """The masked :class:`ProviderKey` of a row."""
    return ProviderKey(
        name=row["name"],
        kind=row["kind"],
        base_url=row["base_url"],
        key_hint=row["key_hint"],
        updated_by=row["updated_by"],
        created_at=to_datetime(row["created_at"]),
        updated_at=to_datetime(row["updated_at"]),
    )


def to_secret(row: Mapping[str, Any]) -> ProviderSecret:
    """The :class:`ProviderSecret` of a row (key still encrypted)."""
    return ProviderSecret(
        name=row["name"],
        kind=row["kind"],
        base_url=row["base_url"],
        key_cipher=row["key_cipher"],
        updated_at=int(row["updated_at"]),
    )
