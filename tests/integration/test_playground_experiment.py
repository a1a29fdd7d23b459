"""A playground dataset run against a real ``assay serve`` (its in-process worker runs the job),
the model and the judge answered by the fake LLM over HTTP: the run becomes an experiment with
scored cases and traces, comparable with the next run on the same dataset."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assay.testing import FakeLLMServer, FakeReply
from tests.integration.conftest import ServerProcess
from tests.support.wait import wait_until

PROJECT = "playground-it"
BASE = f"/api/v1/projects/{PROJECT}"


def respond(body: dict[str, Any]) -> FakeReply:
    """The model answers "A: <question>"; the judge says "no" to answers with "wrong"."""
    last = body["messages"][-1]["content"]
    if body.get("tools"):
        answer = re.search(r"Answer: (.*)", last)
        choice = "no" if answer and "wrong" in answer.group(1) else "yes"
        args = {"reasoning": f"It reads as {choice}.", "choice": choice}
        return FakeReply(tool_calls=[{"name": "submit_verdict", "arguments": args}])
    return FakeReply(content="A: " + last.removeprefix("Q: "))


@pytest.fixture
def playground(db_url: str, tmp_path: Path) -> Iterator[httpx.Client]:
    """A server whose worker polls often, its models on the fake."""
    with FakeLLMServer() as fake:
        fake.respond_with(respond)
        env = {
            "OPENAI_BASE_URL": fake.openai_base_url,
            "OPENAI_API_KEY": "sk-test",
            "ASSAY_WORKER_POLL_INTERVAL": "0.1",
        }
        proc = ServerProcess(database_url=db_url, workdir=tmp_path, env=env)
        proc.start()
        try:
            with proc.client() as client:
                yield client
        finally:
            proc.stop()


def _setup(api: httpx.Client) -> None:
    assert api.post(f"{BASE}/datasets", json={"name": "qa"}).status_code == 201
    records = [
        {"id": f"r{i}", "input": {"question": f"q{i}"}, "expected": f"A: q{i}"} for i in range(6)
    ]
    added = api.post(f"{BASE}/datasets/qa/records", json={"records": records})
    assert added.status_code in (200, 201), added.text
    judge = {
        "name": "right",
        "prompt": "Is this answer right?\nQuestion: {{input}}\nAnswer: {{output}}",
        "choices": {"yes": 1.0, "no": 0.0},
        "model": "gpt-4o-mini",
    }
    assert api.post(f"{BASE}/judges", json=judge).status_code in (200, 201)


def _run(api: httpx.Client, template: str) -> dict[str, Any]:
    variant = {"messages": [{"role": "user", "content": template}], "model": "gpt-4o-mini"}
    body = {
        "variant": variant,
        "dataset": "qa",
        "scorers": [{"scorer": "exact_match"}, {"judge": "right"}],
    }
    started = api.post(f"{BASE}/playground/experiments", json=body)
    assert started.status_code == 202, started.text
    name = started.json()["experiment"]

    def ended() -> dict[str, Any] | None:
        state = api.get(f"{BASE}/playground/experiments/{name}").json()
        return state if state["status"] in ("finished", "interrupted") else None

    state = wait_until(ended)
    assert (state["status"], state["done"], state["total"]) == ("finished", 6, 6)
    return api.get(f"{BASE}/experiments/{name}").json()  # type: ignore[no-any-return]


def test_a_dataset_run_in_a_real_server_is_an_experiment_to_compare(
    playground: httpx.Client,
) -> None:
    api = playground
    _setup(api)
    first = _run(api, "Q: {{question}}")
    assert first["case_count"] == 6 and first["metadata"]["source"] == "playground"
    assert first["summary"]["exact_match"]["mean"] == 1.0
    assert first["summary"]["right"]["mean"] == 1.0
    assert first["totals"]["cost"] > 0 and first["totals"]["total_tokens"] > 0
    cases = api.get(f"{BASE}/experiments/{first['name']}/cases").json()["items"]
    trace = api.get(f"{BASE}/traces/{cases[0]['trace_id']}").json()
    root = trace["roots"][0]
    assert (root["kind"], [c["kind"] for c in root["children"]]) == ("eval", ["llm"])

    second = _run(api, "Q: {{question}} wrong")
    assert second["summary"]["exact_match"]["mean"] == 0.0
    comparison = api.get(f"{BASE}/experiments/{second['name']}/compare").json()
    assert comparison["baseline"] == first["name"]
    judged = next(s for s in comparison["scorers"] if s["name"] == "right")
    assert (judged["baseline_mean"], judged["experiment_mean"], judged["n_pairs"]) == (
        1.0, 0.0, 6,
    )  # fmt: skip
