"""The built web UI in Debian's Chromium (driven by Playwright) against a real ``assay serve``.

Each test gets a fresh server on SQLite (the UI speaks only HTTP, so one backend is enough) and a
fresh browser page. Data is created through the SDK and the public API, as a user's program
would. Every test leaves a screenshot of its last page in ``test-output/screenshots/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.conftest import REPO, ServerProcess

CHROMIUM = os.environ.get("ASSAY_CHROMIUM", "/usr/bin/chromium")
STATIC = REPO / "src" / "assay" / "server" / "static" / "index.html"
SHOTS = REPO / "test-output" / "screenshots"
#: Flags that keep Chromium off the network it does not have (and quiet about it).
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser() -> Iterator[Any]:
    """Chromium for one test. Playwright's sync API keeps an event loop running in this thread
    while it is started, so it must not outlive the test (other tests call asyncio.run)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium; "
            ".ci/run and make test do it as root) or set ASSAY_CHROMIUM"
        )
    if not STATIC.exists():
        pytest.fail("the web UI is not built: run `make web` (make test does it first)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def model_server(tmp_path: Path, model_url: str, **env: str) -> ServerProcess:
    """A started ``assay serve`` whose model calls (judges, playground, its worker) go to the
    OpenAI-compatible server at ``model_url``; ``env`` adds settings."""
    settings = {
        "OPENAI_BASE_URL": model_url,
        "OPENAI_API_KEY": "x",
        "ASSAY_WORKER_POLL_INTERVAL": "0.1",
        **env,
    }
    proc = ServerProcess(
        database_url=f"sqlite:///{tmp_path / 'assay.db'}", workdir=tmp_path, env=settings
    )
    proc.start()
    return proc


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    proc = ServerProcess(database_url=f"sqlite:///{tmp_path / 'assay.db'}", workdir=tmp_path)
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture
def api(server: ServerProcess) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


@pytest.fixture
def page(browser: Any, server: ServerProcess, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(base_url=server.url, viewport={"width": 1440, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    try:
        tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    finally:
        context.close()
    assert errors == [], f"the page threw: {errors}"
