"""Score configs: the rubrics human scores follow (numeric, categorical, boolean, text)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from assay.schema import ScoreConfig, ScoreConfigIn, ScoreConfigPatch
from assay.schema.review import ScoreCategory, check_config_shape
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.routers.v1._items import check_text, json_list, json_response
from assay.store.base import Store

router = APIRouter(tags=["review"], dependencies=[Depends(reject_nul)])

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A parameter cannot be used."},
    404: {"model": ErrorResponse, "description": "The project or the config does not exist."},
    409: {"model": ErrorResponse, "description": "The name is taken."},
    422: {"model": ErrorResponse, "description": "The body is invalid (details per field)."},
}
ProjectName = Annotated[str, Path(description="Project name.")]
ConfigName = Annotated[str, Path(description="Score config name.")]
_BASE = "/api/v1/projects/{project}/score-configs"


def reject_nul_text(value: Any, path: str = "body") -> None:
    """Refuse any string inside ``value`` that holds NUL (no database stores it), as a 422."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ApiError(
                422,
                f"{path} contains a NUL character; remove it.",
                details=[{"field": path, "reason": "contains a NUL character"}],
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            reject_nul_text(key, path)
            reject_nul_text(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            reject_nul_text(item, f"{path}.{index}")


def reject_nulls(changes: dict[str, Any], fields: Iterable[str]) -> None:
    """Refuse, as a 422, a PATCH that sets one of ``fields`` (which cannot be empty) to null."""
    for field in fields:
        if field in changes and changes[field] is None:
            raise ApiError(
                422,
                f"{field} cannot be null; send a value or leave it out.",
                details=[{"field": f"body.{field}", "reason": "cannot be null"}],
            )


def _require(store: Store, project: str, name: str) -> ScoreConfig:
    found = store.get_score_config(project_id_of(store, project), name)
    if found is None:
        raise ApiError(
            404,
            f"Score config {name!r} does not exist in project {project!r}; "
            f"GET {_BASE.format(project=project)} lists them.",
        )
    return found


@router.post(
    _BASE,
    operation_id="createScoreConfig",
    status_code=201,
    response_model=ScoreConfig,
    responses=ERRORS,
)
def create_score_config(request: Request, project: ProjectName, body: ScoreConfigIn) -> Response:
    """Create a score config. The project is created on first use."""
    check_text(project, "project", limit=200)
    check_text(body.name, "name", limit=200)
    reject_nul_text(body.model_dump())
    store = store_of(request)
    made = store.create_score_config(store.ensure_project(project), body)
    if made is None:
        raise ApiError(
            409,
            f"Score config {body.name!r} already exists in project {project!r}; change it with "
            f"PATCH {_BASE.format(project=project)}/{body.name}.",
        )
    return json_response(made, 201)


@router.get(
    _BASE, operation_id="listScoreConfigs", response_model=list[ScoreConfig], responses=ERRORS
)
def list_score_configs(
    request: Request,
    project: ProjectName,
    include_archived: Annotated[bool, Query(description="Archived configs too.")] = False,
) -> Response:
    """The project's score configs, by name."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    return json_list(store.list_score_configs(project_id, include_archived=include_archived))


@router.get(
    _BASE + "/{name}", operation_id="getScoreConfig", response_model=ScoreConfig, responses=ERRORS
)
def get_score_config(request: Request, project: ProjectName, name: ConfigName) -> Response:
    """One score config (archived or not)."""
    return json_response(_require(store_of(request), project, name))


def _changes(current: ScoreConfig, body: ScoreConfigPatch) -> dict[str, Any]:
    changes = body.model_dump(include=body.model_fields_set)
    kind = changes.pop("kind", None)
    if kind is not None and kind != current.kind:
        raise ApiError(
            422,
            f"Score config {current.name!r} is {current.kind}; its kind cannot change to "
            f"{kind!r}. Create a new config for {kind} scores.",
            details=[{"field": "body.kind", "reason": "cannot change"}],
        )
    if changes.get("archived", False) is None:
        raise ApiError(
            422,
            "archived cannot be null; send true or false.",
            details=[{"field": "body.archived", "reason": "cannot be null"}],
        )
    if not changes and kind is None:
        raise ApiError(
            422,
            "The body changes nothing; send some of description, min, max, step, categories, "
            "archived.",
        )
    merged = {**current.model_dump(), **changes}
    categories = merged["categories"]
    try:
        check_config_shape(
            current.kind,
            low=merged["min"],
            high=merged["max"],
            step=merged["step"],
            categories=None if categories is None else [ScoreCategory(**c) for c in categories],
        )
    except ValueError as exc:
        raise ApiError(
            422,
            f"Score config {current.name!r} would be invalid: {exc}.",
            details=[{"field": "body", "reason": str(exc)}],
        ) from None
    return changes


@router.patch(
    _BASE + "/{name}",
    operation_id="updateScoreConfig",
    response_model=ScoreConfig,
    responses=ERRORS,
)
def update_score_config(
    request: Request, project: ProjectName, name: ConfigName, body: ScoreConfigPatch
) -> Response:
    """Change the description, range and step, categories (labels, values, descriptions) or
    archived; the kind never changes."""
    reject_nul_text(body.model_dump())
    store = store_of(request)
    current = _require(store, project, name)
    changes = _changes(current, body)
    if not changes:
        return json_response(current)
    return json_response(store.update_score_config(project_id_of(store, project), name, changes))
