"""The audit log, project settings and project creation (issue 8).

- ``GET /api/v1/projects/{project}/audit``: a project's changes (project admins);
- ``GET /api/v1/audit``: instance-wide changes such as users and new projects (instance admins);
- ``GET``/``PATCH /api/v1/projects/{project}/settings``: retention and the like (project
  admins), every change audited with its old and new values;
- ``POST /api/v1/projects``: a new, empty project (instance admins when authentication is on).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from assay.schema import AuditPage, Project, ProjectIn, ProjectSettings
from assay.server.auth import principal_of
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.routers.v1._items import json_response

router = APIRouter(tags=["audit"], dependencies=[Depends(reject_nul)])

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A parameter cannot be used."},
    404: {"model": ErrorResponse, "description": "The project does not exist."},
    422: {"model": ErrorResponse, "description": "A parameter is invalid (details per field)."},
}
ProjectName = Annotated[str, Path(description="Project name.")]
Limit = Annotated[int, Query(ge=1, le=500, description="Events per page.")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page.")]
Action = Annotated[
    str | None,
    Query(
        max_length=100,
        description="Only this action (member.add), or this family when it ends in '.' (member.).",
    ),
]


def actor_of(request: Request) -> str:
    """Who is acting: the principal's ``actor`` (``local`` with authentication off)."""
    return principal_of(request).actor


def address_of(request: Request) -> str | None:
    """The client's address, as the audit log records it."""
    return request.client.host if request.client else None


@router.get(
    "/api/v1/projects/{project}/audit",
    operation_id="listAuditEvents",
    response_model=AuditPage,
    responses=ERRORS,
)
def list_audit_events(
    request: Request,
    project: ProjectName,
    limit: Limit = 50,
    cursor: Cursor = None,
    action: Action = None,
) -> Response:
    """Who changed the project's members, roles, API keys, labels and settings, newest first."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    page = store.list_audit(project_id, limit=limit, cursor=cursor, action=action)
    return json_response(page)


@router.get(
    "/api/v1/audit",
    operation_id="listInstanceAuditEvents",
    response_model=AuditPage,
    responses=ERRORS,
)
def list_instance_audit_events(
    request: Request, limit: Limit = 50, cursor: Cursor = None, action: Action = None
) -> Response:
    """Instance-wide changes (users, new projects), newest first."""
    page = store_of(request).list_audit(None, limit=limit, cursor=cursor, action=action)
    return json_response(page)


@router.get(
    "/api/v1/projects/{project}/settings",
    operation_id="getProjectSettings",
    response_model=ProjectSettings,
    responses=ERRORS,
)
def get_project_settings(request: Request, project: ProjectName) -> Response:
    """The project's settings (retention)."""
    store = store_of(request)
    return json_response(store.get_project_settings(project_id_of(store, project)))


@router.patch(
    "/api/v1/projects/{project}/settings",
    operation_id="updateProjectSettings",
    response_model=ProjectSettings,
    responses=ERRORS,
)
def update_project_settings(
    request: Request, project: ProjectName, body: ProjectSettings
) -> Response:
    """Change the settings sent (``retention_days: null`` keeps traces forever); audited with
    the old and new values."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    changes = body.model_dump(include=body.model_fields_set)
    old = store.get_project_settings(project_id).model_dump()
    new = store.update_project_settings(project_id, changes)
    changed = {k: {"old": old[k], "new": v} for k, v in new.model_dump().items() if old[k] != v}
    if changed:
        store.record_audit(
            project_id,
            actor=actor_of(request),
            action="settings.update",
            target=project,
            details=changed,
            address=address_of(request),
        )
    return json_response(new)


@router.post(
    "/api/v1/projects",
    operation_id="createProject",
    response_model=Project,
    status_code=201,
    responses={
        **ERRORS,
        409: {"model": ErrorResponse, "description": "A project of that name exists."},
    },
)
def create_project(request: Request, body: ProjectIn) -> Response:
    """Create an empty project (ingest also creates one when its first span arrives)."""
    name = body.name.strip()
    if not name or "\x00" in name or "/" in name:
        raise ApiError(
            422,
            f"Project name {body.name!r:.80} cannot be used; send 1 to 200 characters without "
            "'/' or NUL, not only spaces.",
            details=[{"field": "body.name", "reason": "must be a plain non-empty name"}],
        )
    store = store_of(request)
    created = store.create_project(name)
    if created is None:
        raise ApiError(
            409,
            f"Project {name!r} exists already; GET /api/v1/projects lists the projects.",
        )
    store.record_audit(
        None,
        actor=actor_of(request),
        action="project.create",
        target=name,
        details={"project_id": created.id},
        address=address_of(request),
    )
    return json_response(created, status=201)
