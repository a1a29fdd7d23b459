"""The part of the Store protocol that keeps alerts and their history (issue 9).

An alert watches one series of a project's production traffic over a trailing window. The
evaluator (a periodic job) asks :meth:`AlertStore.alert_value` for the series' value, decides
the next state, and moves the alert with :meth:`AlertStore.transition_alert`: a
compare-and-set that writes the alert's new state, its event and the job that notifies the
webhook in one transaction, so two workers evaluating at once notify once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from assay.schema import Alert, AlertEvent, AlertEventPage, AlertIn
from assay.schema.online import AlertState
from assay.store.shapes import NewJob, TraceQuery

EventKind = Literal["firing", "resolved"]
Delivery = Literal["none", "pending", "delivered", "failed"]


@dataclass(slots=True)
class ProjectAlert:
    """An alert with the id of its project (what :meth:`AlertStore.enabled_alerts` lists)."""

    project_id: str
    alert: Alert


@dataclass(slots=True)
class AlertTransition:
    """What :meth:`AlertStore.transition_alert` did.

    Attributes:
        applied: False when the alert was no longer in ``from_state`` (someone else moved it)
            or no longer exists; nothing was written then.
        event: The event written, when the transition made one.
    """

    applied: bool
    event: AlertEvent | None = None


class AlertStore(Protocol):
    """Alerts on a project's series, their state transitions and their events."""

    def create_alert(self, project_id: str, alert: AlertIn) -> Alert | None:
        """Create alert ``alert.name`` (state ``no_data``); None when the name is taken."""

    def list_alerts(self, project_id: str) -> list[Alert]:
        """The project's alerts by name."""

    def get_alert(self, project_id: str, name: str) -> Alert | None:
        """Alert ``name``, or None."""

    def update_alert(self, project_id: str, name: str, changes: dict[str, Any]) -> Alert:
        """Change some of the fields of :class:`~assay.schema.AlertPatch` (never the metric).

        Raises:
            NotFoundError: The alert does not exist.
            UsageError: A field cannot change.
        """

    def delete_alert(self, project_id: str, name: str) -> bool:
        """Delete the alert and its events; False when there was no such alert."""

    def enabled_alerts(self) -> list[ProjectAlert]:
        """Every enabled alert of every project."""

    def alert_value(
        self, project_id: str, alert: Alert, *, now: int, traces: TraceQuery | None = None
    ) -> float | None:
        """The value of the alert's series over ``[now - window, now)``; None: no data.

        Production traffic only. ``traces`` narrows the traces counted (the alert's
        ``trace_filter`` as a query; its time bounds and experiment are ignored). Every metric
        but ``judge_agreement`` (a statistic the server computes from
        :meth:`~assay.store.base.Store.judge_score_pairs`).

        Raises:
            UsageError: The metric is ``judge_agreement``.
        """

    def record_alert_value(
        self, project_id: str, alert_id: str, *, value: float | None, evaluated_at: int
    ) -> None:
        """Note the value of an evaluation that changes no state."""

    def transition_alert(
        self,
        project_id: str,
        alert_id: str,
        *,
        from_state: AlertState,
        to_state: AlertState,
        value: float | None,
        evaluated_at: int,
        event: EventKind | None,
        link: str = "",
        notify: NewJob | None = None,
    ) -> AlertTransition:
        """Move the alert from ``from_state`` to ``to_state`` if it is still in ``from_state``.

        In the same transaction, with ``event`` set, write the event (delivery ``pending``
        when the alert has a webhook, else ``none``) and, when it has a webhook, enqueue
        ``notify`` with ``event_id`` (the new event's id) added to its payload.
        """

    def get_alert_event(self, project_id: str, event_id: str) -> AlertEvent | None:
        """One event, or None (its alert was deleted)."""

    def list_alert_events(
        self,
        project_id: str,
        *,
        alert: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> AlertEventPage:
        """A page of the project's events (of alert ``alert`` when given), newest first.

        Raises:
            NotFoundError: ``alert`` names no alert.
        """

    def set_event_delivery(
        self, project_id: str, event_id: str, delivery: Delivery, error: str | None = None
    ) -> None:
        """Record how the delivery of an event's notification went (``delivered`` notes when)."""
