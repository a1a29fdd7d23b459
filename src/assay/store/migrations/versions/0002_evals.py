"""Evals: versioned datasets, experiments with their cases, and scores.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BIG = sa.BigInteger


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("project_id", sa.Text, primary_key=True),
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("version", _BIG, nullable=False),
        sa.Column("record_count", _BIG, nullable=False),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("updated_at", _BIG, nullable=False),
        sa.UniqueConstraint("project_id", "name", name="uq_datasets_name"),
    )
    op.create_table(
        "dataset_versions",
        sa.Column("project_id", sa.Text, primary_key=True),
        sa.Column("dataset_id", sa.Text, primary_key=True),
        sa.Column("version", _BIG, primary_key=True),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("inserted", _BIG, nullable=False),
        sa.Column("updated", _BIG, nullable=False),
        sa.Column("deleted", _BIG, nullable=False),
        sa.Column("record_count", _BIG, nullable=False),
    )
    op.create_table(
        "dataset_record_versions",
        sa.Column("project_id", sa.Text, primary_key=True),
        sa.Column("dataset_id", sa.Text, primary_key=True),
        sa.Column("record_id", sa.Text, primary_key=True),
        sa.Column("version_from", _BIG, primary_key=True),
        sa.Column("version_to", _BIG),
        sa.Column("created_version", _BIG, nullable=False),
        sa.Column("position", _BIG, nullable=False),
        sa.Column("input", sa.Text),
        sa.Column("expected", sa.Text),
        sa.Column("metadata", sa.Text),
        sa.Column("refs", sa.Text),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("search_text", sa.Text),
    )
    op.create_index(
        "ix_record_versions_order",
        "dataset_record_versions",
        ["project_id", "dataset_id", "created_version", "position"],
    )
    op.create_table(
        "experiments",
        sa.Column("project_id", sa.Text, primary_key=True),
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("dataset_name", sa.Text),
        sa.Column("dataset_version", _BIG),
        sa.Column("metadata", sa.Text, nullable=False),
        sa.Column("git", sa.Text),
        sa.Column("baseline", sa.Text),
        sa.Column("trial_count", _BIG, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("started_at", _BIG, nullable=False),
        sa.Column("ended_at", _BIG),
        sa.UniqueConstraint("project_id", "name", name="uq_experiments_name"),
    )
    op.create_index("ix_experiments_start", "experiments", ["project_id", "started_at"])
    op.create_table(
        "experiment_cases",
        sa.Column("project_id", sa.Text, primary_key=True),
        sa.Column("experiment_id", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, primary_key=True),
        sa.Column("trial", _BIG, primary_key=True),
        sa.Column("trace_id", sa.Text),
        sa.Column("span_id", sa.Text),
        sa.Column("input", sa.Text),
        sa.Column("output", sa.Text),
        sa.Column("expected", sa.Text),
        sa.Column("metadata", sa.Text),
        sa.Column("refs", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("scores", sa.Text, nullable=False),
        sa.Column("score_errors", sa.Text),
        sa.Column("score_metadata", sa.Text),
        sa.Column("duration_ms", sa.Float),
        sa.Column("prompt_tokens", _BIG),
        sa.Column("completion_tokens", _BIG),
        sa.Column("total_tokens", _BIG),
        sa.Column("cost", sa.Float),
        sa.Column("dataset_record_id", sa.Text),
        sa.Column("created_at", _BIG, nullable=False),
    )
    op.create_table(
        "scores",
        sa.Column("project_id", sa.Text, primary_key=True),
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("trace_id", sa.Text, nullable=False),
        sa.Column("span_id", sa.Text),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("label", sa.Text),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("scorer", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("rationale", sa.Text),
        sa.Column("metadata", sa.Text, nullable=False),
        sa.Column("experiment_id", sa.Text),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("superseded_by", sa.Text),
    )
    op.create_index("ix_scores_trace", "scores", ["project_id", "trace_id", "created_at"])
    op.create_index("ix_scores_experiment", "scores", ["project_id", "experiment_id", "name"])


def downgrade() -> None:
    for table in (
        "scores",
        "experiment_cases",
        "experiments",
        "dataset_record_versions",
        "dataset_versions",
        "datasets",
    ):
        op.drop_table(table)
