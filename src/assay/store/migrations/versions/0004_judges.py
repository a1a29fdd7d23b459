"""Judges: named, versioned LLM judges, and scores that say which judge (version) wrote them.

Experiments also gain their summary scores (figures over all cases, such as a judge's
agreement with human labels).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_BIG = sa.BigInteger


def upgrade() -> None:
    with op.batch_alter_table("experiments") as batch:
        batch.add_column(sa.Column("summary_scores", sa.Text))
    with op.batch_alter_table("scores") as batch:
        batch.add_column(sa.Column("judge", sa.Text))
        batch.add_column(sa.Column("judge_version", _BIG))
    op.create_index("ix_scores_name", "scores", ["project_id", "name", "source", "created_at"])
    op.create_table(
        "judges",
        sa.Column("project_id", sa.Text, primary_key=True),
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("score_name", sa.Text, nullable=False),
        sa.Column("threshold", sa.Float),
        sa.Column("threshold_metric", sa.Text, nullable=False),
        sa.Column("version", _BIG, nullable=False),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("updated_at", _BIG, nullable=False),
        sa.UniqueConstraint("project_id", "name", name="uq_judges_name"),
    )
    op.create_table(
        "judge_versions",
        sa.Column("project_id", sa.Text, primary_key=True),
        sa.Column("judge_id", sa.Text, primary_key=True),
        sa.Column("version", _BIG, primary_key=True),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("choices", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("use_cot", sa.Boolean, nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("created_at", _BIG, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("judge_versions")
    op.drop_table("judges")
    op.drop_index("ix_scores_name", table_name="scores")
    with op.batch_alter_table("scores") as batch:
        batch.drop_column("judge_version")
        batch.drop_column("judge")
    with op.batch_alter_table("experiments") as batch:
        batch.drop_column("summary_scores")
