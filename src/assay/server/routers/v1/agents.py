"""``/api/v1/projects/{project}/agents``: agent endpoints made by ``assay.serve_agent`` (issue 7).

Registering reads the endpoint's task name and parameters (``GET {url}``); the playground then
runs the real agent with parameter overrides (``POST …/playground/runs`` with an ``agent``
variant).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from assay.errors import UsageError
from assay.schema import Agent, AgentIn
from assay.schema.prompt import NAME_PATTERN
from assay.server.agent_client import fetch_info
from assay.server.auth import address_of, principal_of
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.routers.v1._items import check_text, json_list, json_response
from assay.server.routers.v1.score_configs import reject_nul_text
from assay.store.base import Store

router = APIRouter(tags=["agents"], dependencies=[Depends(reject_nul)])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "The project or the agent does not exist."},
    422: {
        "model": ErrorResponse,
        "description": "The body is invalid, or the URL answers no agent.",
    },
}
ProjectName = Annotated[str, Path(description="Project name.")]
AgentName = Annotated[str, Path(description="Agent name.")]
_BASE = "/api/v1/projects/{project}/agents"
_NAME = re.compile(NAME_PATTERN)


def _not_found(project: str, name: str) -> ApiError:
    return ApiError(
        404,
        f"Agent {name!r} is not registered in project {project!r}; GET "
        f"{_BASE.format(project=project)} lists them, PUT …/agents/{{name}} with "
        '{"url": …} registers one.',
    )


@router.get(_BASE, operation_id="listAgents", response_model=list[Agent], responses=_ERRORS)
def list_agents(request: Request, project: ProjectName) -> Response:
    """The project's registered agents."""
    store = store_of(request)
    return json_list(store.list_agents(project_id_of(store, project)))


@router.get(_BASE + "/{name}", operation_id="getAgent", response_model=Agent, responses=_ERRORS)
def get_agent(request: Request, project: ProjectName, name: AgentName) -> Response:
    """One agent."""
    store = store_of(request)
    found = store.get_agent(project_id_of(store, project), name)
    if found is None:
        raise _not_found(project, name)
    return json_response(found)


@router.put(
    _BASE + "/{name}", operation_id="registerAgent", response_model=Agent, responses=_ERRORS
)
async def register_agent(
    request: Request, project: ProjectName, name: AgentName, body: AgentIn
) -> Response:
    """Register (or refresh) an agent endpoint: the server asks it for its parameters.

    The project is created on first use. Registering again reads the endpoint anew (after its
    parameters changed, say).
    """
    if not _NAME.fullmatch(name):
        raise ApiError(
            422,
            f"Agent name {name!r:.80} is not allowed; use 1 to 200 letters, digits, '_', '.' "
            "or '-', starting with a letter or digit.",
            details=[{"field": "path.name", "reason": f"must match {NAME_PATTERN}"}],
        )
    check_text(project, "project", limit=200)
    reject_nul_text(body.model_dump())  # PostgreSQL stores no NUL (SQLite would)
    try:
        info = await fetch_info(body.url)
    except UsageError as exc:
        raise ApiError(
            422, str(exc), details=[{"field": "body.url", "reason": "answers no agent"}]
        ) from None
    store = store_of(request)
    actor, address = principal_of(request).actor, address_of(request)

    def save() -> Agent:
        project_id = store.ensure_project(project)
        saved = store.put_agent(project_id, name, body, info=info)
        _audit(store, project_id, actor, address, "agent.register", name, url=body.url)
        return saved

    return json_response(await run_in_threadpool(save))


@router.delete(_BASE + "/{name}", operation_id="deleteAgent", status_code=204, responses=_ERRORS)
def delete_agent(request: Request, project: ProjectName, name: AgentName) -> Response:
    """Forget an agent."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    if not store.delete_agent(project_id, name):
        raise _not_found(project, name)
    actor, address = principal_of(request).actor, address_of(request)
    _audit(store, project_id, actor, address, "agent.delete", name)
    return Response(status_code=204)


def _audit(
    store: Store,
    project_id: str,
    actor: str,
    address: str | None,
    action: str,
    name: str,
    **details: Any,
) -> None:
    store.record_audit(
        project_id, actor=actor, action=action, target=name, details=details, address=address
    )
