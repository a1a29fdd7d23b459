"""The part of the Store protocol that keeps memberships, roles and project API keys
(authorisation). (issue 8)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from assay.schema.auth import ApiKey, ApiKeyCreated, Member, Role


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    """What a request authenticated by an API key needs to know about the key."""

    id: str
    project_id: str
    project: str
    name: str
    role: Role
    revoked: bool
    last_used_at: int | None  # microseconds since the epoch


class AccessStore(Protocol):
    """Memberships, roles and project API keys (authorisation)."""

    def add_member(self, project_id: str, user_id: str, role: Role) -> Member | None:
        """Give user ``user_id`` ``role`` in the project; None when they are a member already."""
        ...

    def list_members(self, project_id: str) -> list[Member]:
        """The project's members by email."""
        ...

    def update_member(self, project_id: str, user_id: str, role: Role) -> Member | None:
        """Change a member's role; None when the user is not a member."""
        ...

    def remove_member(self, project_id: str, user_id: str) -> bool:
        """End a membership; False when the user was not a member."""
        ...

    def roles_of_user(self, user_id: str) -> dict[str, Role]:
        """Project id → the user's role there, for every project they are a member of."""
        ...

    def role_of(self, user_id: str, project_id: str) -> Role | None:
        """The user's role in the project, or None when they are not a member."""
        ...

    def create_api_key(
        self, project_id: str, name: str, role: Role, created_by: str | None
    ) -> ApiKeyCreated:
        """A new key with its secret (``assay_`` + 32 URL-safe characters), stored hashed."""
        ...

    def list_api_keys(self, project_id: str) -> list[ApiKey]:
        """The project's keys, revoked ones included, newest first (never their secrets)."""
        ...

    def revoke_api_key(self, project_id: str, key_id: str) -> ApiKey | None:
        """Revoke a key (at once; revoking twice changes nothing); None when there is none."""
        ...

    def find_api_key(self, secret_hash: str) -> ApiKeyInfo | None:
        """The key whose secret has this SHA-256 hex digest (revoked ones too), or None."""
        ...

    def touch_api_key(self, key_id: str, *, now: int) -> None:
        """Note the key was used at ``now`` (µs); written at most once a minute per key."""
        ...
