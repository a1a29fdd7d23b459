"""``/api/v1/projects/{project}/playground``: run a prompt variant or an agent on one input
(streamed), or over a dataset as an experiment (a background job) (issue 7)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from assay.errors import ConflictError, UsageError
from assay.schema import (
    Experiment,
    PlaygroundExperiment,
    PlaygroundExperimentIn,
    PlaygroundRunIn,
    PlaygroundVariant,
)
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.jobs import playground as dataset_runs
from assay.server.playground import PlaygroundEvent, ResolvedVariant, resolve_variant, run_variant
from assay.server.routers.v1._items import json_response
from assay.server.routers.v1.score_configs import reject_nul_text
from assay.store.base import Store

router = APIRouter(tags=["playground"], dependencies=[Depends(reject_nul)])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {
        "model": ErrorResponse,
        "description": "The project, prompt, dataset or agent does not exist.",
    },
    409: {"model": ErrorResponse, "description": "The run has finished already (cancel)."},
    422: {
        "model": ErrorResponse,
        "description": "The body is invalid, or names no model.",
    },
}
ProjectName = Annotated[str, Path(description="Project name.")]
_BASE = "/api/v1/projects/{project}/playground"


def _resolve(store: Store, project_id: str, body: PlaygroundRunIn) -> ResolvedVariant:
    try:
        return resolve_variant(store, project_id, body.variant)
    except ConflictError:
        raise
    except UsageError as exc:  # no model or no messages: the body's fault
        field = "model" if "model" in str(exc) else "messages"
        raise ApiError(
            422, str(exc), details=[{"field": f"body.variant.{field}", "reason": str(exc)}]
        ) from exc


def sse(event: PlaygroundEvent) -> bytes:
    """One event in the ``text/event-stream`` format."""
    if event.kind == "delta":
        data = orjson.dumps({"text": event.text})
    elif event.kind == "done" and event.result is not None:
        data = event.result.model_dump_json().encode()
    else:
        data = orjson.dumps({"message": event.message})
    return b"event: %s\ndata: %s\n\n" % (event.kind.encode(), data)


async def _event_stream(events: AsyncIterator[PlaygroundEvent]) -> AsyncIterator[bytes]:
    async for event in events:
        yield sse(event)


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
    """Run one variant on one input and stream the answer as it comes.

    Problems found before the model is called (no such project, prompt version, label or agent;
    no model) are ordinary 404/422 answers; later ones (a missing variable, the provider's
    refusal) arrive as the stream's ``error`` event.
    """
    store = store_of(request)
    project_id = await run_in_threadpool(project_id_of, store, project)
    resolved = await run_in_threadpool(_resolve, store, project_id, body)
    events = run_variant(store, project_id, resolved, variables=body.variables, input=body.input)
    return StreamingResponse(
        _event_stream(events),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _dataset_version(
    store: Store, project_id: str, project: str, body: PlaygroundExperimentIn
) -> tuple[int, int]:
    """The dataset version a run reads (the latest unless the body pins one) and its records."""
    dataset = store.get_dataset(project_id, body.dataset)
    if dataset is None:
        raise ApiError(
            404,
            f"Dataset {body.dataset!r} does not exist in project {project!r}; "
            f"GET /api/v1/projects/{project}/datasets lists them.",
        )
    version = body.dataset_version or dataset.version
    counts = {
        v.version: v.record_count for v in store.list_dataset_versions(project_id, body.dataset)
    }
    if body.dataset_version is not None and version not in counts:
        raise ApiError(
            404,
            f"Dataset {body.dataset!r} has no version {version}; its latest is "
            f"{dataset.version}. Leave dataset_version out to run the latest.",
        )
    total = counts.get(version, 0)
    if total == 0:
        raise ApiError(
            422,
            f"Dataset {body.dataset!r} has no records at version {version}; add records "
            f"(POST /api/v1/projects/{project}/datasets/{body.dataset}/records) first.",
            details=[{"field": "body.dataset", "reason": "the dataset has no records"}],
        )
    return version, total


def _resolve_variant(store: Store, project_id: str, variant: PlaygroundVariant) -> ResolvedVariant:
    try:
        return resolve_variant(store, project_id, variant)
    except ConflictError:
        raise
    except UsageError as exc:  # no model or no messages: the body's fault
        raise ApiError(
            422,
            f"The run was not started: {exc}.",
            details=[{"field": "body.variant", "reason": str(exc)}],
        ) from exc


def _playground_experiment(store: Store, project: str, name: str) -> tuple[str, Experiment]:
    project_id = project_id_of(store, project)
    found = store.get_experiment(project_id, name)
    if found is None or found.metadata.get("source") != dataset_runs.SOURCE:
        raise ApiError(
            404,
            f"Experiment {name!r} is not a playground run of project {project!r}; start one "
            f"with POST /api/v1/projects/{project}/playground/experiments.",
        )
    return project_id, found


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
    reject_nul_text(body.model_dump())
    store = store_of(request)
    project_id = project_id_of(store, project)
    version, total = _dataset_version(store, project_id, project, body)
    resolved = _resolve_variant(store, project_id, body.variant)
    details = dataset_runs.check_scorers(store, project_id, project, body.scorers)
    if details:
        first = details[0]
        raise ApiError(
            422, f"The run was not started: {first['field']}: {first['reason']}.", details=details
        )
    if body.baseline is not None and store.get_experiment(project_id, body.baseline) is None:
        raise ApiError(
            404,
            f"Baseline experiment {body.baseline!r} does not exist in project {project!r}; "
            f"GET /api/v1/projects/{project}/experiments lists them, or leave baseline out.",
        )
    started = dataset_runs.start(store, project_id, body, resolved, version=version, total=total)
    return json_response(started, 202)


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
    store = store_of(request)
    project_id, experiment = _playground_experiment(store, project, name)
    return json_response(dataset_runs.progress(store, project_id, experiment))


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
    store = store_of(request)
    project_id, experiment = _playground_experiment(store, project, name)
    try:
        stopped = dataset_runs.cancel(store, project_id, experiment)
    except ConflictError as exc:
        raise ApiError(
            409, f"{str(exc)[:1].upper()}{str(exc)[1:]}; GET its progress or start a new run."
        ) from None
    return json_response(stopped)
