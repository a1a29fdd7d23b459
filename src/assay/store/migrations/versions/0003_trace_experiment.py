"""Traces know their experiment: the trace list shows the production log or one experiment.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("traces") as batch:
        batch.add_column(sa.Column("experiment_id", sa.Text))
    op.execute(
        "UPDATE traces SET experiment_id = ("
        " SELECT s.experiment_id FROM spans s"
        " WHERE s.project_id = traces.project_id AND s.trace_id = traces.trace_id"
        " AND s.experiment_id IS NOT NULL LIMIT 1)"
    )
    op.create_index(
        "ix_traces_experiment",
        "traces",
        ["project_id", "experiment_id", "start_time", "trace_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_traces_experiment", table_name="traces")
    with op.batch_alter_table("traces") as batch:
        batch.drop_column("experiment_id")
