"""Alerts and their events: the rows, the compare-and-set of a state change, the history.

Functions here run on a connection inside the caller's transaction. A state change is one
``UPDATE … WHERE state = :from_state``: PostgreSQL re-checks the condition after waiting for a
concurrent writer of the same row, and SQLite has one writer, so of two evaluators that saw the
same state only the first moves the alert and writes its event (and notification job).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.errors import UsageError
from assay.schema.online import Alert, AlertEvent, AlertEventPage, AlertIn, AlertState
from assay.store.alerts import AlertTransition, Delivery, EventKind
from assay.store.shapes import NewJob
from assay.store.sql import jobs, named
from assay.store.sql._ids import uuid7
from assay.store.sql.bodies import json_text, loads_or
from assay.store.sql.decode import to_datetime
from assay.store.sql.dialect import Dialect
from assay.store.sql.online_tables import alert_events, alerts
from assay.store.sql.query import decode_cursor, encode_cursor
from assay.store.sql.tables import projects

_A = alerts.c
_E = alert_events.c
#: Fields kept in the ``params`` JSON column rather than a column of their own.
PARAMS = ("score_name", "judge", "agreement_metric", "trace_filter")
#: Fields ``update`` may change.
CHANGEABLE = (
    "description", "enabled", *PARAMS, "operator", "threshold", "window_seconds",
    "webhook_url", "webhook_format",
)  # fmt: skip
MAX_PAGE = 1000


def now_micros() -> int:
    """The clock in microseconds since the epoch."""
    return time.time_ns() // 1000


def to_model(row: Mapping[Any, Any], project: str) -> Alert:
    """An :class:`Alert` from its row."""
    params = loads_or(row["params"], {})
    return Alert(
        id=row["id"],
        project=project,
        name=row["name"],
        description=row["description"],
        enabled=bool(row["enabled"]),
        metric=row["metric"],
        score_name=params.get("score_name"),
        judge=params.get("judge"),
        agreement_metric=params.get("agreement_metric"),
        trace_filter=params.get("trace_filter") or {},
        operator=row["operator"],
        threshold=row["threshold"],
        window_seconds=row["window_seconds"],
        webhook_url=row["webhook_url"],
        webhook_format=row["webhook_format"],
        state=row["state"],
        value=row["value"],
        evaluated_at=None if row["evaluated_at"] is None else to_datetime(row["evaluated_at"]),
        created_at=to_datetime(row["created_at"]),
        updated_at=to_datetime(row["updated_at"]),
    )


def create(
    conn: Connection, dialect: Dialect, project_id: str, body: AlertIn
) -> Mapping[str, Any] | None:
    """Create alert ``body.name`` in state ``no_data``; None when the name is taken."""
    now = now_micros()
    row = {
        "project_id": project_id,
        "id": uuid7(),
        "name": body.name,
        "description": body.description,
        "enabled": body.enabled,
        "metric": body.metric,
        "params": json_text({k: getattr(body, k) for k in PARAMS}),
        "operator": body.operator,
        "threshold": body.threshold,
        "window_seconds": body.window_seconds,
        "webhook_url": body.webhook_url,
        "webhook_format": body.webhook_format,
        "state": "no_data",
        "value": None,
        "evaluated_at": None,
        "created_at": now,
        "updated_at": now,
    }
    return row if dialect.insert_new(conn, alerts, row) else None


def find(
    conn: Connection, project_id: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any] | None:
    """The row of alert ``name`` (locked for a write with ``lock``), or None."""
    return named.find(conn, alerts, project_id, name, lock=lock)


def require(
    conn: Connection, project_id: str, project: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any]:
    """The row of alert ``name``; NotFoundError naming it when there is none."""
    return named.require(conn, alerts, project_id, name, what="Alert", project=project, lock=lock)


def list_rows(conn: Connection, project_id: str) -> list[Mapping[Any, Any]]:
    """Every alert row of the project, by name."""
    stmt = sa.select(alerts).where(_A.project_id == project_id).order_by(_A.name)
    return [r._mapping for r in conn.execute(stmt)]


def enabled_rows(conn: Connection) -> list[tuple[Mapping[Any, Any], str]]:
    """Every enabled alert row of every project, with the project's name."""
    stmt = (
        sa.select(alerts, projects.c.name.label("project_name"))
        .join(projects, projects.c.id == _A.project_id)
        .where(_A.enabled.is_(True))
        .order_by(_A.project_id, _A.name)
    )
    return [(r._mapping, r.project_name) for r in conn.execute(stmt)]


def update(conn: Connection, row: Mapping[Any, Any], changes: Mapping[str, Any]) -> Any:
    """Write ``changes`` to the alert's row; returns the row as it is now."""
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise UsageError(f"update_alert cannot change {sorted(unknown)}; only {list(CHANGEABLE)}")
    values = {k: v for k, v in changes.items() if k not in PARAMS}
    params = loads_or(row["params"], {})
    if any(k in changes for k in PARAMS):
        params.update({k: v for k, v in changes.items() if k in PARAMS})
        values["params"] = json_text(params)
    values["updated_at"] = now_micros()
    where = (_A.project_id == row["project_id"], _A.id == row["id"])
    conn.execute(sa.update(alerts).where(*where).values(**values))
    return conn.execute(sa.select(alerts).where(*where)).one()._mapping


def delete(conn: Connection, row: Mapping[Any, Any]) -> None:
    """Delete the alert and its events."""
    project_id, alert_id = row["project_id"], row["id"]
    conn.execute(
        sa.delete(alert_events).where(_E.project_id == project_id, _E.alert_id == alert_id)
    )
    conn.execute(sa.delete(alerts).where(_A.project_id == project_id, _A.id == alert_id))


def record_value(
    conn: Connection, project_id: str, alert_id: str, *, value: float | None, evaluated_at: int
) -> None:
    """Note an evaluation's value and time without touching the state."""
    conn.execute(
        sa.update(alerts)
        .where(_A.project_id == project_id, _A.id == alert_id)
        .values(value=value, evaluated_at=evaluated_at)
    )


def transition(
    conn: Connection,
    dialect: Dialect,
    project_id: str,
    alert_id: str,
    *,
    states: tuple[AlertState, AlertState],
    value: float | None,
    evaluated_at: int,
    event: EventKind | None,
    link: str,
    notify: NewJob | None,
) -> AlertTransition:
    """Move the alert from ``states[0]`` to ``states[1]`` if it is still in ``states[0]``; with
    ``event``, write the event and (when the alert has a webhook) enqueue ``notify``."""
    from_state, to_state = states
    stmt = (
        sa.update(alerts)
        .where(_A.project_id == project_id, _A.id == alert_id, _A.state == from_state)
        .values(state=to_state, value=value, evaluated_at=evaluated_at)
        .returning(_A.name, _A.threshold, _A.webhook_url)
    )
    moved = conn.execute(stmt).first()
    if moved is None:
        return AlertTransition(applied=False)
    if event is None:
        return AlertTransition(applied=True)
    row = {
        "project_id": project_id,
        "id": uuid7(),
        "alert_id": alert_id,
        "kind": event,
        "value": value,
        "threshold": moved.threshold,
        "link": link,
        "delivery": "pending" if moved.webhook_url else "none",
        "delivery_error": None,
        "delivered_at": None,
        "created_at": evaluated_at,
    }
    conn.execute(sa.insert(alert_events), row)
    if moved.webhook_url and notify is not None:
        payload = {**notify.payload, "event_id": row["id"]}
        jobs.insert(conn, dialect, [dataclasses.replace(notify, payload=payload)])
    return AlertTransition(applied=True, event=event_model(row, moved.name))


def event_model(row: Mapping[Any, Any], alert_name: str) -> AlertEvent:
    """An :class:`AlertEvent` from its row and its alert's name."""
    delivered = row["delivered_at"]
    return AlertEvent(
        id=row["id"],
        alert=alert_name,
        kind=row["kind"],
        value=row["value"],
        threshold=row["threshold"],
        link=row["link"],
        delivery=row["delivery"],
        delivery_error=row["delivery_error"],
        delivered_at=None if delivered is None else to_datetime(delivered),
        created_at=to_datetime(row["created_at"]),
    )


def _events_with_names() -> Any:
    return sa.select(alert_events, _A.name.label("alert_name")).join(
        alerts, sa.and_(_A.project_id == _E.project_id, _A.id == _E.alert_id)
    )


def get_event(conn: Connection, project_id: str, event_id: str) -> AlertEvent | None:
    """One event with its alert's name, or None."""
    stmt = _events_with_names().where(_E.project_id == project_id, _E.id == event_id)
    row = conn.execute(stmt).first()
    return None if row is None else event_model(row._mapping, row.alert_name)


def list_events(
    conn: Connection,
    project_id: str,
    *,
    alert_id: str | None,
    limit: int,
    cursor: str | None,
) -> AlertEventPage:
    """A page of events, newest first (of one alert when ``alert_id`` is given)."""
    conds: list[Any] = [_E.project_id == project_id]
    if alert_id is not None:
        conds.append(_E.alert_id == alert_id)
    if cursor:
        created_at, event_id = decode_cursor(cursor, 3, "alert-events")
        conds.append(sa.tuple_(_E.created_at, _E.id) < sa.tuple_(created_at, event_id))
    size = max(1, min(limit, MAX_PAGE))
    stmt = _events_with_names().where(*conds).order_by(_E.created_at.desc(), _E.id.desc())
    rows = conn.execute(stmt.limit(size + 1)).all()
    items = [event_model(r._mapping, r.alert_name) for r in rows[:size]]
    next_cursor = None
    if len(rows) > size:
        last = rows[size - 1]
        next_cursor = encode_cursor(["alert-events", last.created_at, last.id])
    return AlertEventPage(items=items, next_cursor=next_cursor)


def set_delivery(
    conn: Connection, project_id: str, event_id: str, delivery: Delivery, error: str | None
) -> None:
    """Record the delivery state of an event (and when it was delivered)."""
    values: dict[str, Any] = {"delivery": delivery, "delivery_error": error}
    if delivery == "delivered":
        values["delivered_at"] = now_micros()
    conn.execute(
        sa.update(alert_events)
        .where(_E.project_id == project_id, _E.id == event_id)
        .values(**values)
    )
