"""The app shell: the UI loads from ``assay serve``, lists projects and reaches each section."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

import assay
from tests.integration.conftest import ServerProcess


def test_the_ui_lists_projects_and_links_their_sections(server: ServerProcess, page: Any) -> None:
    client = assay.init(project="shop-bot", api_url=server.url, flush_interval=0.05)
    with assay.span("answer", kind="agent", input="hi") as span:
        span.log(output="hello")
    client.shutdown(timeout=10)
    page.goto("/")
    expect(page.get_by_role("link", name="shop-bot")).to_be_visible()
    page.get_by_role("link", name="shop-bot").click()
    expect(page).to_have_url(f"{server.url}/projects/shop-bot/traces")
    for section in ("Experiments", "Datasets", "Monitoring", "Traces"):
        page.get_by_role("link", name=section, exact=True).click()
        expect(page).to_have_url(f"{server.url}/projects/shop-bot/{section.lower()}")
