"""``assay demo`` fills a fresh database through the real ingest path, then serves it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.conftest import ServerProcess, child_env, get_trace, list_all, walk


@pytest.mark.xdist_group("demo")
def test_demo_stores_the_support_bot_and_the_otel_job(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    cmd = [sys.executable, "-m", "assay.cli", "demo", "--exit", "--port", "0"]
    cmd += ["--data-dir", str(data)]
    done = subprocess.run(
        cmd, capture_output=True, text=True, timeout=120, env=child_env(), cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "support-bot" in done.stdout and "/api/v1/projects/support-bot/traces" in done.stdout

    server = ServerProcess(database_url=f"sqlite:///{data / 'assay.db'}", workdir=tmp_path)
    server.start()
    try:
        with server.client() as api:
            projects = {p["name"]: p for p in api.get("/api/v1/projects").json()}
            # 20 questions answered by the bot; the 2 x 15 eval cases are not production traffic
            assert projects["support-bot"]["trace_count"] == 20
            assert projects["faq-indexer"]["trace_count"] == 1

            traces = list_all(api, "/api/v1/projects/support-bot/traces", tag="refund")
            assert len(traces) >= 5
            assert len({t["session_id"] for t in traces}) == len(traces)
            trace = get_trace(api, "support-bot", traces[0]["trace_id"])
            assert trace["orphans"] == []
            spans = list(walk(trace["roots"]))
            call = next(s for s in spans if s["name"] == "call refund-agent")
            assert [c["name"] for c in call["children"]] == ["refund-agent"]
            assert {s["kind"] for s in spans} >= {"agent", "task", "tool", "llm"}

            failed = list_all(api, "/api/v1/projects/support-bot/spans", status="error")
            assert {s["name"] for s in failed} == {"search_orders"}
            assert failed[0]["error"]["type"] == "LookupError"
            check_dataset_and_experiments(api)
            check_judge(api)
            check_prompts(api)
    finally:
        server.stop()


def check_prompts(api: Any) -> None:
    """The bot's reply prompt, its labels, the llm spans it wrote, the provider and the agent."""
    base = "/api/v1/projects/support-bot"
    prompt = api.get(f"{base}/prompts/reply").json()
    assert prompt["labels"] == {"production": 1, "staging": 2}
    replies = [
        s
        for s in list_all(api, f"{base}/spans", kind="llm")
        if s["metadata"].get("prompt") == "reply"
    ]
    assert len(replies) == 20  # the last model call of every conversation
    assert {s["metadata"]["prompt_version"] for s in replies} == {1}
    [provider] = api.get(f"{base}/providers").json()
    assert provider["name"] == "openai" and "not-a-real-key" not in provider["key_hint"]
    [agent] = api.get(f"{base}/agents").json()
    assert agent["name"] == "support-bot" and agent["task"] == "support_bot"


def test_demo_refuses_to_wipe_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    cmd = [sys.executable, "-m", "assay.cli", "demo", "--exit", "--data-dir", str(tmp_path)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=child_env())
    assert done.returncode == 2
    assert "not made by `assay demo`" in done.stderr
    assert done.stderr.strip().count("\n") == 0
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def check_dataset_and_experiments(api: httpx.Client) -> None:
    """The golden dataset (two versions) and two experiments on it, the second compared."""
    base = "/api/v1/projects/support-bot"
    dataset = api.get(f"{base}/datasets/support-golden").json()
    assert (dataset["version"], dataset["record_count"]) == (2, 15)
    versions = api.get(f"{base}/datasets/support-golden/versions").json()
    assert [(v["inserted"], v["updated"]) for v in versions] == [(15, 0), (0, 1)]

    experiments = api.get(f"{base}/experiments").json()
    assert [e["name"] for e in experiments] == ["shorter-prompt", "baseline-prompt"]
    for exp in experiments:
        assert exp["status"] == "finished" and exp["case_count"] == 15
        assert exp["dataset"] == {"name": "support-golden", "version": 2}
        assert set(exp["summary"]) == {"exact_match", "levenshtein"}
        cases = api.get(f"{base}/traces", params={"experiment_id": exp["id"]}).json()["items"]
        assert len(cases) == 15 and {c["experiment_id"] for c in cases} == {exp["id"]}

    cmp = api.get(f"{base}/experiments/shorter-prompt/compare").json()
    assert cmp["baseline"] == "baseline-prompt"
    statuses = [c["status"] for c in cmp["cases"]]
    assert statuses.count("improved") >= 1 and statuses.count("regressed") >= 1
    lev = next(s for s in cmp["scorers"] if s["name"] == "levenshtein")
    assert lev["n_pairs"] == 15 and lev["ci_low"] <= lev["diff"] <= lev["ci_high"]


def check_judge(api: httpx.Client) -> None:
    """The helpfulness judge scored every production trace and disagrees with the lead."""
    base = "/api/v1/projects/support-bot/judges"
    (judge,) = api.get(base).json()
    assert (judge["name"], judge["version"], judge["threshold"]) == ("helpfulness", 1, 0.6)
    report = api.get(f"{base}/helpfulness/agreement").json()
    # the fake model picks the first choice ("helpful"); the lead said so for 14 of 20
    assert (report["kind"], report["n"]) == ("categorical", 20)
    assert report["metrics"]["accuracy"]["value"] == 0.7
    assert report["diverging"] is True
    assert "below the threshold 0.6" in " ".join(report["diverging_reasons"])
    assert len(report["disagreements"]) == 6
    assert {d["judge_label"] for d in report["disagreements"]} == {"helpful"}
    (queue,) = api.get("/api/v1/projects/support-bot/queues").json()
    assert (queue["name"], queue["reviews_per_item"]) == ("refund-answers", 2)
    assert queue["progress"]["items"] >= 5 and queue["progress"]["completed"] == 0
