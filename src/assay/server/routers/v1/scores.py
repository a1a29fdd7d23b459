"""Scores: named values on traces and spans, from code, humans, judges or the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from assay.schema import Score, ScoreBatch, ScoreBatchResult, ScoreConfig, ScoreIn
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.params import id_param
from assay.server.routers.v1._items import check_text, json_list, json_response, validate_items
from assay.server.score_checks import ConfigMismatch, HumanScoreIn, human_score
from assay.store.base import Store

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

    A human score whose name has a score config must follow it (a numeric config's range
    replaces the usual [0, 1]; a categorical one sets the value from the label). The project
    is created on first use.
    """
    check_text(project, "project", limit=200)
    store = store_of(request)
    good, rejected = _validate(store, project, body.scores)
    ids: list[str | None] = [None] * len(body.scores)
    if good:
        new_ids = store.record_scores(store.ensure_project(project), [s for _, s in good])
        for (index, _), score_id in zip(good, new_ids, strict=True):
            ids[index] = score_id
    result = ScoreBatchResult.model_validate(
        {"accepted": len(good), "ids": ids, "rejected": rejected}
    )
    return json_response(result)


def _configs(store: Store, project: str, items: list[Any]) -> dict[str, ScoreConfig]:
    """The project's score configs, when some item is a human score (else none needed)."""
    human = any(isinstance(i, dict) and i.get("source") == "human" for i in items)
    project_id = store.find_project(project) if human else None
    if project_id is None:
        return {}
    return {c.name: c for c in store.list_score_configs(project_id, include_archived=True)}


def _validate(
    store: Store, project: str, items: list[Any]
) -> tuple[list[tuple[int, ScoreIn]], list[dict[str, Any]]]:
    """Validate the items; a human score whose name has a config must follow it."""
    configs = _configs(store, project, items)

    def configured(item: Any) -> ScoreConfig | None:
        if isinstance(item, dict) and item.get("source") == "human":
            return configs.get(str(item.get("name")))
        return None

    def model_of(item: Any) -> type[ScoreIn]:
        return HumanScoreIn if configured(item) else ScoreIn

    good, rejected = validate_items(
        items, ScoreIn, prefix="scores", what="scores", model_of=model_of if configs else None
    )
    if not configs:
        return good, rejected
    kept: list[tuple[int, ScoreIn]] = []
    for index, score in good:
        config = configured(items[index])
        try:
            kept.append((index, score if config is None else human_score(config, score)))
        except ConfigMismatch as exc:
            field = f"scores.{index}.{exc.field}"
            rejected.append({"index": index, "field": field, "reason": exc.reason})
    rejected.sort(key=lambda r: int(r["index"]))
    if not kept:
        first = rejected[0]
        raise ApiError(
            422,
            f"All {len(items)} scores were rejected; the first (index {first['index']}) because "
            f"{first['field']} {first['reason']}. See details for each item.",
            details=rejected,
        )
    return kept, rejected


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
