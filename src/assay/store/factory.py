"""``open_store``: pick the storage implementation from the database URL."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import ArgumentError

from assay import config
from assay.errors import ConfigError
from assay.store.base import Store

_HINT = "use sqlite:///path or postgresql://user@host/db (see docs/configuration.md)"


def _normalise(url: str) -> sa.URL:
    try:
        parsed = sa.make_url(url)
    except ArgumentError:
        raise ConfigError(f"ASSAY_DATABASE_URL {url!r} is not a database URL; {_HINT}") from None
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if backend == "sqlite" and driver in ("pysqlite", "sqlite"):
        database = parsed.database or ""
        if database in ("", ":memory:") or database.startswith("file:"):
            raise ConfigError(
                f"ASSAY_DATABASE_URL {url!r} names no database file; use sqlite:///path/to/assay.db"
            )
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        return parsed.set(database=str(Path(database).expanduser()))
    if backend in ("postgresql", "postgres") and driver in (
        "psycopg",
        "psycopg2",
        "postgresql",
        "postgres",
    ):
        return parsed.set(drivername="postgresql+psycopg")
    scheme = parsed.drivername
    raise ConfigError(f"ASSAY_DATABASE_URL has scheme {scheme!r}; {_HINT}")


def open_store(url: str | None = None) -> Store:
    """Open the store at ``url`` (default: the ``database_url`` setting, else SQLite in data_dir).

    Does not migrate; call ``migrate()`` on the result (``assay serve`` and ``assay db upgrade``
    do). Raises ``ConfigError`` for a URL of an unsupported kind.
    """
    from assay.store.sql import SqlStore

    return SqlStore(_normalise(config.database_url(url)))
