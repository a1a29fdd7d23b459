"""Judges: named, versioned LLM judges, and how far each agrees with the humans."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from assay.schema import Judge, JudgeAgreement, JudgeIn, JudgePatch, JudgeVersion
from assay.server.agreement import AgreementOptions, judge_agreement
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.params import time_param
from assay.server.routers.v1._items import check_text, json_list, json_response
from assay.server.routers.v1.score_configs import reject_nulls
from assay.store.base import PairQuery, Store

router = APIRouter(tags=["judges"], dependencies=[Depends(reject_nul)])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A parameter cannot be used."},
    404: {"model": ErrorResponse, "description": "The project, judge or version does not exist."},
    422: {"model": ErrorResponse, "description": "The body is invalid (details per field)."},
}
ProjectName = Annotated[str, Path(description="Project name.")]
JudgeName = Annotated[str, Path(description="Judge name.")]
_BASE = "/api/v1/projects/{project}/judges"


def _not_found(project: str, name: str) -> ApiError:
    return ApiError(
        404,
        f"Judge {name!r} does not exist in project {project!r}; "
        f"GET {_BASE.format(project=project)} lists them.",
    )


def _require(store: Store, project: str, name: str, version: int | None = None) -> Judge:
    found = store.get_judge(project_id_of(store, project), name, version=version)
    if found is None:
        raise _not_found(project, name)
    return found


def _check_texts(values: dict[str, str | None]) -> None:
    for field, value in values.items():
        if value is not None and "\x00" in value:
            raise ApiError(
                400,
                f"{field} contains a NUL character; remove it.",
                details=[{"field": f"body.{field}", "reason": "contains a NUL character"}],
            )


@router.post(
    _BASE,
    operation_id="createJudge",
    status_code=201,
    response_model=Judge,
    responses={**_ERRORS, 200: {"model": Judge, "description": "Unchanged: no new version."}},
)
def create_judge(request: Request, project: ProjectName, body: JudgeIn) -> Response:
    """Create a judge, or its next version when prompt, choices, model, use_cot or params changed.

    Sending the latest definition again makes no version: the answer is a 200 with
    ``created: false``. description, score_name, threshold and threshold_metric belong to the
    judge and are updated when sent. The project is created on first use.
    """
    check_text(project, "project", limit=200)
    check_text(body.name, "name", limit=200)
    if body.score_name is not None:
        check_text(body.score_name, "score_name", limit=200)
    _check_texts(
        {"prompt": body.prompt, "model": body.model, "description": body.description}
        | {f"choices.{label}": label for label in body.choices}
    )
    store = store_of(request)
    saved = store.save_judge(store.ensure_project(project), body)
    return json_response(saved, 201 if saved.created else 200)


@router.get(_BASE, operation_id="listJudges", response_model=list[Judge], responses=_ERRORS)
def list_judges(request: Request, project: ProjectName) -> Response:
    """Every judge of the project at its latest version, by name."""
    store = store_of(request)
    return json_list(store.list_judges(project_id_of(store, project)))


@router.get(_BASE + "/{name}", operation_id="getJudge", response_model=Judge, responses=_ERRORS)
def get_judge(
    request: Request,
    project: ProjectName,
    name: JudgeName,
    version: Annotated[int | None, Query(ge=1, description="Default: the latest.")] = None,
) -> Response:
    """One judge with the definition of one version (the latest unless ``version`` is given)."""
    return json_response(_require(store_of(request), project, name, version))


@router.get(
    _BASE + "/{name}/versions",
    operation_id="listJudgeVersions",
    response_model=list[JudgeVersion],
    responses=_ERRORS,
)
def list_versions(request: Request, project: ProjectName, name: JudgeName) -> Response:
    """Every version of the judge's definition, oldest first."""
    store = store_of(request)
    return json_list(store.list_judge_versions(project_id_of(store, project), name))


@router.patch(
    _BASE + "/{name}", operation_id="updateJudge", response_model=Judge, responses=_ERRORS
)
def update_judge(
    request: Request, project: ProjectName, name: JudgeName, body: JudgePatch
) -> Response:
    """Change description, score_name, threshold or threshold_metric (no new version)."""
    changes = body.model_dump(include=body.model_fields_set)
    if not changes:
        raise ApiError(
            422,
            "The body changes nothing; send some of description, score_name, threshold, "
            "threshold_metric. A new prompt, choices or model is a new version: POST "
            f"{_BASE.format(project=project)}.",
        )
    reject_nulls(changes, ("score_name", "threshold_metric"))
    _check_texts({"description": body.description, "score_name": body.score_name})
    store = store_of(request)
    return json_response(store.update_judge(project_id_of(store, project), name, changes))


def _version_param(value: str | None) -> int | Literal["all"] | None:
    if value is None or value == "":
        return None
    if value == "all":
        return "all"
    if value.isdigit() and 1 <= int(value) < 2**62:
        return int(value)
    raise ApiError(
        400,
        f"Query parameter 'version': {value!r:.60} is neither a version number (1, 2, …) "
        "nor 'all'.",
        details=[{"field": "query.version", "reason": "must be a positive integer or 'all'"}],
    )


@router.get(
    _BASE + "/{name}/agreement",
    operation_id="getJudgeAgreement",
    response_model=JudgeAgreement,
    responses=_ERRORS,
)
def get_agreement(
    request: Request,
    project: ProjectName,
    name: JudgeName,
    version: Annotated[
        str | None, Query(description="A version number, or 'all' for any; default the latest.")
    ] = None,
    human: Annotated[
        str | None,
        Query(max_length=200, description="Name of the human scores; default score_name."),
    ] = None,
    on: Annotated[
        Literal["auto", "label", "value"],
        Query(description="Compare labels, values, or labels when both sides have them all."),
    ] = "auto",
    since: Annotated[
        str | None, Query(description="Judged at or after (RFC 3339 or Unix s).")
    ] = None,
    until: Annotated[str | None, Query(description="Judged before (RFC 3339 or Unix s).")] = None,
    limit: Annotated[int, Query(ge=0, le=10_000, description="Most disagreements.")] = 100,
    n_boot: Annotated[int, Query(ge=0, le=10_000, description="0: no intervals.")] = 1000,
    min_diff: Annotated[
        float, Query(ge=0.0, le=1.0, description="Numeric: |judge − human| that disagrees.")
    ] = 0.5,
) -> Response:
    """Agreement of the judge's scores with the human scores on the same traces and spans.

    With the figures (and bootstrap 95 % intervals): the disagreements, most recent first, a
    series per ISO week, and whether the judge is diverging (below its threshold, or a
    significant drop from one week to the next).
    """
    store = store_of(request)
    project_id = project_id_of(store, project)
    wanted = _version_param(version)
    judge = _require(store, project, name, None if wanted == "all" else wanted)
    query = PairQuery(
        judge=judge.name,
        score_name=judge.score_name,
        human=human or judge.score_name,
        version=None if wanted == "all" else judge.version,
        since=time_param(since, "since"),
        until=time_param(until, "until"),
    )
    pairs = store.judge_score_pairs(project_id, query)
    options = AgreementOptions(on=on, limit=limit, n_boot=n_boot, min_diff=min_diff)
    return json_response(
        judge_agreement(
            judge, pairs, all_versions=wanted == "all", human=query.human, options=options
        )
    )
