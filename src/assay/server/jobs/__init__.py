"""Background jobs: the handler of each job kind, and the jobs that run periodically.

Each module declares ``HANDLERS`` (kind → handler) and ``PERIODIC``; the worker
(:mod:`assay.server.worker`) runs them.
"""

from __future__ import annotations

from assay.server.jobs import alerts, backfill, notify, playground, retention, score
from assay.server.jobs.base import Handler, JobContext, Periodic

HANDLERS: dict[str, Handler] = {
    **score.HANDLERS,
    **backfill.HANDLERS,
    **alerts.HANDLERS,
    **notify.HANDLERS,
    **retention.HANDLERS,
    **playground.HANDLERS,
}
PERIODIC: list[Periodic] = [
    *score.PERIODIC,
    *backfill.PERIODIC,
    *alerts.PERIODIC,
    *notify.PERIODIC,
    *retention.PERIODIC,
    *playground.PERIODIC,
]

__all__ = ["HANDLERS", "PERIODIC", "Handler", "JobContext", "Periodic"]
