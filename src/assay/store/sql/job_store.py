"""``JobStore``: the job methods of :class:`SqlStore` (issue 9).

Each method is one transaction around the connection-level functions of
:mod:`assay.store.sql.jobs` (writes) and :mod:`assay.store.sql.job_rows` (reads).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa

from assay import config
from assay.errors import NotFoundError
from assay.schema import Job, JobPage
from assay.store.shapes import ClaimedJob, JobOutcome, JobQuery, NewJob
from assay.store.sql import engine as engines
from assay.store.sql import job_rows
from assay.store.sql import jobs as queue
from assay.store.sql.dialect import Dialect


class SqlJobStore:
    """Mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method

    def enqueue_jobs(self, jobs: Sequence[NewJob]) -> list[str | None]:
        """Add jobs; one whose ``dedupe_key`` is taken already is skipped (None in its place)."""
        if not jobs:
            return []
        with engines.writing(self.engine) as conn:
            return queue.insert(conn, self.dialect, jobs)

    def claim_jobs(
        self,
        worker: str,
        *,
        limit: int,
        lease_seconds: float,
        kinds: Sequence[str] | None = None,
        now: int | None = None,
    ) -> list[ClaimedJob]:
        """Take up to ``limit`` due jobs (queued and due, or running with an expired lease),
        oldest ``run_after`` first; each gets a fresh claim token.

        ``now`` (microseconds) defaults to the clock; tests pass it to move time.
        """
        at = queue.now_micros() if now is None else now
        if self.dialect.is_sqlite:  # a read first: no write lock while the queue is idle
            with engines.reading(self.engine) as conn:
                if not queue.any_due(conn, now=at, kinds=kinds):
                    return []
        with engines.writing(self.engine) as conn:
            return queue.claim(
                conn,
                self.dialect,
                worker,
                limit=limit,
                lease_seconds=lease_seconds,
                kinds=kinds,
                now=at,
            )

    def extend_job_lease(self, job: ClaimedJob, *, lease_seconds: float) -> bool:
        """Push the lease ``lease_seconds`` past now; False when the claim is no longer held."""
        with engines.writing(self.engine) as conn:
            return queue.extend(conn, job, lease_seconds=lease_seconds, now=queue.now_micros())

    def finish_job(self, job: ClaimedJob, outcome: JobOutcome) -> bool:
        """Apply ``outcome`` and mark the job done (or queue it again, see :class:`JobOutcome`)
        in one transaction; False, with nothing applied, when the claim is no longer held."""
        delay = _backoff(job.attempts) if outcome.retry is not None else 0.0
        with engines.writing(self.engine) as conn:
            return queue.finish(
                conn, self.dialect, job, outcome, now=queue.now_micros(), delay=delay
            )

    def fail_job(self, job: ClaimedJob, error: str, *, retry_in: float | None = None) -> str:
        """Record a failed attempt: queued again after ``retry_in`` seconds (default: the
        backoff of the settings) or dead after the last attempt. Returns the new status
        ('' when the claim was no longer held)."""
        delay = _backoff(job.attempts) if retry_in is None else max(0.0, retry_in)
        with engines.writing(self.engine) as conn:
            return queue.fail(conn, job, error, delay=delay, now=queue.now_micros())

    def list_jobs(self, project_id: str | None, query: JobQuery) -> JobPage:
        """A page of a project's jobs (``None``: jobs of no project), newest first, with the
        counts per status under the same kind and rule filters."""
        with engines.reading(self.engine) as conn:
            return job_rows.list_page(conn, project_id, query)

    def get_job(self, job_id: str) -> Job | None:
        """One job, or None."""
        with engines.reading(self.engine) as conn:
            return job_rows.get(conn, job_id)

    def retry_job(self, job_id: str) -> Job:
        """Queue a dead or cancelled job again now, with its attempts reset.

        Raises:
            NotFoundError: There is no such job.
            ConflictError: The job is queued, running or done.
        """
        with engines.writing(self.engine) as conn:
            queue.retry(conn, job_id, now=queue.now_micros())
            return _reread(conn, job_id)

    def cancel_job(self, job_id: str) -> Job:
        """Cancel a queued or running job (a running one's outcome is then discarded).

        Raises:
            NotFoundError: There is no such job.
            ConflictError: The job is done or dead.
        """
        with engines.writing(self.engine) as conn:
            queue.cancel(conn, job_id, now=queue.now_micros())
            return _reread(conn, job_id)


def _backoff(attempts: int) -> float:
    return queue.backoff_seconds(
        attempts,
        base=float(config.get("job_backoff_base")),
        cap=float(config.get("job_backoff_cap")),
    )


def _reread(conn: sa.Connection, job_id: str) -> Job:
    found = job_rows.get(conn, job_id)
    if found is None:  # the row was written in this very transaction
        raise NotFoundError(f"job {job_id!r} vanished")
    return found
