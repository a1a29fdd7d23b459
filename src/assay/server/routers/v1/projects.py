"""Reading traces back: projects, trace list, one trace, spans and time series."""

from __future__ import annotations

import time
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from assay.schema import Project, SeriesPoint, Span, SpanPage, Trace, TracePage
from assay.server.auth import visible_projects
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.params import bucket_param, id_param, metadata_params, time_param
from assay.store.base import SeriesQuery, SpanQuery, TraceQuery, TraceSort

router = APIRouter(tags=["query"], dependencies=[Depends(reject_nul)])

_NOT_FOUND: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorResponse, "description": "A parameter cannot be used."},
    404: {"model": ErrorResponse, "description": "The project (or trace, span) does not exist."},
}
_MAX_BUCKETS = 10_000

ProjectName = Annotated[str, Path(description="Project name.")]
TimeParam = Annotated[str | None, Query(description="RFC 3339 time or Unix seconds.")]
Status = Literal["ok", "error"]


def _json(model: BaseModel) -> Response:
    return Response(model.model_dump_json(), media_type="application/json")


@router.get("/api/v1/projects", operation_id="listProjects", response_model=list[Project])
def list_projects(request: Request) -> Response:
    """Every project with its volume, newest activity first (with authentication on, the
    projects the caller is a member of)."""
    store = store_of(request)
    visible = visible_projects(request, store)
    projects = [p for p in store.list_projects() if visible is None or p.id in visible]
    body = b"[" + b",".join(p.model_dump_json().encode() for p in projects) + b"]"
    return Response(body, media_type="application/json")


@router.get(
    "/api/v1/projects/{project}/traces",
    operation_id="listTraces",
    response_model=TracePage,
    responses=_NOT_FOUND,
)
def list_traces(
    request: Request,
    project: ProjectName,
    start_from: TimeParam = None,
    start_to: TimeParam = None,
    name: str | None = None,
    kind: str | None = None,
    status: Status | None = None,
    tag: Annotated[list[str] | None, Query(description="Repeatable; all must match.")] = None,
    metadata: Annotated[list[str] | None, Query(description="Repeatable key=value.")] = None,
    model: str | None = None,
    min_duration_ms: Annotated[float | None, Query(ge=0)] = None,
    max_duration_ms: Annotated[float | None, Query(ge=0)] = None,
    min_cost: Annotated[float | None, Query(ge=0)] = None,
    max_cost: Annotated[float | None, Query(ge=0)] = None,
    q: Annotated[str | None, Query(description="Text searched in input and output.")] = None,
    session_id: str | None = None,
    user_id: str | None = None,
    experiment_id: Annotated[
        str | None,
        Query(description="Traces of this experiment; left out, the production log."),
    ] = None,
    score_name: Annotated[
        str | None, Query(description="With score_below/score_above: the score compared.")
    ] = None,
    score_below: Annotated[
        float | None, Query(description="Mean current score_name score below this.")
    ] = None,
    score_above: Annotated[
        float | None, Query(description="Mean current score_name score above this.")
    ] = None,
    sort: TraceSort = "-start_time",
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    cursor: str | None = None,
) -> Response:
    """A page of traces (root span plus totals), filtered and sorted."""
    if (score_below is not None or score_above is not None) and not score_name:
        raise ApiError(
            400,
            "score_below and score_above compare a score: name it with score_name "
            "(e.g. score_name=helpfulness&score_below=0.5)",
        )
    store = store_of(request)
    project_id = project_id_of(store, project)
    query = TraceQuery(
        start_from=time_param(start_from, "start_from"),
        start_to=time_param(start_to, "start_to"),
        name=name,
        kind=kind,
        status=status,
        tags=tuple(tag or ()),
        metadata=metadata_params(metadata),
        model=model,
        min_duration_ms=min_duration_ms,
        max_duration_ms=max_duration_ms,
        min_cost=min_cost,
        max_cost=max_cost,
        text=q or None,
        session_id=session_id,
        user_id=user_id,
        experiment_id=experiment_id,
        score_name=score_name or None,
        score_below=score_below,
        score_above=score_above,
        sort=sort,
        limit=limit,
        cursor=cursor or None,
    )
    return _json(store.list_traces(project_id, query))


@router.get(
    "/api/v1/projects/{project}/traces/{trace_id}",
    operation_id="getTrace",
    response_model=Trace,
    responses=_NOT_FOUND,
)
def get_trace(
    request: Request,
    project: ProjectName,
    trace_id: str,
    bodies: Annotated[
        bool, Query(description="false leaves input/output/metadata and their previews out.")
    ] = True,
) -> Response:
    """One whole trace as a tree."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    trace_hex = id_param(trace_id, "trace_id", 32)
    body = store.trace_json(project_id, trace_hex, bodies=bodies)
    if body is None:
        raise ApiError(404, f"Trace {trace_hex!r} is not in project {project!r}.")
    return Response(body, media_type="application/json")


@router.get(
    "/api/v1/projects/{project}/traces/{trace_id}/spans/{span_id}",
    operation_id="getSpan",
    response_model=Span,
    responses=_NOT_FOUND,
)
def get_span(request: Request, project: ProjectName, trace_id: str, span_id: str) -> Response:
    """One span with its input, output and metadata."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    trace_hex = id_param(trace_id, "trace_id", 32)
    span_hex = id_param(span_id, "span_id", 16)
    span = store.get_span(project_id, trace_hex, span_hex)
    if span is None:
        raise ApiError(404, f"Span {span_hex!r} of trace {trace_hex!r} is not in {project!r}.")
    return _json(span)


@router.get(
    "/api/v1/projects/{project}/spans",
    operation_id="listSpans",
    response_model=SpanPage,
    responses=_NOT_FOUND,
)
def list_spans(
    request: Request,
    project: ProjectName,
    start_from: TimeParam = None,
    start_to: TimeParam = None,
    trace_id: str | None = None,
    name: str | None = None,
    kind: str | None = None,
    status: Status | None = None,
    tag: Annotated[list[str] | None, Query(description="Repeatable; all must match.")] = None,
    metadata: Annotated[list[str] | None, Query(description="Repeatable key=value.")] = None,
    model: str | None = None,
    min_duration_ms: Annotated[float | None, Query(ge=0)] = None,
    max_duration_ms: Annotated[float | None, Query(ge=0)] = None,
    q: Annotated[str | None, Query(description="Text searched in input and output.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    cursor: str | None = None,
) -> Response:
    """A page of spans, newest first."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    query = SpanQuery(
        start_from=time_param(start_from, "start_from"),
        start_to=time_param(start_to, "start_to"),
        trace_id=id_param(trace_id, "trace_id", 32) if trace_id else None,
        name=name,
        kind=kind,
        status=status,
        tags=tuple(tag or ()),
        metadata=metadata_params(metadata),
        model=model,
        min_duration_ms=min_duration_ms,
        max_duration_ms=max_duration_ms,
        text=q or None,
        limit=limit,
        cursor=cursor or None,
    )
    return _json(store.list_spans(project_id, query))


@router.get(
    "/api/v1/projects/{project}/series",
    operation_id="getSeries",
    response_model=list[SeriesPoint],
    responses=_NOT_FOUND,
)
def get_series(
    request: Request,
    project: ProjectName,
    start: Annotated[
        str | None, Query(description="RFC 3339 or Unix seconds; default end-24h.")
    ] = None,
    end: Annotated[str | None, Query(description="RFC 3339 or Unix seconds; default now.")] = None,
    bucket: Annotated[str, Query(description="1m, 5m, 1h, 1d or seconds.")] = "1h",
    name: Annotated[str | None, Query(description="Only traces whose root has this name.")] = None,
) -> Response:
    """Trace counts, error rate, latency percentiles, tokens, cost and score means per bucket.

    Traces count in the bucket they started in; scores in the bucket they were given in.
    """
    store = store_of(request)
    project_id = project_id_of(store, project)
    bucket_seconds = bucket_param(bucket)
    end_us = time_param(end, "end") or int(time.time() * 1_000_000)
    start_us = time_param(start, "start")
    if start_us is None:
        start_us = end_us - 86_400 * 1_000_000
    if start_us >= end_us:
        raise ApiError(400, f"Query parameter 'start' ({start}) must be before 'end' ({end}).")
    buckets = (end_us - start_us) // (bucket_seconds * 1_000_000)
    if buckets > _MAX_BUCKETS:
        raise ApiError(
            400,
            f"{buckets} buckets of {bucket} between start and end; the most is {_MAX_BUCKETS}. "
            "Use a larger bucket or a shorter range.",
        )
    query = SeriesQuery(start=start_us, end=end_us, bucket_seconds=bucket_seconds, name=name)
    points = store.series(project_id, query)
    body = b"[" + b",".join(p.model_dump_json().encode() for p in points) + b"]"
    return Response(body, media_type="application/json")
