"""Online evaluation against real ``assay serve`` processes (their in-process worker scores),
with judges answered by the fake model over HTTP: live scoring, routing to a queue, backfills
and a provider outage that delays scoring without losing or repeating any of it."""

from __future__ import annotations

import os
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assay.testing import FakeLLMServer, FakeReply
from tests.integration.conftest import ServerProcess
from tests.support.wait import wait_until

PROJECT = "online-it"
BASE = f"/api/v1/projects/{PROJECT}"
PROMPT = "Is this answer helpful?\nQuestion: {{input}}\nAnswer: {{output}}"


class Judge:
    """The fake model as a judge: "no" for answers containing "bad"; 500 while ``down``."""

    def __init__(self) -> None:
        self.down = threading.Event()
        self.refused = 0

    def __call__(self, body: dict[str, Any]) -> FakeReply:
        if self.down.is_set():
            self.refused += 1
            return FakeReply(status=500, content="the provider is down")
        answer = re.search(r"Answer: (.*)", body["messages"][-1]["content"])
        choice = "no" if answer and "bad" in answer.group(1) else "yes"
        args = {"reasoning": f"It reads as {choice}.", "choice": choice}
        return FakeReply(tool_calls=[{"name": "submit_verdict", "arguments": args}])


@pytest.fixture
def judge_model() -> Iterator[tuple[FakeLLMServer, Judge]]:
    verdict = Judge()
    with FakeLLMServer() as fake:
        fake.respond_with(verdict)
        yield fake, verdict


@pytest.fixture
def online(
    db_url: str, tmp_path: Path, judge_model: tuple[FakeLLMServer, Judge]
) -> Iterator[httpx.Client]:
    """A server whose worker polls often and retries soon, its models on the fake."""
    fake, _ = judge_model
    env = {
        "OPENAI_BASE_URL": fake.openai_base_url,
        "OPENAI_API_KEY": "sk-test",
        "ASSAY_WORKER_POLL_INTERVAL": "0.1",
        "ASSAY_JOB_BACKOFF_BASE": "0.2",
        "ASSAY_JOB_BACKOFF_CAP": "1",
        "ASSAY_JOB_MAX_ATTEMPTS": "1000",
        "ASSAY_LLM_MAX_RETRIES": "1",
    }
    proc = ServerProcess(database_url=db_url, workdir=tmp_path, env=env)
    proc.start()
    try:
        with proc.client() as client:
            yield client
    finally:
        proc.stop()


def span(**fields: Any) -> dict[str, Any]:
    now = time.time()
    body = {
        "trace_id": os.urandom(16).hex(),
        "span_id": os.urandom(8).hex(),
        "name": "answer",
        "kind": "llm",
        "start_time": now,
        "end_time": now + 0.2,
        "input": "Where is my parcel?",
        "output": "It ships today.",
    }
    body.update(fields)
    return body


def ingest(api: httpx.Client, spans: list[dict[str, Any]]) -> None:
    for i in range(0, len(spans), 500):
        response = api.post("/api/v1/spans", json={"project": PROJECT, "spans": spans[i : i + 500]})
        assert response.status_code == 200, response.text


def setup_rule(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    judge = {"name": "helpful", "prompt": PROMPT, "choices": {"yes": 1.0, "no": 0.0}}
    judge["model"] = "gpt-4o-mini"
    assert api.post(f"{BASE}/judges", json=judge).status_code in (200, 201)
    body: dict[str, Any] = {"name": "helpful", "scorers": [{"judge": "helpful"}]}
    body.update(fields)
    response = api.post(f"{BASE}/rules", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def scores_of(api: httpx.Client, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for trace_id in sorted({s["trace_id"] for s in spans}):
        response = api.get(f"{BASE}/traces/{trace_id}/scores")
        assert response.status_code == 200, response.text
        found.extend(response.json())
    return found


def settled(api: httpx.Client) -> bool:
    counts = api.get(f"{BASE}/jobs", params={"limit": 1}).json()["counts"]
    return counts.get("queued", 0) == 0 and counts.get("running", 0) == 0


def test_live_spans_are_judged_and_low_scores_go_to_the_queue(online: httpx.Client) -> None:
    config = {"name": "ok", "kind": "boolean"}
    assert online.post(f"{BASE}/score-configs", json=config).status_code == 201
    queue = {"name": "doubts", "score_configs": ["ok"]}
    assert online.post(f"{BASE}/queues", json=queue).status_code == 201
    route = {"queue": "doubts", "score_name": "helpful", "below": 0.5}
    rule = setup_rule(online, route=route, filter={"kind": "llm"})
    spans = [span(output="bad answer") if i % 4 == 0 else span() for i in range(20)]
    spans.append(span(kind="tool"))  # not matched
    ingest(online, spans)
    judged = wait_until(lambda: len(scores_of(online, spans)) == 20 and scores_of(online, spans))
    for score in judged:
        assert score["rule_id"] == rule["id"] and score["source"] == "llm_judge"
        assert (score["judge"], score["judge_version"], score["name"]) == ("helpful", 1, "helpful")
        assert score["metadata"]["rule"] == "helpful" and score["rationale"]
    low = sorted(s["trace_id"] for s in judged if s["value"] == 0.0)
    assert low == sorted(s["trace_id"] for s in spans[:20:4])

    def queued() -> list[str]:
        page = online.get(f"{BASE}/queues/doubts/items").json()
        return sorted(i["trace_id"] for i in page["items"])

    assert wait_until(lambda: queued() == low)
    stats = wait_until(lambda: settled(online) and online.get(f"{BASE}/rules/helpful").json())
    assert stats["stats"]["scored_spans"] == 20 and stats["stats"]["routed"] == 5


def test_a_backfill_estimates_then_scores_old_spans_once(online: httpx.Client) -> None:
    old = time.time() - 3600
    spans = [span(start_time=old + i / 100, end_time=old + 60) for i in range(600)]
    ingest(online, spans)
    setup_rule(online, sample_rate=0.5)
    window = {"start": old - 1, "end": old + 3600}
    dry = online.post(f"{BASE}/rules/helpful/backfills", json={**window, "dry_run": True})
    assert dry.status_code == 200, dry.text
    estimate = dry.json()["estimate"]
    assert estimate["matching_spans"] == 600 and 200 < estimate["sampled_spans"] < 400
    assert estimate["judge_calls"] == estimate["sampled_spans"] and estimate["estimated_cost"] > 0
    started = online.post(f"{BASE}/rules/helpful/backfills", json=window)
    assert started.status_code == 202, started.text
    job_id = started.json()["job"]["id"]

    def finished() -> dict[str, Any] | None:
        job: dict[str, Any] = online.get(f"{BASE}/jobs/{job_id}").json()
        return job if job["status"] == "done" else None

    job = wait_until(finished)
    assert job["progress_done"] == job["progress_total"] == 600
    assert job["result"] == {"pages": 2, "matching": 600, "enqueued": estimate["sampled_spans"]}
    wait_until(lambda: settled(online))
    per_span = Counter(s["span_id"] for s in scores_of(online, spans))
    assert len(per_span) == estimate["sampled_spans"] and set(per_span.values()) == {1}
    again = online.post(f"{BASE}/rules/helpful/backfills", json={**window, "dry_run": True})
    assert again.json()["estimate"]["already_scored"] == estimate["sampled_spans"]


def test_a_provider_outage_delays_scoring_and_loses_nothing(
    online: httpx.Client, judge_model: tuple[FakeLLMServer, Judge]
) -> None:
    _, judge = judge_model
    judge.down.set()
    setup_rule(online, scorers=[{"judge": "helpful"}, {"scorer": "valid_json"}])
    spans = [span(output=f'"answer {i}"') for i in range(40)]
    ingest(online, spans)

    def failing() -> bool:
        page = online.get(f"{BASE}/jobs", params={"kind": "score"}).json()
        return any(job["error"] for job in page["items"])

    wait_until(failing)  # the model is down: jobs fail and wait for their retry
    assert not settled(online) and judge.refused > 0
    judge.down.clear()
    wait_until(lambda: settled(online))
    per_pair = Counter((s["span_id"], s["name"]) for s in scores_of(online, spans))
    assert per_pair == {(s["span_id"], n): 1 for s in spans for n in ("helpful", "valid_json")}
    counts = online.get(f"{BASE}/jobs", params={"kind": "score", "limit": 1}).json()["counts"]
    assert counts.get("dead", 0) == 0 and counts["done"] >= 1
