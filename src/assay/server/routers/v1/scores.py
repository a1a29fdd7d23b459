"""Scores: named values on traces and spans, from code, humans, judges or the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from assay.schema import Score, ScoreBatch, ScoreBatchResult, ScoreIn
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ErrorResponse
from assay.server.params import id_param
from assay.server.routers.v1._items import check_text, json_list, json_response, validate_items

router = APIRouter(tags=["scores"], dependencies=[Depends(reject_nul)])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A parameter cannot be used."},
    404: {"model": ErrorResponse, "description": "The project does not exist."},
    422: {"model": ErrorResponse, "description": "Every score is invalid (details per item)."},
}
ProjectName = Annotated[str, Path(description="Project name.")]


@router.post(
    "/api/v1/projects/{project}/scores",
    operation_id="createScores",
    response_model=ScoreBatchResult,
    responses=_ERRORS,
)
def create_scores(request: Request, project: ProjectName, body: ScoreBatch) -> Response:
    """Record scores; ids come back in request order (null for rejected items).

    The project is created on first use.
    """
    check_text(project, "project", limit=200)
    good, rejected = validate_items(body.scores, ScoreIn, prefix="scores", what="scores")
    store = store_of(request)
    ids: list[str | None] = [None] * len(body.scores)
    if good:
        new_ids = store.record_scores(store.ensure_project(project), [s for _, s in good])
        for (index, _), score_id in zip(good, new_ids, strict=True):
            ids[index] = score_id
    result = ScoreBatchResult.model_validate(
        {"accepted": len(good), "ids": ids, "rejected": rejected}
    )
    return json_response(result)


@router.get(
    "/api/v1/projects/{project}/traces/{trace_id}/scores",
    operation_id="listTraceScores",
    response_model=list[Score],
    responses=_ERRORS,
)
def list_trace_scores(request: Request, project: ProjectName, trace_id: str) -> Response:
    """The current scores of a trace (edits replace what they supersede), oldest first."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    return json_list(store.list_trace_scores(project_id, id_param(trace_id, "trace_id", 32)))
