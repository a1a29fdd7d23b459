"""Initial schema: projects, spans, open spans, trace rollups, blobs.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _span_columns(*, finished: bool) -> list[sa.Column]:
    return [
        sa.Column("project_id", sa.Text, primary_key=True),
        sa.Column("trace_id", sa.Text, primary_key=True),
        sa.Column("span_id", sa.Text, primary_key=True),
        sa.Column("parent_id", sa.Text),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("start_time", sa.BigInteger, nullable=False),
        sa.Column("end_time", sa.BigInteger, nullable=not finished),
        sa.Column("duration_us", sa.BigInteger, nullable=not finished),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("input", sa.Text),
        sa.Column("output", sa.Text),
        sa.Column("expected", sa.Text),
        sa.Column("metadata", sa.Text),
        sa.Column("refs", sa.Text),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("metrics", sa.Text, nullable=False),
        sa.Column("prompt_tokens", sa.BigInteger, nullable=False),
        sa.Column("completion_tokens", sa.BigInteger, nullable=False),
        sa.Column("total_tokens", sa.BigInteger, nullable=False),
        sa.Column("cost", sa.Float, nullable=False),
        sa.Column("model", sa.Text),
        sa.Column("session_id", sa.Text),
        sa.Column("user_id", sa.Text),
        sa.Column("environment", sa.Text),
        sa.Column("release", sa.Text),
        sa.Column("experiment_id", sa.Text),
        sa.Column("input_preview", sa.Text),
        sa.Column("output_preview", sa.Text),
        sa.Column("search_text", sa.Text),
    ]


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table("spans", *_span_columns(finished=True))
    op.create_index("ix_spans_start", "spans", ["project_id", "start_time", "trace_id", "span_id"])
    if op.get_bind().dialect.name == "postgresql":
        # lz4 compresses the large text columns several times faster than the default pglz
        # (skipped on a server built without lz4)
        for column in ("input", "output", "expected", "metadata", "search_text"):
            op.execute(
                f"DO $$ BEGIN ALTER TABLE spans ALTER COLUMN {column} SET COMPRESSION lz4; "
                "EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL; END $$"
            )
    op.create_table("open_spans", *_span_columns(finished=False))
    op.create_table(
        "traces",
        sa.Column("project_id", sa.Text, primary_key=True),
        sa.Column("trace_id", sa.Text, primary_key=True),
        sa.Column("start_time", sa.BigInteger, nullable=False),
        sa.Column("end_time", sa.BigInteger),
        sa.Column("duration_us", sa.BigInteger, nullable=False),
        sa.Column("root_span_id", sa.Text),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("input_preview", sa.Text),
        sa.Column("output_preview", sa.Text),
        sa.Column("span_count", sa.BigInteger, nullable=False),
        sa.Column("error_count", sa.BigInteger, nullable=False),
        sa.Column("prompt_tokens", sa.BigInteger, nullable=False),
        sa.Column("completion_tokens", sa.BigInteger, nullable=False),
        sa.Column("total_tokens", sa.BigInteger, nullable=False),
        sa.Column("cost", sa.Float, nullable=False),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("session_id", sa.Text),
        sa.Column("user_id", sa.Text),
    )
    for name, cols in [
        ("ix_traces_start", ["start_time", "trace_id"]),
        ("ix_traces_duration", ["duration_us", "trace_id"]),
        ("ix_traces_cost", ["cost", "trace_id"]),
        ("ix_traces_tokens", ["total_tokens", "trace_id"]),
        ("ix_traces_name", ["name", "start_time", "trace_id"]),
        ("ix_traces_session", ["session_id", "start_time", "trace_id"]),
        ("ix_traces_user", ["user_id", "start_time", "trace_id"]),
    ]:
        op.create_index(name, "traces", ["project_id", *cols])
    op.create_table(
        "blobs",
        sa.Column("project_id", sa.Text, primary_key=True),
        sa.Column("sha256", sa.Text, primary_key=True),
        sa.Column("length", sa.BigInteger, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    for table in ("blobs", "traces", "open_spans", "spans", "projects"):
        op.drop_table(table)
