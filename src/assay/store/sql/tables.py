"""The tables of the store, as SQLAlchemy Core objects for building queries.

The schema itself is made by the Alembic revisions in ``assay.store.migrations``; these objects
mirror it. Every key and index starts with ``project_id``; times are BIGINT microseconds since the
Unix epoch; JSON values are kept as text so the same columns serve SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

projects = sa.Table(
    "projects",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("retention_days", sa.BigInteger),  # added by revision 0007; NULL keeps forever
)


def _span_columns(*, finished: bool) -> list[sa.Column[object]]:
    """Columns shared by ``spans`` and ``open_spans``."""
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


spans = sa.Table("spans", metadata, *_span_columns(finished=True))
sa.Index(
    "ix_spans_start", spans.c.project_id, spans.c.start_time, spans.c.trace_id, spans.c.span_id
)

open_spans = sa.Table("open_spans", metadata, *_span_columns(finished=False))

traces = sa.Table(
    "traces",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("trace_id", sa.Text, primary_key=True),
    sa.Column("start_time", sa.BigInteger, nullable=False),
    sa.Column("end_time", sa.BigInteger),
    sa.Column("duration_us", sa.BigInteger, nullable=False),  # -1 while unknown
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
    sa.Column("experiment_id", sa.Text),  # added by revision 0003
)
_t = traces.c
sa.Index("ix_traces_start", _t.project_id, _t.start_time, _t.trace_id)
sa.Index("ix_traces_duration", _t.project_id, _t.duration_us, _t.trace_id)
sa.Index("ix_traces_cost", _t.project_id, _t.cost, _t.trace_id)
sa.Index("ix_traces_tokens", _t.project_id, _t.total_tokens, _t.trace_id)
sa.Index("ix_traces_name", _t.project_id, _t.name, _t.start_time, _t.trace_id)
for _col in (_t.session_id, _t.user_id):  # partial: most traces name neither (revision 0010)
    sa.Index(
        f"ix_traces_{_col.name.removesuffix('_id')}",
        _t.project_id,
        _col,
        _t.start_time,
        _t.trace_id,
        sqlite_where=_col.isnot(None),
        postgresql_where=_col.isnot(None),
    )
sa.Index("ix_traces_experiment", _t.project_id, _t.experiment_id, _t.start_time, _t.trace_id)

blobs = sa.Table(
    "blobs",
    metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    sa.Column("sha256", sa.Text, primary_key=True),
    sa.Column("length", sa.BigInteger, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)
