"""The tables of online evaluation (revision 0006): jobs, rules, alerts and alert events.

Same conventions as :mod:`assay.store.sql.tables`: times are microseconds since the epoch, JSON
is kept as text, server-made ids are UUIDv7.

``jobs`` is the one durable queue every background task goes through (online scoring,
backfills, alert evaluation, webhook delivery, later playground runs and retention). A worker
claims a job by setting ``status`` to ``running`` with a fresh ``claim_token`` and a
``lease_until``; only the holder of the current token can finish it, so a job whose lease ran
out and was claimed again is never completed twice. ``dedupe_key`` (unique when set) makes an
enqueue idempotent: periodic jobs and backfill pages use it. ``project_id`` is NULL for jobs
that span projects (alert evaluation).

``rules`` say which production spans are scored online, by what, and where doubtful ones go.
``alerts`` are thresholds on a project's series; ``alert_events`` their history (firing and
resolved notifications, with how their delivery went).
"""

from __future__ import annotations

import sqlalchemy as sa

from assay.store.sql.tables import metadata

jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("project_id", sa.Text),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),  # JSON object
    sa.Column("status", sa.Text, nullable=False),  # queued|running|done|dead|cancelled
    sa.Column("attempts", sa.BigInteger, nullable=False),
    sa.Column("max_attempts", sa.BigInteger, nullable=False),
    sa.Column("run_after", sa.BigInteger, nullable=False),
    sa.Column("lease_until", sa.BigInteger),
    sa.Column("claimed_by", sa.Text),
    sa.Column("claim_token", sa.Text),
    sa.Column("error", sa.Text),
    sa.Column("result", sa.Text),  # JSON object
    sa.Column("progress_done", sa.BigInteger, nullable=False),
    sa.Column("progress_total", sa.BigInteger),
    sa.Column("rule_id", sa.Text),
    sa.Column("dedupe_key", sa.Text),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.Column("started_at", sa.BigInteger),
    sa.Column("finished_at", sa.BigInteger),
    sa.UniqueConstraint("dedupe_key", name="uq_jobs_dedupe_key"),
)
_j = jobs.c
sa.Index("ix_jobs_claim", _j.status, _j.run_after)
sa.Index("ix_jobs_project", _j.project_id, _j.created_at)
sa.Index("ix_jobs_rule", _j.project_id, _j.rule_id, _j.created_at)

rules = sa.Table(
    "rules",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("filter", sa.Text, nullable=False),  # JSON RuleFilter
    sa.Column("sample_rate", sa.Float, nullable=False),
    sa.Column("scorers", sa.Text, nullable=False),  # JSON list of RuleScorer
    sa.Column("route", sa.Text),  # JSON RuleRoute or NULL
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.UniqueConstraint("project_id", "name", name="uq_rules_name"),
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("metric", sa.Text, nullable=False),
    sa.Column("params", sa.Text, nullable=False),  # JSON: score_name, judge, agreement_metric…
    sa.Column("operator", sa.Text, nullable=False),  # above|below
    sa.Column("threshold", sa.Float, nullable=False),
    sa.Column("window_seconds", sa.BigInteger, nullable=False),
    sa.Column("webhook_url", sa.Text),
    sa.Column("webhook_format", sa.Text, nullable=False),  # json|slack
    sa.Column("state", sa.Text, nullable=False),  # ok|firing|no_data
    sa.Column("value", sa.Float),
    sa.Column("evaluated_at", sa.BigInteger),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.UniqueConstraint("project_id", "name", name="uq_alerts_name"),
)

alert_events = sa.Table(
    "alert_events",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("alert_id", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),  # firing|resolved
    sa.Column("value", sa.Float),
    sa.Column("threshold", sa.Float, nullable=False),
    sa.Column("link", sa.Text, nullable=False),
    sa.Column("delivery", sa.Text, nullable=False),  # none|pending|delivered|failed
    sa.Column("delivery_error", sa.Text),
    sa.Column("delivered_at", sa.BigInteger),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)
sa.Index(
    "ix_alert_events_alert",
    alert_events.c.project_id,
    alert_events.c.alert_id,
    alert_events.c.created_at,
)
