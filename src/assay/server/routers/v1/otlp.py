"""``POST /v1/traces``: OpenTelemetry OTLP/HTTP trace export, protobuf or JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from assay.server import otlp, otlp_json
from assay.server.auth import ProjectCheck, ingest_guard
from assay.server.body import media_type, read_body
from assay.server.deps import ServerSettings, settings_of, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.limits import drop_long_spans
from assay.server.online import OnlineRules, online_of
from assay.server.pressure import INGEST
from assay.store.base import Store

router = APIRouter(tags=["ingest"])

PROTOBUF_TYPES = ("application/x-protobuf", "application/protobuf")
_RESPONSE_DOC = (
    "ExportTraceServiceResponse in the request's encoding; `partial_success` counts the spans "
    "that were not stored and names each with the reason."
)
_ERRORS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": _RESPONSE_DOC,
        "content": {
            "application/x-protobuf": {"schema": {"type": "string", "format": "binary"}},
            "application/json": {"schema": {"type": "object"}},
        },
    },
    400: {"model": ErrorResponse, "description": "Unreadable body or no project named."},
    413: {"model": ErrorResponse, "description": "The body or the batch is too large."},
    415: {"model": ErrorResponse, "description": "Unsupported Content-Type or Content-Encoding."},
}
_BODY = {
    "requestBody": {
        "required": True,
        "description": "An OTLP ExportTraceServiceRequest (protobuf or OTLP JSON), gzip allowed.",
        "content": {
            "application/x-protobuf": {"schema": {"type": "string", "format": "binary"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}


@router.post(
    "/v1/traces",
    operation_id="exportTraces",
    summary="OTLP/HTTP trace export",
    response_class=Response,
    responses=_ERRORS,
    openapi_extra=_BODY,
)
async def export_traces(request: Request) -> Response:
    """Receive spans from any OpenTelemetry exporter.

    The project comes from the ``X-Assay-Project`` header, else from the resource attribute
    ``assay.project`` or ``openinference.project.name``. OpenInference and OpenTelemetry GenAI
    attributes are mapped onto span fields; all others are kept in metadata.
    """
    kind = media_type(request)
    if kind in PROTOBUF_TYPES:
        as_json = False
    elif kind == "application/json":
        as_json = True
    else:
        raise ApiError(
            415,
            f"Content-Type {kind or '(none)'!r} is not supported on /v1/traces; send "
            "application/x-protobuf or application/json (OTLP/HTTP).",
        )
    header = (request.headers.get(otlp.PROJECT_HEADER) or "").strip() or None
    if header is not None and (len(header) > 200 or "\x00" in header):
        raise ApiError(
            400, f"X-Assay-Project {header[:60]!r} is not a project name (1 to 200 characters)."
        )
    store = store_of(request)
    settings = settings_of(request)
    online = online_of(request)
    allow = ingest_guard(request)
    with INGEST:  # online scoring in this process waits while spans arrive
        body = await read_body(request, limit=settings.max_body_bytes)
        content = await run_in_threadpool(
            export, store, body, settings, as_json, header, online, allow
        )
    media = "application/json" if as_json else "application/x-protobuf"
    return Response(content, media_type=media)


def export(
    store: Store,
    body: bytes,
    settings: ServerSettings,
    as_json: bool,
    header: str | None,
    online: OnlineRules | None = None,
    allow: ProjectCheck | None = None,
) -> bytes:
    """Decode, map and store one export request (with the scoring jobs of ``online``'s
    rules); return the encoded response. ``allow`` refuses a project the caller may not
    write to (nothing of the request is stored then)."""
    limit = settings.max_string_length
    if as_json:
        doc = otlp_json.decode_json(body)
        _check_count(otlp_json.count_json(doc), settings)
        out = otlp_json.convert_json(doc, header)
    else:
        request = otlp.decode_protobuf(body)
        _check_count(otlp.count_protobuf(request), settings)
        long_limit = limit if len(body) > limit else None
        out = otlp.convert_protobuf(request, header, long_limit=long_limit)
    drop_long_spans(out, limit=limit, body_size=len(body))
    if out.missing_project and not out.by_project:
        raise ApiError(
            400, f"No project given for {out.missing_project} spans. {otlp.PROJECT_HELP}"
        )
    if allow is not None:
        for project in out.by_project:
            allow(store, project)
    for project, spans in out.by_project.items():
        project_id = store.ensure_project(project)
        followup = None if online is None else online.followup(store, project_id)
        store.add_spans(project_id, spans, followup=followup)
    message = otlp.rejection_message(out) if out.rejected else ""
    if as_json:
        return otlp.encode_json_response(len(out.rejected), message)
    return otlp.encode_protobuf_response(len(out.rejected), message)


def _check_count(count: int, settings: ServerSettings) -> None:
    if count > settings.max_batch_spans:
        raise ApiError(
            413,
            f"The request has {count} spans; the limit is {settings.max_batch_spans} per request "
            "(setting ASSAY_MAX_BATCH_SPANS). Lower the exporter's max export batch size.",
        )
