"""What routes take from the application: the store and the server settings."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from assay.server.errors import ApiError
from assay.store.base import Store


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Limits the server applies to requests (see ``assay.config``)."""

    max_body_bytes: int
    max_batch_spans: int
    max_string_length: int = 1_000_000
    auth: bool = False  # authentication on (setting ``auth``); see assay.server.auth


def store_of(request: Request) -> Store:
    """The application's store (set by the lifespan or passed to ``create_app``)."""
    store: Store | None = getattr(request.app.state, "store", None)
    if store is None:
        raise ApiError(503, "The server is starting or stopping; the store is not open. Retry.")
    return store


def settings_of(request: Request) -> ServerSettings:
    """The application's limits."""
    settings: ServerSettings = request.app.state.settings
    return settings


def project_id_of(store: Store, name: str) -> str:
    """The id of project ``name``, or a 404 naming it."""
    project_id = store.find_project(name)
    if project_id is None:
        raise ApiError(
            404,
            f"Project {name!r} does not exist; GET /api/v1/projects lists the projects. "
            "A project is created when its first span arrives.",
        )
    return project_id


def reject_nul(request: Request) -> None:
    """Refuse path and query values containing NUL, which no database can compare."""
    items = [*request.path_params.items(), *request.query_params.multi_items()]
    for name, value in items:
        if isinstance(value, str) and "\x00" in value:
            raise ApiError(
                400,
                f"Parameter {name!r} contains a NUL character (%00); remove it.",
                details=[{"field": f"query.{name}", "reason": "contains a NUL character"}],
            )
