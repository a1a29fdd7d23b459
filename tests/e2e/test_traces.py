"""The traces page: filters through the UI and the URL, search, scores, live mode."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

import assay
from tests.integration.conftest import ServerProcess

PROJECT = "shop-bot"
TRACES = 30


def send_traces(server: ServerProcess, count: int = TRACES, *, start: int = 0) -> None:
    """`count` traces: every third from a gold customer, every fourth tagged beta, some errors."""
    client = assay.init(project=PROJECT, api_url=server.url, flush_interval=0.05)
    for i in range(start, start + count):
        tier = "gold" if i % 3 == 0 else "silver"
        question = "where is my umbrella" if i == 17 else f"question {i} from a {tier} customer"
        tags = ["beta"] if i % 4 == 0 else []
        with assay.span(
            f"answer-{i}", kind="agent", input=question, metadata={"customer_tier": tier}, tags=tags
        ) as root:
            with assay.span("llm call", kind="llm", model="gpt-4o-mini") as llm:
                llm.log(output="...", metrics={"prompt_tokens": 120, "completion_tokens": 30})
            if i % 7 == 3:
                root.record_exception(RuntimeError("the order service timed out"))
            else:
                root.log(output=f"answer {i}")
    client.shutdown(timeout=10)


@pytest.fixture
def shop(server: ServerProcess) -> ServerProcess:
    send_traces(server)
    return server


def rows(page: Any) -> Any:
    return page.get_by_test_id("trace-row")


def chips(page: Any) -> Any:
    return page.get_by_role("list", name="Active filters")


def test_filter_by_metadata_through_the_ui_survives_a_reload(
    shop: ServerProcess, page: Any
) -> None:
    page.goto(f"/projects/{PROJECT}/traces")
    expect(page.get_by_text(f"All {TRACES} matching traces shown")).to_be_visible()

    page.get_by_role("button", name="More filters").click()
    page.get_by_label("Metadata key").fill("customer_tier")
    page.get_by_label("Metadata value").fill("gold")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"metadata=customer_tier(%3D|=)gold"))
    expect(rows(page)).to_have_count(10)
    for row in rows(page).all():
        expect(row).to_contain_text("gold")
    expect(chips(page).get_by_text("customer_tier = gold")).to_be_visible()

    page.reload()
    expect(chips(page).get_by_text("customer_tier = gold")).to_be_visible()
    expect(rows(page)).to_have_count(10)
    expect(page.get_by_text("All 10 matching traces shown")).to_be_visible()

    page.get_by_role("button", name="Remove filter customer_tier = gold").click()
    expect(page.get_by_text(f"All {TRACES} matching traces shown")).to_be_visible()
    page.go_back()
    expect(rows(page)).to_have_count(10)


def test_status_search_scores_and_no_match(
    shop: ServerProcess, api: httpx.Client, page: Any
) -> None:
    traces = api.get(f"/api/v1/projects/{PROJECT}/traces", params={"q": "umbrella"}).json()
    umbrella = traces["items"][0]["trace_id"]
    scores = [
        {"trace_id": umbrella, "name": "helpful", "value": 1.0, "source": "human"},
        {"trace_id": umbrella, "name": "helpful", "value": 0.5, "source": "llm_judge"},
    ]
    assert api.post(f"/api/v1/projects/{PROJECT}/scores", json={"scores": scores}).is_success

    page.goto(f"/projects/{PROJECT}/traces")
    page.get_by_text("Errors", exact=True).click()
    expect(page).to_have_url(re.compile(r"status=error"))
    errors = sum(1 for i in range(TRACES) if i % 7 == 3)
    expect(rows(page)).to_have_count(errors)
    for row in rows(page).all():
        expect(row).to_contain_text("error")
    page.get_by_role("button", name="Remove filter Status: error").click()

    page.get_by_label("Search inputs and outputs").fill("umbrella")
    expect(page).to_have_url(re.compile(r"q=umbrella"))
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("answer-17")
    expect(rows(page).first).to_contain_text("helpful: 0.75")

    page.get_by_label("Search inputs and outputs").fill("no such words anywhere")
    expect(page.get_by_text("No traces match these filters")).to_be_visible()
    page.get_by_role("button", name="Clear filters").click()
    expect(page.get_by_text(f"All {TRACES} matching traces shown")).to_be_visible()
    expect(page.get_by_label("Search inputs and outputs")).to_have_value("")

    rows(page).filter(has_text="answer-17").click()
    expect(page).to_have_url(re.compile(rf"/projects/{PROJECT}/traces/{umbrella}$"))


def test_filter_on_a_judges_score_through_the_ui(
    shop: ServerProcess, api: httpx.Client, page: Any
) -> None:
    items = api.get(f"/api/v1/projects/{PROJECT}/traces", params={"limit": 3}).json()["items"]
    low, high = items[0]["trace_id"], items[1]["trace_id"]
    scores = [
        {"trace_id": low, "name": "tone", "value": 0.2, "source": "llm_judge"},
        {"trace_id": high, "name": "tone", "value": 0.9, "source": "llm_judge"},
    ]
    assert api.post(f"/api/v1/projects/{PROJECT}/scores", json={"scores": scores}).is_success

    page.goto(f"/projects/{PROJECT}/traces")
    page.get_by_role("button", name="More filters").click()
    page.get_by_label("Score", exact=True).fill("tone")
    page.get_by_label("Mean below").fill("0.5")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"score_name=tone&score_below=0.5"))
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text(items[0]["name"])
    expect(chips(page)).to_contain_text("Score tone < 0.5")


def test_live_mode_shows_a_new_trace(shop: ServerProcess, page: Any) -> None:
    page.goto(f"/projects/{PROJECT}/traces?live=1")
    expect(page.get_by_text(f"All {TRACES} matching traces shown")).to_be_visible()
    expect(page.get_by_role("switch", name="Live")).to_be_checked()
    send_traces(shop, 1, start=100)
    fresh = rows(page).filter(has_text="answer-100")
    expect(fresh).to_be_visible()
    expect(fresh).to_have_attribute("data-fresh", "true")
    expect(rows(page).first).to_contain_text("answer-100")
    expect(page.get_by_text(f"All {TRACES + 1} matching traces shown")).to_be_visible()


def test_an_empty_project_shows_how_to_send_a_first_trace(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    api.post(
        "/api/v1/projects/new-bot/experiments", json={"name": "first"}
    ).raise_for_status()  # the project exists, without production traces
    page.goto("/projects/new-bot/traces")
    expect(page.get_by_text("No traces in new-bot yet")).to_be_visible()
    expect(page.get_by_text('assay.init(project="new-bot"', exact=False)).to_be_visible()
    page.goto("/projects/ghost/traces")
    expect(page.get_by_role("alert")).to_contain_text("ghost")
