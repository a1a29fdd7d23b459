"""Online scoring end to end in one process: spans ingested through the app, a real worker
running the score and backfill jobs, judges answered by the fake model over HTTP."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assay import llm
from assay.server.worker import Worker
from assay.store.base import Store
from assay.store.shapes import JobQuery
from assay.testing import FakeLLMServer, FakeReply
from tests.support.wait import wait_until
from tests.unit.llm.conftest import FAST, fake, server
from tests.unit.server.helpers import NOW, native_span, new_span_id, new_trace_id
from tests.unit.server.test_rules_api import BASE, P, judge, queue

__all__ = ["fake", "server"]


@contextmanager
def worker(store: Store) -> Iterator[None]:
    handle = Worker(store, name="test", poll_interval=0.05).start_in_thread()
    try:
        yield
    finally:
        assert handle.stop(timeout=10)


def verdicts(llm_server: FakeLLMServer, down: threading.Event | None = None) -> None:
    """The judge says "no" to answers containing "bad", else "yes" (500 while ``down``)."""

    def respond(body: dict[str, Any]) -> FakeReply:
        if down is not None and down.is_set():
            return FakeReply(status=500, content="the provider is down")
        answer = re.search(r"Answer: (.*)", body["messages"][-1]["content"])
        choice = "no" if answer and "bad" in answer.group(1) else "yes"
        args = {"reasoning": f"It reads as {choice}.", "choice": choice}
        return FakeReply(tool_calls=[{"name": "submit_verdict", "arguments": args}])

    llm_server.respond_with(respond)


def ingest(client: TestClient, spans: list[dict[str, Any]]) -> None:
    response = client.post("/api/v1/spans", json={"project": P, "spans": spans})
    assert response.status_code == 200 and response.json()["accepted"] == len(spans)


def trace_scores(client: TestClient, trace_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/projects/{P}/traces/{trace_id}/scores")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def rule_scores(client: TestClient, spans: list[dict[str, Any]], rule_id: str) -> Counter[Any]:
    """How many scores of the rule each (span, score name) has."""
    counts: Counter[Any] = Counter()
    for trace_id in {s["trace_id"] for s in spans}:
        for score in trace_scores(client, trace_id):
            if score["rule_id"] == rule_id:
                counts[(score["span_id"], score["name"])] += 1
    return counts


def jobs_settled(store: Store) -> bool:
    pid = store.find_project(P)
    counts = store.list_jobs(pid, JobQuery(limit=1)).counts  # type: ignore[arg-type]
    return counts.get("queued", 0) == 0 and counts.get("running", 0) == 0


def create_rule(client: TestClient, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "helpful", "scorers": [{"judge": "helpful"}]}
    body.update(fields)
    response = client.post(BASE, json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_live_spans_get_judge_and_code_scores_naming_the_rule(
    client: TestClient, store: Store, fake: FakeLLMServer
) -> None:
    verdicts(fake)
    judge(client)
    scorers = [{"judge": "helpful"}, {"scorer": "valid_json"}, {"scorer": "exact_match"}]
    rule = create_rule(client, scorers=scorers)
    spans = [native_span(input="q", output='{"a": 1}'), native_span(input="q", output="bad")]
    ingest(client, spans)
    with worker(store):
        wait_until(lambda: jobs_settled(store))
    counts = rule_scores(client, spans, rule["id"])
    # exact_match needs `expected`, which production spans lack: skipped, not a zero
    assert counts == {(s["span_id"], n): 1 for s in spans for n in ("helpful", "valid_json")}
    scores = {
        (s["span_id"], s["name"]): s for t in spans for s in trace_scores(client, t["trace_id"])
    }
    good = scores[(spans[0]["span_id"], "helpful")]
    assert (good["source"], good["judge"], good["judge_version"]) == ("llm_judge", "helpful", 1)
    assert (good["value"], good["label"], good["rationale"]) == (1.0, "yes", "It reads as yes.")
    assert good["metadata"]["rule"] == "helpful" and good["metadata"]["model"]
    bad = scores[(spans[1]["span_id"], "helpful")]
    assert (bad["value"], bad["label"]) == (0.0, "no")
    code = scores[(spans[1]["span_id"], "valid_json")]
    assert (code["source"], code["scorer"], code["value"], code["judge"]) == (
        "code", "valid_json", 0.0, None,
    )  # fmt: skip
    stats = client.get(f"{BASE}/helpful").json()["stats"]
    assert (stats["scored_spans"], stats["scores"], stats["queued_jobs"]) == (2, 4, 0)
    assert stats["last_scored_at"] is not None and stats["lag_seconds"] is None


def test_low_scores_send_the_span_or_its_trace_to_the_queue(
    client: TestClient, store: Store, fake: FakeLLMServer
) -> None:
    verdicts(fake)
    judge(client)
    queue(client)
    route = {"queue": "doubts", "score_name": "helpful", "below": 0.5}
    create_rule(client, route=route)
    root, child = native_span(output="bad"), native_span(output="bad answer")
    child |= {"trace_id": new_trace_id(), "parent_id": new_span_id()}
    fine = native_span(output="fine")
    ingest(client, [root, child, fine])
    with worker(store):
        wait_until(lambda: jobs_settled(store))
    items = client.get(f"/api/v1/projects/{P}/queues/doubts/items").json()["items"]
    targets = {(i["trace_id"], i["span_id"]) for i in items}
    assert targets == {(root["trace_id"], None), (child["trace_id"], child["span_id"])}
    assert client.get(f"{BASE}/helpful").json()["stats"]["routed"] == 2


def test_an_outage_delays_scoring_and_then_every_span_is_scored_once(
    client: TestClient, store: Store, fake: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_JOB_BACKOFF_BASE", "0.05")
    monkeypatch.setenv("ASSAY_JOB_BACKOFF_CAP", "0.2")
    monkeypatch.setenv("ASSAY_JOB_MAX_ATTEMPTS", "1000")  # the outage outlasts any attempt count
    llm.configure_provider(
        "openai", base_url=fake.openai_base_url, api_key="sk-test", max_retries=1, **FAST
    )
    down = threading.Event()
    down.set()
    verdicts(fake, down)
    judge(client)
    rule = create_rule(client, scorers=[{"judge": "helpful"}, {"scorer": "valid_json"}])
    spans = [native_span(output=f'"answer {i}"') for i in range(30)]
    ingest(client, spans)
    pid = store.find_project(P)
    with worker(store):
        failing = wait_until(
            lambda: [j for j in store.list_jobs(pid, JobQuery(kind="score")).items if j.error]  # type: ignore[arg-type]
        )
        assert "failed to score" in (failing[0].error or "")
        assert not jobs_settled(store)  # delayed, not lost
        down.clear()
        wait_until(lambda: jobs_settled(store))
    counts = rule_scores(client, spans, rule["id"])
    assert counts == {(s["span_id"], n): 1 for s in spans for n in ("helpful", "valid_json")}
    statuses = store.list_jobs(pid, JobQuery(kind="score")).counts  # type: ignore[arg-type]
    assert {status: n for status, n in statuses.items() if n} == {"done": 1}


def test_jobs_of_a_disabled_or_deleted_rule_score_nothing(
    client: TestClient, store: Store, fake: FakeLLMServer
) -> None:
    verdicts(fake)
    judge(client)
    create_rule(client)
    create_rule(client, name="gone", scorers=[{"scorer": "valid_json"}])
    ingest(client, [native_span(output="x")])
    assert client.patch(f"{BASE}/helpful", json={"enabled": False}).status_code == 200
    assert client.delete(f"{BASE}/gone").status_code == 204
    with worker(store):
        wait_until(lambda: jobs_settled(store))
    pid = store.find_project(P)
    jobs = store.list_jobs(pid, JobQuery(kind="score")).items  # type: ignore[arg-type]
    assert sorted(j.status for j in jobs) == ["cancelled", "done"]
    assert [j.result for j in jobs if j.status == "done"] == [{"skipped": "the rule is disabled"}]
    assert fake.calls == 0


def _old_spans(client: TestClient, count: int) -> list[dict[str, Any]]:
    spans = [
        native_span(start_time=NOW - 3600 + i / 1000, end_time=NOW - 3590, output='{"ok": 1}')
        for i in range(count)
    ]
    for i in range(0, count, 500):
        ingest(client, spans[i : i + 500])
    return spans


def test_a_backfill_scores_old_spans_once_with_progress(
    client: TestClient, store: Store, fake: FakeLLMServer
) -> None:
    spans = _old_spans(client, 1100)
    rule = create_rule(client, scorers=[{"scorer": "valid_json"}], enabled=False)
    window = {"start": NOW - 7200, "end": NOW}
    started = client.post(f"{BASE}/helpful/backfills", json=window)
    assert started.status_code == 202, started.text
    assert started.json()["estimate"]["sampled_spans"] == 1100
    job_id = started.json()["job"]["id"]
    with worker(store):
        wait_until(lambda: jobs_settled(store))
    job = client.get(f"/api/v1/projects/{P}/jobs/{job_id}").json()
    assert job["status"] == "done" and job["progress_done"] == job["progress_total"] == 1100
    assert job["result"] == {"pages": 3, "matching": 1100, "enqueued": 1100}
    counts = rule_scores(client, spans, rule["id"])
    assert len(counts) == 1100 and set(counts.values()) == {1}  # a disabled rule backfills too

    again = client.post(f"{BASE}/helpful/backfills", json={**window, "dry_run": True}).json()
    assert again["estimate"]["already_scored"] == 1100 and again["estimate"]["judge_calls"] == 0
    second = client.post(f"{BASE}/helpful/backfills", json=window).json()["job"]["id"]
    with worker(store):
        wait_until(lambda: jobs_settled(store))
    assert client.get(f"/api/v1/projects/{P}/jobs/{second}").json()["result"]["enqueued"] == 0
    assert set(rule_scores(client, spans, rule["id"]).values()) == {1}


def test_a_cancelled_backfill_enqueues_nothing(
    client: TestClient, store: Store, fake: FakeLLMServer
) -> None:
    _old_spans(client, 10)
    cancelled = create_rule(client, scorers=[{"scorer": "valid_json"}])
    create_rule(client, name="probe", scorers=[{"scorer": "valid_json"}])
    window = {"start": NOW - 7200, "end": NOW}
    job_id = client.post(f"{BASE}/helpful/backfills", json=window).json()["job"]["id"]
    store.cancel_job(job_id)
    # a backfill started later: once it is done, the worker has passed the cancelled one
    probe = client.post(f"{BASE}/probe/backfills", json=window).json()["job"]["id"]
    with worker(store):
        wait_until(lambda: jobs_settled(store))
    assert client.get(f"/api/v1/projects/{P}/jobs/{probe}").json()["status"] == "done"
    assert client.get(f"/api/v1/projects/{P}/jobs/{job_id}").json()["status"] == "cancelled"
    pid = store.find_project(P)
    left = store.list_jobs(pid, JobQuery(kind="score", rule_id=cancelled["id"]))  # type: ignore[arg-type]
    assert left.items == []


def test_an_unusable_verdict_is_reported_not_retried(
    client: TestClient, store: Store, fake: FakeLLMServer
) -> None:
    nonsense = {"reasoning": "Hmm.", "choice": "maybe"}
    fake.respond_with(
        lambda body: FakeReply(tool_calls=[{"name": "submit_verdict", "arguments": nonsense}])
    )
    judge(client)
    create_rule(client, scorers=[{"judge": "helpful"}, {"scorer": "valid_json"}])
    spans = [native_span(output="{}")]
    ingest(client, spans)
    with worker(store):
        wait_until(lambda: jobs_settled(store))
    pid = store.find_project(P)
    (job,) = store.list_jobs(pid, JobQuery(kind="score")).items  # type: ignore[arg-type]
    assert job.status == "done" and job.attempts == 1
    assert job.result is not None and "JudgeAnswerError" in job.result["errors"][0]
    assert "'maybe'" in job.result["errors"][0]
    assert [s["name"] for s in trace_scores(client, spans[0]["trace_id"])] == ["valid_json"]
