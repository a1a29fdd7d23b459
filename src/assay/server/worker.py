"""The job worker: claims due jobs, runs their handlers, keeps their leases, commits outcomes.

A :class:`Worker` polls the store every ``worker_poll_interval`` seconds (sooner when
:func:`notify_all` or a finished job wakes it), claims as many due jobs as it has free slots
(``worker_concurrency``) and runs each handler as an asyncio task. While a handler runs, its
lease is renewed every third of ``job_lease_seconds``; when the claim is lost (the job was
cancelled, or the worker stalled past its lease and another worker took the job over), the
handler is cancelled and its outcome never committed. A handler's outcome is committed together
with finishing the job (:meth:`~assay.store.jobs.JobStore.finish_job`); a handler that raises
fails the attempt (retried with backoff, dead after the last attempt). Nothing a handler does
stops the worker, and an unreachable database only pauses it.

Every worker also enqueues the periodic jobs (alert evaluation): one job per period across all
workers, because the period is in the job's dedupe key.

``assay serve`` runs one worker in a thread of its own (:meth:`Worker.start_in_thread`);
``assay worker`` runs one in its own process.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assay import config
from assay.errors import ConfigError
from assay.store.shapes import ClaimedJob, JobOutcome, NewJob

if TYPE_CHECKING:
    from assay.server.jobs.base import Handler, Periodic
    from assay.store.base import Store

log = logging.getLogger("assay.worker")
_numbers = itertools.count(1)
_running: weakref.WeakSet[Worker] = weakref.WeakSet()
_running_lock = threading.Lock()
MAX_PAUSE = 30.0


def notify_all() -> None:
    """Wake every worker running in this process, so jobs enqueued just now start at once
    instead of at the next poll. Cheap and safe from any thread."""
    with _running_lock:
        workers = list(_running)
    for worker in workers:
        worker.notify()


def default_name() -> str:
    """``host:pid:n``, unique among the workers of this process."""
    return f"{socket.gethostname()}:{os.getpid()}:{next(_numbers)}"


def _positive(value: float, name: str) -> float:
    if not value > 0:
        raise ConfigError(f"{name} is {value!r}; it must be a positive number of seconds")
    return value


def _period(every: float | str) -> float:
    """Seconds of a :class:`Periodic`'s ``every``: a number, or the name of a float setting."""
    if isinstance(every, str):
        return _positive(float(config.get(every)), f"setting {every!r}")
    return _positive(float(every), "Periodic.every")


@dataclass(slots=True)
class _Attempt:
    """One running job: whether its claim was found lost."""

    job: ClaimedJob
    lost: bool = False


class Worker:
    """Runs jobs from the store's queue until told to stop.

    Args:
        store: The store holding the queue (and everything the handlers touch).
        name: Written in ``claimed_by``; default ``host:pid:n``.
        concurrency: Jobs run at the same time (default: the ``worker_concurrency`` setting).
        poll_interval: Seconds between polls while idle (``worker_poll_interval``).
        lease_seconds: How long a claim holds without renewal (``job_lease_seconds``).
        handlers: Job kind → handler; default :data:`assay.server.jobs.HANDLERS`. A job of a
            kind not here fails with an error that says so.
        periodic: Jobs to enqueue once per period; default: those of
            :data:`assay.server.jobs.PERIODIC` whose kind ``handlers`` runs.
        public_url: Base URL of the web UI, for links the handlers write (alerts).
        drain_timeout: Seconds a stopping worker waits for its running jobs.
    """

    def __init__(
        self,
        store: Store,
        *,
        name: str | None = None,
        concurrency: int | None = None,
        poll_interval: float | None = None,
        lease_seconds: float | None = None,
        handlers: Mapping[str, Handler] | None = None,
        periodic: Iterable[Periodic] | None = None,
        public_url: str = "",
        drain_timeout: float = 10.0,
    ) -> None:
        if handlers is None or periodic is None:
            from assay.server import jobs as registry

            handlers = registry.HANDLERS if handlers is None else handlers
            periodic = [p for p in registry.PERIODIC if p.kind in handlers]
        self.store = store
        self.name = name or default_name()
        self.concurrency = int(config.get("worker_concurrency", concurrency))
        if self.concurrency < 1:
            raise ConfigError(
                f"worker concurrency is {self.concurrency}; run at least 1 job at a time"
            )
        self.poll_interval = _positive(
            float(config.get("worker_poll_interval", poll_interval)), "worker_poll_interval"
        )
        self.lease_seconds = _positive(
            float(config.get("job_lease_seconds", lease_seconds)), "job_lease_seconds"
        )
        self.handlers = dict(handlers)
        self.periodic = list(periodic)
        self.public_url = public_url
        self.drain_timeout = drain_timeout
        self._every = {p.kind: _period(p.every) for p in self.periodic}
        self._last_period: dict[str, int] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    # ---------------------------------------------------------------------- lifecycle
    def notify(self) -> None:
        """Poll now rather than at the next interval (from any thread)."""
        loop, wake = self._loop, self._wake
        if loop is None or wake is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed in between
            loop.call_soon_threadsafe(wake.set)

    async def run(self, stop: asyncio.Event) -> None:
        """Run jobs until ``stop`` is set, then wait up to ``drain_timeout`` for running ones.

        Jobs still running after that keep their lease: another worker takes them over when
        it expires, so nothing is lost.
        """
        self._loop = asyncio.get_running_loop()
        self._wake = wake = asyncio.Event()
        in_flight: set[asyncio.Task[None]] = set()
        relay = asyncio.create_task(self._relay(stop))
        with _running_lock:
            _running.add(self)
        failures = 0
        try:
            while not stop.is_set():
                wake.clear()
                try:
                    await self._tick(in_flight)
                except Exception as exc:  # the database is down or refuses: pause, retry
                    failures += 1
                    pause = min(self.poll_interval * 2**failures, MAX_PAUSE)
                    self._log_store_error(exc, failures, pause)
                else:
                    if failures:
                        log.warning("worker %s: the job store answers again", self.name)
                    failures, pause = 0, self.poll_interval
                await self._sleep(wake, pause)
            await self._drain(in_flight)
        finally:
            with _running_lock:
                _running.discard(self)
            relay.cancel()
            self._loop = self._wake = None

    def start_in_thread(self) -> WorkerThread:
        """Run this worker on an event loop in a thread of its own; returns its handle."""
        return WorkerThread(self).start()

    async def _relay(self, stop: asyncio.Event) -> None:
        await stop.wait()
        if self._wake is not None:
            self._wake.set()

    @staticmethod
    async def _sleep(wake: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), seconds)

    def _log_store_error(self, exc: Exception, failures: int, pause: float) -> None:
        if failures == 1 or failures % 20 == 0:
            log.warning(
                "worker %s: the job store failed (%s: %s); trying again in %.1f s",
                self.name,
                type(exc).__name__,
                str(exc).splitlines()[0] if str(exc) else "",
                pause,
            )

    async def _drain(self, in_flight: set[asyncio.Task[None]]) -> None:
        if not in_flight:
            return
        log.info("worker %s: waiting for %d running job(s)", self.name, len(in_flight))
        _, pending = await asyncio.wait(set(in_flight), timeout=self.drain_timeout)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)
            log.warning(
                "worker %s stopped with %d job(s) unfinished; they keep their lease and another "
                "worker takes them over when it expires",
                self.name,
                len(pending),
            )

    # -------------------------------------------------------------------- each poll
    async def _tick(self, in_flight: set[asyncio.Task[None]]) -> None:
        await self._enqueue_periodic()
        free = self.concurrency - len(in_flight)
        if free <= 0:
            return
        claimed = await asyncio.to_thread(
            self.store.claim_jobs, self.name, limit=free, lease_seconds=self.lease_seconds
        )
        for job in claimed:
            task = asyncio.create_task(self._execute(job), name=f"assay job {job.id}")
            in_flight.add(task)
            task.add_done_callback(self._on_done(in_flight))

    def _on_done(self, in_flight: set[asyncio.Task[None]]) -> Callable[[asyncio.Task[None]], None]:
        def done(task: asyncio.Task[None]) -> None:
            in_flight.discard(task)
            if not task.cancelled() and task.exception() is not None:
                log.error(
                    "worker %s: %s broke", self.name, task.get_name(), exc_info=task.exception()
                )
            if self._wake is not None:
                self._wake.set()  # a slot is free: look for the next job now

        return done

    async def _enqueue_periodic(self) -> None:
        now = time.time()
        due = []
        for spec in self.periodic:
            period = int(now // self._every[spec.kind])
            if self._last_period.get(spec.kind) != period:
                due.append((spec, period))
        if not due:
            return
        new = [
            NewJob(kind=s.kind, payload=dict(s.payload), dedupe_key=f"periodic:{s.kind}:{p}")
            for s, p in due
        ]
        await asyncio.to_thread(self.store.enqueue_jobs, new)
        for spec, period in due:
            self._last_period[spec.kind] = period

    # ---------------------------------------------------------------------- one job
    async def _execute(self, job: ClaimedJob) -> None:
        from assay.server.jobs.base import JobContext

        handler = self.handlers.get(job.kind)
        if handler is None:
            known = ", ".join(sorted(self.handlers)) or "none"
            await self._fail(
                job,
                f"unknown job kind {job.kind!r}: worker {self.name} has no handler for it "
                f"(it runs: {known}); is this worker older than the server that enqueued it?",
            )
            return
        attempt = _Attempt(job)
        ctx = JobContext(
            store=self.store,
            worker=self.name,
            public_url=self.public_url,
            heartbeat=lambda: self._extend(job),
        )
        try:
            work = asyncio.ensure_future(handler(ctx, job))
        except Exception as exc:  # not an async function
            await self._fail(
                job, f"the {job.kind!r} handler cannot run: {type(exc).__name__}: {exc}"
            )
            return
        beat = asyncio.create_task(self._beat(attempt, work))
        try:
            outcome = await work
        except asyncio.CancelledError:
            if not attempt.lost:
                raise  # the worker is stopping: the job keeps its lease
            log.info("job %s (%s): claim lost (cancelled or taken over); dropped", job.id, job.kind)
            return
        except Exception as exc:
            await self._fail(job, f"{type(exc).__name__}: {exc}")
            return
        finally:
            beat.cancel()
        if not isinstance(outcome, JobOutcome):
            await self._fail(
                job, f"the {job.kind!r} handler returned {outcome!r:.100}; return a JobOutcome"
            )
            return
        await self._finish(job, outcome)

    async def _extend(self, job: ClaimedJob) -> bool:
        return await asyncio.to_thread(
            self.store.extend_job_lease, job, lease_seconds=self.lease_seconds
        )

    async def _beat(self, attempt: _Attempt, work: asyncio.Future[JobOutcome]) -> None:
        """Renew the lease every third of it; cancel the handler once the claim is lost."""
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            try:
                held = await self._extend(attempt.job)
            except Exception as exc:
                log.warning(
                    "job %s: cannot renew its lease (%s); trying again", attempt.job.id, exc
                )
                continue
            if not held:
                attempt.lost = True
                work.cancel()
                return

    async def _finish(self, job: ClaimedJob, outcome: JobOutcome) -> None:
        try:
            held = await asyncio.to_thread(self.store.finish_job, job, outcome)
        except Exception as exc:
            log.warning("job %s (%s): its outcome could not be committed", job.id, job.kind)
            await self._fail(job, f"committing the outcome failed: {type(exc).__name__}: {exc}")
            return
        if not held:
            log.info(
                "job %s (%s): claim lost before it finished; outcome dropped", job.id, job.kind
            )

    async def _fail(self, job: ClaimedJob, error: str) -> None:
        try:
            status = await asyncio.to_thread(self.store.fail_job, job, error)
        except Exception as exc:
            log.warning(
                "job %s (%s) failed (%s) and the failure could not be recorded (%s); it runs "
                "again when its lease expires",
                job.id,
                job.kind,
                error,
                exc,
            )
            return
        level = logging.WARNING if status == "dead" else logging.INFO
        log.log(
            level,
            "job %s (%s) failed on attempt %d of %d: %s -> %s",
            job.id,
            job.kind,
            job.attempts,
            job.max_attempts,
            error,
            status or "claim lost",
        )


def executor_for(worker: Worker) -> ThreadPoolExecutor:
    """Threads for the blocking store calls of ``worker`` and its handlers: enough that every
    running job, its heartbeat and a claim can each have one."""
    return ThreadPoolExecutor(
        max_workers=2 * worker.concurrency + 4, thread_name_prefix=f"assay-worker-{worker.name}"
    )


class WorkerThread:
    """A worker running on its own event loop in a daemon thread (``assay serve``'s worker)."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(
            target=self._main, name=f"assay-worker {worker.name}", daemon=True
        )

    def start(self) -> WorkerThread:
        """Start the thread and return once its loop runs."""
        self._thread.start()
        self._ready.wait()
        return self

    @property
    def alive(self) -> bool:
        """Whether the worker's thread still runs."""
        return self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop claiming, give running jobs up to ``timeout`` seconds, end the thread.

        Returns True when the thread ended.
        """
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and self._thread.is_alive():
            self.worker.drain_timeout = timeout
            with contextlib.suppress(RuntimeError):  # the loop has closed already
                loop.call_soon_threadsafe(stop.set)
        self._thread.join(timeout + 5)
        return not self._thread.is_alive()

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported: the thread must not end silently
            self.error = exc
            log.exception("worker %s crashed", self.worker.name)
        finally:
            self._ready.set()

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        loop.set_default_executor(executor_for(self.worker))
        self._stop = asyncio.Event()
        self._loop = loop
        self._ready.set()
        await self.worker.run(self._stop)
