"""Alerts: thresholds on a project's series, their webhook, and their history (issue 9)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from assay import config
from assay.schema import Alert, AlertEventPage, AlertIn, AlertPatch
from assay.schema.online import AlertTestResult
from assay.server.alert_checks import check_alert, invalid, merged
from assay.server.alert_messages import Notice, message, post
from assay.server.alerting import traces_link
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError
from assay.server.routers.v1._items import check_text, json_list, json_response
from assay.server.routers.v1.score_configs import ERRORS, reject_nul_text
from assay.store.base import Store

router = APIRouter(tags=["alerts"], dependencies=[Depends(reject_nul)])

ProjectName = Annotated[str, Path(description="Project name.")]
AlertName = Annotated[str, Path(description="Alert name.")]
_BASE = "/api/v1/projects/{project}/alerts"
#: Fields of AlertPatch that cannot be null.
_NOT_NULL = (
    "enabled", "trace_filter", "operator", "threshold", "window_seconds", "webhook_format",
)  # fmt: skip
#: Fields of a stored alert that make up its definition (an AlertIn).
_DEFINITION = set(AlertIn.model_fields)


def _require(store: Store, project: str, name: str) -> tuple[str, Alert]:
    project_id = project_id_of(store, project)
    found = store.get_alert(project_id, name)
    if found is None:
        raise ApiError(
            404,
            f"Alert {name!r} does not exist in project {project!r}; "
            f"GET {_BASE.format(project=project)} lists them.",
        )
    return project_id, found


@router.post(
    _BASE, operation_id="createAlert", status_code=201, response_model=Alert, responses=ERRORS
)
def create_alert(request: Request, project: ProjectName, body: AlertIn) -> Response:
    """Create an alert on one of the project's series. The project is created on first use.

    It starts in state ``no_data`` and is evaluated every ``ASSAY_ALERT_INTERVAL`` seconds.
    """
    check_text(project, "project", limit=200)
    check_text(body.name, "name", limit=200)
    reject_nul_text(body.model_dump())
    store = store_of(request)
    check_alert(store, project, body)
    made = store.create_alert(store.ensure_project(project), body)
    if made is None:
        raise ApiError(
            409,
            f"Alert {body.name!r} already exists in project {project!r}; change it with "
            f"PATCH {_BASE.format(project=project)}/{body.name}.",
        )
    return json_response(made, 201)


@router.get(_BASE, operation_id="listAlerts", response_model=list[Alert], responses=ERRORS)
def list_alerts(request: Request, project: ProjectName) -> Response:
    """The project's alerts with their current state, by name."""
    store = store_of(request)
    return json_list(store.list_alerts(project_id_of(store, project)))


@router.get(_BASE + "/{name}", operation_id="getAlert", response_model=Alert, responses=ERRORS)
def get_alert(request: Request, project: ProjectName, name: AlertName) -> Response:
    """One alert with its state, last value and last evaluation time."""
    return json_response(_require(store_of(request), project, name)[1])


def _changes(body: AlertPatch) -> dict[str, Any]:
    changes = body.model_dump(include=body.model_fields_set)
    if not changes:
        fields = ", ".join(AlertPatch.model_fields)
        raise ApiError(
            422,
            f"The body changes nothing; send some of {fields}. The metric cannot change: "
            "create another alert.",
        )
    for field in _NOT_NULL:
        if field in changes and changes[field] is None:
            raise invalid(field, "cannot be null", "Send a value or leave it out.")
    reject_nul_text(changes)
    return changes


@router.patch(_BASE + "/{name}", operation_id="updateAlert", response_model=Alert, responses=ERRORS)
def update_alert(
    request: Request, project: ProjectName, name: AlertName, body: AlertPatch
) -> Response:
    """Change the threshold, window, webhook, filter or parameters (only the fields sent).

    ``webhook_url: null`` removes the webhook. The state is kept; the next evaluation applies
    the new definition.
    """
    changes = _changes(body)
    store = store_of(request)
    project_id, current = _require(store, project, name)
    check_alert(store, project, merged(current.model_dump(include=_DEFINITION), changes))
    return json_response(store.update_alert(project_id, name, changes))


@router.delete(_BASE + "/{name}", operation_id="deleteAlert", status_code=204, responses=ERRORS)
def delete_alert(request: Request, project: ProjectName, name: AlertName) -> Response:
    """Delete the alert and its history."""
    store = store_of(request)
    project_id, _ = _require(store, project, name)
    store.delete_alert(project_id, name)
    return Response(status_code=204)


@router.post(
    _BASE + "/{name}/test",
    operation_id="testAlert",
    response_model=AlertTestResult,
    responses=ERRORS,
)
async def test_alert(request: Request, project: ProjectName, name: AlertName) -> Response:
    """Send a test notification to the alert's webhook now, and say how it went.

    The body is the one a firing notification has, with ``"test": true`` (``json``) or
    "(test notification)" in the text. Nothing is stored.
    """
    store = store_of(request)
    _, alert = await run_in_threadpool(_require, store, project, name)
    if not alert.webhook_url:
        raise invalid(
            "webhook_url",
            f"alert {name!r} has no webhook_url",
            f"Set one with PATCH {_BASE.format(project=project)}/{name}.",
        )
    now = time.time_ns() // 1000
    public_url = str(config.get("public_url")) or str(request.base_url)
    notice = Notice(
        state="firing",
        value=alert.value,
        threshold=alert.threshold,
        link=traces_link(alert, public_url=public_url, now=now),
        at=datetime.now(UTC),
        test=True,
    )
    sent = await post(alert.webhook_url, message(alert, notice))
    result = AlertTestResult(
        delivered=sent.delivered, status_code=sent.status_code, error=sent.error
    )
    return json_response(result)


@router.get(
    "/api/v1/projects/{project}/alert-events",
    operation_id="listAlertEvents",
    response_model=AlertEventPage,
    responses=ERRORS,
)
def list_alert_events(
    request: Request,
    project: ProjectName,
    alert: Annotated[str | None, Query(max_length=200, description="One alert's events.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Most events on a page.")] = 50,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page.")] = None,
) -> Response:
    """The history of the project's alerts (firing and resolved, with how each notification
    was delivered), newest first."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    page = store.list_alert_events(project_id, alert=alert or None, limit=limit, cursor=cursor)
    return json_response(page)
