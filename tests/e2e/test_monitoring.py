"""Monitoring in the browser: charts of traces, errors, latency, tokens, cost and scores."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

import assay
from tests.integration.conftest import ServerProcess


def send_traffic(server: ServerProcess, api: httpx.Client) -> None:
    """Four traces now (one failing, each with a model call) and two scores on them."""
    client = assay.init(project="shop-bot", api_url=server.url, flush_interval=0.05)
    for i in range(4):
        try:
            with assay.span("answer", kind="agent", input=f"question {i}") as root:
                with assay.span("llm", kind="llm", model="gpt-4o-mini") as llm:
                    llm.log(metrics={"prompt_tokens": 100, "completion_tokens": 20, "cost": 0.002})
                if i == 3:
                    raise ValueError("the tool failed")
                root.log(output=f"answer {i}")
        except ValueError:
            pass
    client.shutdown(timeout=10)
    traces = api.get("/api/v1/projects/shop-bot/traces").json()["items"]
    assert len(traces) == 4
    scores = [
        {"trace_id": traces[0]["trace_id"], "name": "helpfulness", "value": 1.0},
        {"trace_id": traces[1]["trace_id"], "name": "helpfulness", "value": 0.5},
        {"trace_id": traces[1]["trace_id"], "name": "grounded", "value": 0.25},
    ]
    answer = api.post("/api/v1/projects/shop-bot/scores", json={"scores": scores})
    assert answer.json()["accepted"] == 3, answer.text


def test_charts_show_the_traffic_and_the_scores_of_the_range(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    send_traffic(server, api)
    page.goto("/projects/shop-bot/monitoring")
    expect(page.get_by_test_id("total-traces")).to_have_text("4")
    expect(page.get_by_test_id("total-error-rate")).to_have_text("25.0%")
    expect(page.get_by_test_id("total-tokens")).to_have_text("480")

    for title in ("Traces", "Tokens", "Cost"):
        bars = page.get_by_role("region", name=title).locator("path.recharts-rectangle")
        expect(bars.first).to_be_visible()
    for title in ("Error rate", "Latency"):
        dots = page.get_by_role("region", name=title).locator(".recharts-line-dots circle")
        expect(dots.first).to_be_visible()
    scores = page.get_by_role("region", name="Scores")
    expect(scores.get_by_text("helpfulness")).to_be_visible()
    expect(scores.get_by_text("grounded")).to_be_visible()
    expect(scores.locator(".recharts-line-dots circle")).to_have_count(2)

    page.get_by_role("radiogroup", name="Time range").get_by_text("Last hour").click()
    expect(page).to_have_url(re.compile(r"range=1h"))
    expect(page.get_by_text("Traces started per 1 min.")).to_be_visible()
    expect(page.get_by_test_id("total-traces")).to_have_text("4")


def test_an_empty_range_says_what_to_do(server: ServerProcess, page: Any) -> None:
    assay.dataset("quiet-bot", "seed", api_url=server.url).insert("hello")  # makes the project
    page.goto("/projects/quiet-bot/monitoring?range=7d")
    expect(page.get_by_text("No traces yet")).to_be_visible()
    expect(page.get_by_text("Send a first trace from your agent:")).to_be_visible()
