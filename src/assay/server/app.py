"""The FastAPI application: :func:`create_app` wires routes, errors, the store and its lifetime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi

from assay import config
from assay.schema import SpanIn, SpanIngestBatch
from assay.server.auth import Authorizer, authorize
from assay.server.deps import ServerSettings
from assay.server.errors import RequestIdMiddleware, install_error_handlers
from assay.server.limits import limit_strings
from assay.server.routers.v1 import (
    access,
    agents,
    alerts,
    audit,
    auth,
    datasets,
    experiments,
    health,
    jobs,
    judges,
    oidc,
    otlp,
    playground,
    projects,
    prompts,
    providers,
    queues,
    rules,
    score_configs,
    scores,
    spans,
    users,
)
from assay.server.ui import install_ui
from assay.store.base import Store

_PROMPT_ROUTERS = (prompts, providers, playground, agents)

API_VERSION = "1"
_AUTH_ROUTERS = (auth, oidc, users, access, audit)  # module level: create_app's ``auth`` is a flag
_DESCRIPTION = (
    "Tracing and evaluation for LLM agents. Ingest spans natively (`POST /api/v1/spans`) or "
    "with any OpenTelemetry exporter (`POST /v1/traces`), then query traces, spans and series. "
    'Every 4xx/5xx answer has the shape `{"error": {code, message, details, request_id}}`.'
)


def create_app(
    store: Store | None = None,
    *,
    database_url: str | None = None,
    max_body_bytes: int | None = None,
    max_batch_spans: int | None = None,
    max_string_length: int | None = None,
    auth: bool | None = None,
    rate_limit: int | None = None,
) -> FastAPI:
    """Build the assay HTTP application.

    Args:
        store: The store to serve. When None, the lifespan opens one from ``database_url`` (or
            the configured ``ASSAY_DATABASE_URL``), migrates it, and closes it on shutdown. A
            store passed in is used as is and left open.
        database_url: Overrides the configured database URL when ``store`` is None.
        max_body_bytes: Largest body after decompression (default ``ASSAY_MAX_BODY_BYTES``).
        max_batch_spans: Most spans per ingest request (default ``ASSAY_MAX_BATCH_SPANS``).
        max_string_length: Longest string in a JSON body (default ``ASSAY_MAX_STRING_LENGTH``).
        auth: Require a signed-in user or an API key (default ``ASSAY_AUTH``); see
            :mod:`assay.server.auth`.
        rate_limit: Requests per API key per minute (default ``ASSAY_RATE_LIMIT``; 0: none).

    Returns:
        The FastAPI app, ready for uvicorn or ``httpx.ASGITransport``.
    """
    settings = ServerSettings(
        max_body_bytes=int(config.get("max_body_bytes", max_body_bytes)),
        max_batch_spans=int(config.get("max_batch_spans", max_batch_spans)),
        max_string_length=int(config.get("max_string_length", max_string_length)),
        auth=bool(config.get("auth", auth)),
    )
    authorizer = Authorizer(
        enabled=settings.auth, rate_limit=int(config.get("rate_limit", rate_limit))
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        if owned:
            from assay.store.factory import open_store

            app.state.store = open_store(config.database_url(database_url))
            app.state.store.migrate()
        try:
            yield
        finally:
            if owned:
                app.state.store.close()
            app.state.store = None

    app = FastAPI(
        title="assay",
        version=API_VERSION,
        description=_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(authorize), Depends(limit_strings)],
    )
    app.state.store = store
    app.state.settings = settings
    app.state.authorizer = authorizer
    install_error_handlers(app)
    app.add_middleware(RequestIdMiddleware)
    routers = (spans, otlp, projects, datasets, experiments, scores, judges)
    for module in (*routers, score_configs, queues, rules, jobs, alerts, health, *_PROMPT_ROUTERS):
        app.include_router(module.router)
    for module in _AUTH_ROUTERS:
        app.include_router(module.router)
    install_ui(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (SpanIngestBatch, SpanIn):
        extra = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in extra.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components.setdefault(model.__name__, extra)
    app.openapi_schema = schema
    return schema
