"""SQLite checkpoints wait while spans are arriving, and run once they pause or the log is large."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from assay.store.sql.engine import Checkpointer
from tests.support.wait import wait_until


def _logged(path: Path) -> sqlite3.Connection:
    """A WAL database with 2 MB of rows still only in its log; the connection keeps it open
    (closing the last one would checkpoint)."""
    keep = sqlite3.connect(path, isolation_level=None)
    keep.execute("PRAGMA journal_mode=WAL")
    keep.execute("PRAGMA wal_autocheckpoint=0")
    keep.execute("CREATE TABLE t (x TEXT)")
    keep.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,) for _ in range(2000)])
    return keep


def test_a_checkpoint_waits_for_a_pause_in_ingest(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    keep = _logged(path)
    before = os.path.getsize(path)
    asked: list[bool] = []
    busy = [True]

    def ingest_busy() -> bool:
        asked.append(busy[0])
        return busy[0]

    checkpointer = Checkpointer(start_bytes=1, busy_bytes=1 << 40)
    checkpointer.busy = ingest_busy
    checkpointer.after_commit(str(path))
    wait_until(lambda: len(asked) >= 3)  # it is waiting: the pages are still only in the log
    assert os.path.getsize(path) == before
    busy[0] = False
    wait_until(lambda: os.path.getsize(path) > before + 1_000_000)
    assert keep.execute("SELECT count(*) FROM t").fetchone() == (2000,)
    keep.close()


def test_a_large_log_is_checkpointed_even_while_ingest_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    keep = _logged(path)
    before = os.path.getsize(path)
    checkpointer = Checkpointer(start_bytes=1, busy_bytes=1_000_000)
    checkpointer.busy = lambda: True
    checkpointer.after_commit(str(path))
    wait_until(lambda: os.path.getsize(path) > before + 1_000_000)
    keep.close()
