"""A concurrency limit shared by threads and every asyncio event loop of the process.

:class:`Limiter` hands out at most ``limit`` slots. A thread waits on a lock of its own; a
coroutine waits on a future of its own loop, resolved from whichever thread frees a slot
(through ``call_soon_threadsafe`` when that is another thread), so waiting never blocks a loop.
Waiters are served first come, first served, and a freed slot goes straight to the next waiter,
so nothing but the limit itself makes a call wait.
"""

from __future__ import annotations

import asyncio
import collections
import threading


class _Waiter:
    __slots__ = ("future", "granted", "lock", "loop")

    def __init__(
        self,
        *,
        lock: threading.Lock | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        future: asyncio.Future[None] | None = None,
    ) -> None:
        self.lock = lock
        self.loop = loop
        self.future = future
        self.granted = False


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class Limiter:
    """At most ``limit`` holders at once, across threads and event loops.

    Args:
        limit: How many slots there are (at least 1).
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._free = limit
        self._lock = threading.Lock()
        self._waiters: collections.deque[_Waiter] = collections.deque()

    @property
    def in_use(self) -> int:
        """Slots held right now."""
        return self.limit - self._free

    def acquire(self) -> None:
        """Take a slot, blocking this thread until one is free."""
        with self._lock:
            if self._free > 0 and not self._waiters:
                self._free -= 1
                return
            gate = threading.Lock()
            gate.acquire()
            self._waiters.append(_Waiter(lock=gate))
        gate.acquire()  # released by release() when the slot is ours

    async def acquire_async(self) -> None:
        """Take a slot, waiting without blocking the running event loop."""
        with self._lock:
            if self._free > 0 and not self._waiters:
                self._free -= 1
                return
            loop = asyncio.get_running_loop()
            waiter = _Waiter(loop=loop, future=loop.create_future())
            self._waiters.append(waiter)
        assert waiter.future is not None
        try:
            await waiter.future
        except asyncio.CancelledError:
            with self._lock:
                if not waiter.granted:
                    self._waiters.remove(waiter)
                    raise
            self.release()  # the slot arrived as we were cancelled: pass it on
            raise

    def release(self) -> None:
        """Give a slot back: to the longest waiting thread or coroutine, else to the pool."""
        while True:
            with self._lock:
                if not self._waiters:
                    self._free += 1
                    return
                waiter = self._waiters.popleft()
                waiter.granted = True
            if self._wake(waiter):
                return

    @staticmethod
    def _wake(waiter: _Waiter) -> bool:
        """Hand the slot to ``waiter``; False when its event loop is gone."""
        if waiter.lock is not None:
            waiter.lock.release()
            return True
        loop, future = waiter.loop, waiter.future
        assert loop is not None and future is not None
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            _resolve(future)
            return True
        try:
            loop.call_soon_threadsafe(_resolve, future)
        except RuntimeError:  # the loop was closed while waiting: nobody will take the slot
            return False
        return True
