"""``AlertStore``: the alert methods of :class:`SqlStore` (issue 9)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from assay.schema import Alert, AlertEvent, AlertEventPage, AlertIn
from assay.schema.online import AlertState
from assay.store.alerts import AlertTransition, Delivery, EventKind, ProjectAlert
from assay.store.shapes import NewJob, TraceQuery
from assay.store.sql import alert_values, alerts
from assay.store.sql import engine as engines
from assay.store.sql.dialect import Dialect


class SqlAlertStore:
    """Mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method

    def create_alert(self, project_id: str, alert: AlertIn) -> Alert | None:
        """Create alert ``alert.name`` (state ``no_data``); None when the name is taken."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = alerts.create(conn, self.dialect, project_id, alert)
            return None if row is None else alerts.to_model(row, project)

    def list_alerts(self, project_id: str) -> list[Alert]:
        """The project's alerts by name."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            return [alerts.to_model(r, project) for r in alerts.list_rows(conn, project_id)]

    def get_alert(self, project_id: str, name: str) -> Alert | None:
        """Alert ``name``, or None."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = alerts.find(conn, project_id, name)
            return None if row is None else alerts.to_model(row, project)

    def update_alert(self, project_id: str, name: str, changes: dict[str, Any]) -> Alert:
        """Change some of the fields of ``AlertPatch`` (never the metric)."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = alerts.require(conn, project_id, project, name, lock=True)
            return alerts.to_model(alerts.update(conn, row, changes), project)

    def delete_alert(self, project_id: str, name: str) -> bool:
        """Delete the alert and its events; False when there was no such alert."""
        with engines.writing(self.engine) as conn:
            self._project_name(conn, project_id)
            row = alerts.find(conn, project_id, name, lock=True)
            if row is None:
                return False
            alerts.delete(conn, row)
            return True

    def enabled_alerts(self) -> list[ProjectAlert]:
        """Every enabled alert of every project."""
        with engines.reading(self.engine) as conn:
            return [
                ProjectAlert(project_id=row["project_id"], alert=alerts.to_model(row, project))
                for row, project in alerts.enabled_rows(conn)
            ]

    def alert_value(
        self, project_id: str, alert: Alert, *, now: int, traces: TraceQuery | None = None
    ) -> float | None:
        """The value of the alert's series over ``[now - window, now)``; None: no data."""
        with engines.reading(self.engine) as conn:
            return alert_values.value(
                conn, self.dialect, project_id, alert, now=now, traces_query=traces
            )

    def record_alert_value(
        self, project_id: str, alert_id: str, *, value: float | None, evaluated_at: int
    ) -> None:
        """Note the value of an evaluation that changes no state."""
        with engines.writing(self.engine) as conn:
            alerts.record_value(conn, project_id, alert_id, value=value, evaluated_at=evaluated_at)

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
        """Compare-and-set the alert's state; write its event and notification job with it."""
        with engines.writing(self.engine) as conn:
            return alerts.transition(
                conn,
                self.dialect,
                project_id,
                alert_id,
                states=(from_state, to_state),
                value=value,
                evaluated_at=evaluated_at,
                event=event,
                link=link,
                notify=notify,
            )

    def get_alert_event(self, project_id: str, event_id: str) -> AlertEvent | None:
        """One event, or None."""
        with engines.reading(self.engine) as conn:
            return alerts.get_event(conn, project_id, event_id)

    def list_alert_events(
        self,
        project_id: str,
        *,
        alert: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> AlertEventPage:
        """A page of the project's events (of alert ``alert`` when given), newest first."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            alert_id = None
            if alert is not None:
                alert_id = alerts.require(conn, project_id, project, alert)["id"]
            return alerts.list_events(
                conn, project_id, alert_id=alert_id, limit=limit, cursor=cursor
            )

    def set_event_delivery(
        self, project_id: str, event_id: str, delivery: Delivery, error: str | None = None
    ) -> None:
        """Record how the delivery of an event's notification went."""
        with engines.writing(self.engine) as conn:
            alerts.set_delivery(conn, project_id, event_id, delivery, error)
