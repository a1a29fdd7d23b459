"""Trace indexes on session and user hold only traces that have one.

Most traces name neither a session nor a user; their rows no longer enter these two indexes,
which saves two index writes per new trace on ingest. A filter ``session_id = X`` or
``user_id = X`` can still use them (equality implies NOT NULL).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_INDEXES = (
    ("ix_traces_session", "session_id"),
    ("ix_traces_user", "user_id"),
)


def upgrade() -> None:
    for name, column in _INDEXES:
        op.drop_index(name, table_name="traces")
        op.create_index(
            name,
            "traces",
            ["project_id", column, "start_time", "trace_id"],
            sqlite_where=sa.text(f"{column} IS NOT NULL"),
            postgresql_where=sa.text(f"{column} IS NOT NULL"),
        )


def downgrade() -> None:
    for name, column in _INDEXES:
        op.drop_index(name, table_name="traces")
        op.create_index(name, "traces", ["project_id", column, "start_time", "trace_id"])
