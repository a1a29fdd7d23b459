"""``SqlAccessStore``: the access methods of :class:`SqlStore` (issue 8)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from assay.schema.auth import ApiKey, ApiKeyCreated, Member, Role
from assay.store.access import ApiKeyInfo
from assay.store.sql import access
from assay.store.sql import engine as engines
from assay.store.sql.dialect import Dialect


class SqlAccessStore:
    """Mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method

    def add_member(self, project_id: str, user_id: str, role: Role) -> Member | None:
        """Give user ``user_id`` ``role`` in the project; None when they are a member already."""
        with engines.writing(self.engine) as conn:
            return access.add_member(conn, self.dialect, project_id, user_id, role)

    def list_members(self, project_id: str) -> list[Member]:
        """The project's members by email."""
        with engines.reading(self.engine) as conn:
            return access.list_members(conn, project_id)

    def update_member(self, project_id: str, user_id: str, role: Role) -> Member | None:
        """Change a member's role; None when the user is not a member."""
        with engines.writing(self.engine) as conn:
            return access.update_member(conn, project_id, user_id, role)

    def remove_member(self, project_id: str, user_id: str) -> bool:
        """End a membership; False when the user was not a member."""
        with engines.writing(self.engine) as conn:
            return access.remove_member(conn, project_id, user_id)

    def roles_of_user(self, user_id: str) -> dict[str, Role]:
        """Project id → the user's role there, for every project they are a member of."""
        with engines.reading(self.engine) as conn:
            return access.roles_of_user(conn, user_id)

    def role_of(self, user_id: str, project_id: str) -> Role | None:
        """The user's role in the project, or None when they are not a member."""
        with engines.reading(self.engine) as conn:
            return access.role_of(conn, user_id, project_id)

    def create_api_key(
        self, project_id: str, name: str, role: Role, created_by: str | None
    ) -> ApiKeyCreated:
        """A new key with its secret (``assay_`` + 32 URL-safe characters), stored hashed."""
        with engines.writing(self.engine) as conn:
            return access.create_api_key(conn, project_id, name, role, created_by)

    def list_api_keys(self, project_id: str) -> list[ApiKey]:
        """The project's keys, revoked ones included, newest first (never their secrets)."""
        with engines.reading(self.engine) as conn:
            return access.list_api_keys(conn, project_id)

    def revoke_api_key(self, project_id: str, key_id: str) -> ApiKey | None:
        """Revoke a key (at once; revoking twice changes nothing); None when there is none."""
        with engines.writing(self.engine) as conn:
            return access.revoke_api_key(conn, project_id, key_id)

    def find_api_key(self, secret_hash: str) -> ApiKeyInfo | None:
        """The key whose secret has this SHA-256 hex digest (revoked ones too), or None."""
        with engines.reading(self.engine) as conn:
            return access.find_api_key(conn, secret_hash)

    def touch_api_key(self, key_id: str, *, now: int) -> None:
        """Note the key was used at ``now`` (µs); written at most once a minute per key."""
        with engines.writing(self.engine) as conn:
            access.touch_api_key(conn, key_id, now=now)
