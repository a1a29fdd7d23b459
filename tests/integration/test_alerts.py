"""Alerts end to end: a real ``assay serve`` (its in-process worker evaluating alerts every half
second) notifies a real webhook receiver on loopback when production traffic crosses a
threshold, once, and again when it recovers; a failing receiver is retried until it answers."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.integration.conftest import ServerProcess
from tests.support.webhook import WebhookReceiver

PROJECT = "shop"
UI = "https://assay.example.com"
ALERTS = f"/api/v1/projects/{PROJECT}/alerts"
EVENTS = f"/api/v1/projects/{PROJECT}/alert-events"


@pytest.fixture
def api(db_url: str, tmp_path: Path) -> Iterator[httpx.Client]:
    """A server evaluating alerts every 0.5 s and retrying failed jobs within a second."""
    env = {
        "ASSAY_ALERT_INTERVAL": "0.5",
        "ASSAY_WORKER_POLL_INTERVAL": "0.1",
        "ASSAY_JOB_BACKOFF_BASE": "0.2",
        "ASSAY_JOB_BACKOFF_CAP": "0.5",
        "ASSAY_PUBLIC_URL": UI,
    }
    server = ServerProcess(database_url=db_url, workdir=tmp_path, env=env)
    server.start()
    try:
        with server.client() as client:
            yield client
    finally:
        server.stop()


def ingest(api: httpx.Client, *, errors: int, ok: int, ago: float = 1.0) -> None:
    """Root spans (one trace each) that started ``ago`` seconds before now."""
    start = time.time() - ago
    spans = [
        {
            "trace_id": uuid.uuid4().hex,
            "span_id": os.urandom(8).hex(),
            "name": "checkout",
            "start_time": start,
            "end_time": start + 0.2,
            "status": status,
        }
        for status in ["error"] * errors + ["ok"] * ok
    ]
    answer = api.post("/api/v1/spans", json={"project": PROJECT, "spans": spans})
    assert answer.status_code == 200, answer.text


def create_alert(api: httpx.Client, **fields: Any) -> None:
    body = {
        "name": "high errors",
        "metric": "error_rate",
        "operator": "above",
        "threshold": 0.5,
        "window_seconds": 10,
        **fields,
    }
    answer = api.post(ALERTS, json=body)
    assert answer.status_code == 201, answer.text


def events_when(api: httpx.Client, done: Any, timeout: float = 30.0) -> list[dict[str, Any]]:
    """The alert history once ``done(events)`` holds (polled with a deadline)."""
    deadline = time.monotonic() + timeout
    while True:
        answer = api.get(EVENTS)
        assert answer.status_code == 200, answer.text
        events: list[dict[str, Any]] = answer.json()["items"]
        if done(events):
            return events
        assert time.monotonic() < deadline, f"alert history stayed {events}"
        time.sleep(0.1)


def test_errors_fire_once_and_recovery_resolves(api: httpx.Client) -> None:
    with WebhookReceiver() as hook:
        create_alert(api, webhook_url=hook.url, trace_filter={"name": "checkout"})
        ingest(api, errors=3, ok=1)
        [firing] = hook.wait_for(lambda bodies: len(bodies) >= 1)
        assert (firing["alert"], firing["project"], firing["state"]) == (
            "high errors",
            PROJECT,
            "firing",
        )
        assert (firing["metric"], firing["value"], firing["threshold"]) == ("error_rate", 0.75, 0.5)
        link = urlsplit(firing["link"])
        assert f"{link.scheme}://{link.netloc}{link.path}" == f"{UI}/projects/{PROJECT}/traces"
        query = parse_qs(link.query)
        assert (query["status"], query["name"]) == (["error"], ["checkout"])
        assert {"start_from", "start_to"} <= set(query)
        assert api.get(f"{ALERTS}/high errors").json()["state"] == "firing"

        ingest(api, errors=0, ok=9)  # 3 errors of 13 traces: below the threshold again
        bodies = hook.wait_for(lambda bodies: len(bodies) >= 2)
    assert [b["state"] for b in bodies] == ["firing", "resolved"]  # fired once, resolved once
    assert bodies[1]["value"] == pytest.approx(3 / 13)
    events = events_when(api, lambda es: [e["delivery"] for e in es] == ["delivered"] * 2)
    assert [e["kind"] for e in events] == ["resolved", "firing"]
    assert events[1]["link"] == firing["link"]
    assert api.get(f"{ALERTS}/high errors").json()["state"] == "ok"


def test_traces_leaving_the_window_resolve_the_alert(api: httpx.Client) -> None:
    with WebhookReceiver() as hook:
        create_alert(api, webhook_url=hook.url, webhook_format="slack")
        ingest(api, errors=2, ok=0, ago=7.0)  # leave the 10 s window 3 s from now
        [firing] = hook.wait_for(lambda bodies: len(bodies) >= 1)
        ingest(api, errors=0, ok=1, ago=0.0)  # 2 errors of 3: firing until the errors leave
        bodies = hook.wait_for(lambda bodies: len(bodies) >= 2)
    assert firing["text"].startswith(
        ":red_circle: assay alert *high errors* is firing: error_rate 1 > 0.5 over the last 10 s."
    )
    assert f"<{UI}/projects/shop/traces?" in firing["text"]
    assert firing["text"].endswith("&status=error|Open the traces>")
    assert bodies[1]["text"].startswith(
        ":white_check_mark: assay alert *high errors* is resolved: error_rate 0 ≤ 0.5"
    )
    assert len(bodies) == 2


def test_a_failing_receiver_gets_the_notification_on_the_third_try(api: httpx.Client) -> None:
    with WebhookReceiver(statuses=[500, 500]) as hook:
        create_alert(api, webhook_url=hook.url)
        ingest(api, errors=1, ok=0)
        hook.wait_for(lambda bodies: len(bodies) >= 3)
        [event] = events_when(api, lambda es: len(es) == 1 and es[0]["delivery"] == "delivered")
    assert hook.answered == [500, 500, 200]
    assert event["kind"] == "firing" and event["delivered_at"] is not None
    jobs = api.get(f"/api/v1/projects/{PROJECT}/jobs", params={"kind": "notify"}).json()
    [job] = jobs["items"]
    assert (job["status"], job["attempts"], job["payload"]["event_id"]) == ("done", 3, event["id"])
    assert "answered 500" in job["error"]
