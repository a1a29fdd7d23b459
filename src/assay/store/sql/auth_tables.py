"""The tables of users, access and audit (revision 0007).

Same conventions as :mod:`assay.store.sql.tables`. Secrets are never stored: passwords as
argon2id hashes, API keys and session tokens as the SHA-256 of the secret (they are long and
random, so a fast hash is enough and keeps the check per request well under a millisecond).

- ``users``: people who sign in, with a password or through OpenID Connect (``oidc_subject``);
  ``is_admin`` makes an instance admin (every project, the user list).
- ``memberships``: a user's role in a project: admin, engineer, annotator or viewer.
- ``api_keys``: project keys for the SDK, OTLP exporters and CI, each with a role; shown once.
- ``sessions``: browser sessions (cookie token hash, CSRF token, expiry, revocation).
- ``login_failures``: failed sign-ins, counted per account and per address to rate-limit.
- ``audit_log``: who changed membership, roles, keys, labels and settings, and when.
"""

from __future__ import annotations

import sqlalchemy as sa

from assay.store.sql.tables import metadata

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("email", sa.Text, nullable=False, unique=True),  # lower case
    sa.Column("name", sa.Text),
    sa.Column("password_hash", sa.Text),  # argon2id; NULL for OIDC-only users
    sa.Column("oidc_subject", sa.Text, unique=True),  # "issuer|sub"
    sa.Column("is_admin", sa.Boolean, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.Column("last_login_at", sa.BigInteger),
)

memberships = sa.Table(
    "memberships",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("user_id", sa.Text, primary_key=True),
    sa.Column("role", sa.Text, nullable=False),  # admin|engineer|annotator|viewer
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
)
sa.Index("ix_memberships_user", memberships.c.user_id)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("prefix", sa.Text, nullable=False),  # the first characters, to recognise a key
    sa.Column("secret_hash", sa.Text, nullable=False, unique=True),  # sha256 hex
    sa.Column("created_by", sa.Text),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("last_used_at", sa.BigInteger),
    sa.Column("revoked_at", sa.BigInteger),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),  # sha256 hex of the cookie's token
    sa.Column("user_id", sa.Text, nullable=False),
    sa.Column("csrf_token", sa.Text, nullable=False),
    sa.Column("address", sa.Text),
    sa.Column("user_agent", sa.Text),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("expires_at", sa.BigInteger, nullable=False),
    sa.Column("last_seen_at", sa.BigInteger, nullable=False),
    sa.Column("revoked_at", sa.BigInteger),
)
sa.Index("ix_sessions_user", sessions.c.user_id)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("email", sa.Text, nullable=False),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)
sa.Index("ix_login_failures_email", login_failures.c.email, login_failures.c.created_at)
sa.Index("ix_login_failures_address", login_failures.c.address, login_failures.c.created_at)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("project_id", sa.Text),  # NULL for instance-wide changes (users)
    sa.Column("actor", sa.Text, nullable=False),  # email, "key:<name>" or "local"
    sa.Column("action", sa.Text, nullable=False),  # e.g. member.add, key.revoke, settings.update
    sa.Column("target", sa.Text),
    sa.Column("details", sa.Text, nullable=False),  # JSON
    sa.Column("address", sa.Text),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)
sa.Index("ix_audit_project", audit_log.c.project_id, audit_log.c.created_at)
