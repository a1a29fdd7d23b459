"""Annotation queues: items to review, held one reviewer at a time, reviews and agreement."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from assay.schema import (
    ConfigAgreement,
    NextIn,
    NextItems,
    Queue,
    QueueIn,
    QueueItemPage,
    QueueItemRef,
    QueueItemsIn,
    QueueItemsResult,
    QueuePatch,
    Review,
    ReviewIn,
    ScoreConfig,
    SkipIn,
)
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError
from assay.server.native import ItemError, check_id
from assay.server.queue_agreement import queue_agreement
from assay.server.routers.v1._items import check_text, json_list, json_response
from assay.server.routers.v1.score_configs import ERRORS, reject_nul_text, reject_nulls
from assay.server.score_checks import ConfigMismatch, answer_of, review_score
from assay.server.trace_filter import trace_query
from assay.store.base import ReviewWrite, Store

router = APIRouter(tags=["review"], dependencies=[Depends(reject_nul)])

ProjectName = Annotated[str, Path(description="Project name.")]
QueueName = Annotated[str, Path(description="Queue name.")]
ItemId = Annotated[str, Path(description="Queue item id.")]
_BASE = "/api/v1/projects/{project}/queues"
_ITEM = _BASE + "/{queue}/items/{item_id}"


def _require(store: Store, project: str, name: str, *, progress: bool = False) -> tuple[str, Queue]:
    project_id = project_id_of(store, project)
    found = store.get_queue(project_id, name, progress=progress)
    if found is None:
        raise ApiError(
            404,
            f"Queue {name!r} does not exist in project {project!r}; "
            f"GET {_BASE.format(project=project)} lists them.",
        )
    return project_id, found


def _check_reviewer(queue: Queue, reviewer: str) -> None:
    check_text(reviewer, "reviewer", limit=200)
    if queue.assignees and reviewer not in queue.assignees:
        raise ApiError(
            403,
            f"Reviewer {reviewer!r} is not assigned to queue {queue.name!r} (assignees: "
            f"{queue.assignees!r}); review as one of them, or add the name with PATCH on the "
            "queue.",
        )


def _configs(store: Store, project_id: str | None, names: list[str]) -> dict[str, ScoreConfig]:
    if project_id is None:
        return {}
    found = store.list_score_configs(project_id, include_archived=True)
    return {c.name: c for c in found if c.name in names}


@router.post(
    _BASE, operation_id="createQueue", status_code=201, response_model=Queue, responses=ERRORS
)
def create_queue(request: Request, project: ProjectName, body: QueueIn) -> Response:
    """Create a queue reviewed with existing score configs. The project is created on first use."""
    check_text(project, "project", limit=200)
    check_text(body.name, "name", limit=200)
    reject_nul_text(body.model_dump())
    store = store_of(request)
    configs = _configs(store, store.find_project(project), body.score_configs)
    problems = []
    for index, name in enumerate(body.score_configs):
        if name not in configs:
            problems.append((index, f"{name!r} is not a score config of project {project!r}"))
        elif configs[name].archived:
            problems.append((index, f"{name!r} is archived; unarchive it or pick another"))
        elif body.score_configs.index(name) != index:
            problems.append((index, f"{name!r} is listed twice"))
    if problems:
        raise ApiError(
            422,
            f"score_configs: {problems[0][1]}. Create configs with POST "
            f"/api/v1/projects/{project}/score-configs first.",
            details=[{"field": f"body.score_configs.{i}", "reason": r} for i, r in problems],
        )
    made = store.create_queue(store.ensure_project(project), body)
    if made is None:
        raise ApiError(
            409,
            f"Queue {body.name!r} already exists in project {project!r}; change it with "
            f"PATCH {_BASE.format(project=project)}/{body.name}.",
        )
    return json_response(made, 201)


@router.get(_BASE, operation_id="listQueues", response_model=list[Queue], responses=ERRORS)
def list_queues(request: Request, project: ProjectName) -> Response:
    """The project's queues with their progress, newest first."""
    store = store_of(request)
    return json_list(store.list_queues(project_id_of(store, project)))


@router.get(_BASE + "/{queue}", operation_id="getQueue", response_model=Queue, responses=ERRORS)
def get_queue(request: Request, project: ProjectName, queue: QueueName) -> Response:
    """One queue with its progress (per reviewer too)."""
    return json_response(_require(store_of(request), project, queue, progress=True)[1])


@router.patch(
    _BASE + "/{queue}", operation_id="updateQueue", response_model=Queue, responses=ERRORS
)
def update_queue(
    request: Request, project: ProjectName, queue: QueueName, body: QueuePatch
) -> Response:
    """Change the instructions, assignees, reviews_per_item or archived."""
    changes = body.model_dump(include=body.model_fields_set)
    if not changes:
        raise ApiError(
            422,
            "The body changes nothing; send some of instructions, assignees, reviews_per_item, "
            "archived.",
        )
    reject_nulls(changes, ("assignees", "reviews_per_item", "archived"))
    reject_nul_text(changes)
    store = store_of(request)
    project_id, _ = _require(store, project, queue)
    return json_response(store.update_queue(project_id, queue, changes))


def _checked_refs(items: list[QueueItemRef]) -> list[QueueItemRef]:
    out, details = [], []
    for index, ref in enumerate(items):
        try:
            span = None if ref.span_id is None else check_id(ref.span_id, "span_id", 16)
            out.append(QueueItemRef(trace_id=check_id(ref.trace_id, "trace_id", 32), span_id=span))
        except ItemError as exc:
            details.append(
                {"index": index, "field": f"body.items.{index}.{exc.field}", "reason": exc.reason}
            )
    if details:
        first = details[0]
        raise ApiError(
            422,
            f"{len(details)} item(s) are invalid; the first because {first['field']} "
            f"{first['reason']}. Nothing was added.",
            details=details,
        )
    return out


@router.post(
    _BASE + "/{queue}/items",
    operation_id="addQueueItems",
    response_model=QueueItemsResult,
    responses=ERRORS,
)
def add_queue_items(
    request: Request, project: ProjectName, queue: QueueName, body: QueueItemsIn
) -> Response:
    """Enqueue traces or spans by hand, or every trace matching a filter (or a random sample
    of them). An item already in the queue is counted as a duplicate, never added twice."""
    store = store_of(request)
    project_id, _ = _require(store, project, queue)
    if body.items is not None:
        added = store.add_queue_items(project_id, queue, _checked_refs(body.items))
    else:
        assert body.filter is not None  # the model requires items or filter
        reject_nul_text(body.filter.model_dump(), "body.filter")
        query = trace_query(body.filter)
        added = store.add_queue_items_from_traces(
            project_id, queue, query, sample=body.sample, target=body.target
        )
    return json_response(QueueItemsResult(added=added.added, duplicates=added.duplicates))


@router.get(
    _BASE + "/{queue}/items",
    operation_id="listQueueItems",
    response_model=QueueItemPage,
    responses=ERRORS,
)
def list_queue_items(
    request: Request,
    project: ProjectName,
    queue: QueueName,
    status: Literal["pending", "done", "all"] = "all",
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    cursor: str | None = None,
) -> Response:
    """A page of the queue's items in queue order."""
    store = store_of(request)
    project_id, _ = _require(store, project, queue)
    page = store.list_queue_items(
        project_id, queue, status=status, limit=limit, cursor=cursor or None
    )
    return json_response(page)


@router.post(
    _BASE + "/{queue}/next",
    operation_id="nextQueueItems",
    response_model=NextItems,
    responses=ERRORS,
)
def next_queue_items(
    request: Request, project: ProjectName, queue: QueueName, body: NextIn
) -> Response:
    """Hold and return the reviewer's next items (``count`` > 1 prefetches).

    An item comes back when the reviewer has neither reviewed nor skipped it, it has fewer
    than reviews_per_item reviews, and other reviewers' holds (which expire after
    hold_seconds) leave room for this one. No items: the queue is done for this reviewer.
    """
    store = store_of(request)
    project_id, found = _require(store, project, queue)
    _check_reviewer(found, body.reviewer)
    items = store.next_queue_items(
        project_id, queue, reviewer=body.reviewer, count=body.count, after=body.after
    )
    return json_response(items)


def _review_write(found: Queue, configs: dict[str, ScoreConfig], body: ReviewIn) -> ReviewWrite:
    details, rows, answers = [], [], {}
    for name, answer in body.scores.items():
        config = configs.get(name) if name in found.score_configs else None
        if config is None:
            details.append(
                {
                    "field": f"body.scores.{name}",
                    "reason": f"is not a score config of queue {found.name!r} "
                    f"(it has {found.score_configs!r})",
                }
            )
            continue
        try:
            rows.append(review_score(config, answer))
            answers[name] = answer_of(config, answer)
        except ConfigMismatch as exc:
            details.append({"field": f"body.{exc.field}", "reason": exc.reason})
    if details:
        raise ApiError(
            422,
            f"The review was not stored: {details[0]['field']} {details[0]['reason']}.",
            details=details,
        )
    return ReviewWrite(
        reviewer=body.reviewer,
        answers=answers,
        rows=rows,
        comment=body.comment,
        corrected_output=body.corrected_output,
    )


@router.post(
    _ITEM + "/reviews",
    operation_id="submitReview",
    status_code=201,
    response_model=Review,
    responses=ERRORS,
)
def submit_review(
    request: Request, project: ProjectName, queue: QueueName, item_id: ItemId, body: ReviewIn
) -> Response:
    """Review an item: each score becomes a human score on the item's trace or span, with the
    reviewer as author and the comment as rationale. Reviewing the same item again replaces the
    reviewer's previous review. Releases the reviewer's hold."""
    reject_nul_text(body.model_dump())
    store = store_of(request)
    project_id, found = _require(store, project, queue)
    _check_reviewer(found, body.reviewer)
    write = _review_write(found, _configs(store, project_id, found.score_configs), body)
    review = store.submit_review(project_id, queue, item_id, write)
    return json_response(review, 201)


@router.post(
    _ITEM + "/skip",
    operation_id="skipQueueItem",
    status_code=204,
    response_class=Response,
    responses=ERRORS,
)
def skip_queue_item(
    request: Request, project: ProjectName, queue: QueueName, item_id: ItemId, body: SkipIn
) -> Response:
    """Skip an item: the hold is released and this reviewer is not offered it again."""
    store = store_of(request)
    project_id, found = _require(store, project, queue)
    _check_reviewer(found, body.reviewer)
    store.skip_queue_item(project_id, queue, item_id, body.reviewer)
    return Response(status_code=204)


@router.get(
    _BASE + "/{queue}/reviews",
    operation_id="listQueueReviews",
    response_model=list[Review],
    responses=ERRORS,
)
def list_queue_reviews(
    request: Request,
    project: ProjectName,
    queue: QueueName,
    item_id: str | None = None,
    reviewer: str | None = None,
) -> Response:
    """The queue's current reviews (replaced ones left out), oldest first."""
    store = store_of(request)
    project_id, _ = _require(store, project, queue)
    return json_list(
        store.list_queue_reviews(project_id, queue, item_id=item_id or None, reviewer=reviewer)
    )


@router.get(
    _BASE + "/{queue}/agreement",
    operation_id="getQueueAgreement",
    response_model=list[ConfigAgreement],
    responses=ERRORS,
)
def get_queue_agreement(
    request: Request,
    project: ProjectName,
    queue: QueueName,
    limit: Annotated[
        int, Query(ge=0, le=10_000, description="Most disagreements per config.")
    ] = 100,
) -> Response:
    """Agreement between reviewers per score config (Krippendorff's alpha with a bootstrap
    95 % interval over items: nominal for categorical and boolean, interval for numeric;
    text configs are left out), and the items where reviewers disagree."""
    store = store_of(request)
    project_id, found = _require(store, project, queue)
    configs = _configs(store, project_id, found.score_configs)
    ordered = [configs[name] for name in found.score_configs if name in configs]
    reviews = store.list_queue_reviews(project_id, queue)
    return json_list(queue_agreement(ordered, reviews, n_boot=1000, seed=0, limit=limit))
