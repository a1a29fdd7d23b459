"""Indexed text search over span input and output.

SQLite: a contentless FTS5 word index keyed by ``spans.rowid`` and a one-row table holding how
far it is filled (``assay.store.sql.search`` fills it in the background; an existing database
starts at rowid 0). PostgreSQL: the ``pg_trgm`` extension and a GIN trigram index on the text
that search reads. When the extension cannot be created (not installed, or the role may not
create it) the revision still succeeds: it logs a warning and search keeps scanning.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

log = logging.getLogger("assay.store")

# Keep in step with assay.store.sql.search (FTS_TABLE, STATE_TABLE, TRGM_INDEX, pg_text).
_FTS = (
    "CREATE VIRTUAL TABLE span_search USING fts5(body, content='', columnsize=0, detail=none, "
    "tokenize='unicode61 remove_diacritics 2')"
)
# fastupdate stays on (the default): with it off, add_spans of 1 KB bodies ran at 1,742 spans/s
# against 2,190 with it on (3,970 without the index), bench/query.py phase 1.
_TRGM = (
    "CREATE INDEX ix_spans_search_trgm ON spans USING gin "
    "((coalesce(search_text, coalesce(input, '') || E'\\n' || coalesce(output, ''))) "
    "gin_trgm_ops)"
)


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(  # used on SQLite; PostgreSQL has it too, so both schemas are the same
        "span_search_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("indexed_rowid", sa.BigInteger, nullable=False),
    )
    op.execute("INSERT INTO span_search_state (id, indexed_rowid) VALUES (1, 0)")
    if bind.dialect.name == "sqlite":
        op.execute(_FTS)
        return
    try:
        with bind.begin_nested():  # a savepoint: a refusal must not abort the migration
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError as exc:
        first = (str(getattr(exc, "orig", exc)).strip().splitlines() or ["?"])[0]
        log.warning(
            "text search stays unindexed: CREATE EXTENSION pg_trgm failed (%s); install "
            "PostgreSQL's contrib package or have a superuser run it, then create the index "
            "as docs/querying.md shows",
            first,
        )
        return
    bind.exec_driver_sql(_TRGM)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE span_search")
    else:
        op.execute("DROP INDEX IF EXISTS ix_spans_search_trgm")
    op.drop_table("span_search_state")
