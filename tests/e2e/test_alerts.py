"""Alerts in the browser: an alert made in the form fires when error traces arrive, its webhook
hears it, the history shows the event with its delivery and a link to the traces, a test send
shows what the webhook answered, and the alert resolves when traffic recovers.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SHOTS
from tests.integration.conftest import ServerProcess
from tests.support.webhook import WebhookReceiver

PROJECT = "support-bot"
P = f"/api/v1/projects/{PROJECT}"
#: Long enough for a loaded machine; every wait polls and ends as soon as it holds.
SLOW = 30_000


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    env = {"ASSAY_ALERT_INTERVAL": "0.5", "ASSAY_WORKER_POLL_INTERVAL": "0.1"}
    proc = ServerProcess(
        database_url=f"sqlite:///{tmp_path / 'assay.db'}", workdir=tmp_path, env=env
    )
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


def _traces(api: httpx.Client, *, ok: int, errors: int, first: int) -> None:
    """One-span traces that started in the last minute, ``errors`` of them failed."""
    now = time.time() - 30
    spans = []
    for n in range(first, first + ok + errors):
        failed = n - first < errors
        span: dict[str, Any] = {
            "trace_id": f"{n:032x}",
            "span_id": f"{n:016x}",
            "name": "answer",
            "kind": "agent",
            "start_time": now + n * 0.01,
            "end_time": now + n * 0.01 + 0.2,
            "status": "error" if failed else "ok",
        }
        if failed:
            span["error"] = {"type": "TimeoutError", "message": "the order service timed out"}
        spans.append(span)
    sent = api.post("/api/v1/spans", json={"project": PROJECT, "spans": spans})
    assert sent.status_code < 300, sent.text


def test_an_alert_made_in_the_form_fires_notifies_and_resolves(
    server: ServerProcess, api: httpx.Client, page: Any, webhook: WebhookReceiver
) -> None:
    _traces(api, ok=1, errors=0, first=1)  # the project exists, healthy
    page.goto(f"/projects/{PROJECT}/traces")
    page.get_by_role("link", name="Alerts", exact=True).click()
    expect(page.get_by_text("No alerts yet")).to_be_visible()
    page.get_by_role("button", name="New alert").click()

    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("error-spike")
    dialog.get_by_label("Description").fill("Answers are failing: check the order service.")
    expect(dialog.get_by_label("Metric", exact=True)).to_have_value("Error rate")
    dialog.get_by_label("Threshold").fill("0.2")
    dialog.get_by_label("Webhook URL").fill("not a url")
    dialog.get_by_role("button", name="Create alert").click()
    expect(dialog.get_by_text("A webhook URL starts with http:// or https://.")).to_be_visible()
    dialog.get_by_label("Webhook URL").fill(webhook.url)
    page.screenshot(path=str(SHOTS / "alerts_new.png"), full_page=True)
    dialog.get_by_role("button", name="Create alert").click()
    expect(dialog).to_be_hidden()

    row = page.get_by_test_id("alert-row").filter(has_text="error-spike")
    expect(row.get_by_test_id("alert-condition")).to_have_text("error_rate > 0.2 over 5 min")
    expect(row).to_contain_text("JSON")
    expect(row).to_have_attribute("data-state", "ok", timeout=SLOW)  # one good trace: 0 errors

    _traces(api, ok=2, errors=3, first=100)  # 3 of 6 traces failed
    expect(row).to_have_attribute("data-state", "firing", timeout=SLOW)
    expect(row.get_by_test_id("alert-state")).to_have_text("firing")
    expect(row).to_contain_text("0.5")
    firing = page.get_by_test_id("alert-event").filter(has_text="firing")
    expect(firing).to_have_count(1, timeout=SLOW)
    expect(firing.get_by_test_id("delivery")).to_have_text("delivered", timeout=SLOW)
    expect(firing).to_contain_text("threshold 0.2")
    bodies = webhook.wait_for(lambda got: len(got) >= 1)
    assert "error-spike" in str(bodies[0])
    page.screenshot(path=str(SHOTS / "alerts_firing.png"), full_page=True)

    # A test send from the edit form shows what the webhook answered.
    row.get_by_role("button", name="Edit alert error-spike").click()
    dialog.get_by_role("button", name="Send test").click()
    expect(dialog.get_by_test_id("test-result")).to_contain_text("Delivered")
    expect(dialog.get_by_test_id("test-result")).to_contain_text("HTTP 200")
    webhook.wait_for(lambda got: len(got) >= 2)
    dialog.get_by_role("button", name="Cancel").click()

    # Traffic recovers: 3 errors of 16 traces is under 0.2.
    _traces(api, ok=10, errors=0, first=200)
    expect(row).to_have_attribute("data-state", "ok", timeout=SLOW)
    resolved = page.get_by_test_id("alert-event").filter(has_text="resolved")
    expect(resolved).to_have_count(1, timeout=SLOW)
    expect(resolved.get_by_test_id("delivery")).to_have_text("delivered", timeout=SLOW)
    page.screenshot(path=str(SHOTS / "alerts_resolved.png"), full_page=True)

    # The event's link opens the failed traces of its window.
    firing.get_by_role("link", name="Open traces").click()
    expect(page).to_have_url(re.compile(r"/projects/support-bot/traces\?.*status=error"))
    expect(page.get_by_role("link", name=re.compile("answer")).first).to_be_visible()


def test_the_alert_form_asks_for_what_each_metric_needs(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    _traces(api, ok=1, errors=0, first=1)
    page.goto(f"/projects/{PROJECT}/alerts")
    page.get_by_role("button", name="New alert").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("helpfulness-drop")

    dialog.get_by_label("Metric", exact=True).click()
    page.get_by_role("option", name="Mean of a score").click()
    dialog.get_by_text("below", exact=True).click()
    dialog.get_by_label("Threshold").fill("0.6")
    dialog.get_by_label("Window", exact=True).fill("1")
    dialog.get_by_label("Window unit").click()
    page.get_by_role("option", name="hours").click()
    dialog.get_by_role("button", name="Create alert").click()
    expect(dialog.get_by_text("Name the score to average.")).to_be_visible()
    dialog.get_by_label("Score name").fill("helpfulness")
    dialog.get_by_role("button", name="Create alert").click()
    expect(dialog).to_be_hidden()
    row = page.get_by_test_id("alert-row").filter(has_text="helpfulness-drop")
    expect(row.get_by_test_id("alert-condition")).to_have_text("mean(helpfulness) < 0.6 over 1 h")
    stored = api.get(f"{P}/alerts/helpfulness-drop").json()
    assert stored["window_seconds"] == 3600 and stored["operator"] == "below"
    assert stored["webhook_url"] is None

    # A judge alert needs its judge; a name taken already is refused by the server, whose
    # message shows in the form.
    page.get_by_role("button", name="New alert").click()
    dialog.get_by_label("Name", exact=True).fill("helpfulness-drop")
    dialog.get_by_label("Metric", exact=True).click()
    page.get_by_role("option", name="Judge agreement").click()
    expect(dialog.get_by_label("Statistic")).to_have_value("Cohen's kappa")
    dialog.get_by_label("Threshold").fill("0.4")
    dialog.get_by_role("button", name="Create alert").click()
    expect(dialog.get_by_text("Pick the judge to compare with people.")).to_be_visible()
    dialog.get_by_label("Metric", exact=True).click()
    page.get_by_role("option", name="Error rate").click()
    dialog.get_by_role("button", name="Create alert").click()
    expect(dialog.get_by_role("alert").filter(has_text="already exists")).to_be_visible()
    assert [a["name"] for a in api.get(f"{P}/alerts").json()] == ["helpfulness-drop"]
