"""The client made by ``init()``: a bounded queue of finished spans and one exporter thread.

The caller's side is one ``deque.append`` per span (atomic, no lock). When the queue is full the
oldest span is dropped, :attr:`Client.dropped` grows and one warning is logged; the caller never
waits. The exporter thread wakes when a batch is ready or every ``flush_interval`` seconds,
turns spans into wire dicts (masking them on the way) and hands batches to the exporter.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from assay import config
from assay.errors import ConfigError
from assay.sdk._span import STATE, Span
from assay.sdk._util import log, warn_once

#: Seconds the exit handler waits for the last spans to be delivered.
EXIT_TIMEOUT = 10.0


@runtime_checkable
class Exporter(Protocol):
    """Where batches of finished spans go.

    ``export`` is called on the exporter thread only, with dicts in the shape of
    ``assay.schema.SpanIn`` holding plain JSON data; it may block (the caller never waits for
    it). ``shutdown`` is called once when the client shuts down.
    """

    def export(self, spans: list[dict[str, Any]]) -> None:
        """Deliver one batch of spans."""

    def shutdown(self) -> None:
        """Release resources; no ``export`` follows."""


#: Clients with an export thread; a forked child restarts theirs (threads do not survive fork).
_LIVE: weakref.WeakSet[Client] = weakref.WeakSet()


def _restart_after_fork() -> None:
    for client in list(_LIVE):
        client._after_fork()


os.register_at_fork(after_in_child=_restart_after_fork)


class Client:
    """Buffers finished spans and exports them in the background. Made by :func:`init`."""

    def __init__(
        self,
        *,
        project: str,
        exporter: Exporter | None,
        mask: Callable[[Any], Any] | None = None,
        max_queue_size: int = 200_000,
        batch_size: int = 1000,
        flush_interval: float = 0.5,
    ) -> None:
        """Create a client; most programs call :func:`init` instead.

        Args:
            project: Project the spans belong to.
            exporter: Destination of the batches; None keeps nothing.
            mask: Applied to input, output, expected and metadata on the exporter thread.
            max_queue_size: Spans buffered before the oldest are dropped.
            batch_size: Spans per ``export`` call.
            flush_interval: Seconds between background exports.
        """
        self.project = project
        self.exporter = exporter
        self.mask = mask
        self.max_queue_size = max_queue_size
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self._dropped = 0
        self._warned_full = False
        self._queue: deque[Span] = deque(maxlen=max_queue_size)
        self._wake = threading.Event()
        self._waiters: list[threading.Event] = []
        self._waiters_lock = threading.Lock()
        self._stopping = False
        self._closed = False
        self._thread: threading.Thread | None = None
        if exporter is not None:
            self._start_thread()
            _LIVE.add(self)

    @property
    def dropped(self) -> int:
        """Spans that will never be delivered: queue overflow, rejected batches, shutdown."""
        return self._dropped + int(getattr(self.exporter, "dropped", 0))

    # ------------------------------------------------------------------ caller side
    def _submit(self, span: Span) -> None:
        q = self._queue
        if len(q) >= self.max_queue_size:
            self._dropped += 1
            if not self._warned_full:
                self._warned_full = True
                log.warning(
                    "assay: the span queue is full (max_queue_size=%d); dropping the oldest "
                    "spans. Raise ASSAY_MAX_QUEUE_SIZE or check that the server at the "
                    "configured api_url is reachable. Client.dropped counts them.",
                    self.max_queue_size,
                )
        q.append(span)
        if len(q) >= self.batch_size and not self._wake.is_set():
            self._wake.set()

    def flush(self, timeout: float | None = None) -> bool:
        """Deliver every span finished so far.

        Args:
            timeout: Seconds to wait at most; None waits as long as it takes.

        Returns:
            True when everything was handed to the exporter, False on timeout.
        """
        if self._thread is None or not self._thread.is_alive():
            return not self._queue or self.exporter is None
        done = threading.Event()
        with self._waiters_lock:
            self._waiters.append(done)
        self._wake.set()
        return done.wait(timeout)

    def shutdown(self, timeout: float | None = EXIT_TIMEOUT) -> bool:
        """Flush, stop the exporter thread and shut the exporter down. Safe to call twice.

        Args:
            timeout: Seconds to wait for the flush at most.

        Returns:
            True when every span was delivered.
        """
        if self._closed:
            return True
        self._closed = True
        if STATE.client is self:
            STATE.client = None
        ok = self.flush(timeout)
        self._stopping = True
        self._wake.set()
        if self.exporter is not None:
            try:
                self.exporter.shutdown()
            except Exception as exc:
                log.warning("assay: exporter shutdown failed: %s: %s", type(exc).__name__, exc)
        if self._thread is not None:
            self._thread.join(timeout=1.0 if timeout is None else min(timeout, 1.0))
        left = len(self._queue)
        if left:
            self._queue.clear()
            self._dropped += left
            log.warning("assay: %d spans were not delivered before shutdown", left)
        return ok and not left

    # ------------------------------------------------------------------ exporter thread
    def _start_thread(self) -> None:
        self._thread = threading.Thread(target=self._run, name="assay-exporter", daemon=True)
        self._thread.start()

    def _after_fork(self) -> None:
        self._queue.clear()
        self._waiters = []
        self._waiters_lock = threading.Lock()
        self._wake = threading.Event()
        reset = getattr(self.exporter, "after_fork", None)
        if callable(reset):
            reset()
        if not self._closed:
            self._start_thread()

    def _run(self) -> None:
        while True:
            self._wake.wait(self.flush_interval)
            self._wake.clear()
            with self._waiters_lock:
                waiters, self._waiters = self._waiters, []
            self._drain()
            for done in waiters:
                done.set()
            if self._stopping:
                return

    def _drain(self) -> None:
        """Export the spans queued when the thread woke, in batches of ``batch_size``.

        Spans that finish while a batch is on the wire wait for the next wake (a full batch or
        ``flush_interval``), so a steady stream goes out in few large requests rather than in
        many small ones; a flush still delivers everything finished before it was called.
        """
        q = self._queue
        popleft = q.popleft
        left = len(q)
        while left > 0 and not self._stopping:
            batch: list[Span] = []
            try:
                for _ in range(min(self.batch_size, left)):
                    batch.append(popleft())
            except IndexError:
                left = 0
            left -= len(batch)
            if batch:
                self._export(batch)

    def _export(self, batch: list[Span]) -> None:
        exporter = self.exporter
        if exporter is None:
            return
        mask = self.mask
        try:
            dicts = [s.to_wire(mask) for s in batch]
            exporter.export(dicts)
        except Exception as exc:
            self._dropped += len(batch)
            warn_once(
                "export",
                "assay: exporting %d spans failed (%s: %s); they were dropped",
                len(batch),
                type(exc).__name__,
                exc,
            )


# ---------------------------------------------------------------------- module-level API
_exit_registered = False


def _at_exit() -> None:
    client = STATE.client
    if isinstance(client, Client):
        client.shutdown(timeout=EXIT_TIMEOUT)


def _under_pytest_without_a_server(api_url: str | None) -> bool:
    """Under pytest the SDK sends nothing unless a test names a server or an exporter.

    A test suite that imports code calling ``assay.init()`` should not post to a server the
    developer happens to run; ``api_url=``, ``ASSAY_API_URL`` or ``exporter=`` opt in.
    """
    return "pytest" in sys.modules and api_url is None and "ASSAY_API_URL" not in os.environ


def _positive(name: str, value: Any) -> Any:
    if value <= 0:
        raise ConfigError(f"{name} is {value!r}; it must be greater than 0")
    return value


def init(
    project: str | None = None,
    *,
    api_url: str | None = None,
    api_key: str | None = None,
    exporter: Exporter | None = None,
    mask: Callable[[Any], Any] | None = None,
    max_queue_size: int | None = None,
    batch_size: int | None = None,
    flush_interval: float | None = None,
    compression: str | None = None,
    enabled: bool | None = None,
) -> Client:
    """Start sending spans; every argument left out comes from the ``ASSAY_*`` settings.

    Calling ``init`` again replaces the previous client (after flushing it). Without ``init``
    spans still work as context (``current_span`` and friends) but are sent nowhere.

    Args:
        project: Project name (``ASSAY_PROJECT``).
        api_url: Base URL of the assay server (``ASSAY_API_URL``).
        api_key: Project API key, sent as a Bearer token (``ASSAY_API_KEY``).
        exporter: Send batches here instead of over HTTP (e.g. ``assay.testing.SpanCapture``).
        mask: Function applied to input, output, expected and metadata before they leave
            the process, e.g. to remove personal data.
        max_queue_size: Spans buffered before the oldest are dropped.
        batch_size: Spans per request.
        flush_interval: Seconds between background exports.
        compression: ``gzip`` or ``none``.
        enabled: False makes tracing send nothing (``ASSAY_TRACING``). Under pytest nothing
            is sent either unless ``api_url``, ``ASSAY_API_URL`` or ``exporter`` is given.

    Returns:
        The new client.
    """
    global _exit_registered
    project = str(config.get("project", project))
    queue_size = int(_positive("max_queue_size", config.get("max_queue_size", max_queue_size)))
    batch = int(_positive("batch_size", config.get("batch_size", batch_size)))
    interval = float(_positive("flush_interval", config.get("flush_interval", flush_interval)))
    on = bool(config.get("tracing", enabled))
    if on and exporter is None and _under_pytest_without_a_server(api_url):
        on = False
    if on and exporter is None:
        from assay.sdk._http import HttpExporter

        exporter = HttpExporter(
            api_url=str(config.get("api_url", api_url)),
            project=project,
            api_key=str(config.get("api_key", api_key) or "") or None,
            compression=str(config.get("compression", compression)),
        )
    client = Client(
        project=project,
        exporter=exporter if on else None,
        mask=mask,
        max_queue_size=queue_size,
        batch_size=batch,
        flush_interval=interval,
    )
    previous = STATE.client
    STATE.client = client if on else None
    if isinstance(previous, Client):
        previous.shutdown(timeout=EXIT_TIMEOUT)
    if not _exit_registered:
        atexit.register(_at_exit)
        _exit_registered = True
    return client


def get_client() -> Client | None:
    """The client made by the last :func:`init`, or None."""
    client = STATE.client
    return client if isinstance(client, Client) else None


def flush(timeout: float | None = None) -> bool:
    """Deliver every span finished so far (see :meth:`Client.flush`); True without a client."""
    client = get_client()
    return True if client is None else client.flush(timeout)


def shutdown(timeout: float | None = EXIT_TIMEOUT) -> bool:
    """Flush and stop the active client; later spans are sent nowhere until ``init``."""
    client = get_client()
    return True if client is None else client.shutdown(timeout)
