"""The shipped judge example (``examples/judges``) run by ``assay eval`` against a real server.

The fake model plays the judge: it reads the answer out of the prompt and gives the label the
people gave, except on a few answers; the ``terse`` prompt confuses it on more of them, so its
agreement (Cohen's kappa) drops, the comparison shows it, and a kappa floor fails the run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

import assay
from assay.scorers import llm_judge
from assay.testing import FakeLLMServer, FakeReply
from tests.integration.conftest import REPO, ServerProcess, child_env

EXAMPLE = REPO / "examples" / "judges" / "eval_tone_judge.py"
PROJECT = "judges-it"
# Where the fake judge disagrees with the people: the answer, and the label it gives instead.
CAREFUL_MISTAKES = {"It ships Monday.": "polite"}
TERSE_MISTAKES = {
    **CAREFUL_MISTAKES,
    "Update the app.": "rude",
    "Refunds take 5 days.": "polite",
    "Read the tracking page like everyone else.": "neutral",
    "Of course, I have started the refund for you.": "neutral",
}


def labels() -> dict[str, str]:
    source = EXAMPLE.read_text()
    return {a: label for _, a, label in re.findall(r'\("(.*?)", "(.*?)", "(\w+)"\)', source)}


@pytest.fixture(scope="module")
def llm() -> Any:
    people = labels()

    def respond(body: dict[str, Any]) -> FakeReply:
        prompt = body["messages"][-1]["content"]
        terse = prompt.startswith("Customer:")
        answer = re.search(r"(?:\[Answer\]\n|\nAnswer: )(.*)", prompt).group(1)  # type: ignore[union-attr]
        mistakes = TERSE_MISTAKES if terse else CAREFUL_MISTAKES
        choice = mistakes.get(answer, people[answer])
        args = {"reasoning": f"The answer reads as {choice}.", "choice": choice}
        return FakeReply(tool_calls=[{"name": "submit_verdict", "arguments": args}])

    with FakeLLMServer() as server:
        server.respond_with(respond)
        yield server


def run_example(
    cwd: Path, server: ServerProcess, llm: FakeLLMServer, name: str, *flags: str, **env: str
) -> subprocess.CompletedProcess[str]:
    environ = child_env(
        ASSAY_API_URL=server.url, ASSAY_PROJECT=PROJECT, OPENAI_BASE_URL=llm.openai_base_url,
        OPENAI_API_KEY="sk-test", EXPERIMENT_NAME=name, **env,
    )  # fmt: skip
    cmd = [sys.executable, "-m", "assay.cli", "eval", str(EXAMPLE.parent), "--no-progress", *flags]
    return subprocess.run(cmd, cwd=cwd, env=environ, capture_output=True, text=True, timeout=90)


def kappa(agree: int, people: dict[str, int], judge: dict[str, int], n: int) -> float:
    observed = agree / n
    expected = sum(people.get(k, 0) * judge.get(k, 0) for k in people) / n**2
    return (observed - expected) / (1 - expected)


def test_a_judge_is_evaluated_against_people_like_an_agent(
    server: ServerProcess, api: httpx.Client, llm: FakeLLMServer, tmp_path: Path
) -> None:
    first = run_example(tmp_path, server, llm, "tone-careful", "--json")
    assert first.returncode == 0, first.stdout + first.stderr
    (report,) = json.loads(first.stdout)["experiments"]
    run = report["summary_scores"]
    # 11 of 12 agree; people 4/4/4, judge polite 5, neutral 3, rude 4
    expected = kappa(
        11, {"polite": 4, "neutral": 4, "rude": 4}, {"polite": 5, "neutral": 3, "rude": 4}, 12
    )
    assert run["accuracy"]["value"] == pytest.approx(11 / 12)
    assert run["cohen_kappa"]["value"] == pytest.approx(expected)
    assert run["cohen_kappa"]["metadata"]["labels"] == ["polite", "neutral", "rude"]
    assert report["summary"]["exact_match"]["mean"] == pytest.approx(11 / 12)

    # The judge is stored on the server with the terse prompt; the example fetches it by name.
    source = EXAMPLE.read_text()
    terse = re.search(r'"terse": "(.*?)",\n', source).group(1).encode().decode("unicode_escape")  # type: ignore[union-attr]
    judge = llm_judge("tone", terse, {"polite": 1.0, "neutral": 0.5, "rude": 0.0},
                      model="gpt-4o-mini")  # fmt: skip
    stored = assay.push_judge(PROJECT, judge, api_url=server.url)
    assert stored.version == 1 and stored.prompt == terse
    assert assay.push_judge(PROJECT, judge, api_url=server.url).version == 1  # unchanged
    newer = assay.push_judge(PROJECT, judge.fork(model="gpt-4o"), api_url=server.url)
    assert newer.version == 2 and assay.judge(PROJECT, "tone", api_url=server.url).model == "gpt-4o"
    second = run_example(
        tmp_path, server, llm, "tone-terse", "--fail-under", "cohen_kappa=0.6",
        JUDGE_VERSION="1",
    )  # fmt: skip
    assert second.returncode == 1, second.stdout + second.stderr
    assert "FAILED --fail-under cohen_kappa=0.6: value 0.3" in second.stderr
    assert "accuracy (run)" in second.stdout and "0.3750" in second.stdout  # the run's kappa

    exp = api.get(f"/api/v1/projects/{PROJECT}/experiments/tone-terse").json()
    assert exp["metadata"]["judge_version"] == 1 and exp["metadata"]["prompt"] == terse
    assert exp["summary_scores"]["accuracy"]["value"] == pytest.approx(7 / 12)
    cmp = api.get(f"/api/v1/projects/{PROJECT}/experiments/tone-terse/compare").json()
    assert cmp["baseline"] == "tone-careful"
    by_name = {s["name"]: s for s in cmp["summary_scores"]}
    assert by_name["accuracy"]["diff"] == pytest.approx(7 / 12 - 11 / 12)
    assert by_name["cohen_kappa"]["diff"] < 0
    wrong = [c for c in cmp["cases"] if c["status"] == "regressed"]
    assert len(wrong) == 4  # the four answers the terse prompt gets wrong
