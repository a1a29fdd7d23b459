"""Engines for both backends, with SQLite tuned for one writer and many readers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

_SQLITE_PRAGMAS = (
    "PRAGMA page_size=32768",  # takes effect on a new database only
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=30000",
    "PRAGMA foreign_keys=OFF",
    "PRAGMA cache_size=-65536",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA mmap_size=268435456",
)
_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def create(url: sa.URL) -> Engine:
    """An engine for ``url``; SQLite connections get WAL, busy timeout and explicit BEGINs."""
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_size=8, max_overflow=16)
    engine = sa.create_engine(url, pool_size=8, max_overflow=16)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        cursor = dbapi_conn.cursor()
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("assay_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _write_lock(engine: Engine) -> threading.Lock:
    key = str(engine.url.database)
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.Lock())


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A connection inside a write transaction, committed on exit.

    On SQLite one in-process lock per database file keeps server threads from ever meeting
    "database is locked", and the transaction starts with ``BEGIN IMMEDIATE``.
    """
    is_sqlite = engine.dialect.name == "sqlite"
    guard = _write_lock(engine) if is_sqlite else nullcontext()
    with guard, engine.connect() as conn:
        if is_sqlite:
            conn = conn.execution_options(assay_write=True)
        with conn.begin():
            yield conn


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection inside a read transaction (one consistent snapshot)."""
    with engine.connect() as conn, conn.begin():
        yield conn
