"""``/api/v1/projects/{project}/providers``: model provider keys (issue 7).

Keys are encrypted at rest with the server's secret key and never sent back: answers carry a
masked hint only. The server uses them for playground runs and judges of the project.
"""

from __future__ import annotations

import re
import time
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from assay import llm
from assay.errors import ConfigError, ProviderError, UsageError
from assay.schema import ProviderKey, ProviderKeyIn
from assay.schema.prompt import NAME_PATTERN
from assay.server import models, secrets
from assay.server.auth import address_of, principal_of
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.routers.v1._items import check_text, json_list, json_response

router = APIRouter(tags=["providers"], dependencies=[Depends(reject_nul)])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A parameter cannot be used."},
    404: {"model": ErrorResponse, "description": "The project or the provider does not exist."},
    422: {"model": ErrorResponse, "description": "The body is invalid (details per field)."},
}
ProjectName = Annotated[str, Path(description="Project name.")]
ProviderName = Annotated[
    str, Path(description="openai, anthropic, or a name used as a model prefix.")
]
_BASE = "/api/v1/projects/{project}/providers"


class ProviderTestIn(BaseModel):
    """Body of ``POST …/providers/{name}/test``: a model to send one short message to."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(min_length=1, max_length=200)


class ProviderTestResult(BaseModel):
    """Whether the provider answered, and how fast."""

    ok: bool
    model: str
    latency_ms: float
    error: str | None = None


def _not_found(project: str, name: str) -> ApiError:
    return ApiError(
        404,
        f"Provider {name!r} does not exist in project {project!r}; "
        f"GET {_BASE.format(project=project)} lists them, PUT …/providers/{name} adds it.",
    )


def _check_name(name: str) -> None:
    if not re.fullmatch(NAME_PATTERN, name):
        raise ApiError(
            400,
            f"Provider name {name!r:.80} cannot be used; use letters, digits, '_', '.' and '-' "
            "(up to 200, starting with a letter or digit): openai, anthropic, or a model "
            "prefix such as groq.",
            details=[{"field": "path.name", "reason": f"must match {NAME_PATTERN}"}],
        )


def _is_http_url(url: str) -> bool:
    """An http(s) URL with a host, a port from 0 to 65535, no spaces or control characters."""
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range or not a number)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _check_body(body: ProviderKeyIn) -> None:
    url = body.base_url
    if url is not None and not _is_http_url(url):
        raise ApiError(
            422,
            f"base_url {url!r:.100} is not an http(s) URL; give one such as "
            "https://api.groq.com/openai/v1 or http://127.0.0.1:8000/v1, or leave it out "
            "for the official API.",
            details=[{"field": "body.base_url", "reason": "must be an http:// or https:// URL"}],
        )
    if body.api_key is not None and (not body.api_key.strip() or "\x00" in body.api_key):
        raise ApiError(
            422,
            "api_key is blank or holds a NUL character; paste the key again.",
            details=[{"field": "body.api_key", "reason": "must be a non-blank key"}],
        )


def _audit(request: Request, project_id: str, action: str, name: str, **details: Any) -> None:
    store_of(request).record_audit(
        project_id,
        actor=principal_of(request).actor,
        action=action,
        target=name,
        details={"name": name, **details},
        address=address_of(request),
    )


@router.get(
    _BASE, operation_id="listProviders", response_model=list[ProviderKey], responses=_ERRORS
)
def list_providers(request: Request, project: ProjectName) -> Response:
    """The project's providers, keys masked."""
    store = store_of(request)
    return json_list(store.list_provider_keys(project_id_of(store, project)))


@router.put(
    _BASE + "/{name}", operation_id="saveProvider", response_model=ProviderKey, responses=_ERRORS
)
def save_provider(
    request: Request, project: ProjectName, name: ProviderName, body: ProviderKeyIn
) -> Response:
    """Create or replace a provider; the key is encrypted before it is stored. Leave
    ``api_key`` out to keep the stored one."""
    check_text(project, "project", limit=200)
    _check_name(name)
    _check_body(body)
    store = store_of(request)
    project_id = store.ensure_project(project)
    key = body.api_key.strip() if body.api_key is not None else None
    saved = store.put_provider_key(
        project_id,
        name,
        kind=body.kind,
        base_url=body.base_url.rstrip("/") if body.base_url else None,
        key_cipher=None if key is None else secrets.encrypt(key),
        key_hint=None if key is None else secrets.mask(key),
        actor=principal_of(request).actor,
    )
    models.forget(project_id, name)
    _audit(
        request,
        project_id,
        "provider.save",
        name,
        kind=saved.kind,
        base_url=saved.base_url,
        key_changed=key is not None,
    )
    return json_response(saved)


@router.delete(_BASE + "/{name}", operation_id="deleteProvider", status_code=204, responses=_ERRORS)
def delete_provider(request: Request, project: ProjectName, name: ProviderName) -> Response:
    """Forget a provider and its key."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    if not store.delete_provider_key(project_id, name):
        raise _not_found(project, name)
    models.forget(project_id, name)
    _audit(request, project_id, "provider.delete", name)
    return Response(status_code=204)


def _test_model(name: str, model: str) -> str:
    """``model`` as a call through provider ``name`` (prefixed when it routes elsewhere)."""
    return model if models.route_name(model)[0] == name else f"{name}/{model}"


@router.post(
    _BASE + "/{name}/test",
    operation_id="testProvider",
    response_model=ProviderTestResult,
    responses=_ERRORS,
)
async def test_provider(
    request: Request, project: ProjectName, name: ProviderName, body: ProviderTestIn
) -> Response:
    """Send one short message through the provider with its stored key."""
    store = store_of(request)
    project_id = await run_in_threadpool(project_id_of, store, project)
    if await run_in_threadpool(store.get_provider_secret, project_id, name) is None:
        raise _not_found(project, name)
    models.forget(project_id, name)
    started = time.perf_counter()
    error: str | None = None
    try:
        target = await run_in_threadpool(
            models.target_for, store, project_id, _test_model(name, body.model)
        )
        await llm.achat(
            "Say OK", model=target.model, provider=target.provider, max_tokens=5, timeout=30
        )
    except (ProviderError, ConfigError, UsageError) as exc:
        error = models.explain(exc)
    latency = (time.perf_counter() - started) * 1000
    result = ProviderTestResult(ok=error is None, model=body.model, latency_ms=latency, error=error)
    return json_response(result)
