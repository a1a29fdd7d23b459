"""Alembic revisions of the store schema; run them with ``assay.store.sql.migrate.upgrade``."""
