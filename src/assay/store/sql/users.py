"""SQL of users, sessions and failed sign-ins (the tables in :mod:`.auth_tables`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from assay.errors import NotFoundError, UsageError
from assay.schema import User
from assay.store.identity import FailureCounts, SessionInfo
from assay.store.sql._ids import uuid7
from assay.store.sql.auth_tables import login_failures, sessions, users
from assay.store.sql.decode import to_datetime

SLIDE_EVERY_US = 60_000_000
"""A session's expiry moves forward at most once a minute."""
FAILURES_KEPT_US = 86_400_000_000
"""Failed sign-ins older than a day are forgotten."""
_CHANGEABLE = frozenset({"name", "is_admin", "disabled", "password_hash", "oidc_subject"})


def to_model(row: Mapping[Any, Any]) -> User:
    """The wire model of a ``users`` row (never with its password hash)."""
    last = row["last_login_at"]
    return User(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        is_admin=bool(row["is_admin"]),
        disabled=bool(row["disabled"]),
        has_password=row["password_hash"] is not None,
        oidc=row["oidc_subject"] is not None,
        created_at=to_datetime(row["created_at"]),
        last_login_at=None if last is None else to_datetime(last),
    )


def find_row(conn: sa.Connection, column: str, value: str) -> Mapping[Any, Any] | None:
    """The ``users`` row whose ``column`` equals ``value``, or None."""
    query = sa.select(users).where(users.c[column] == value)
    return conn.execute(query).mappings().first()


def insert(conn: sa.Connection, values: dict[str, Any], *, now: int) -> Mapping[Any, Any]:
    """Insert a user row and return it."""
    row = {
        "id": uuid7(),
        "email": values["email"],
        "name": values.get("name"),
        "password_hash": values.get("password_hash"),
        "oidc_subject": values.get("oidc_subject"),
        "is_admin": bool(values.get("is_admin", False)),
        "disabled": False,
        "created_at": now,
        "updated_at": now,
        "last_login_at": None,
    }
    conn.execute(users.insert().values(**row))
    return row


def list_rows(conn: sa.Connection) -> list[Mapping[Any, Any]]:
    """Every user row, by email."""
    return list(conn.execute(sa.select(users).order_by(users.c.email)).mappings())


def update(
    conn: sa.Connection, user_id: str, changes: dict[str, Any], *, now: int
) -> Mapping[Any, Any]:
    """Apply ``changes`` to a user and return the new row (NotFoundError, UsageError)."""
    unknown = sorted(set(changes) - _CHANGEABLE)
    if unknown:
        raise UsageError(
            f"user fields {unknown} cannot change; change some of {sorted(_CHANGEABLE)}"
        )
    if find_row(conn, "id", user_id) is None:
        raise NotFoundError(f"User {user_id!r} does not exist; GET /api/v1/users lists them.")
    conn.execute(users.update().where(users.c.id == user_id).values(**changes, updated_at=now))
    row = find_row(conn, "id", user_id)
    assert row is not None
    return row


def revoke_sessions(conn: sa.Connection, user_id: str, *, now: int, keep: str | None = None) -> int:
    """Revoke every live session of a user but ``keep``; returns how many."""
    where = sa.and_(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
    if keep is not None:
        where = sa.and_(where, sessions.c.id != keep)
    return conn.execute(sessions.update().where(where).values(revoked_at=now)).rowcount


def insert_session(conn: sa.Connection, values: dict[str, Any]) -> None:
    """Insert a session row (``values`` has every column but ``revoked_at``)."""
    conn.execute(sessions.insert().values(**values, revoked_at=None))
    now = values["created_at"]
    conn.execute(users.update().where(users.c.id == values["user_id"]).values(last_login_at=now))


def live_session(
    conn: sa.Connection, token_hash: str, *, now: int
) -> tuple[Mapping[Any, Any], Mapping[Any, Any]] | None:
    """The live session with ``token_hash`` and its (enabled) user's row, or None."""
    query = (
        sa.select(sessions, users)
        .join(users, users.c.id == sessions.c.user_id)
        .where(
            sessions.c.id == token_hash,
            sessions.c.revoked_at.is_(None),
            sessions.c.expires_at > now,
            users.c.disabled == sa.false(),
        )
    )
    found = conn.execute(query).first()
    if found is None:
        return None
    data = found._mapping
    session = {c.name: data[sessions.c[c.name]] for c in sessions.columns}
    user = {c.name: data[users.c[c.name]] for c in users.columns}
    return session, user


def slide(conn: sa.Connection, session: Mapping[Any, Any], *, now: int) -> int:
    """Move the session's expiry to ``now`` plus its lifetime; returns the new expiry."""
    expires_at = int(now + session["expires_at"] - session["last_seen_at"])
    conn.execute(
        sessions.update()
        .where(sessions.c.id == session["id"], sessions.c.revoked_at.is_(None))
        .values(last_seen_at=now, expires_at=expires_at)
    )
    return expires_at


def session_info(
    session: Mapping[Any, Any], user: Mapping[Any, Any], expires_at: int
) -> SessionInfo:
    """The store's view of a live session."""
    return SessionInfo(
        session_id=session["id"],
        user=to_model(user),
        csrf_token=session["csrf_token"],
        expires_at=expires_at,
    )


def revoke_session(conn: sa.Connection, token_hash: str, *, now: int) -> bool:
    """Revoke one live session; False when there is none with that hash."""
    where = sa.and_(sessions.c.id == token_hash, sessions.c.revoked_at.is_(None))
    return conn.execute(sessions.update().where(where).values(revoked_at=now)).rowcount > 0


def add_failure(conn: sa.Connection, email: str, address: str, *, now: int) -> None:
    """Record a failed sign-in and forget those older than a day."""
    conn.execute(
        login_failures.delete().where(login_failures.c.created_at < now - FAILURES_KEPT_US)
    )
    conn.execute(
        login_failures.insert().values(id=uuid7(), email=email, address=address, created_at=now)
    )


def count_failures(conn: sa.Connection, email: str, address: str, *, since: int) -> FailureCounts:
    """Failed sign-ins since ``since`` for ``email`` and from ``address``."""
    recent = login_failures.c.created_at >= since
    count = sa.func.count()
    by_email = sa.select(count).where(login_failures.c.email == email, recent)
    by_address = sa.select(count).where(login_failures.c.address == address, recent)
    return FailureCounts(
        email=int(conn.execute(by_email).scalar_one()),
        address=int(conn.execute(by_address).scalar_one()),
    )


def clear_failures(conn: sa.Connection, email: str) -> None:
    """Forget the failed sign-ins of ``email``."""
    conn.execute(login_failures.delete().where(login_failures.c.email == email))
