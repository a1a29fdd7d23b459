"""``/api/v1/projects/{project}/agents``: agent endpoints made by ``assay.serve_agent`` (issue 7).

Registering reads the endpoint's task name and parameters (``GET {url}``); the playground then
runs the real agent with parameter overrides (``POST …/playground/runs`` with an ``agent``
variant).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from assay.schema import Agent, AgentIn
from assay.server.deps import reject_nul
from assay.server.errors import ApiError, ErrorResponse

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


def _todo() -> ApiError:
    return ApiError(501, "Not built yet.")


@router.get(_BASE, operation_id="listAgents", response_model=list[Agent], responses=_ERRORS)
def list_agents(request: Request, project: ProjectName) -> Response:
    """The project's registered agents."""
    raise _todo()


@router.get(_BASE + "/{name}", operation_id="getAgent", response_model=Agent, responses=_ERRORS)
def get_agent(request: Request, project: ProjectName, name: AgentName) -> Response:
    """One agent."""
    raise _todo()


@router.put(
    _BASE + "/{name}", operation_id="registerAgent", response_model=Agent, responses=_ERRORS
)
async def register_agent(
    request: Request, project: ProjectName, name: AgentName, body: AgentIn
) -> Response:
    """Register (or refresh) an agent endpoint: the server asks it for its parameters."""
    raise _todo()


@router.delete(_BASE + "/{name}", operation_id="deleteAgent", status_code=204, responses=_ERRORS)
def delete_agent(request: Request, project: ProjectName, name: AgentName) -> Response:
    """Forget an agent."""
    raise _todo()
