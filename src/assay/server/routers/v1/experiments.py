"""Experiments: create, stream cases in, finish, read with summaries, compare with a baseline."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from assay.schema import (
    CaseBatch,
    CaseBatchResult,
    CasePage,
    Comparison,
    Experiment,
    ExperimentCase,
    ExperimentFinish,
    ExperimentIn,
)
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.routers.v1._items import check_text, json_list, json_response, validate_items

router = APIRouter(tags=["experiments"], dependencies=[Depends(reject_nul)])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A parameter cannot be used."},
    404: {"model": ErrorResponse, "description": "The project or experiment does not exist."},
    422: {"model": ErrorResponse, "description": "The body is invalid (details per item)."},
}
ProjectName = Annotated[str, Path(description="Project name.")]
ExperimentName = Annotated[str, Path(description="Experiment name.")]
_BASE = "/api/v1/projects/{project}/experiments"


def _not_found(project: str, name: str) -> ApiError:
    return ApiError(
        404,
        f"Experiment {name!r} does not exist in project {project!r}; "
        f"GET {_BASE.format(project=project)} lists them.",
    )


@router.post(
    _BASE,
    operation_id="createExperiment",
    status_code=201,
    response_model=Experiment,
    responses=_ERRORS,
)
def create_experiment(request: Request, project: ProjectName, body: ExperimentIn) -> Response:
    """Start an experiment; a taken name gets "-2", "-3", … and the answer says which was used.

    A dataset named without a version is pinned to its latest version. The project is created
    on first use.
    """
    check_text(project, "project", limit=200)
    check_text(body.name, "name", limit=200)
    if body.trial_count > 1_000_000:
        raise ApiError(422, f"trial_count is {body.trial_count}; the most is 1,000,000.")
    for text in (body.baseline, body.dataset.name if body.dataset else None):
        if text is not None:
            check_text(text, "baseline or dataset name", limit=200)
    if body.dataset and body.dataset.version is not None and not 0 <= body.dataset.version < 2**62:
        raise ApiError(422, f"dataset.version is {body.dataset.version}; use 0 or more.")
    store = store_of(request)
    created = store.create_experiment(store.ensure_project(project), body)
    return json_response(created, 201)


@router.get(
    _BASE, operation_id="listExperiments", response_model=list[Experiment], responses=_ERRORS
)
def list_experiments(request: Request, project: ProjectName) -> Response:
    """Every experiment of the project with its summary, newest first."""
    store = store_of(request)
    return json_list(store.list_experiments(project_id_of(store, project)))


@router.get(
    _BASE + "/{name}", operation_id="getExperiment", response_model=Experiment, responses=_ERRORS
)
def get_experiment(request: Request, project: ProjectName, name: ExperimentName) -> Response:
    """One experiment: its parameters, status, times, summary per scorer and totals."""
    store = store_of(request)
    found = store.get_experiment(project_id_of(store, project), name)
    if found is None:
        raise _not_found(project, name)
    return json_response(found)


@router.post(
    _BASE + "/{name}/cases",
    operation_id="addExperimentCases",
    response_model=CaseBatchResult,
    responses=_ERRORS,
)
def add_cases(
    request: Request, project: ProjectName, name: ExperimentName, body: CaseBatch
) -> Response:
    """Store a batch of cases; resending a (case_id, trial) changes nothing.

    Each numeric score is also stored as a score row (source "code") on the case's root span.
    Invalid cases are listed in ``rejected``; when every case is invalid the answer is a 422.
    """
    store = store_of(request)
    project_id = project_id_of(store, project)
    good, rejected = validate_items(body.cases, ExperimentCase, prefix="cases", what="cases")
    if good:
        store.add_experiment_cases(project_id, name, [c for _, c in good])
    elif store.get_experiment(project_id, name) is None:
        raise _not_found(project, name)
    result = CaseBatchResult.model_validate({"accepted": len(good), "rejected": rejected})
    return json_response(result)


@router.post(
    _BASE + "/{name}/finish",
    operation_id="finishExperiment",
    response_model=Experiment,
    responses=_ERRORS,
)
def finish_experiment(
    request: Request, project: ProjectName, name: ExperimentName, body: ExperimentFinish
) -> Response:
    """Mark the experiment finished (or interrupted) and return it with its summary."""
    store = store_of(request)
    ended = None if body.ended_at is None else round(body.ended_at.timestamp() * 1_000_000)
    finished = store.finish_experiment(
        project_id_of(store, project),
        name,
        status=body.status,
        ended_at=ended,
        summary_scores=body.summary_scores,
    )
    return json_response(finished)


@router.get(
    _BASE + "/{name}/cases",
    operation_id="listExperimentCases",
    response_model=CasePage,
    responses=_ERRORS,
)
def list_cases(
    request: Request,
    project: ProjectName,
    name: ExperimentName,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: str | None = None,
) -> Response:
    """A page of the experiment's cases, by case id and trial."""
    store = store_of(request)
    page = store.list_experiment_cases(
        project_id_of(store, project), name, limit=limit, cursor=cursor or None
    )
    return json_response(page)


@router.get(
    _BASE + "/{name}/compare",
    operation_id="compareExperiments",
    response_model=Comparison,
    responses=_ERRORS,
)
def compare_experiments(
    request: Request,
    project: ProjectName,
    name: ExperimentName,
    baseline: Annotated[
        str | None,
        Query(
            description="Default: the explicit baseline, else the latest earlier experiment "
            "on the same dataset."
        ),
    ] = None,
    cases: Annotated[
        bool, Query(description="false leaves the case diffs out (a summary only, faster).")
    ] = True,
) -> Response:
    """Scorers and metrics against the baseline with 95 % bootstrap intervals, and case diffs."""
    store = store_of(request)
    comparison = store.compare_experiments(
        project_id_of(store, project), name, baseline=baseline or None, cases=cases
    )
    return json_response(comparison)
