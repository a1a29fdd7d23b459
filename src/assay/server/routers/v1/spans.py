"""``POST /api/v1/spans``: the native ingest API the SDK uses."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from assay.schema import IngestResult
from assay.server.auth import ProjectCheck, ingest_guard
from assay.server.body import media_type, read_body
from assay.server.deps import ServerSettings, settings_of, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.limits import check_native
from assay.server.online import OnlineRules, online_of
from assay.server.pressure import INGEST
from assay.store.base import Store

router = APIRouter(tags=["ingest"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in [
        (400, "The body cannot be read (malformed JSON or compressed data)."),
        (413, "The body or the batch is too large."),
        (415, "Unsupported Content-Type or Content-Encoding."),
        (422, "The batch is invalid, or every span in it was rejected (details per item)."),
    ]
}

_BATCH_REF = "#/components/schemas/SpanIngestBatch"
_BODY = {
    "requestBody": {
        "required": True,
        "description": "A SpanIngestBatch, optionally with Content-Encoding: gzip.",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/SpanIngestBatch"}}
        },
    }
}


@router.post(
    "/api/v1/spans",
    operation_id="ingestSpans",
    summary="Ingest a batch of spans",
    response_model=IngestResult,
    responses=_ERRORS,
    openapi_extra=_BODY,
)
async def ingest_spans(request: Request) -> Response:
    """Store the valid spans of a batch; a 2xx answer means they are committed.

    Each item is validated on its own: invalid items are listed in ``rejected`` with their index,
    field and reason, while the valid ones are stored. When every item is invalid the answer is
    a 422 with the same details. Resending a batch creates no duplicates.
    """
    kind = media_type(request)
    if kind and kind != "application/json" and not kind.endswith("+json"):
        raise ApiError(415, f"Content-Type {kind!r} is not supported; send application/json.")
    store = store_of(request)
    settings = settings_of(request)
    online = online_of(request)
    allow = ingest_guard(request)
    with INGEST:  # online scoring in this process waits while spans arrive
        body = await read_body(request, limit=settings.max_body_bytes)
        result = await run_in_threadpool(ingest_native, store, body, settings, online, allow)
    return Response(result.model_dump_json(), media_type="application/json")


def ingest_native(
    store: Store,
    body: bytes,
    settings: ServerSettings,
    online: OnlineRules | None = None,
    allow: ProjectCheck | None = None,
) -> IngestResult:
    """Parse, validate and store one native batch (with the scoring jobs of ``online``'s
    rules); ``allow`` refuses a project the caller may not write to."""
    project, items = _parse_batch(body)
    if allow is not None:
        allow(store, project)
    if len(items) > settings.max_batch_spans:
        raise ApiError(
            413,
            f"The batch has {len(items)} spans; the limit is {settings.max_batch_spans} per "
            "request (setting ASSAY_MAX_BATCH_SPANS). Split it into smaller batches.",
        )
    checked = check_native(items, limit=settings.max_string_length, body_size=len(body))
    if checked.rejected and not checked.spans:
        first = checked.rejected[0]
        raise ApiError(
            422,
            f"All {len(items)} spans were rejected; the first (index {first['index']}) because "
            f"{first['field'] or 'the item'} {first['reason']}. See details for each item.",
            details=checked.rejected,
        )
    if checked.spans:
        project_id = store.ensure_project(project)
        followup = None if online is None else online.followup(store, project_id)
        store.add_spans(project_id, checked.spans, followup=followup)
    return IngestResult.model_validate(
        {"accepted": len(checked.spans), "rejected": checked.rejected}
    )


def _parse_batch(body: bytes) -> tuple[str, list[Any]]:
    if not body.strip():
        raise ApiError(400, 'The body is empty; send {"project": "...", "spans": [...]} as JSON.')
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, f"The body is not valid JSON: {exc}.") from None
    if not isinstance(doc, dict):
        raise ApiError(
            422,
            f'The body is a JSON {type(doc).__name__}; send an object {{"project": "...", '
            '"spans": [...]}.',
            details=[{"field": "body", "reason": "must be a JSON object"}],
        )
    project = doc.get("project")
    if (
        not isinstance(project, str)
        or not project.strip()
        or len(project) > 200
        or "\x00" in project
    ):
        raise ApiError(
            422,
            f"'project' must be a project name (1 to 200 characters), got {project!r:.80}.",
            details=[{"field": "project", "reason": "must be a non-empty string of ≤ 200 chars"}],
        )
    spans = doc.get("spans")
    if not isinstance(spans, list):
        raise ApiError(
            422,
            f"'spans' must be a list of span objects, got {spans!r:.80}.",
            details=[{"field": "spans", "reason": "must be a list"}],
        )
    return project.strip(), spans
