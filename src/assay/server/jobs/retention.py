"""Jobs of kind ``retention`` (issue 8): every ``retention_interval`` seconds, each project with
``retention_days`` set loses its production traces that started more than that many days ago
(with their spans, scores, queue items and unused blobs; see
:meth:`~assay.store.audit.AuditStore.delete_traces_before`).

Deletion goes a few thousand traces per transaction, so ingest keeps flowing beside it, and the
job's lease is renewed between rounds. The job's result counts the traces deleted per project.
"""

from __future__ import annotations

import logging
import time

from assay.server.jobs.base import Handler, JobContext, Periodic
from assay.store.shapes import ClaimedJob, JobOutcome

KIND = "retention"
#: Traces deleted per transaction, and transactions between two renewals of the lease.
CHUNK = 2000
CHUNKS_PER_ROUND = 5
DAY_US = 86_400 * 1_000_000
log = logging.getLogger("assay.server.retention")


async def apply_retention(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
    """Delete the old traces of every project that has a retention period."""
    now = time.time_ns() // 1000
    policies = await ctx.run(ctx.store.retention_policies)
    deleted: dict[str, int] = {}
    for project_id, days in sorted(policies.items()):
        count = await _purge(ctx, project_id, before_us=now - days * DAY_US)
        if count is None:
            break  # the claim was lost: another worker carries on
        if count:
            deleted[project_id] = count
            log.info("retention deleted %d traces of project %s", count, project_id)
    return JobOutcome(
        result={
            "projects": len(policies),
            "traces_deleted": sum(deleted.values()),
            "by_project": deleted,
        }
    )


async def _purge(ctx: JobContext, project_id: str, *, before_us: int) -> int | None:
    """Delete one project's old traces round by round; None when the job's claim was lost."""
    total = 0
    while True:
        count = await ctx.run(
            ctx.store.delete_traces_before,
            project_id,
            before_us,
            chunk=CHUNK,
            max_chunks=CHUNKS_PER_ROUND,
        )
        total += count
        if count < CHUNK * CHUNKS_PER_ROUND:
            return total
        if not await ctx.heartbeat():
            return None


HANDLERS: dict[str, Handler] = {KIND: apply_retention}
PERIODIC: list[Periodic] = [Periodic(KIND, every="retention_interval")]
