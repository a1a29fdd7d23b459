"""Jobs of kind ``notify`` (issue 9): deliver an alert event to the alert's webhook.

Payload ``{"project_id", "event_id"}``. A 2xx marks the event ``delivered``. A non-2xx answer
or a network error records the error on the event and fails the attempt, so the job is retried
with backoff; when the last attempt fails the event's delivery is ``failed``.
"""

from __future__ import annotations

from assay.server.alert_messages import Notice, message, post
from assay.server.jobs.base import Handler, JobContext, Periodic
from assay.store.alerts import Delivery
from assay.store.shapes import ClaimedJob, JobOutcome

KIND = "notify"


class DeliveryError(Exception):
    """The webhook did not take the notification (the job retries)."""


async def notify(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
    """POST the event's notification to its alert's webhook."""
    project_id, event_id = str(job.payload["project_id"]), str(job.payload["event_id"])
    store = ctx.store
    event = await ctx.run(store.get_alert_event, project_id, event_id)
    if event is None:
        return JobOutcome(result={"skipped": "the event and its alert were deleted"})
    alert = await ctx.run(store.get_alert, project_id, event.alert)
    if alert is None or not alert.webhook_url:
        await ctx.run(store.set_event_delivery, project_id, event_id, "none", None)
        return JobOutcome(result={"skipped": "the alert has no webhook_url any more"})
    notice = Notice(
        state=event.kind,
        value=event.value,
        threshold=event.threshold,
        link=event.link,
        at=event.created_at,
    )
    sent = await post(alert.webhook_url, message(alert, notice))
    if sent.delivered:
        await ctx.run(store.set_event_delivery, project_id, event_id, "delivered", None)
        return JobOutcome(result={"status_code": sent.status_code})
    last = job.attempts >= job.max_attempts
    delivery: Delivery = "failed" if last else "pending"
    await ctx.run(store.set_event_delivery, project_id, event_id, delivery, sent.error)
    raise DeliveryError(sent.error or "the webhook did not answer with a 2xx")


HANDLERS: dict[str, Handler] = {KIND: notify}
PERIODIC: list[Periodic] = []
