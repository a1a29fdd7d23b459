"""``SqlIdentityStore``: the identity methods of :class:`SqlStore` (issue 8)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from assay.errors import ConflictError
from assay.schema import User
from assay.store.identity import FailureCounts, SessionInfo
from assay.store.sql import engine as engines
from assay.store.sql import users
from assay.store.sql.dialect import Dialect
from assay.store.sql.jobs import now_micros


class SqlIdentityStore:
    """Mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method

    def create_user(
        self,
        email: str,
        *,
        name: str | None = None,
        password_hash: str | None = None,
        is_admin: bool = False,
        oidc_subject: str | None = None,
    ) -> User:
        """Create a user (email in lower case); ConflictError when the email is taken."""
        values: dict[str, Any] = {
            "email": email.strip().lower(),
            "name": name,
            "password_hash": password_hash,
            "is_admin": is_admin,
            "oidc_subject": oidc_subject,
        }
        taken = ConflictError(
            f"A user with email {values['email']!r} already exists; "
            "change it with PATCH /api/v1/users/{user_id}."
        )
        try:
            with engines.writing(self.engine) as conn:
                if users.find_row(conn, "email", values["email"]) is not None:
                    raise taken
                return users.to_model(users.insert(conn, values, now=now_micros()))
        except sa.exc.IntegrityError:
            raise taken from None

    def get_user(self, user_id: str) -> User | None:
        """The user with id ``user_id``, or None."""
        return self._find("id", user_id)

    def find_user_by_email(self, email: str) -> User | None:
        """The user with ``email`` (compared in lower case), or None."""
        return self._find("email", email.strip().lower())

    def find_user_by_oidc_subject(self, subject: str) -> User | None:
        """The user linked to OpenID Connect subject ``subject``, or None."""
        return self._find("oidc_subject", subject)

    def _find(self, column: str, value: str) -> User | None:
        with engines.reading(self.engine) as conn:
            row = users.find_row(conn, column, value)
        return None if row is None else users.to_model(row)

    def list_users(self) -> list[User]:
        """Every user, by email."""
        with engines.reading(self.engine) as conn:
            return [users.to_model(row) for row in users.list_rows(conn)]

    def password_hash(self, user_id: str) -> str | None:
        """The stored hash of the user's password, or None."""
        with engines.reading(self.engine) as conn:
            row = users.find_row(conn, "id", user_id)
        return None if row is None else row["password_hash"]

    def update_user(
        self, user_id: str, changes: dict[str, Any], *, end_sessions: bool = False
    ) -> User:
        """Change some of name, is_admin, disabled, password_hash, oidc_subject; with
        ``end_sessions`` the user's sessions end in the same transaction."""
        now = now_micros()
        try:
            with engines.writing(self.engine) as conn:
                row = users.update(conn, user_id, changes, now=now)
                if end_sessions:
                    users.revoke_sessions(conn, user_id, now=now)
                return users.to_model(row)
        except sa.exc.IntegrityError:
            raise ConflictError(
                "Another user is already linked to that OpenID Connect account."
            ) from None

    def create_session(
        self,
        user_id: str,
        *,
        token_hash: str,
        csrf_token: str,
        lifetime_us: int,
        now: int,
        address: str | None = None,
        user_agent: str | None = None,
    ) -> SessionInfo:
        """Start a session ending ``lifetime_us`` after its last use; note the sign-in."""
        values: dict[str, Any] = {
            "id": token_hash,
            "user_id": user_id,
            "csrf_token": csrf_token,
            "address": address,
            "user_agent": user_agent,
            "created_at": now,
            "expires_at": now + lifetime_us,
            "last_seen_at": now,
        }
        with engines.writing(self.engine) as conn:
            users.insert_session(conn, values)
            found = users.live_session(conn, token_hash, now=now)
        if found is None:
            raise ConflictError(f"User {user_id!r} does not exist or is disabled.")
        return users.session_info(*found, expires_at=values["expires_at"])

    def find_session(self, token_hash: str, *, now: int) -> SessionInfo | None:
        """The live session with this token hash (its expiry slid forward when due), or None."""
        with engines.reading(self.engine) as conn:
            found = users.live_session(conn, token_hash, now=now)
        if found is None:
            return None
        session, user = found
        expires_at = int(session["expires_at"])
        if now - session["last_seen_at"] >= users.SLIDE_EVERY_US:
            with engines.writing(self.engine) as conn:
                expires_at = users.slide(conn, session, now=now)
        return users.session_info(session, user, expires_at)

    def revoke_session(self, token_hash: str, *, now: int) -> bool:
        """End one session; False when there was no live session with that hash."""
        with engines.writing(self.engine) as conn:
            return users.revoke_session(conn, token_hash, now=now)

    def revoke_user_sessions(self, user_id: str, *, now: int, keep: str | None = None) -> int:
        """End every live session of a user but ``keep``; returns how many."""
        with engines.writing(self.engine) as conn:
            return users.revoke_sessions(conn, user_id, now=now, keep=keep)

    def record_login_failure(self, email: str, address: str, *, now: int) -> None:
        """Note one failed sign-in."""
        with engines.writing(self.engine) as conn:
            users.add_failure(conn, email.strip().lower(), address, now=now)

    def count_login_failures(self, email: str, address: str, *, since: int) -> FailureCounts:
        """Failed sign-ins since ``since`` for ``email`` and from ``address``."""
        with engines.reading(self.engine) as conn:
            return users.count_failures(conn, email.strip().lower(), address, since=since)

    def clear_login_failures(self, email: str) -> None:
        """Forget the failed sign-ins of ``email``."""
        with engines.writing(self.engine) as conn:
            users.clear_failures(conn, email.strip().lower())
