"""Users, memberships, API keys, sessions, sign-in failures and the audit log.

Projects gain ``retention_days``: traces older than that are deleted by a scheduled job.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_BIG = sa.BigInteger
_TEXT = sa.Text


def upgrade() -> None:
    with op.batch_alter_table("projects") as batch:
        batch.add_column(sa.Column("retention_days", _BIG))
    op.create_table(
        "users",
        sa.Column("id", _TEXT, primary_key=True),
        sa.Column("email", _TEXT, nullable=False, unique=True),
        sa.Column("name", _TEXT),
        sa.Column("password_hash", _TEXT),
        sa.Column("oidc_subject", _TEXT, unique=True),
        sa.Column("is_admin", sa.Boolean, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("updated_at", _BIG, nullable=False),
        sa.Column("last_login_at", _BIG),
    )
    op.create_table(
        "memberships",
        sa.Column("project_id", _TEXT, primary_key=True),
        sa.Column("user_id", _TEXT, primary_key=True),
        sa.Column("role", _TEXT, nullable=False),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("updated_at", _BIG, nullable=False),
    )
    op.create_index("ix_memberships_user", "memberships", ["user_id"])
    op.create_table(
        "api_keys",
        sa.Column("project_id", _TEXT, primary_key=True),
        sa.Column("id", _TEXT, primary_key=True),
        sa.Column("name", _TEXT, nullable=False),
        sa.Column("role", _TEXT, nullable=False),
        sa.Column("prefix", _TEXT, nullable=False),
        sa.Column("secret_hash", _TEXT, nullable=False, unique=True),
        sa.Column("created_by", _TEXT),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("last_used_at", _BIG),
        sa.Column("revoked_at", _BIG),
    )
    op.create_table(
        "sessions",
        sa.Column("id", _TEXT, primary_key=True),
        sa.Column("user_id", _TEXT, nullable=False),
        sa.Column("csrf_token", _TEXT, nullable=False),
        sa.Column("address", _TEXT),
        sa.Column("user_agent", _TEXT),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("expires_at", _BIG, nullable=False),
        sa.Column("last_seen_at", _BIG, nullable=False),
        sa.Column("revoked_at", _BIG),
    )
    op.create_index("ix_sessions_user", "sessions", ["user_id"])
    op.create_table(
        "login_failures",
        sa.Column("id", _TEXT, primary_key=True),
        sa.Column("email", _TEXT, nullable=False),
        sa.Column("address", _TEXT, nullable=False),
        sa.Column("created_at", _BIG, nullable=False),
    )
    op.create_index("ix_login_failures_email", "login_failures", ["email", "created_at"])
    op.create_index("ix_login_failures_address", "login_failures", ["address", "created_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", _TEXT, primary_key=True),
        sa.Column("project_id", _TEXT),
        sa.Column("actor", _TEXT, nullable=False),
        sa.Column("action", _TEXT, nullable=False),
        sa.Column("target", _TEXT),
        sa.Column("details", _TEXT, nullable=False),
        sa.Column("address", _TEXT),
        sa.Column("created_at", _BIG, nullable=False),
    )
    op.create_index("ix_audit_project", "audit_log", ["project_id", "created_at"])


def downgrade() -> None:
    for table in ("audit_log", "login_failures", "sessions", "api_keys", "memberships", "users"):
        op.drop_table(table)
    with op.batch_alter_table("projects") as batch:
        batch.drop_column("retention_days")
