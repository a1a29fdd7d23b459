"""One JSON error shape for every 4xx and 5xx answer of the server.

```
{"error": {"code": "invalid_request", "message": "...", "details": [{"index": 3,
 "field": "spans.3.trace_id", "reason": "..."}], "request_id": "..."}}
```

Routes raise :class:`ApiError`; the handlers installed by :func:`install_error_handlers` turn it,
FastAPI's own validation errors and Starlette's 404/405 into that shape. Anything else that
escapes a route is answered by :class:`RequestIdMiddleware` with a generic 500 and logged.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assay.errors import ConflictError, NotFoundError, StoreError, UsageError

log = logging.getLogger("assay.server")

REQUEST_ID_HEADER = "x-request-id"
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class ErrorDetail(BaseModel):
    """One precise problem: which item (index), which field, and why."""

    index: int | None = Field(default=None, description="Position of the item in the request.")
    field: str | None = Field(default=None, description="Dotted path of the offending field.")
    reason: str


class ErrorInfoBody(BaseModel):
    """The inside of an error answer."""

    code: str = Field(description="Stable machine-readable code, e.g. invalid_request.")
    message: str = Field(description="What happened and what to do, for people.")
    details: list[ErrorDetail] = Field(default_factory=list)
    request_id: str = Field(description="Also sent as the X-Request-Id header; quote it in bugs.")


class ErrorResponse(BaseModel):
    """Body of every 4xx and 5xx answer."""

    error: ErrorInfoBody


class ApiError(Exception):
    """An error answer a route wants to send.

    Args:
        status: HTTP status code.
        message: What happened, the offending value, and what to do.
        code: Machine-readable code; derived from the status when omitted.
        details: Per-item or per-field problems.
        headers: Extra response headers (``Retry-After``, ``WWW-Authenticate``).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or _CODES.get(status, "error")
        self.details = details or []
        self.headers = headers


def request_id_of(scope: Scope) -> str:
    """The id given to this request by :class:`RequestIdMiddleware` (or a new one)."""
    state = scope.setdefault("state", {})
    rid = state.get("request_id")
    if not rid:
        rid = uuid.uuid4().hex
        state["request_id"] = rid
    return str(rid)


def error_body(
    status: int,
    message: str,
    request_id: str,
    *,
    code: str | None = None,
    details: list[dict[str, Any]] | None = None,
) -> bytes:
    """Serialize the error shape."""
    return orjson.dumps(
        {
            "error": {
                "code": code or _CODES.get(status, "error"),
                "message": message,
                "details": details or [],
                "request_id": request_id,
            }
        }
    )


def error_response(
    request: Request,
    status: int,
    message: str,
    *,
    code: str | None = None,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A JSON error answer for ``request``."""
    rid = request_id_of(request.scope)
    body = error_body(status, message, rid, code=code, details=details)
    all_headers = {REQUEST_ID_HEADER: rid, **(headers or {})}
    return Response(body, status_code=status, media_type="application/json", headers=all_headers)


def _loc_to_field(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(
        request, exc.status, exc.message, code=exc.code, details=exc.details, headers=exc.headers
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = []
    for err in exc.errors():
        field = _loc_to_field(err.get("loc", ()))
        reason = str(err.get("msg", "invalid value"))
        if "input" in err and err.get("type") != "missing":
            secret = any(_SECRET_NAME.search(str(part)) for part in err.get("loc", ()))
            shown = "[hidden]" if secret else _short_repr(_hide_secrets(err["input"]))
            reason += f" (got {shown})"
        details.append({"index": None, "field": field, "reason": reason})
    fields = ", ".join(str(d["field"]) for d in details) or "the request"
    message = f"The request has invalid parameters: {fields}. See details and /openapi.json."
    return error_response(request, 422, message, details=details)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status == 404:
        message = f"No route {request.url.path!r}; the API lives under /api/v1 (see /openapi.json)."
    elif status == 405:
        message = f"{request.method} is not allowed on {request.url.path!r}; see /openapi.json."
    else:
        message = str(exc.detail)
    headers = dict(exc.headers) if exc.headers else None
    return error_response(request, status, message, headers=headers)


async def _not_found(request: Request, exc: Exception) -> Response:
    return error_response(request, 404, str(exc) or "Not found.")


async def _usage_error(request: Request, exc: Exception) -> Response:
    return error_response(request, 400, str(exc))


async def _conflict_error(request: Request, exc: Exception) -> Response:
    return error_response(request, 409, str(exc))


async def _store_error(request: Request, exc: Exception) -> Response:
    log.error("store error on %s %s", request.method, request.url.path, exc_info=exc)
    message = "The database failed; try again later. The server log has the details."
    return error_response(request, 503, message, code="store_unavailable")


_SECRET_NAME = re.compile(r"key|secret|password|token", re.IGNORECASE)
"""A field named like this (``apiKey``, ``api_key``, ``password``) never has its value echoed."""


def _hide_secrets(value: Any) -> Any:
    """``value`` with the values of secret-named fields inside objects replaced by ``[hidden]``."""
    if isinstance(value, dict):
        return {
            k: "[hidden]" if _SECRET_NAME.search(str(k)) else _hide_secrets(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_hide_secrets(v) for v in value]
    return value


def _short_repr(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def install_error_handlers(app: FastAPI) -> None:
    """Route every known error kind to the one error shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(UsageError, _usage_error)
    app.add_exception_handler(ConflictError, _conflict_error)
    app.add_exception_handler(StoreError, _store_error)


class RequestIdMiddleware:
    """Give every request an id, echo it as ``X-Request-Id``, and turn crashes into a 500.

    A client-sent ``X-Request-Id`` made of safe characters is kept; otherwise a new one is made.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [h for h in message.get("headers", []) if h[0] != b"x-request-id"]
                headers.append((b"x-request-id", rid.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unexpected error on %s %s [%s]", scope.get("method"), scope["path"], rid)
            if started:
                raise
            body = error_body(500, f"Internal server error; quote request id {rid}.", rid)
            await send_with_id(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})


def _incoming_id(scope: Scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"x-request-id":
            text = value.decode("latin-1")
            return text if _CLIENT_ID.match(text) else None
    return None
