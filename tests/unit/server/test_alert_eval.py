"""Evaluating alerts: the state machine over real traces and scores, the link to the traces,
judge agreement, concurrent evaluators, and the webhook notifications the worker delivers."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from assay.schema import AlertIn, JudgeIn, ScoreIn
from assay.server.alerting import evaluate
from assay.server.jobs import alerts as alert_jobs
from assay.server.jobs import notify as notify_jobs
from assay.server.jobs.base import JobContext
from assay.server.worker import Worker, WorkerThread
from assay.store.alerts import ProjectAlert
from assay.store.base import Store
from assay.store.shapes import JobQuery, NewJob
from assay.store.sql.decode import to_datetime
from tests.support.webhook import WebhookReceiver
from tests.unit.store.conftest import T0, make, trace_id

SEC = 1_000_000
UI = "https://assay.example.com"


@pytest.fixture
def pid(store: Store) -> str:
    return store.ensure_project("shop")


def add_alert(store: Store, pid: str, **fields: Any) -> ProjectAlert:
    values: dict[str, Any] = {
        "name": "high errors",
        "metric": "error_rate",
        "operator": "above",
        "threshold": 0.2,
        "window_seconds": 300,
    }
    values.update(fields)
    made = store.create_alert(pid, AlertIn(**values))
    assert made is not None
    return ProjectAlert(project_id=pid, alert=made)


def current(store: Store, item: ProjectAlert) -> ProjectAlert:
    """The alert as the next evaluation reads it."""
    found = store.get_alert(item.project_id, item.alert.name)
    assert found is not None
    return ProjectAlert(project_id=item.project_id, alert=found)


def step(store: Store, item: ProjectAlert, at_s: int) -> str:
    """Evaluate the alert as it is now stored, at T0 + ``at_s`` seconds."""
    return evaluate(store, current(store, item), now=T0 + at_s * SEC, public_url=UI)


def traces(
    store: Store, pid: str, first: int, *, at_s: int, errors: int, ok: int, **fields: Any
) -> None:
    statuses = ["error"] * errors + ["ok"] * ok
    spans = [
        make(first + i, first + i, start=at_s * SEC, status=s, name="checkout", **fields)
        for i, s in enumerate(statuses)
    ]
    store.add_spans(pid, spans)


def kinds(store: Store, pid: str) -> list[str]:
    return [e.kind for e in reversed(store.list_alert_events(pid).items)]


def test_an_alert_fires_once_and_resolves_once(store: Store, pid: str) -> None:
    item = add_alert(store, pid, webhook_url="http://127.0.0.1:9/hook")
    assert step(store, item, 600) == "unchanged"  # nothing yet: still no_data
    assert current(store, item).alert.state == "no_data"
    traces(store, pid, 1, at_s=400, errors=0, ok=2)
    assert step(store, item, 600) == "ok"  # first data, not crossing: no event
    traces(store, pid, 10, at_s=500, errors=3, ok=0)
    assert step(store, item, 600) == "firing"
    assert current(store, item).alert.value == pytest.approx(0.6)
    assert step(store, item, 601) == "unchanged"  # still crossing: no second notification
    assert step(store, item, 2000) == "unchanged"  # no traffic: keeps firing, value unknown
    stored = current(store, item).alert
    assert (stored.state, stored.value) == ("firing", None)
    traces(store, pid, 20, at_s=2100, errors=0, ok=5)
    assert step(store, item, 2200) == "resolved"
    assert current(store, item).alert.state == "ok"
    assert kinds(store, pid) == ["firing", "resolved"]
    jobs = store.list_jobs(pid, JobQuery(kind="notify")).items
    assert len(jobs) == 2


def test_below_alerts_fire_when_the_value_drops(store: Store, pid: str) -> None:
    item = add_alert(
        store, pid, name="traffic", metric="trace_count", operator="below", threshold=3
    )
    traces(store, pid, 1, at_s=400, errors=0, ok=3)
    assert step(store, item, 600) == "ok"  # 3 is not below 3
    assert step(store, item, 1000) == "firing"  # 0 traces: traffic stopped
    assert kinds(store, pid) == ["firing"]


def test_the_link_opens_the_window_with_the_alert_filters(store: Store, pid: str) -> None:
    item = add_alert(store, pid, trace_filter={"name": "checkout", "tag": ["vip", "eu"]})
    traces(store, pid, 1, at_s=500, errors=1, ok=0, tags=["eu", "vip"])
    traces(store, pid, 5, at_s=500, errors=0, ok=9)  # not tagged: left out
    assert step(store, item, 600) == "firing"
    link = store.list_alert_events(pid).items[0].link
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{UI}/projects/shop/traces"
    query = parse_qs(parts.query)
    window = [datetime.fromisoformat(query[k][0]) for k in ("start_from", "start_to")]
    assert window == [to_datetime(T0 + 300 * SEC), to_datetime(T0 + 600 * SEC)]
    assert (query["status"], query["name"], query["tag"]) == (
        ["error"],
        ["checkout"],
        ["vip", "eu"],
    )


def test_a_score_mean_link_shows_the_traces_below_the_threshold(store: Store, pid: str) -> None:
    item = add_alert(
        store,
        pid,
        name="quality",
        metric="score_mean",
        score_name="helpful",
        operator="below",
        threshold=0.5,
    )
    traces(store, pid, 1, at_s=500, errors=0, ok=1)
    score = ScoreIn(
        trace_id=trace_id(1), name="helpful", value=0.25, created_at=to_datetime(T0 + 550 * SEC)
    )
    store.record_scores(pid, [score])
    assert step(store, item, 600) == "firing"
    query = parse_qs(urlsplit(store.list_alert_events(pid).items[0].link).query)
    assert (query["score_name"], query["score_below"]) == (["helpful"], ["0.5"])
    assert "status" not in query


def label_score(trace: int, label: str, at_s: int, **source: Any) -> ScoreIn:
    """A yes/no score named polite on trace ``trace``, given at T0 + ``at_s`` seconds."""
    return ScoreIn(
        trace_id=trace_id(trace),
        name="polite",
        label=label,
        value=1.0 if label == "yes" else 0.0,
        created_at=to_datetime(T0 + at_s * SEC),
        **source,
    )


def test_judge_agreement_follows_the_pairs_judged_in_the_window(store: Store, pid: str) -> None:
    judge = JudgeIn(name="polite", prompt="{{output}}", choices={"yes": 1.0, "no": 0.0}, model="m")
    store.save_judge(pid, judge)
    item = add_alert(
        store,
        pid,
        name="drift",
        metric="judge_agreement",
        judge="polite",
        operator="below",
        threshold=0.5,
    )

    def pairs(first: int, at_s: int, judged: list[str], human: list[str]) -> None:
        store.add_spans(pid, [make(first + i, first + i, start=at_s * SEC) for i in range(4)])
        by_judge = [
            label_score(first + i, label, at_s, source="llm_judge", judge="polite")
            for i, label in enumerate(judged)
        ]
        by_humans = [
            label_score(first + i, label, at_s, source="human") for i, label in enumerate(human)
        ]
        store.record_scores(pid, by_judge + by_humans)

    assert step(store, item, 600) == "unchanged"  # no pairs yet
    pairs(1, 500, ["yes", "no", "yes", "no"], ["yes", "no", "yes", "no"])
    assert step(store, item, 600) == "ok"
    assert current(store, item).alert.value == pytest.approx(1.0)
    pairs(10, 1500, ["yes", "no", "yes", "no"], ["no", "yes", "no", "yes"])
    assert step(store, item, 1600) == "firing"
    assert current(store, item).alert.value == pytest.approx(-1.0)


def test_an_alert_on_a_judge_that_is_gone_has_no_data(store: Store, pid: str) -> None:
    item = add_alert(
        store,
        pid,
        name="j",
        metric="judge_agreement",
        judge="gone",
        operator="below",
        threshold=0.5,
    )
    assert step(store, item, 600) == "unchanged"
    assert current(store, item).alert.state == "no_data"


def test_evaluators_running_at_once_notify_once(store: Store, pid: str) -> None:
    item = add_alert(store, pid, webhook_url="http://127.0.0.1:9/hook")
    traces(store, pid, 1, at_s=500, errors=2, ok=0)
    seen = current(store, item)  # every evaluator read the alert before any wrote
    start = threading.Barrier(6)
    results: list[str] = []

    def evaluator() -> None:
        start.wait()
        results.append(evaluate(store, seen, now=T0 + 600 * SEC, public_url=UI))

    threads = [threading.Thread(target=evaluator) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["firing"] + ["raced"] * 5
    assert kinds(store, pid) == ["firing"]
    assert len(store.list_jobs(pid, JobQuery(kind="notify")).items) == 1


def test_the_periodic_job_evaluates_enabled_alerts_of_every_project(store: Store) -> None:
    shop, blog = store.ensure_project("shop"), store.ensure_project("blog")
    now_s = time.time()
    for pid in (shop, blog):
        store.add_spans(pid, [make(1, 1, start=int((now_s - 10) * SEC) - T0, status="error")])
    add_alert(store, shop)
    add_alert(store, blog, name="quiet", enabled=False)
    add_alert(store, blog, name="loud")
    store.enqueue_jobs([NewJob(kind=alert_jobs.KIND)])
    [job] = store.claim_jobs("test", limit=1, lease_seconds=60)

    async def heartbeat() -> bool:
        return True

    ctx = JobContext(store=store, worker="test", public_url=UI, heartbeat=heartbeat)
    outcome = asyncio.run(alert_jobs.evaluate_alerts(ctx, job))
    assert outcome.result == {"alerts": 2, "firing": 2}
    assert kinds(store, shop) == ["firing"] and kinds(store, blog) == ["firing"]
    assert store.get_alert(blog, "quiet").state == "no_data"  # type: ignore[union-attr]


# ----------------------------------------------------------------------------- delivery
@pytest.fixture
def worker(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[WorkerThread]:
    """A real worker running notify jobs, retrying fast."""
    monkeypatch.setenv("ASSAY_JOB_BACKOFF_BASE", "0.05")
    monkeypatch.setenv("ASSAY_JOB_BACKOFF_CAP", "0.2")
    running = Worker(
        store, handlers=notify_jobs.HANDLERS, periodic=[], poll_interval=0.05, public_url=UI
    ).start_in_thread()
    yield running
    running.stop()


def fire_now(store: Store, pid: str, **fields: Any) -> None:
    item = add_alert(store, pid, **fields)
    now_s = time.time()
    store.add_spans(pid, [make(1, 1, start=int((now_s - 10) * SEC) - T0, status="error")])
    assert evaluate(store, item, now=int(now_s * SEC), public_url=UI) == "firing"


def wait_for_delivery(store: Store, pid: str, state: str) -> Any:
    deadline = time.monotonic() + 30
    while True:
        [event] = store.list_alert_events(pid).items
        if event.delivery == state:
            return event
        assert time.monotonic() < deadline, f"delivery stayed {event.delivery!r}"
        time.sleep(0.05)


def test_a_firing_alert_posts_its_json_to_the_webhook(
    store: Store, pid: str, worker: WorkerThread
) -> None:
    with WebhookReceiver() as hook:
        fire_now(store, pid, webhook_url=hook.url)
        [body] = hook.wait_for(lambda bodies: len(bodies) == 1)
        event = wait_for_delivery(store, pid, "delivered")
    assert event.delivered_at is not None
    assert body["alert"] == "high errors" and body["project"] == "shop"
    assert (body["state"], body["metric"], body["value"]) == ("firing", "error_rate", 1.0)
    assert (body["operator"], body["threshold"], body["window_seconds"]) == ("above", 0.2, 300)
    assert body["link"] == event.link and body["link"].startswith(f"{UI}/projects/shop/traces?")
    assert body["text"].startswith('assay alert "high errors" is firing: error_rate 1 > 0.2')
    assert body["at"].endswith("Z") and body["test"] is False


def test_the_slack_format_is_one_line_of_text_with_the_link(
    store: Store, pid: str, worker: WorkerThread
) -> None:
    with WebhookReceiver() as hook:
        fire_now(store, pid, webhook_url=hook.url, webhook_format="slack")
        [body] = hook.wait_for(lambda bodies: len(bodies) == 1)
    link = store.list_alert_events(pid).items[0].link
    assert body == {
        "text": ":red_circle: assay alert *high errors* is firing: error_rate 1 > 0.2 over the "
        f"last 5 min. <{link}|Open the traces>"
    }


def test_a_failing_webhook_is_retried_until_it_takes_the_notification(
    store: Store, pid: str, worker: WorkerThread
) -> None:
    with WebhookReceiver(statuses=[500, 500]) as hook:
        fire_now(store, pid, webhook_url=hook.url)
        hook.wait_for(lambda bodies: len(bodies) == 3)
        wait_for_delivery(store, pid, "delivered")
        assert hook.answered == [500, 500, 200]
    [job] = store.list_jobs(pid, JobQuery(kind="notify")).items
    assert (job.status, job.attempts) == ("done", 3)


def test_the_last_failed_attempt_marks_the_delivery_failed(
    store: Store, pid: str, worker: WorkerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_JOB_MAX_ATTEMPTS", "2")
    with WebhookReceiver(statuses=[503, 503, 503]) as hook:
        fire_now(store, pid, webhook_url=hook.url)
        event = wait_for_delivery(store, pid, "failed")
        assert len(hook.bodies) == 2
    assert "answered 503" in event.delivery_error
    [job] = store.list_jobs(pid, JobQuery(kind="notify")).items
    assert job.status == "dead"
