"""The built UI is served from the package: index.html for the UI's URLs, cached bundles."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from assay.server.errors import install_error_handlers
from assay.server.ui import install_ui


def app_with(static: Path) -> TestClient:
    app = FastAPI(docs_url=None, redoc_url=None)
    install_error_handlers(app)

    @app.get("/api/v1/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    install_ui(app, static)
    return TestClient(app)


def test_a_built_ui_answers_its_urls_and_leaves_the_api_alone(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<div id=root></div>")
    (tmp_path / "assets" / "index-abc.js").write_text("console.log(1)")
    client = app_with(tmp_path)
    for path in ("/", "/projects/bot/traces/abc?span=1", "/docs"):
        page = client.get(path)
        assert page.text == "<div id=root></div>" and page.headers["cache-control"] == "no-cache"
    bundle = client.get("/assets/index-abc.js")
    assert bundle.text == "console.log(1)" and "immutable" in bundle.headers["cache-control"]
    assert client.get("/api/v1/health").json() == {"status": "ok"}
    for path in ("/api/v1/nope", "/v1/nope", "/assets/missing.js"):
        missing = client.get(path)
        assert missing.status_code == 404, path
        assert missing.headers["content-type"].startswith("application/json"), path


def test_without_a_build_the_page_says_how_to_build_it(tmp_path: Path) -> None:
    page = app_with(tmp_path).get("/projects/bot/traces")
    assert page.status_code == 200 and "make web" in page.text and "/openapi.json" in page.text
