"""Ingest goes first: scoring in the same process steps aside while spans are arriving.

The ingest routes mark each request with :data:`INGEST` (``with INGEST:``). The in-process
worker's scoring calls :meth:`IngestPressure.wait_turn` before each model call: when no ingest
request is running and none ended in the last ``quiet`` seconds it returns at once; while
ingest is busy it lets one call through every ``interval`` seconds, so scoring slows to a trickle
instead of taking CPU (and the GIL) from ingest, and catches up as soon as ingest is quiet. A
worker in its own process (``assay worker``) sees no ingest and never waits.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from types import TracebackType


class IngestPressure:
    """How busy ingest is in this process, and a gate for work that should wait for it.

    Args:
        quiet: Seconds after the last ingest request during which ingest still counts as busy.
        interval: While ingest is busy, one waiting call passes every this many seconds.
    """

    def __init__(self, *, quiet: float = 0.05, interval: float = 0.1) -> None:
        self.quiet = quiet
        self.interval = interval
        self._active = 0
        self._last_end = 0.0
        self._last_pass = 0.0
        self._lock = threading.Lock()
        self._gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def __enter__(self) -> IngestPressure:
        with self._lock:
            self._active += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with self._lock:
            self._active -= 1
            self._last_end = time.monotonic()

    def busy(self) -> bool:
        """Whether an ingest request is running or ended less than ``quiet`` seconds ago."""
        return self._active > 0 or time.monotonic() - self._last_end < self.quiet

    async def wait_turn(self) -> None:
        """Return when ingest is quiet, or when this call's turn comes while it is busy."""
        if not self.busy():
            return
        loop = asyncio.get_running_loop()
        gate = self._gates.get(loop)
        if gate is None:
            gate = self._gates[loop] = asyncio.Lock()
        async with gate:  # one waiter sleeps to its turn; the others wait on the lock
            while self.busy():
                left = self.interval - (time.monotonic() - self._last_pass)
                if left <= 0:
                    break
                await asyncio.sleep(left)  # few wake-ups: each one takes the GIL from ingest
            self._last_pass = time.monotonic()


INGEST = IngestPressure()
"""The process's ingest pressure: entered by the ingest routes, awaited by scoring."""
