"""Alembic environment: runs on the connection handed over by ``assay.store.sql.migrate``."""

from __future__ import annotations

from alembic import context

from assay.store.sql.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "assay migrations run through assay.store.sql.migrate.upgrade() or `assay db upgrade`, "
        "not through the alembic command"
    )
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
