"""The web UI: the built single-page app in ``server/static`` (made by ``make web``).

``/assets/*`` are the hashed bundles (cached for a year); every other GET that is not part of
the API answers ``index.html``, so the UI's own URLs (``/projects/x/traces?status=error``) can
be opened, bookmarked and reloaded. Without a built UI (an install from a bare source tree) the
same URLs answer a short page saying how to build it; the API works either way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from assay.server.errors import ApiError

STATIC = Path(__file__).parent / "static"
#: Paths the UI never owns: unknown ones there stay JSON 404s of the API.
_NOT_UI = ("api/", "v1/", "openapi.json", "assets/")

_NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>assay</title></head>
<body style="font: 15px/1.5 system-ui, sans-serif; margin: 3rem auto; max-width: 40rem">
<h1>assay</h1>
<p>The web UI is not built in this installation. In a checkout of assay, <code>make web</code>
builds it (Node.js 20 and npm), or <code>make demo</code> builds it and starts a server with
example data.</p>
<p>The HTTP API works without it: <a href="/openapi.json">/openapi.json</a> describes it.</p>
</body></html>
"""


def install_ui(app: FastAPI, static: Path = STATIC) -> None:
    """Serve the built UI from ``static`` (or the how-to-build page) on ``app``."""
    index = static / "index.html"
    if (static / "assets").is_dir():
        app.mount("/assets", _CachedStatic(directory=static / "assets"), name="assets")
    router = APIRouter(include_in_schema=False)

    @router.get("/{path:path}", response_model=None)
    def page(path: str) -> FileResponse | HTMLResponse:
        if path.startswith(_NOT_UI):
            raise ApiError(404, f"No route GET /{path}; see /openapi.json for the API")
        if not index.is_file():
            return HTMLResponse(_NOT_BUILT)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    app.include_router(router)


class _CachedStatic(StaticFiles):
    """Hashed bundle files never change under their name: let browsers keep them."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response
