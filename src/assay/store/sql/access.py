"""SQL of memberships and project API keys (tables in :mod:`assay.store.sql.auth_tables`)."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Mapping
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.schema.auth import ApiKey, ApiKeyCreated, Member, Role
from assay.store.access import ApiKeyInfo
from assay.store.sql._ids import uuid7
from assay.store.sql.auth_tables import api_keys, memberships, users
from assay.store.sql.decode import to_datetime
from assay.store.sql.dialect import Dialect
from assay.store.sql.tables import projects

KEY_PREFIX = "assay_"
TOUCH_EVERY_US = 60_000_000  # last_used_at is written at most once a minute per key
_PREFIX_CHARS = 12  # "assay_" and six characters of the secret


def now_micros() -> int:
    """The clock in microseconds since the epoch."""
    return time.time_ns() // 1000


def hash_secret(secret: str) -> str:
    """The SHA-256 hex digest a key's secret is stored and looked up as."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    """A new key secret: ``assay_`` and 32 URL-safe random characters (192 bits)."""
    return KEY_PREFIX + secrets.token_urlsafe(24)


# --- memberships


def _member_select() -> sa.Select[Any]:
    m, u = memberships.c, users.c
    return sa.select(m.user_id, m.role, m.created_at, u.email, u.name).join(
        users, users.c.id == m.user_id
    )


def _member(row: Mapping[Any, Any]) -> Member:
    return Member(
        user_id=row["user_id"],
        email=row["email"],
        name=row["name"],
        role=cast(Role, row["role"]),
        created_at=to_datetime(row["created_at"]),
    )


def get_member(conn: Connection, project_id: str, user_id: str) -> Member | None:
    """One membership with the user's email and name."""
    stmt = _member_select().where(
        memberships.c.project_id == project_id, memberships.c.user_id == user_id
    )
    row = conn.execute(stmt).mappings().first()
    return None if row is None else _member(row)


def add_member(
    conn: Connection, dialect: Dialect, project_id: str, user_id: str, role: Role
) -> Member | None:
    """Insert a membership; None when the user is already a member."""
    now = now_micros()
    row = {
        "project_id": project_id,
        "user_id": user_id,
        "role": role,
        "created_at": now,
        "updated_at": now,
    }
    if not dialect.insert_new(conn, memberships, row):
        return None
    return get_member(conn, project_id, user_id)


def list_members(conn: Connection, project_id: str) -> list[Member]:
    """The project's members by email."""
    stmt = _member_select().where(memberships.c.project_id == project_id).order_by(users.c.email)
    return [_member(row) for row in conn.execute(stmt).mappings()]


def update_member(conn: Connection, project_id: str, user_id: str, role: Role) -> Member | None:
    """Change a member's role; None when not a member."""
    m = memberships.c
    stmt = (
        sa.update(memberships)
        .where(m.project_id == project_id, m.user_id == user_id)
        .values(role=role, updated_at=now_micros())
    )
    if not conn.execute(stmt).rowcount:
        return None
    return get_member(conn, project_id, user_id)


def remove_member(conn: Connection, project_id: str, user_id: str) -> bool:
    """Delete a membership; False when there was none."""
    m = memberships.c
    stmt = sa.delete(memberships).where(m.project_id == project_id, m.user_id == user_id)
    return bool(conn.execute(stmt).rowcount)


def roles_of_user(conn: Connection, user_id: str) -> dict[str, Role]:
    """Project id → role for every membership of the user."""
    m = memberships.c
    rows = conn.execute(sa.select(m.project_id, m.role).where(m.user_id == user_id))
    return {str(project_id): cast(Role, role) for project_id, role in rows}


def role_of(conn: Connection, user_id: str, project_id: str) -> Role | None:
    """The user's role in one project (primary-key lookup), or None."""
    m = memberships.c
    stmt = sa.select(m.role).where(m.project_id == project_id, m.user_id == user_id)
    found = conn.execute(stmt).scalar()
    return None if found is None else cast(Role, found)


# --- API keys


def _api_key(row: Mapping[Any, Any]) -> ApiKey:
    def moment(value: int | None) -> Any:
        return None if value is None else to_datetime(value)

    return ApiKey(
        id=row["id"],
        name=row["name"],
        role=cast(Role, row["role"]),
        prefix=row["prefix"],
        created_by=row["created_by"],
        created_at=to_datetime(row["created_at"]),
        last_used_at=moment(row["last_used_at"]),
        revoked_at=moment(row["revoked_at"]),
    )


def create_api_key(
    conn: Connection, project_id: str, name: str, role: Role, created_by: str | None
) -> ApiKeyCreated:
    """Insert a key; the secret is returned here and stored only as its hash."""
    secret = new_secret()
    row = {
        "project_id": project_id,
        "id": uuid7(),
        "name": name,
        "role": role,
        "prefix": secret[:_PREFIX_CHARS],
        "secret_hash": hash_secret(secret),
        "created_by": created_by,
        "created_at": now_micros(),
        "last_used_at": None,
        "revoked_at": None,
    }
    conn.execute(sa.insert(api_keys), row)
    return ApiKeyCreated(**_api_key(row).model_dump(), secret=secret)


def list_api_keys(conn: Connection, project_id: str) -> list[ApiKey]:
    """The project's keys, newest first."""
    k = api_keys.c
    stmt = sa.select(api_keys).where(k.project_id == project_id).order_by(k.id.desc())
    return [_api_key(row) for row in conn.execute(stmt).mappings()]


def revoke_api_key(conn: Connection, project_id: str, key_id: str) -> ApiKey | None:
    """Set revoked_at (once); None when the project has no such key."""
    k = api_keys.c
    where = (k.project_id == project_id, k.id == key_id)
    conn.execute(
        sa.update(api_keys).where(*where, k.revoked_at.is_(None)).values(revoked_at=now_micros())
    )
    row = conn.execute(sa.select(api_keys).where(*where)).mappings().first()
    return None if row is None else _api_key(row)


def find_api_key(conn: Connection, secret_hash: str) -> ApiKeyInfo | None:
    """The key with this secret hash and its project's name (one indexed lookup)."""
    k = api_keys.c
    stmt = (
        sa.select(k.id, k.project_id, k.name, k.role, k.revoked_at, k.last_used_at, projects.c.name)
        .join(projects, projects.c.id == k.project_id)
        .where(k.secret_hash == secret_hash)
    )
    row = conn.execute(stmt).first()
    if row is None:
        return None
    return ApiKeyInfo(
        id=row[0],
        project_id=row[1],
        name=row[2],
        role=cast(Role, row[3]),
        revoked=row[4] is not None,
        last_used_at=row[5],
        project=row[6],
    )


def touch_api_key(conn: Connection, key_id: str, *, now: int) -> None:
    """Write last_used_at unless it was written less than a minute before ``now``."""
    k = api_keys.c
    stale = sa.or_(k.last_used_at.is_(None), k.last_used_at < now - TOUCH_EVERY_US)
    conn.execute(sa.update(api_keys).where(k.id == key_id, stale).values(last_used_at=now))
