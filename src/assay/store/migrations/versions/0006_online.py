"""Online evaluation: the job queue, rules, alerts and their events.

Scores gain ``rule_id``: the online rule that wrote them.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
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
        batch.add_column(sa.Column("rule_id", _TEXT))
    op.create_index("ix_scores_rule", "scores", ["project_id", "rule_id", "trace_id"])
    op.create_table(
        "jobs",
        sa.Column("id", _TEXT, primary_key=True),
        sa.Column("project_id", _TEXT),
        sa.Column("kind", _TEXT, nullable=False),
        sa.Column("payload", _TEXT, nullable=False),
        sa.Column("status", _TEXT, nullable=False),
        sa.Column("attempts", _BIG, nullable=False),
        sa.Column("max_attempts", _BIG, nullable=False),
        sa.Column("run_after", _BIG, nullable=False),
        sa.Column("lease_until", _BIG),
        sa.Column("claimed_by", _TEXT),
        sa.Column("claim_token", _TEXT),
        sa.Column("error", _TEXT),
        sa.Column("result", _TEXT),
        sa.Column("progress_done", _BIG, nullable=False),
        sa.Column("progress_total", _BIG),
        sa.Column("rule_id", _TEXT),
        sa.Column("dedupe_key", _TEXT),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("updated_at", _BIG, nullable=False),
        sa.Column("started_at", _BIG),
        sa.Column("finished_at", _BIG),
        sa.UniqueConstraint("dedupe_key", name="uq_jobs_dedupe_key"),
    )
    op.create_index("ix_jobs_claim", "jobs", ["status", "run_after"])
    op.create_index("ix_jobs_project", "jobs", ["project_id", "created_at"])
    op.create_index("ix_jobs_rule", "jobs", ["project_id", "rule_id", "created_at"])
    op.create_table(
        "rules",
        *_key(),
        sa.Column("name", _TEXT, nullable=False),
        sa.Column("description", _TEXT),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("filter", _TEXT, nullable=False),
        sa.Column("sample_rate", sa.Float, nullable=False),
        sa.Column("scorers", _TEXT, nullable=False),
        sa.Column("route", _TEXT),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("updated_at", _BIG, nullable=False),
        sa.UniqueConstraint("project_id", "name", name="uq_rules_name"),
    )
    op.create_table(
        "alerts",
        *_key(),
        sa.Column("name", _TEXT, nullable=False),
        sa.Column("description", _TEXT),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("metric", _TEXT, nullable=False),
        sa.Column("params", _TEXT, nullable=False),
        sa.Column("operator", _TEXT, nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("window_seconds", _BIG, nullable=False),
        sa.Column("webhook_url", _TEXT),
        sa.Column("webhook_format", _TEXT, nullable=False),
        sa.Column("state", _TEXT, nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("evaluated_at", _BIG),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("updated_at", _BIG, nullable=False),
        sa.UniqueConstraint("project_id", "name", name="uq_alerts_name"),
    )
    op.create_table(
        "alert_events",
        *_key(),
        sa.Column("alert_id", _TEXT, nullable=False),
        sa.Column("kind", _TEXT, nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("link", _TEXT, nullable=False),
        sa.Column("delivery", _TEXT, nullable=False),
        sa.Column("delivery_error", _TEXT),
        sa.Column("delivered_at", _BIG),
        sa.Column("created_at", _BIG, nullable=False),
    )
    op.create_index(
        "ix_alert_events_alert", "alert_events", ["project_id", "alert_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_table("alert_events")
    op.drop_table("alerts")
    op.drop_table("rules")
    op.drop_table("jobs")
    op.drop_index("ix_scores_rule", table_name="scores")
    with op.batch_alter_table("scores") as batch:
        batch.drop_column("rule_id")
