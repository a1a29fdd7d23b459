"""The tables of human review (revision 0005): score configs, queues, their items, holds, reviews.

Same conventions as :mod:`assay.store.sql.tables`. A queue item targets a trace (``span_id``
``''``) or one span, so that the unique key (queue, trace, span) holds on both dialects without
NULLs. ``queue_holds`` keeps one row per (item, reviewer): until when the item is held for
that reviewer, and what they did with it (``reviewed`` or ``skipped``). Reviewers are plain
text, so users and roles can arrive later without touching review data. A review written again
by the same reviewer supersedes the previous one (``superseded_by``), as its score rows do.
"""

from __future__ import annotations

import sqlalchemy as sa

from assay.store.sql.tables import metadata

score_configs = sa.Table(
    "score_configs",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("min_value", sa.Float),
    sa.Column("max_value", sa.Float),
    sa.Column("step", sa.Float),
    sa.Column("categories", sa.Text),  # JSON list of {label, value, description}
    sa.Column("archived", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.UniqueConstraint("project_id", "name", name="uq_score_configs_name"),
)

queues = sa.Table(
    "queues",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("instructions", sa.Text),
    sa.Column("score_configs", sa.Text, nullable=False),  # JSON list of config names
    sa.Column("reviews_per_item", sa.BigInteger, nullable=False),
    sa.Column("assignees", sa.Text, nullable=False),  # JSON list of reviewer names
    sa.Column("hold_seconds", sa.BigInteger, nullable=False),
    sa.Column("archived", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.UniqueConstraint("project_id", "name", name="uq_queues_name"),
)

queue_items = sa.Table(
    "queue_items",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("queue_id", sa.Text, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),  # queue order
    sa.Column("trace_id", sa.Text, nullable=False),
    sa.Column("span_id", sa.Text, nullable=False),  # '' = the whole trace
    sa.Column("added_at", sa.BigInteger, nullable=False),
    sa.Column("reviews", sa.BigInteger, nullable=False),  # current reviews
    sa.Column("status", sa.Text, nullable=False),  # pending | done
    sa.UniqueConstraint(
        "project_id", "queue_id", "trace_id", "span_id", name="uq_queue_items_target"
    ),
)
_i = queue_items.c
sa.Index("ix_queue_items_position", _i.project_id, _i.queue_id, _i.position)
sa.Index("ix_queue_items_status", _i.project_id, _i.queue_id, _i.status, _i.position)

queue_holds = sa.Table(
    "queue_holds",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("item_id", sa.Text, primary_key=True),
    sa.Column("reviewer", sa.Text, primary_key=True),
    sa.Column("queue_id", sa.Text, nullable=False),
    sa.Column("held_until", sa.BigInteger),  # NULL: not held
    sa.Column("outcome", sa.Text),  # NULL, reviewed or skipped
    sa.Column("updated_at", sa.BigInteger, nullable=False),
)
sa.Index(
    "ix_queue_holds_queue",
    queue_holds.c.project_id,
    queue_holds.c.queue_id,
    queue_holds.c.held_until,
)

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("queue_id", sa.Text, nullable=False),
    sa.Column("item_id", sa.Text, nullable=False),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("scores", sa.Text, nullable=False),  # JSON {config: value}
    sa.Column("score_ids", sa.Text, nullable=False),  # JSON list of score row ids
    sa.Column("comment", sa.Text),
    sa.Column("corrected_output", sa.Text),  # JSON; NULL when none was given
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("superseded_by", sa.Text),
)
_r = reviews.c
sa.Index("ix_reviews_item", _r.project_id, _r.queue_id, _r.item_id, _r.reviewer)
