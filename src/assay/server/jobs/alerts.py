"""Jobs of kind ``evaluate_alerts`` (issue 9): every ``alert_interval`` seconds, each enabled
alert of every project is evaluated (see :mod:`assay.server.alerting` for the state machine).

A firing or resolved transition writes its event and, when the alert has a webhook, a
``notify`` job in the same transaction; two workers evaluating at once notify once.
"""

from __future__ import annotations

import logging
import time
from collections import Counter

from assay.server.alerting import evaluate
from assay.server.jobs.base import Handler, JobContext, Periodic
from assay.store.shapes import ClaimedJob, JobOutcome

KIND = "evaluate_alerts"
#: Alerts evaluated between two renewals of the job's lease.
HEARTBEAT_EVERY = 20
log = logging.getLogger("assay.server.alerts")


async def evaluate_alerts(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
    """Evaluate every enabled alert once; an alert that fails is logged and skipped."""
    now = time.time_ns() // 1000
    found = await ctx.run(ctx.store.enabled_alerts)
    counts: Counter[str] = Counter()
    for index, item in enumerate(found):
        if index and index % HEARTBEAT_EVERY == 0 and not await ctx.heartbeat():
            break
        try:
            what = await ctx.run(evaluate, ctx.store, item, now=now, public_url=ctx.public_url)
        except Exception:
            log.exception(
                "evaluating alert %r of project %r failed", item.alert.name, item.alert.project
            )
            what = "failed"
        counts[what] += 1
    return JobOutcome(result={"alerts": len(found), **counts})


HANDLERS: dict[str, Handler] = {KIND: evaluate_alerts}
PERIODIC: list[Periodic] = [Periodic(KIND, every="alert_interval")]
