"""``/api/v1/projects/{project}/providers``: model provider keys (issue 7).

Keys are encrypted at rest with the server's secret key and never sent back: answers carry a
masked hint only. The server uses them for playground runs and judges of the project.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from assay.schema import ProviderKey, ProviderKeyIn
from assay.server.deps import reject_nul
from assay.server.errors import ApiError, ErrorResponse

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


def _todo() -> ApiError:
    return ApiError(501, "Not built yet.")


@router.get(
    _BASE, operation_id="listProviders", response_model=list[ProviderKey], responses=_ERRORS
)
def list_providers(request: Request, project: ProjectName) -> Response:
    """The project's providers, keys masked."""
    raise _todo()


@router.put(
    _BASE + "/{name}", operation_id="saveProvider", response_model=ProviderKey, responses=_ERRORS
)
def save_provider(
    request: Request, project: ProjectName, name: ProviderName, body: ProviderKeyIn
) -> Response:
    """Create or replace a provider; the key is encrypted before it is stored. Leave
    ``api_key`` out to keep the stored one."""
    raise _todo()


@router.delete(_BASE + "/{name}", operation_id="deleteProvider", status_code=204, responses=_ERRORS)
def delete_provider(request: Request, project: ProjectName, name: ProviderName) -> Response:
    """Forget a provider and its key."""
    raise _todo()


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
    raise _todo()
