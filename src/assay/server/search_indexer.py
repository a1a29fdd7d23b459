"""Filling the text-search index in the background of ``assay serve``, never in ingest's way.

SQLite's word index of span text is filled after the fact (see ``assay.store.sql.search``):
this thread asks the store to index the next chunk of spans whenever no ingest request is
running (:data:`~assay.server.pressure.INGEST`), rests while there is nothing left, and stops
when the server does. Spans not indexed yet are still found by search, by a scan of the tail.
On PostgreSQL the store has nothing to do here (its trigram index is kept by PostgreSQL), so
the thread only wakes now and then to hear that.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from assay.server.pressure import INGEST, IngestPressure

if TYPE_CHECKING:
    from assay.store.base import Store

log = logging.getLogger("assay.search")
CHUNK = 2000
IDLE_SECONDS = 1.0
BUSY_SECONDS = 0.1
ERROR_SECONDS = 10.0


class SearchIndexer:
    """A daemon thread calling ``store.index_search_text`` in chunks while ingest is quiet.

    Args:
        store: The store whose index to fill.
        chunk: Spans per write transaction (one chunk holds the write lock ~20-50 ms).
        idle: Seconds to rest once the index has caught up.
        pressure: Tells whether ingest is busy; default the process's ingest routes.
    """

    def __init__(
        self,
        store: Store,
        *,
        chunk: int = CHUNK,
        idle: float = IDLE_SECONDS,
        pressure: IngestPressure = INGEST,
    ) -> None:
        self.store = store
        self.chunk = chunk
        self.idle = idle
        self.pressure = pressure
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="assay-search-index", daemon=True)

    def start(self) -> SearchIndexer:
        """Start the thread; returns self."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the thread to stop after its current chunk and wait; True when it ended."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        failing = False
        while not self._stop.is_set():
            if self.pressure.busy():
                self._stop.wait(BUSY_SECONDS)
                continue
            try:
                done = self.store.index_search_text(limit=self.chunk)
            except Exception as exc:  # the database is away or busy: search still scans
                if not failing:
                    log.warning("indexing span text for search failed (%s); retrying", exc)
                failing = True
                self._stop.wait(ERROR_SECONDS)
                continue
            failing = False
            if done < self.chunk:
                self._stop.wait(self.idle)
