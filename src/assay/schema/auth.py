"""Users, roles, API keys, sessions and the audit log (authentication and authorisation).

With authentication on (``ASSAY_AUTH=true``), people sign in with an email and a password (or
through OpenID Connect) and get a browser session; programs send a project API key as
``Authorization: Bearer <key>``. A user's :data:`Role` in a project decides what they may do:

- ``viewer``: read everything of the project;
- ``annotator``: a viewer who also reviews, scores and adds records to datasets;
- ``engineer``: everything but members, keys and settings (ingest, rules, judges, datasets…);
- ``admin``: everything, members, API keys and settings included.

Instance admins (``is_admin``) manage users and act as admin in every project. An API key has a
role of its own within its one project. With authentication off (the local default, only on a
loopback address) there is one local user who may do everything.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["admin", "engineer", "annotator", "viewer"]
ROLES: tuple[Role, ...] = ("viewer", "annotator", "engineer", "admin")
"""Roles from least to most allowed; each may do all the ones before it may."""
_EMAIL = Field(min_length=3, max_length=320, pattern=r"^[^@\s\x00]+@[^@\s\x00]+$")
_NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL
_PASSWORD = Field(min_length=12, max_length=1024, description="At least 12 characters.")


class UserIn(BaseModel):
    """Body of ``POST /api/v1/users`` (instance admins): a new user."""

    model_config = ConfigDict(extra="forbid")

    email: str = _EMAIL
    name: str | None = Field(default=None, max_length=200, pattern=_NO_NUL)
    password: str | None = Field(
        default=None, min_length=12, max_length=1024, description="None: OIDC sign-in only."
    )
    is_admin: bool = False


class UserPatch(BaseModel):
    """Body of ``PATCH /api/v1/users/{user_id}``: only the fields sent change. A new password
    set by an admin is a password reset: the user's sessions end."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200, pattern=_NO_NUL)
    is_admin: bool | None = None
    disabled: bool | None = None
    password: str | None = Field(default=None, min_length=12, max_length=1024)


class User(BaseModel):
    """A user (never with their password or its hash)."""

    id: str
    email: str
    name: str | None = None
    is_admin: bool = False
    disabled: bool = False
    has_password: bool = True
    oidc: bool = Field(default=False, description="Linked to an OpenID Connect account.")
    created_at: datetime
    last_login_at: datetime | None = None


class LoginIn(BaseModel):
    """Body of ``POST /api/v1/auth/login``."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class PasswordChange(BaseModel):
    """Body of ``POST /api/v1/auth/password``: a signed-in user changes their own password."""

    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = _PASSWORD


class Me(BaseModel):
    """Who the caller is: ``GET /api/v1/auth/me``."""

    auth: bool = Field(description="Whether authentication is on; false: local single-user mode.")
    user: User | None = None
    key: str | None = Field(default=None, description="The API key's name, for a key.")
    csrf_token: str | None = Field(
        default=None, description="Send it as X-CSRF-Token on every state-changing request."
    )
    projects: dict[str, Role] = Field(
        default_factory=dict, description="Project name → the caller's role there."
    )
    oidc: bool = Field(default=False, description="Whether OpenID Connect sign-in is set up.")


class MemberIn(BaseModel):
    """Body of ``POST .../members``: give an existing user a role in the project."""

    model_config = ConfigDict(extra="forbid")

    email: str = _EMAIL
    role: Role


class MemberPatch(BaseModel):
    """Body of ``PATCH .../members/{user_id}``."""

    model_config = ConfigDict(extra="forbid")

    role: Role


class Member(BaseModel):
    """A user's role in a project."""

    user_id: str
    email: str
    name: str | None = None
    role: Role
    created_at: datetime


class ApiKeyIn(BaseModel):
    """Body of ``POST .../api-keys``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    role: Role = "engineer"


class ApiKey(BaseModel):
    """A project API key as listed (its secret is shown only once, when it is created)."""

    id: str
    name: str
    role: Role
    prefix: str = Field(description="The key's first characters, to recognise it.")
    created_by: str | None = None
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class ApiKeyCreated(ApiKey):
    """A new key, with its secret: shown this once, stored only as a hash."""

    secret: str


class AuditEvent(BaseModel):
    """One change: who did what to what, from where, and when."""

    id: str
    project: str | None = None
    actor: str
    action: str
    target: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    address: str | None = None
    created_at: datetime


class AuditPage(BaseModel):
    """A page of the audit log, newest first."""

    items: list[AuditEvent]
    next_cursor: str | None = None


class ProjectIn(BaseModel):
    """Body of ``POST /api/v1/projects``: a new project (authentication on: instance admins)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)


class ProjectSettings(BaseModel):
    """A project's settings: ``GET``/``PATCH .../settings``."""

    model_config = ConfigDict(extra="forbid")

    retention_days: int | None = Field(
        default=None, ge=1, le=36500, description="Delete traces older than this; null: keep."
    )
