"""The tables of datasets, experiments, their cases, scores (revision 0002) and judges (0004).

Same conventions as :mod:`assay.store.sql.tables`: ``project_id`` leads every key and index, ids
the server makes are UUIDv7 text, times are BIGINT microseconds, JSON is kept as text. Large
bodies go to the shared ``blobs`` table with a pointer in the row's ``refs``.

A dataset record's history lives in ``dataset_record_versions``: one row per state of a record,
valid from ``version_from`` up to (not including) ``version_to`` (NULL: still current). A change
closes the current row and adds a new one, so reading any version is one indexed query and old
states are never rewritten.
"""

from __future__ import annotations

import sqlalchemy as sa

from assay.store.sql.tables import metadata

datasets = sa.Table(
    "datasets",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("record_count", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.UniqueConstraint("project_id", "name", name="uq_datasets_name"),
)

dataset_versions = sa.Table(
    "dataset_versions",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("dataset_id", sa.Text, primary_key=True),
    sa.Column("version", sa.BigInteger, primary_key=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("inserted", sa.BigInteger, nullable=False),
    sa.Column("updated", sa.BigInteger, nullable=False),
    sa.Column("deleted", sa.BigInteger, nullable=False),
    sa.Column("record_count", sa.BigInteger, nullable=False),
)

dataset_record_versions = sa.Table(
    "dataset_record_versions",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("dataset_id", sa.Text, primary_key=True),
    sa.Column("record_id", sa.Text, primary_key=True),
    sa.Column("version_from", sa.BigInteger, primary_key=True),
    sa.Column("version_to", sa.BigInteger),
    sa.Column("created_version", sa.BigInteger, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),  # order within the creating call
    sa.Column("input", sa.Text),
    sa.Column("expected", sa.Text),
    sa.Column("metadata", sa.Text),
    sa.Column("refs", sa.Text),
    sa.Column("tags", sa.Text, nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("search_text", sa.Text),
)
_r = dataset_record_versions.c
sa.Index("ix_record_versions_order", _r.project_id, _r.dataset_id, _r.created_version, _r.position)

experiments = sa.Table(
    "experiments",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("dataset_name", sa.Text),
    sa.Column("dataset_version", sa.BigInteger),
    sa.Column("metadata", sa.Text, nullable=False),
    sa.Column("git", sa.Text),
    sa.Column("baseline", sa.Text),
    sa.Column("trial_count", sa.BigInteger, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("started_at", sa.BigInteger, nullable=False),
    sa.Column("ended_at", sa.BigInteger),
    sa.Column("summary_scores", sa.Text),
    sa.UniqueConstraint("project_id", "name", name="uq_experiments_name"),
)
sa.Index("ix_experiments_start", experiments.c.project_id, experiments.c.started_at)

experiment_cases = sa.Table(
    "experiment_cases",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("experiment_id", sa.Text, primary_key=True),
    sa.Column("case_id", sa.Text, primary_key=True),
    sa.Column("trial", sa.BigInteger, primary_key=True),
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
    sa.Column("prompt_tokens", sa.BigInteger),
    sa.Column("completion_tokens", sa.BigInteger),
    sa.Column("total_tokens", sa.BigInteger),
    sa.Column("cost", sa.Float),
    sa.Column("dataset_record_id", sa.Text),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)

scores = sa.Table(
    "scores",
    metadata,
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
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("superseded_by", sa.Text),
    sa.Column("judge", sa.Text),  # added by revision 0004
    sa.Column("judge_version", sa.BigInteger),  # added by revision 0004
    sa.Column("review_id", sa.Text),  # added by revision 0005
    sa.Column("rule_id", sa.Text),  # added by revision 0006: the online rule that wrote it
)
_s = scores.c
sa.Index("ix_scores_trace", _s.project_id, _s.trace_id, _s.created_at)
sa.Index("ix_scores_review", _s.project_id, _s.review_id)
sa.Index("ix_scores_rule", _s.project_id, _s.rule_id, _s.trace_id)
sa.Index("ix_scores_experiment", _s.project_id, _s.experiment_id, _s.name)
sa.Index("ix_scores_name", _s.project_id, _s.name, _s.source, _s.created_at)

# Judges (revision 0004): the judge-level fields in ``judges`` (``version`` is the latest),
# each definition in ``judge_versions``; choices and params are JSON text.
judges = sa.Table(
    "judges",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("score_name", sa.Text, nullable=False),
    sa.Column("threshold", sa.Float),
    sa.Column("threshold_metric", sa.Text, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.UniqueConstraint("project_id", "name", name="uq_judges_name"),
)

judge_versions = sa.Table(
    "judge_versions",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("judge_id", sa.Text, primary_key=True),
    sa.Column("version", sa.BigInteger, primary_key=True),
    sa.Column("prompt", sa.Text, nullable=False),
    sa.Column("choices", sa.Text, nullable=False),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("use_cot", sa.Boolean, nullable=False),
    sa.Column("params", sa.Text, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)
