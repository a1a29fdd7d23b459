"""What a job handler is given and returns, and how periodic jobs are declared.

A handler is an async function ``handler(ctx, job) -> JobOutcome``. It reads what it needs
through ``ctx.store`` (blocking calls go through ``ctx.run``, which runs them in a thread), does
its slow work (model calls, webhooks) without holding any database transaction, and returns the
effects to commit (:class:`~assay.store.shapes.JobOutcome`); the worker commits them together
with finishing the job, so a job that lost its claim commits nothing. A handler that raises
fails the attempt: the job is retried with backoff, and dead-lettered after its last attempt.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from assay.store.base import Store
from assay.store.shapes import ClaimedJob, JobOutcome

T = TypeVar("T")


@dataclass(slots=True)
class JobContext:
    """What a handler may use.

    Attributes:
        store: The store (blocking: call it through :meth:`run`).
        worker: This worker's name (host:pid:n), as written in ``claimed_by``.
        public_url: Base URL of the web UI, for links (alerts).
        heartbeat: Renews the job's lease; returns False when the claim was lost (stop then).
    """

    store: Store
    worker: str
    public_url: str
    heartbeat: Callable[[], Awaitable[bool]] = field(repr=False)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking call (a store method) in a thread."""
        return await asyncio.to_thread(fn, *args, **kwargs)


Handler = Callable[[JobContext, ClaimedJob], Awaitable[JobOutcome]]


@dataclass(frozen=True, slots=True)
class Periodic:
    """A job enqueued once per period across all workers (its dedupe key names the period).

    Attributes:
        kind: The job kind (a key of ``HANDLERS``).
        every: Seconds between two runs, or the name of the float setting that holds them.
        payload: The job's payload.
    """

    kind: str
    every: float | str
    payload: dict[str, Any] = field(default_factory=dict)
