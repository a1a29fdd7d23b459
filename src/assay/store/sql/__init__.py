"""The SQLAlchemy implementation of the store, one class for SQLite and PostgreSQL."""

from assay.store.sql.store import SqlStore

__all__ = ["SqlStore"]
