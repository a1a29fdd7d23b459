"""``/api/v1/projects/{project}/rules``: online rules and their backfills (issue 9)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from assay.schema import Backfill, BackfillIn, Rule, RuleIn, RulePatch
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.jobs import backfill
from assay.server.native import ItemError, to_micros
from assay.server.online import online_of
from assay.server.routers.v1._items import check_text, json_list, json_response
from assay.server.routers.v1.score_configs import reject_nul_text, reject_nulls
from assay.server.rule_scorers import check_rule
from assay.store.base import Store
from assay.store.rules import SpanRange

router = APIRouter(tags=["rules"], dependencies=[Depends(reject_nul)])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A parameter cannot be used."},
    404: {"model": ErrorResponse, "description": "The project or the rule does not exist."},
    409: {"model": ErrorResponse, "description": "The name is taken."},
    422: {"model": ErrorResponse, "description": "The body is invalid (details per field)."},
}
ProjectName = Annotated[str, Path(description="Project name.")]
RuleName = Annotated[str, Path(description="Rule name.")]
_BASE = "/api/v1/projects/{project}/rules"
_NOT_NULL = ("enabled", "filter", "sample_rate", "scorers")


def _require(store: Store, project: str, name: str, *, stats: bool = False) -> tuple[str, Rule]:
    project_id = project_id_of(store, project)
    found = store.get_rule(project_id, name, stats=stats)
    if found is None:
        raise ApiError(
            404,
            f"Rule {name!r} does not exist in project {project!r}; "
            f"GET {_BASE.format(project=project)} lists them.",
        )
    return project_id, found


def _check(store: Store, project_id: str | None, project: str, rule: RuleIn) -> None:
    details = check_rule(store, project_id, project, rule)
    if details:
        first = details[0]
        raise ApiError(
            422,
            f"The rule was not saved: {first['field']}: {first['reason']}.",
            details=details,
        )


@router.get(_BASE, operation_id="listRules", response_model=list[Rule], responses=_ERRORS)
def list_rules(
    request: Request,
    project: ProjectName,
    stats: Annotated[bool, Query(description="Include what each rule has done.")] = True,
) -> Response:
    """The project's rules by name, with their stats (scores, jobs waiting, lag)."""
    store = store_of(request)
    return json_list(store.list_rules(project_id_of(store, project), stats=stats))


@router.post(
    _BASE, operation_id="createRule", status_code=201, response_model=Rule, responses=_ERRORS
)
def create_rule(request: Request, project: ProjectName, body: RuleIn) -> Response:
    """Create a rule: which production spans (filter), what share (sample_rate), scored by
    which judges or built-in scorers, and optionally a queue for the doubtful ones.

    Spans ingested from now on that match are scored in the background; a backfill scores
    past ones. The project is created on first use.
    """
    check_text(project, "project", limit=200)
    check_text(body.name, "name", limit=200)
    reject_nul_text(body.model_dump())
    store = store_of(request)
    _check(store, store.find_project(project), project, body)
    made = store.create_rule(store.ensure_project(project), body)
    if made is None:
        raise ApiError(
            409,
            f"Rule {body.name!r} already exists in project {project!r}; change it with "
            f"PATCH {_BASE.format(project=project)}/{body.name}.",
        )
    online_of(request).invalidate()
    return json_response(made, 201)


@router.get(_BASE + "/{name}", operation_id="getRule", response_model=Rule, responses=_ERRORS)
def get_rule(request: Request, project: ProjectName, name: RuleName) -> Response:
    """One rule with its stats."""
    return json_response(_require(store_of(request), project, name, stats=True)[1])


def _merged(rule: Rule, changes: dict[str, Any]) -> RuleIn:
    """The rule as it would be after ``changes`` (validated as a whole)."""
    fields = rule.model_dump(include=set(RuleIn.model_fields))
    try:
        return RuleIn.model_validate({**fields, **changes})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise ApiError(
            422,
            f"The change makes the rule invalid: {field}: {err['msg']}.",
            details=[{"field": f"body.{field}", "reason": err["msg"]}],
        ) from None


@router.patch(_BASE + "/{name}", operation_id="updateRule", response_model=Rule, responses=_ERRORS)
def update_rule(
    request: Request, project: ProjectName, name: RuleName, body: RulePatch
) -> Response:
    """Change the description, enabled, filter, sample_rate, scorers or route (null removes
    the route). Live traffic follows the change within seconds."""
    changes = body.model_dump(include=body.model_fields_set)
    if not changes:
        raise ApiError(
            422,
            "The body changes nothing; send some of description, enabled, filter, sample_rate, "
            "scorers, route.",
        )
    reject_nulls(changes, _NOT_NULL)
    reject_nul_text(changes)
    store = store_of(request)
    project_id, found = _require(store, project, name)
    _check(store, project_id, project, _merged(found, changes))
    updated = store.update_rule(project_id, name, changes)
    online_of(request).invalidate()
    return json_response(updated)


@router.delete(
    _BASE + "/{name}",
    operation_id="deleteRule",
    status_code=204,
    response_class=Response,
    responses=_ERRORS,
)
def delete_rule(request: Request, project: ProjectName, name: RuleName) -> Response:
    """Delete a rule. Its waiting jobs are cancelled; the scores it wrote stay."""
    store = store_of(request)
    project_id, _ = _require(store, project, name)
    store.delete_rule(project_id, name)
    online_of(request).invalidate()
    return Response(status_code=204)


def _range(rule: Rule, body: BackfillIn) -> SpanRange:
    try:
        start = to_micros(body.start, "start")
        end = to_micros(body.end, "end")
    except ItemError as exc:
        raise ApiError(
            422,
            f"{exc.field}: {exc.reason}.",
            details=[{"field": f"body.{exc.field}", "reason": exc.reason}],
        ) from None
    if end <= start:
        raise ApiError(
            422,
            f"end ({body.end!r}) must be after start ({body.start!r}); the range is [start, end).",
            details=[{"field": "body.end", "reason": "must be after start"}],
        )
    return SpanRange(rule.filter, start, end)


@router.post(
    _BASE + "/{name}/backfills",
    operation_id="startBackfill",
    status_code=202,
    response_model=Backfill,
    responses={**_ERRORS, 200: {"model": Backfill, "description": "Dry run: the estimate."}},
)
async def start_backfill(
    request: Request, project: ProjectName, name: RuleName, body: BackfillIn
) -> Response:
    """Run the rule over spans that started in [start, end): first the estimate (matching
    spans, the sample, spans scored already, judge calls, tokens and cost), then, unless
    ``dry_run``, a background job that scores the sampled spans not scored yet (202).
    Spans the rule scored already are never scored again."""
    store = store_of(request)
    project_id, rule = await run_in_threadpool(_require, store, project, name)
    spans = _range(rule, body)
    estimate = await run_in_threadpool(backfill.estimate, store, project_id, rule, spans)
    if body.dry_run:
        return json_response(Backfill(estimate=estimate), 200)
    job = await run_in_threadpool(
        backfill.start, store, project_id, rule, spans, matching=estimate.matching_spans
    )
    return json_response(Backfill(estimate=estimate, job=job), 202)
