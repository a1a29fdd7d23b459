"""``/api/v1/projects/{project}/prompts``: the prompt registry (issue 7).

Versions are immutable; labels (``production``, ``staging``, …) point at a version and every
move is recorded and can be undone. The SDK's ``load_prompt`` reads ``…/resolve``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from assay.schema import (
    LabelMove,
    LabelMoveIn,
    Prompt,
    PromptDiff,
    PromptPatch,
    PromptVersion,
    PromptVersionIn,
)
from assay.server.deps import reject_nul
from assay.server.errors import ApiError, ErrorResponse

router = APIRouter(tags=["prompts"], dependencies=[Depends(reject_nul)])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A parameter cannot be used."},
    403: {"model": ErrorResponse, "description": "The caller's role may not do this."},
    404: {
        "model": ErrorResponse,
        "description": "The project, prompt, version or label does not exist.",
    },
    409: {"model": ErrorResponse, "description": "The label has moved since (undo)."},
    422: {"model": ErrorResponse, "description": "The body is invalid (details per field)."},
}
ProjectName = Annotated[str, Path(description="Project name.")]
PromptName = Annotated[str, Path(description="Prompt name.")]
LabelName = Annotated[str, Path(description="Label, e.g. production.")]
_BASE = "/api/v1/projects/{project}/prompts"


def _todo() -> ApiError:
    return ApiError(501, "Not built yet.")


@router.get(_BASE, operation_id="listPrompts", response_model=list[Prompt], responses=_ERRORS)
def list_prompts(request: Request, project: ProjectName) -> Response:
    """The project's prompts by name, with their latest version and labels."""
    raise _todo()


@router.get(_BASE + "/{name}", operation_id="getPrompt", response_model=Prompt, responses=_ERRORS)
def get_prompt(request: Request, project: ProjectName, name: PromptName) -> Response:
    """One prompt."""
    raise _todo()


@router.patch(
    _BASE + "/{name}", operation_id="updatePrompt", response_model=Prompt, responses=_ERRORS
)
def update_prompt(
    request: Request, project: ProjectName, name: PromptName, body: PromptPatch
) -> Response:
    """Change the prompt's description."""
    raise _todo()


@router.delete(_BASE + "/{name}", operation_id="deletePrompt", status_code=204, responses=_ERRORS)
def delete_prompt(request: Request, project: ProjectName, name: PromptName) -> Response:
    """Delete a prompt with all its versions, labels and history."""
    raise _todo()


@router.get(
    _BASE + "/{name}/versions",
    operation_id="listPromptVersions",
    response_model=list[PromptVersion],
    responses=_ERRORS,
)
def list_prompt_versions(request: Request, project: ProjectName, name: PromptName) -> Response:
    """Every version of the prompt, newest first."""
    raise _todo()


@router.post(
    _BASE + "/{name}/versions",
    operation_id="createPromptVersion",
    status_code=201,
    response_model=PromptVersion,
    responses={**_ERRORS, 200: {"model": PromptVersion, "description": "Same as the latest."}},
)
def create_prompt_version(
    request: Request, project: ProjectName, name: PromptName, body: PromptVersionIn
) -> Response:
    """Save a new version (the prompt and the project are created on first use). A body equal
    to the latest version answers 200 with that version and ``created: false``. ``labels``
    move to the saved version (this needs the role that may move labels)."""
    raise _todo()


@router.get(
    _BASE + "/{name}/versions/{version}",
    operation_id="getPromptVersion",
    response_model=PromptVersion,
    responses=_ERRORS,
)
def get_prompt_version(
    request: Request,
    project: ProjectName,
    name: PromptName,
    version: Annotated[int, Path(ge=1, description="Version number.")],
) -> Response:
    """One version."""
    raise _todo()


@router.get(
    _BASE + "/{name}/resolve",
    operation_id="resolvePrompt",
    response_model=PromptVersion,
    responses=_ERRORS,
)
def resolve_prompt(
    request: Request,
    project: ProjectName,
    name: PromptName,
    label: Annotated[str | None, Query(description="A label, e.g. production.")] = None,
    version: Annotated[int | None, Query(ge=1, description="A version number.")] = None,
) -> Response:
    """The version a label points at, a version by number, or the latest (neither given).
    Answers with an ``ETag``; ``If-None-Match`` with it answers 304 when nothing changed."""
    raise _todo()


@router.get(
    _BASE + "/{name}/diff",
    operation_id="diffPromptVersions",
    response_model=PromptDiff,
    responses=_ERRORS,
)
def diff_prompt_versions(
    request: Request,
    project: ProjectName,
    name: PromptName,
    from_version: Annotated[int, Query(alias="from", ge=1, description="The older version.")],
    to_version: Annotated[int, Query(alias="to", ge=1, description="The newer version.")],
) -> Response:
    """What changed between two versions: messages (with a line diff), model, parameters,
    tools, response format and variables."""
    raise _todo()


@router.get(
    _BASE + "/{name}/label-moves",
    operation_id="listLabelMoves",
    response_model=list[LabelMove],
    responses=_ERRORS,
)
def list_label_moves(
    request: Request,
    project: ProjectName,
    name: PromptName,
    label: Annotated[str | None, Query(description="Only this label's moves.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:
    """Who moved which label from which version to which, newest first."""
    raise _todo()


@router.put(
    _BASE + "/{name}/labels/{label}",
    operation_id="movePromptLabel",
    response_model=LabelMove,
    responses=_ERRORS,
)
def move_prompt_label(
    request: Request, project: ProjectName, name: PromptName, label: LabelName, body: LabelMoveIn
) -> Response:
    """Point a label at a version (creating the label on first use); the move is recorded."""
    raise _todo()


@router.delete(
    _BASE + "/{name}/labels/{label}",
    operation_id="removePromptLabel",
    response_model=LabelMove,
    responses=_ERRORS,
)
def remove_prompt_label(
    request: Request, project: ProjectName, name: PromptName, label: LabelName
) -> Response:
    """Remove a label (recorded, and can be undone)."""
    raise _todo()


@router.post(
    _BASE + "/{name}/label-moves/{move_id}/undo",
    operation_id="undoLabelMove",
    response_model=LabelMove,
    responses=_ERRORS,
)
def undo_label_move(
    request: Request,
    project: ProjectName,
    name: PromptName,
    move_id: Annotated[str, Path(description="The move to undo.")],
) -> Response:
    """Put the label back where it pointed before this move (409 when it has moved since)."""
    raise _todo()
