"""Playground dataset runs: a variant run over a dataset as an experiment by a real worker, the
model and the judge answered by the fake LLM over HTTP; progress, cancel, outages, the checks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient

import assay
from assay import llm
from assay.server.worker import Worker
from assay.store.base import Store
from assay.testing import FakeLLMServer, FakeReply
from tests.support.wait import wait_until
from tests.unit.llm.conftest import FAST, fake, server
from tests.unit.server.test_rules_api import P, judge

__all__ = ["fake", "server"]

RUNS = f"/api/v1/projects/{P}/playground/experiments"
EXPERIMENTS = f"/api/v1/projects/{P}/experiments"
VARIANT = {
    "label": "A",
    "messages": [
        {"role": "system", "content": "Answer in one word."},
        {"role": "user", "content": "Q: {{question}}"},
    ],
    "model": "gpt-4o-mini",
    "params": {"temperature": 0},
}
JUDGE_PROMPT = "Is this answer right?\nQuestion: {{input}}\nAnswer: {{output}}"


@contextmanager
def worker(store: Store, lease_seconds: float = 30.0) -> Iterator[None]:
    handle = Worker(
        store, name="test", poll_interval=0.05, lease_seconds=lease_seconds
    ).start_in_thread()
    try:
        yield
    finally:
        assert handle.stop(timeout=10)


def model(llm_server: FakeLLMServer) -> None:
    """The model answers "A: <question>"; the judge says "no" to answers with "wrong"."""

    def respond(body: dict[str, Any]) -> FakeReply:
        last = body["messages"][-1]["content"]
        if body.get("tools"):
            answer = re.search(r"Answer: (.*)", last)
            choice = "no" if answer and "wrong" in answer.group(1) else "yes"
            args = {"reasoning": f"It reads as {choice}.", "choice": choice}
            return FakeReply(tool_calls=[{"name": "submit_verdict", "arguments": args}])
        return FakeReply(content="A: " + last.removeprefix("Q: "))

    llm_server.respond_with(respond)


def dataset(client: TestClient, records: list[dict[str, Any]], name: str = "qa") -> int:
    if client.get(f"/api/v1/projects/{P}/datasets/{name}").status_code == 404:
        made = client.post(f"/api/v1/projects/{P}/datasets", json={"name": name})
        assert made.status_code == 201, made.text
    added = client.post(f"/api/v1/projects/{P}/datasets/{name}/records", json={"records": records})
    assert added.status_code in (200, 201), added.text
    return int(added.json()["version"])


def questions(count: int) -> list[dict[str, Any]]:
    """Records whose expected answer matches the model's for even ones only."""
    return [
        {
            "id": f"r{i}",
            "input": {"question": f"q{i}"},
            "expected": f"A: q{i}" if i % 2 == 0 else "something else",
            "metadata": {"n": i},
        }
        for i in range(count)
    ]


def start(client: TestClient, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"variant": VARIANT, "dataset": "qa"} | fields
    response = client.post(RUNS, json=body)
    assert response.status_code == 202, response.text
    return response.json()  # type: ignore[no-any-return]


def run_state(client: TestClient, name: str) -> dict[str, Any]:
    response = client.get(f"{RUNS}/{name}")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def ended(client: TestClient, name: str) -> dict[str, Any] | None:
    state = run_state(client, name)
    return state if state["status"] in ("finished", "interrupted") else None


def cases(client: TestClient, name: str) -> dict[str, dict[str, Any]]:
    page = client.get(f"{EXPERIMENTS}/{name}/cases", params={"limit": 1000}).json()
    return {c["case_id"]: c for c in page["items"]}


SCORERS = [{"scorer": "exact_match"}, {"judge": "right"}]


def test_a_dataset_run_becomes_a_scored_experiment_with_traces(
    client: TestClient, store: Store, fake: FakeLLMServer
) -> None:
    model(fake)
    judge(client, name="right", prompt=JUDGE_PROMPT)
    version = dataset(client, questions(6))
    started = start(client, scorers=SCORERS)
    assert started["experiment"].startswith("playground-gpt-4o-mini-")
    assert (started["status"], started["total"], started["done"]) == ("queued", 6, 0)
    with worker(store):
        state = wait_until(lambda: ended(client, started["experiment"]))
    assert (state["status"], state["done"], state["total"], state["error"]) == (
        "finished", 6, 6, None,
    )  # fmt: skip
    name = started["experiment"]
    experiment = client.get(f"{EXPERIMENTS}/{name}").json()
    assert experiment["dataset"] == {"name": "qa", "version": version}
    assert experiment["metadata"] == {
        "source": "playground", "variant": "A", "model": "gpt-4o-mini",
        "params": {"temperature": 0},
    }  # fmt: skip
    assert experiment["case_count"] == 6 and experiment["error_count"] == 0
    assert experiment["summary"]["exact_match"]["mean"] == 0.5
    assert experiment["summary"]["right"] == {**experiment["summary"]["right"], "mean": 1.0}
    totals = experiment["totals"]
    assert totals["prompt_tokens"] > 0 and totals["completion_tokens"] > 0 and totals["cost"] > 0

    found = cases(client, name)
    assert sorted(found) == [f"r{i}" for i in range(6)]
    first = found["r0"]
    assert first["output"] == "A: q0"  # the variables came from the record's input
    assert first["scores"] == {"exact_match": 1.0, "right": 1.0}
    assert found["r1"]["scores"]["exact_match"] == 0.0
    assert first["dataset_record_id"] == "r0" and first["metadata"] == {"n": 0}
    assert first["cost"] > 0 and first["total_tokens"] > 0 and first["duration_ms"] > 0

    trace = client.get(f"/api/v1/projects/{P}/traces/{first['trace_id']}").json()
    assert trace["span_count"] == 2 and len(trace["roots"]) == 1
    spans = _flatten(trace["roots"][0])
    assert [(s["kind"], s["name"]) for s in spans] == [("eval", name), ("llm", "llm.chat")]
    assert spans[0]["span_id"] == first["span_id"] and spans[0]["expected"] == "A: q0"
    assert spans[1]["input"][1] == {"role": "user", "content": "Q: q0"}
    scores = client.get(f"/api/v1/projects/{P}/traces/{first['trace_id']}/scores").json()
    judged = next(s for s in scores if s["name"] == "right")
    assert (judged["source"], judged["judge"], judged["label"]) == ("llm_judge", "right", "yes")


def _flatten(span: dict[str, Any]) -> list[dict[str, Any]]:
    found = [span]
    for child in span.get("children") or []:
        found.extend(_flatten(child))
    return found


def test_two_runs_on_a_dataset_compare_like_any_experiments(
    client: TestClient, store: Store, fake: FakeLLMServer
) -> None:
    model(fake)
    dataset(client, questions(6))
    first = start(client, scorers=[{"scorer": "exact_match"}], name="plain")
    other = {**VARIANT, "messages": [{"role": "user", "content": "Q: {{question}} wrong"}]}
    second = start(client, variant=other, scorers=[{"scorer": "exact_match"}], name="changed")
    with worker(store):
        wait_until(lambda: ended(client, "plain") and ended(client, "changed"))
    assert (first["experiment"], second["experiment"]) == ("plain", "changed")
    comparison = client.get(f"{EXPERIMENTS}/changed/compare").json()
    assert comparison["baseline"] == "plain"  # the dataset's previous run
    scorer = next(s for s in comparison["scorers"] if s["name"] == "exact_match")
    assert (scorer["baseline_mean"], scorer["experiment_mean"]) == (0.5, 0.0)
    assert len(comparison["cases"]) == 6  # paired by record


def test_a_missing_variable_fails_only_its_case(
    client: TestClient, store: Store, fake: FakeLLMServer
) -> None:
    model(fake)
    records = [*questions(3), {"id": "odd", "input": {"topic": "x"}, "expected": "A: x"}]
    dataset(client, records)
    started = start(client, scorers=[{"scorer": "exact_match"}])
    with worker(store):
        state = wait_until(lambda: ended(client, started["experiment"]))
    assert (state["status"], state["done"]) == ("finished", 4)
    found = cases(client, started["experiment"])
    assert "question" in found["odd"]["error"]["message"] and found["odd"]["scores"] == {}
    assert all(found[f"r{i}"]["error"] is None for i in range(3))
    experiment = client.get(f"{EXPERIMENTS}/{started['experiment']}").json()
    assert experiment["error_count"] == 1


def test_a_plain_input_is_the_input_variable_and_pages_move_the_progress(
    client: TestClient, store: Store, fake: FakeLLMServer
) -> None:
    model(fake)
    dataset(client, [{"id": f"p{i:02}", "input": f"n{i}"} for i in range(45)])
    variant = {**VARIANT, "messages": [{"role": "user", "content": "Q: {{input}}"}]}
    started = start(client, variant=variant, concurrency=8)
    with worker(store):
        state = wait_until(lambda: ended(client, started["experiment"]))
    assert (state["status"], state["done"], state["total"]) == ("finished", 45, 45)
    assert cases(client, started["experiment"])["p07"]["output"] == "A: n7"
    job = client.get(f"/api/v1/projects/{P}/jobs/{started['job_id']}").json()
    assert job["status"] == "done" and job["progress_done"] == job["progress_total"] == 45
    assert job["result"]["pages"] == 3  # 20 records a page


def test_a_cancelled_run_ends_interrupted_keeping_its_cases(
    client: TestClient, store: Store, fake: FakeLLMServer
) -> None:
    model(fake)
    fake.delay = 0.3  # each answer takes a while
    dataset(client, questions(6))
    started = start(client, concurrency=1)
    name = started["experiment"]
    with worker(store, lease_seconds=0.6):
        wait_until(lambda: run_state(client, name)["done"] >= 2)
        cancelled = client.post(f"{RUNS}/{name}/cancel")
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.json()["status"] == "interrupted"
    # the worker has stopped: the run in hand ended at its next case
    job = client.get(f"/api/v1/projects/{P}/jobs/{started['job_id']}").json()
    assert job["status"] == "cancelled"
    state = run_state(client, name)
    assert state["status"] == "interrupted" and 2 <= state["done"] < 6
    assert len(cases(client, name)) == state["done"]
    assert client.get(f"{EXPERIMENTS}/{name}").json()["status"] == "interrupted"
    again = client.post(f"{RUNS}/{name}/cancel")
    assert again.status_code == 409 and "interrupted already" in again.json()["error"]["message"]


def test_a_provider_outage_retries_then_interrupts_the_run_with_the_error(
    client: TestClient, store: Store, fake: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_JOB_BACKOFF_BASE", "0.01")
    monkeypatch.setenv("ASSAY_JOB_BACKOFF_CAP", "0.02")
    monkeypatch.setenv("ASSAY_JOB_MAX_ATTEMPTS", "2")
    llm.configure_provider(
        "openai", base_url=fake.openai_base_url, api_key="sk-test", max_retries=1, **FAST
    )
    fake.respond_with(lambda body: FakeReply(status=500, content="the provider is down"))
    dataset(client, questions(3))
    started = start(client)
    with worker(store):
        state = wait_until(lambda: ended(client, started["experiment"]))
    assert state["status"] == "interrupted" and state["done"] == 0
    assert "failed with 500" in state["error"] and "could not run" in state["error"]
    job = client.get(f"/api/v1/projects/{P}/jobs/{started['job_id']}").json()
    assert (job["status"], job["attempts"]) == ("dead", 2)


def test_the_checks_say_what_is_wrong_before_anything_runs(
    client: TestClient, fake: FakeLLMServer
) -> None:
    def post(**fields: Any) -> Any:
        return client.post(RUNS, json={"variant": VARIANT, "dataset": "qa"} | fields)

    dataset(client, questions(2))
    missing = post(dataset="nope")
    assert missing.status_code == 404 and "'nope' does not exist" in missing.text
    assert post(dataset_version=9).status_code == 404
    assert "no version 9" in post(dataset_version=9).json()["error"]["message"]
    unknown = post(scorers=[{"scorer": "no_such"}, {"judge": "ghost"}])
    assert unknown.status_code == 422
    fields = [d["field"] for d in unknown.json()["error"]["details"]]
    assert fields == ["body.scorers.0.scorer", "body.scorers.1.judge"]
    no_model = post(variant={"messages": VARIANT["messages"]})
    assert no_model.status_code == 422 and "model" in no_model.json()["error"]["message"]
    no_prompt = post(variant={"prompt": {"name": "ghost"}})
    assert no_prompt.status_code == 404 and "ghost" in no_prompt.text
    assert post(baseline="ghost").status_code == 404
    empty = client.post(f"/api/v1/projects/{P}/datasets", json={"name": "empty"})
    assert empty.status_code == 201
    assert post(dataset="empty").status_code == 422
    assert client.get(f"{RUNS}/ghost").status_code == 404
    assert client.post(f"{RUNS}/ghost/cancel").status_code == 404
    assert client.get("/api/v1/projects/nowhere/playground/experiments/x").status_code == 404


def test_a_saved_prompt_version_is_recorded_on_the_experiment(
    client: TestClient, store: Store, fake: FakeLLMServer
) -> None:
    model(fake)
    saved = {"messages": VARIANT["messages"], "model": "gpt-4o-mini", "labels": ["production"]}
    made = client.post(f"/api/v1/projects/{P}/prompts/answer/versions", json=saved)
    assert made.status_code in (200, 201), made.text
    dataset(client, questions(2))
    started = start(client, variant={"prompt": {"name": "answer", "label": "production"}})
    assert started["experiment"].startswith("playground-answer-")
    with worker(store):
        wait_until(lambda: ended(client, started["experiment"]))
    experiment = client.get(f"{EXPERIMENTS}/{started['experiment']}").json()
    assert experiment["metadata"]["prompt"] == {"name": "answer", "version": 1}
    assert experiment["case_count"] == 2 and experiment["status"] == "finished"


def test_a_registered_agent_runs_over_a_dataset_with_its_parameters(
    client: TestClient, store: Store
) -> None:
    def task(question: str, parameters: dict[str, Any]) -> str:
        return f"{parameters['style']}: {question}"

    served = assay.serve_agent(task, parameters={"style": "plain"}, port=0, block=False)
    try:
        registered = client.put(f"/api/v1/projects/{P}/agents/helper", json={"url": served.url})
        assert registered.status_code in (200, 201), registered.text
        dataset(client, questions(3))
        variant = {"agent": "helper", "parameters": {"style": "loud"}}
        started = start(client, variant=variant, scorers=[{"scorer": "exact_match"}])
        assert started["experiment"].startswith("playground-helper-")
        with worker(store):
            state = wait_until(lambda: ended(client, started["experiment"]))
    finally:
        served.close()
    assert (state["status"], state["done"]) == ("finished", 3)
    found = cases(client, started["experiment"])
    assert found["r1"]["output"] == "loud: q1" and found["r1"]["error"] is None
    experiment = client.get(f"{EXPERIMENTS}/{started['experiment']}").json()
    assert experiment["metadata"]["agent"] == "helper"
    assert experiment["metadata"]["parameters"] == {"style": "loud"}
    trace = client.get(f"/api/v1/projects/{P}/traces/{found['r1']['trace_id']}").json()
    assert trace["roots"][0]["kind"] == "eval"  # the agent's own spans would join it


def test_a_judge_refused_by_the_projects_provider_says_which_provider_to_fix(
    client: TestClient,
    store: Store,
    fake: FakeLLMServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the judge's model routes to the project's provider "graders", whose key the provider
    # refuses: the case's score error names that provider and the API that fixes it, not the
    # server's internal name of it nor configure_provider() (which only the SDK has)
    monkeypatch.setenv("ASSAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSAY_SECRET_KEY", Fernet.generate_key().decode())
    key = "sk-graders-0a1b2c3d4e5f"

    def respond(body: dict[str, Any]) -> FakeReply:
        if body.get("tools"):
            return FakeReply(status=401, content="Incorrect API key provided")
        return FakeReply(content="A: " + body["messages"][-1]["content"].removeprefix("Q: "))

    fake.respond_with(respond)
    saved = client.put(
        f"/api/v1/projects/{P}/providers/graders",
        json={"base_url": fake.openai_base_url, "api_key": key},
    )
    assert saved.status_code == 200, saved.text
    judge(client, name="right", prompt=JUDGE_PROMPT, model="graders/judge-model")
    dataset(client, questions(1))
    started = start(client, scorers=[{"judge": "right"}])
    with worker(store):
        state = wait_until(lambda: ended(client, started["experiment"]))
    assert state["status"] == "finished"
    error = cases(client, started["experiment"])["r0"]["score_errors"]["right"]["message"]
    assert "'graders'" in error and "PUT …/providers/graders" in error, error
    assert "project-" not in error and "configure_provider" not in error and key not in error


def test_a_run_whose_job_cannot_be_queued_does_not_stay_running(
    client: TestClient, store: Store
) -> None:
    dataset(client, questions(2))
    engine: sa.Engine = store.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:  # the job queue is broken (a fresh database per test)
        conn.execute(sa.text("DROP TABLE jobs"))
    body = {"variant": VARIANT, "dataset": "qa", "name": "doomed"}
    failed = client.post(RUNS, json=body)
    assert failed.status_code >= 500 and "jobs" not in failed.text, failed.text
    made = client.get(f"{EXPERIMENTS}/doomed")
    assert made.status_code == 200, made.text
    assert made.json()["status"] == "interrupted"
