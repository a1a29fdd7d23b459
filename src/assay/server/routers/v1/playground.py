"""``/api/v1/projects/{project}/playground``: run a prompt variant or an agent on one input
(streamed), or over a dataset as an experiment (a background job) (issue 7)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from assay.schema import PlaygroundExperiment, PlaygroundExperimentIn, PlaygroundRunIn
from assay.server.deps import reject_nul
from assay.server.errors import ApiError, ErrorResponse

router = APIRouter(tags=["playground"], dependencies=[Depends(reject_nul)])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {
        "model": ErrorResponse,
        "description": "The project, prompt, dataset or agent does not exist.",
    },
    409: {"model": ErrorResponse, "description": "The run has finished already (cancel)."},
    422: {"model": ErrorResponse, "description": "The body is invalid, or a variable is missing."},
}
ProjectName = Annotated[str, Path(description="Project name.")]
_BASE = "/api/v1/projects/{project}/playground"


def _todo() -> ApiError:
    return ApiError(501, "Not built yet.")


@router.post(
    _BASE + "/runs",
    operation_id="runPlayground",
    responses={
        **_ERRORS,
        200: {
            "description": (
                'A text/event-stream: `delta` events ({"text": …}) as tokens arrive, then one '
                '`done` (PlaygroundResult) or `error` ({"message": …}).'
            ),
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
    },
)
async def run_playground(request: Request, project: ProjectName, body: PlaygroundRunIn) -> Response:
    """Run one variant on one input and stream the answer as it comes."""
    raise _todo()


@router.post(
    _BASE + "/experiments",
    operation_id="startPlaygroundExperiment",
    status_code=202,
    response_model=PlaygroundExperiment,
    responses=_ERRORS,
)
def start_playground_experiment(
    request: Request, project: ProjectName, body: PlaygroundExperimentIn
) -> Response:
    """Run a variant over a dataset with scorers and judges, as a background job; the result is
    an experiment (compared with the dataset's previous one unless ``baseline`` says)."""
    raise _todo()


@router.get(
    _BASE + "/experiments/{name}",
    operation_id="getPlaygroundExperiment",
    response_model=PlaygroundExperiment,
    responses=_ERRORS,
)
def get_playground_experiment(
    request: Request,
    project: ProjectName,
    name: Annotated[str, Path(description="Experiment name.")],
) -> Response:
    """A dataset run's progress."""
    raise _todo()


@router.post(
    _BASE + "/experiments/{name}/cancel",
    operation_id="cancelPlaygroundExperiment",
    response_model=PlaygroundExperiment,
    responses=_ERRORS,
)
def cancel_playground_experiment(
    request: Request,
    project: ProjectName,
    name: Annotated[str, Path(description="Experiment name.")],
) -> Response:
    """Stop a dataset run: cases done so far stay, the experiment ends as interrupted."""
    raise _todo()
