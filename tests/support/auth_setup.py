"""Users, sessions and keys for authentication tests, made through the real store."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass, field

from assay.schema.auth import Role
from assay.store import Store

SESSION_COOKIE = "assay_session"


@dataclass(frozen=True)
class Caller:
    """How a test request authenticates: a key, a session cookie (+ CSRF token), or nothing."""

    label: str
    role: Role | None = None  # role in the test project (None: not a member)
    kind: str = "none"  # none | user | key | admin
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)


def new_session(store: Store, user_id: str) -> tuple[str, str]:
    """A live session of ``user_id``: (cookie token, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    store.create_session(
        user_id,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        csrf_token=csrf,
        lifetime_us=3_600_000_000,
        now=time.time_ns() // 1000,
    )
    return token, csrf


def user_caller(
    store: Store, email: str, *, project_id: str | None, role: Role | None, admin: bool = False
) -> Caller:
    """A user (member of ``project_id`` with ``role`` when given) signed in with a session."""
    user = store.create_user(email, is_admin=admin)
    if project_id is not None and role is not None:
        store.add_member(project_id, user.id, role)
    token, csrf = new_session(store, user.id)
    label = "instance-admin" if admin else f"user-{role}"
    return Caller(
        label,
        role=role,
        kind="admin" if admin else "user",
        headers={"X-CSRF-Token": csrf},
        cookies={SESSION_COOKIE: token},
    )


def key_caller(store: Store, project_id: str, role: Role) -> tuple[Caller, str]:
    """A key of ``role`` in the project: (caller, secret)."""
    created = store.create_api_key(project_id, f"key-{role}", role, None)
    caller = Caller(
        f"key-{role}", role=role, kind="key", headers={"Authorization": f"Bearer {created.secret}"}
    )
    return caller, created.secret
