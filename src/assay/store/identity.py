"""The part of the Store protocol that keeps users, sessions and failed sign-ins (issue 8).

Secrets never reach the store in the clear: passwords arrive as argon2id hashes (made by
``assay.server.passwords``), session tokens as the SHA-256 hex of the cookie's token. A session
lasts a fixed time after its last use: ``find_session`` moves ``last_seen_at`` and
``expires_at`` forward (at most once a minute, to keep reads cheap).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from assay.schema import User


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A live browser session: whose it is, its CSRF token and when it ends (µs)."""

    session_id: str  # the SHA-256 hex of the cookie's token
    user: User
    csrf_token: str
    expires_at: int


@dataclass(frozen=True, slots=True)
class FailureCounts:
    """Failed sign-ins in a window: for one email, and from one client address."""

    email: int
    address: int


class IdentityStore(Protocol):
    """Users, sessions and failed sign-ins (authentication)."""

    def create_user(
        self,
        email: str,
        *,
        name: str | None = None,
        password_hash: str | None = None,
        is_admin: bool = False,
        oidc_subject: str | None = None,
    ) -> User:
        """Create a user; the email is stored in lower case.

        Raises:
            ConflictError: A user with that email (or OIDC subject) exists.
        """

    def get_user(self, user_id: str) -> User | None:
        """The user with id ``user_id``, or None."""

    def find_user_by_email(self, email: str) -> User | None:
        """The user with ``email`` (compared in lower case), or None."""

    def find_user_by_oidc_subject(self, subject: str) -> User | None:
        """The user linked to OpenID Connect subject ``subject`` ("issuer|sub"), or None."""

    def list_users(self) -> list[User]:
        """Every user, by email."""

    def password_hash(self, user_id: str) -> str | None:
        """The stored argon2id hash of the user's password; None without one (or no user)."""

    def update_user(
        self, user_id: str, changes: dict[str, Any], *, end_sessions: bool = False
    ) -> User:
        """Change some of name, is_admin, disabled, password_hash, oidc_subject.

        ``end_sessions`` revokes every session of the user in the same transaction (a password
        reset by an admin, a disabled account).

        Raises:
            NotFoundError: There is no such user.
            UsageError: A field cannot change.
        """

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
        """Start a session that ends ``lifetime_us`` after its last use; records the sign-in
        time on the user (``last_login_at``)."""

    def find_session(self, token_hash: str, *, now: int) -> SessionInfo | None:
        """The live session with this token hash, sliding its expiry when a minute or more
        has passed since it was last seen; None when unknown, expired, revoked, or its user is
        disabled."""

    def revoke_session(self, token_hash: str, *, now: int) -> bool:
        """End one session; False when there was no live session with that hash."""

    def revoke_user_sessions(self, user_id: str, *, now: int, keep: str | None = None) -> int:
        """End every live session of a user but ``keep`` (a token hash); returns how many."""

    def record_login_failure(self, email: str, address: str, *, now: int) -> None:
        """Note one failed sign-in (and forget failures older than a day)."""

    def count_login_failures(self, email: str, address: str, *, since: int) -> FailureCounts:
        """Failed sign-ins since ``since`` (µs) for ``email`` and from ``address``."""

    def clear_login_failures(self, email: str) -> None:
        """Forget the failed sign-ins of ``email`` (after a successful one)."""
