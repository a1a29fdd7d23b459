"""The part of the Store protocol that keeps the job queue (issue 9).

Every background task (online scoring, backfills, alert evaluation, webhook delivery) is a row
of one durable queue. A worker claims due jobs (``SELECT … FOR UPDATE SKIP LOCKED`` on
PostgreSQL; SQLite has one writer), holds each with a lease, and finishes it with its outcome in
one transaction that first checks the claim is still its own: a job is never completed twice,
even when a slow worker's lease ran out and another worker took the job over.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from assay.schema import Job, JobPage
from assay.store.shapes import ClaimedJob, JobOutcome, JobQuery, NewJob


class JobStore(Protocol):
    """Enqueue, claim, finish, fail and list jobs."""

    def enqueue_jobs(self, jobs: Sequence[NewJob]) -> list[str | None]:
        """Add jobs; one whose ``dedupe_key`` is taken already is skipped (None in its place)."""

    def claim_jobs(
        self,
        worker: str,
        *,
        limit: int,
        lease_seconds: float,
        kinds: Sequence[str] | None = None,
        now: int | None = None,
    ) -> list[ClaimedJob]:
        """Take up to ``limit`` jobs that are due (queued with ``run_after`` ≤ now, or running
        with an expired lease), oldest ``run_after`` first; each gets a fresh claim token."""

    def extend_job_lease(self, job: ClaimedJob, *, lease_seconds: float) -> bool:
        """Push the lease ``lease_seconds`` past now; False when the claim is no longer held."""

    def finish_job(self, job: ClaimedJob, outcome: JobOutcome) -> bool:
        """Apply ``outcome`` and mark the job done (or requeue it, see :class:`JobOutcome`) in
        one transaction; False, with nothing applied, when the claim is no longer held."""

    def fail_job(self, job: ClaimedJob, error: str, *, retry_in: float | None = None) -> str:
        """Record a failed attempt: queued again after ``retry_in`` seconds (default: the
        exponential backoff with jitter of the settings) or ``dead`` when no attempt is left.
        Returns the job's new status ('' when the claim was no longer held)."""

    def list_jobs(self, project_id: str | None, query: JobQuery) -> JobPage:
        """A page of a project's jobs (``None``: jobs of no project), newest first."""

    def get_job(self, job_id: str) -> Job | None:
        """One job, or None."""

    def retry_job(self, job_id: str) -> Job:
        """Queue a dead or cancelled job again now, with its attempts reset."""

    def cancel_job(self, job_id: str) -> Job:
        """Cancel a queued or running job (a running one's outcome is then discarded)."""
