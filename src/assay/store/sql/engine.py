"""Engines for both backends, with SQLite tuned for one writer and many readers."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

_SQLITE_PRAGMAS = (
    "PRAGMA page_size=4096",  # new databases only; small pages keep random index writes cheap
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=30000",
    "PRAGMA foreign_keys=OFF",
    "PRAGMA cache_size=-65536",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA mmap_size=268435456",
    "PRAGMA wal_autocheckpoint=0",  # checkpoints run on the checkpointer thread (see below)
    "PRAGMA journal_size_limit=67108864",  # a log grown in a burst shrinks when it restarts
)
CHECKPOINT_BYTES = 32 * 1024 * 1024
# While the server is busy taking spans, a checkpoint waits until the log reaches this size.
BUSY_CHECKPOINT_BYTES = 1024 * 1024 * 1024
log = logging.getLogger("assay.store")
_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def create(url: sa.URL) -> Engine:
    """An engine for ``url``; SQLite connections get WAL, busy timeout and explicit BEGINs."""
    if url.get_backend_name() != "sqlite":
        # JIT compiles a query for ~10-100 ms whenever the planner's cost estimate is high, as it
        # is for the per-row filters of the trace list that actually stop after a page of rows.
        return sa.create_engine(
            url, pool_size=8, max_overflow=16, connect_args={"options": "-c jit=off"}
        )
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


class Checkpointer:
    """Copies SQLite's write-ahead log back into the database file on a thread of its own.

    SQLite would otherwise do it inside whichever commit crosses the threshold, with an fsync,
    while the writer holds the write lock. Here a commit only notes that the log has grown; the
    checkpoint (PASSIVE: it never blocks readers or the writer) runs beside the next writes.
    Durability is unchanged: a committed transaction is in the log before the commit returns.

    A checkpoint writes every changed page to its place in the database file and syncs it,
    which slows the writer down while it runs; so while ``busy()`` says spans are arriving it
    waits, until they pause or the log reaches ``busy_bytes``.

    Args:
        start_bytes: Log size from which a commit asks for a checkpoint.
        busy_bytes: Log size from which a checkpoint runs even while ``busy()``.
    """

    def __init__(
        self, *, start_bytes: int = CHECKPOINT_BYTES, busy_bytes: int = BUSY_CHECKPOINT_BYTES
    ) -> None:
        self.start_bytes = start_bytes
        self.busy_bytes = busy_bytes
        self._pending: set[str] = set()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self.busy: Callable[[], bool] = _never

    def _wait_for_quiet(self, path: str) -> None:
        while self.busy():
            try:
                if os.stat(path + "-wal").st_size >= self.busy_bytes:
                    return
            except OSError:
                return
            time.sleep(0.05)

    def after_commit(self, path: str) -> None:
        try:
            size = os.stat(path + "-wal").st_size
        except OSError:
            return
        if size < self.start_bytes:
            return
        with self._cond:
            self._pending.add(path)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="assay-sqlite-checkpoint", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending:
                    self._cond.wait()
                path = self._pending.pop()
            self._wait_for_quiet(path)
            try:
                conn = sqlite3.connect(path, timeout=30, isolation_level=None)
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                finally:
                    conn.close()
            except sqlite3.Error as exc:  # the next commit asks again
                log.warning("SQLite checkpoint of %s failed: %s", path, exc)


def _never() -> bool:
    return False


_CHECKPOINTER = Checkpointer()


def defer_checkpoints_while(busy: Callable[[], bool]) -> None:
    """Let SQLite checkpoints wait while ``busy()`` is true (the server passes its ingest gauge)."""
    _CHECKPOINTER.busy = busy


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
    path = engine.url.database
    if is_sqlite and path and path != ":memory:":
        _CHECKPOINTER.after_commit(path)


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection inside a read transaction (one consistent snapshot)."""
    with engine.connect() as conn, conn.begin():
        yield conn
