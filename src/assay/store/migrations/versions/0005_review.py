"""Human review: score configs, annotation queues, their items, holds and reviews.

Scores gain ``review_id``: the queue review that wrote them.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_BIG = sa.BigInteger
_TEXT = sa.Text


def _key() -> list[sa.Column[object]]:
    return [
        sa.Column("project_id", _TEXT, primary_key=True),
        sa.Column("id", _TEXT, primary_key=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("scores") as batch:
        batch.add_column(sa.Column("review_id", _TEXT))
    op.create_index("ix_scores_review", "scores", ["project_id", "review_id"])
    op.create_table(
        "score_configs",
        *_key(),
        sa.Column("name", _TEXT, nullable=False),
        sa.Column("kind", _TEXT, nullable=False),
        sa.Column("description", _TEXT),
        sa.Column("min_value", sa.Float),
        sa.Column("max_value", sa.Float),
        sa.Column("step", sa.Float),
        sa.Column("categories", _TEXT),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("updated_at", _BIG, nullable=False),
        sa.UniqueConstraint("project_id", "name", name="uq_score_configs_name"),
    )
    op.create_table(
        "queues",
        *_key(),
        sa.Column("name", _TEXT, nullable=False),
        sa.Column("instructions", _TEXT),
        sa.Column("score_configs", _TEXT, nullable=False),
        sa.Column("reviews_per_item", _BIG, nullable=False),
        sa.Column("assignees", _TEXT, nullable=False),
        sa.Column("hold_seconds", _BIG, nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("updated_at", _BIG, nullable=False),
        sa.UniqueConstraint("project_id", "name", name="uq_queues_name"),
    )
    op.create_table(
        "queue_items",
        *_key(),
        sa.Column("queue_id", _TEXT, nullable=False),
        sa.Column("position", _BIG, nullable=False),
        sa.Column("trace_id", _TEXT, nullable=False),
        sa.Column("span_id", _TEXT, nullable=False),
        sa.Column("added_at", _BIG, nullable=False),
        sa.Column("reviews", _BIG, nullable=False),
        sa.Column("status", _TEXT, nullable=False),
        sa.UniqueConstraint(
            "project_id", "queue_id", "trace_id", "span_id", name="uq_queue_items_target"
        ),
    )
    op.create_index(
        "ix_queue_items_position", "queue_items", ["project_id", "queue_id", "position"]
    )
    op.create_index(
        "ix_queue_items_status", "queue_items", ["project_id", "queue_id", "status", "position"]
    )
    op.create_table(
        "queue_holds",
        sa.Column("project_id", _TEXT, primary_key=True),
        sa.Column("item_id", _TEXT, primary_key=True),
        sa.Column("reviewer", _TEXT, primary_key=True),
        sa.Column("queue_id", _TEXT, nullable=False),
        sa.Column("held_until", _BIG),
        sa.Column("outcome", _TEXT),
        sa.Column("updated_at", _BIG, nullable=False),
    )
    op.create_index("ix_queue_holds_queue", "queue_holds", ["project_id", "queue_id", "held_until"])
    op.create_table(
        "reviews",
        *_key(),
        sa.Column("queue_id", _TEXT, nullable=False),
        sa.Column("item_id", _TEXT, nullable=False),
        sa.Column("reviewer", _TEXT, nullable=False),
        sa.Column("scores", _TEXT, nullable=False),
        sa.Column("score_ids", _TEXT, nullable=False),
        sa.Column("comment", _TEXT),
        sa.Column("corrected_output", _TEXT),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("superseded_by", _TEXT),
    )
    op.create_index("ix_reviews_item", "reviews", ["project_id", "queue_id", "item_id", "reviewer"])


def downgrade() -> None:
    for table in ("reviews", "queue_holds", "queue_items", "queues", "score_configs"):
        op.drop_table(table)
    op.drop_index("ix_scores_review", table_name="scores")
    with op.batch_alter_table("scores") as batch:
        batch.drop_column("review_id")
