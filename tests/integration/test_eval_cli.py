"""``assay eval`` against a real ``assay serve``: experiments, spans, scores, comparison, gates.

The eval file is the shipped example (``examples/evals/eval_support.py``), run by the CLI as a
subprocess; its task calls a wrapped OpenAI client pointed at :class:`FakeLLMServer`, which
answers correctly unless the system prompt asks for a "verbose" answer (every case regresses).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest

from assay.testing import FakeLLMServer, FakeReply
from tests.integration.conftest import REPO, ServerProcess, child_env, get_trace, list_all, walk
from tests.support.postgres import free_port

EXAMPLE = REPO / "examples" / "evals" / "eval_support.py"
PROJECT = "evals-it"
ANSWERS = {"France": "Paris", "week": "7", "sky": "Blue", "planet": "Mercury"}
GOOD = "Answer in as few words as possible."
VERBOSE = "Be verbose."


@pytest.fixture(scope="module")
def llm() -> Any:
    def respond(body: dict[str, Any]) -> FakeReply:
        system, question = body["messages"][0]["content"], body["messages"][-1]["content"]
        answer = next(v for k, v in ANSWERS.items() if k in question)
        return FakeReply(content=f"The answer is {answer}." if "verbose" in system else answer)

    with FakeLLMServer() as server:
        server.respond_with(respond)
        yield server


def assay_eval(
    cwd: Path, api_url: str, llm: FakeLLMServer, name: str, prompt: str, *flags: str
) -> subprocess.CompletedProcess[str]:
    """Run ``assay eval EXAMPLE FLAGS`` as a user would, against ``api_url``."""
    env = child_env(
        ASSAY_API_URL=api_url,
        ASSAY_PROJECT=PROJECT,
        OPENAI_BASE_URL=llm.openai_base_url,
        SYSTEM_PROMPT=prompt,
        EXPERIMENT_NAME=name,
    )
    cmd = [sys.executable, "-m", "assay.cli", "eval", str(EXAMPLE), "--no-progress", *flags]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def git_repo(path: Path) -> str:
    """Make ``path`` a git repository with one commit; return the commit."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(path)]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    done = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    return done.stdout.strip()


def get(api: httpx.Client, path: str) -> Any:
    response = api.get(f"/api/v1/projects/{PROJECT}{path}")
    assert response.status_code == 200, response.text
    return response.json()


def test_an_eval_run_and_its_comparison_are_readable_through_the_api(
    server: ServerProcess, api: httpx.Client, llm: FakeLLMServer, tmp_path: Path
) -> None:
    commit = git_repo(tmp_path)
    first = assay_eval(tmp_path, server.url, llm, "baseline", GOOD)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "all gates passed" in first.stdout
    junit = tmp_path / "report.xml"
    second = assay_eval(
        tmp_path, server.url, llm, "verbose", VERBOSE, "--json", "--junit-xml", str(junit)
    )
    assert second.returncode == 0, second.stdout + second.stderr

    exp = get(api, "/experiments/verbose")
    assert exp["status"] == "finished" and exp["case_count"] == 4 and exp["error_count"] == 0
    assert exp["metadata"] == {"model": "gpt-4o-mini", "system_prompt": VERBOSE}
    assert exp["summary"]["exact_match"] == {"mean": 0.0, "count": 4, "errors": 0, "stdev": 0.0}
    assert exp["totals"]["total_tokens"] > 0 and exp["totals"]["duration_ms_mean"] > 0
    assert exp["git"] == {"commit": commit, "branch": "main", "dirty": False}
    assert [e["name"] for e in get(api, "/experiments")] == ["verbose", "baseline"]

    cases = list_all(api, f"/api/v1/projects/{PROJECT}/experiments/verbose/cases")
    assert sorted(c["output"] for c in cases) == sorted(
        f"The answer is {a}." for a in ANSWERS.values()
    )
    case = next(c for c in cases if c["expected"] == "Paris")
    assert case["scores"]["exact_match"] == 0.0 and 0 < case["scores"]["levenshtein"] < 1

    trace = get_trace(api, PROJECT, case["trace_id"])
    (root,) = trace["roots"]
    assert (root["name"], root["kind"], root["span_id"]) == ("verbose", "eval", case["span_id"])
    spans = list(walk(trace["roots"]))
    assert {s["experiment_id"] for s in spans} == {exp["id"]}
    children = {c["name"]: c for c in root["children"]}
    assert set(children) == {"task", "exact_match", "levenshtein"}
    assert children["exact_match"]["kind"] == "score" and children["exact_match"]["output"] == 0.0
    (llm_span,) = children["task"]["children"]
    assert llm_span["kind"] == "llm" and llm_span["model"] == "gpt-4o-mini"
    scores = get(api, f"/traces/{case['trace_id']}/scores")
    assert {(s["name"], s["value"], s["source"], s["span_id"]) for s in scores} == {
        ("exact_match", 0.0, "code", case["span_id"]),
        ("levenshtein", case["scores"]["levenshtein"], "code", case["span_id"]),
    }

    cmp = get(api, "/experiments/verbose/compare")
    assert (cmp["experiment"], cmp["baseline"]) == ("verbose", "baseline")
    em = next(s for s in cmp["scorers"] if s["name"] == "exact_match")
    assert (em["experiment_mean"], em["baseline_mean"], em["diff"]) == (0.0, 1.0, -1.0)
    assert (em["regressed"], em["improved"], em["n_pairs"]) == (4, 0, 4)
    assert {m["name"] for m in cmp["metrics"]} == {"duration_ms", "total_tokens", "cost"}
    assert {c["status"] for c in cmp["cases"]} == {"regressed"}

    doc = json.loads(second.stdout)  # --json prints the same comparison
    assert doc["passed"] is True and doc["gates"] == []
    (reported,) = doc["experiments"]
    assert reported["comparison"]["baseline"] == "baseline"
    assert reported["url"].endswith(f"/projects/{PROJECT}/experiments/verbose")
    suites = ET.parse(junit).getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == ["verbose", "gates"]
    assert len(suites[0].findall("testcase")) == 4 and suites[0].get("failures") == "0"


def test_fail_under_passes_above_the_floor_and_fails_below_it(
    server: ServerProcess, llm: FakeLLMServer, tmp_path: Path
) -> None:
    gate = ("--fail-under", "exact_match=0.9", "--fail-under", "levenshtein=0.2")
    passing = assay_eval(tmp_path, server.url, llm, "good", GOOD, *gate)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "all gates passed" in passing.stdout and "FAILED" not in passing.stderr

    junit = tmp_path / "gates.xml"
    failing = assay_eval(
        tmp_path, server.url, llm, "bad", VERBOSE, *gate, "--junit-xml", str(junit)
    )
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert (
        "FAILED --fail-under exact_match=0.9: mean 0.0000 is 0.9000 below the floor"
        in failing.stderr
    )
    assert "levenshtein" not in failing.stderr  # that floor still holds
    gates = ET.parse(junit).getroot().findall("testsuite")[-1]
    failed = [c.get("name") for c in gates.findall("testcase") if c.find("failure") is not None]
    assert failed == ["fail_under exact_match=0.9"]


def test_fail_on_regression_passes_on_no_change_and_fails_on_a_regression(
    server: ServerProcess, llm: FakeLLMServer, tmp_path: Path
) -> None:
    assert assay_eval(tmp_path, server.url, llm, "v1", GOOD).returncode == 0
    gate = ("--fail-on-regression", "exact_match")
    same = assay_eval(tmp_path, server.url, llm, "v2", GOOD, *gate, "--json")
    assert same.returncode == 0, same.stdout + same.stderr
    assert json.loads(same.stdout)["experiments"][0]["comparison"]["baseline"] == "v1"

    worse = assay_eval(tmp_path, server.url, llm, "v3", VERBOSE, *gate, "--json")
    assert worse.returncode == 1, worse.stdout + worse.stderr
    doc = json.loads(worse.stdout)
    assert doc["passed"] is False
    (failure,) = doc["gates"]
    assert failure["gate"] == "fail_on_regression" and failure["scorer"] == "exact_match"
    assert failure["message"].startswith(
        "--fail-on-regression exact_match: mean fell by 1.0000 against baseline 'v2'"
    )
    assert "4 cases regressed" in failure["message"]


def test_a_local_run_is_uploaded_by_experiments_push(
    server: ServerProcess, api: httpx.Client, llm: FakeLLMServer, tmp_path: Path
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens: the run goes to a file
    local = assay_eval(tmp_path, nowhere, llm, "offline", GOOD)
    assert local.returncode == 0, local.stdout + local.stderr
    assert "writing the results to a local file instead" in local.stderr
    path = tmp_path / ".assay" / "experiments" / "offline.jsonl"
    assert path.is_file()

    cmd = [sys.executable, "-m", "assay.cli", "experiments", "push", str(path)]
    env = child_env(ASSAY_API_URL=server.url)
    done = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pushed experiment 'offline' to project 'evals-it': 4 cases" in done.stdout

    exp = get(api, "/experiments/offline")
    assert exp["status"] == "finished" and exp["case_count"] == 4
    assert exp["summary"]["exact_match"]["mean"] == 1.0
    cases = list_all(api, f"/api/v1/projects/{PROJECT}/experiments/offline/cases")
    trace = get_trace(api, PROJECT, cases[0]["trace_id"])
    spans = list(walk(trace["roots"]))
    assert {s["kind"] for s in spans} == {"eval", "task", "llm", "score"}
    assert {s["experiment_id"] for s in spans} == {exp["id"]}
