"""``assay eval`` and ``assay experiments`` without a server: the example eval, gates, reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from assay.testing import FakeLLMServer, FakeReply
from tests.support.postgres import free_port

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "examples" / "evals"
ANSWERS = {"France": "Paris", "week": "7", "sky": "blue", "planet": "Venus"}


@pytest.fixture(scope="module")
def llm() -> FakeLLMServer:
    def respond(body: dict) -> FakeReply:  # type: ignore[type-arg]
        question = body["messages"][-1]["content"]
        return FakeReply(content=next(v for k, v in ANSWERS.items() if k in question))

    server = FakeLLMServer().start()
    server.respond_with(respond)
    yield server  # type: ignore[misc]
    server.stop()


def assay_cli(args: list[str], cwd: Path, llm: FakeLLMServer) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSAY_", "PYTEST_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(REPO)])
    env["ASSAY_API_URL"] = f"http://127.0.0.1:{free_port()}"  # nothing listens: local mode
    env["OPENAI_BASE_URL"] = llm.openai_base_url
    return subprocess.run(
        [sys.executable, "-m", "assay.cli", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_eval_json_junit_and_passing_gate(tmp_path: Path, llm: FakeLLMServer) -> None:
    junit = tmp_path / "report.xml"
    done = assay_cli(
        ["eval", str(EXAMPLE), "--json", "--junit-xml", str(junit),
         "--fail-under", "exact_match=0.7"],
        tmp_path, llm,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["passed"] is True
    (exp,) = doc["experiments"]
    assert exp["cases"] == 4 and exp["summary"]["exact_match"]["mean"] == 0.75
    assert Path(tmp_path / exp["local_file"]).is_file()
    suites = ET.parse(junit).getroot().findall("testsuite")
    assert [len(s.findall("testcase")) for s in suites] == [4, 1]
    assert suites[1].find("testcase/failure") is None


def test_failing_gate_exits_1_and_says_by_how_much(tmp_path: Path, llm: FakeLLMServer) -> None:
    done = assay_cli(
        ["eval", str(EXAMPLE / "eval_support.py"), "--no-progress",
         "--fail-under", "exact_match=0.9"],
        tmp_path, llm,
    )  # fmt: skip
    assert done.returncode == 1
    assert "--fail-under exact_match=0.9: mean 0.7500 is 0.1500 below the floor" in done.stderr
    assert "exact_match" in done.stdout


def test_bad_gate_and_missing_path_are_one_line_errors(tmp_path: Path, llm: FakeLLMServer) -> None:
    done = assay_cli(["eval", str(EXAMPLE), "--fail-under", "exact_match"], tmp_path, llm)
    assert done.returncode == 2 and "not SCORER=NUMBER" in done.stderr
    done = assay_cli(["eval", str(tmp_path / "nope")], tmp_path, llm)
    assert done.returncode == 2 and "neither a file nor a folder" in done.stderr


def test_experiments_push_without_server_names_the_url(tmp_path: Path, llm: FakeLLMServer) -> None:
    assert assay_cli(["eval", str(EXAMPLE), "--json"], tmp_path, llm).returncode == 0
    (saved,) = (tmp_path / ".assay" / "experiments").glob("*.jsonl")
    done = assay_cli(["experiments", "push", str(saved)], tmp_path, llm)
    assert done.returncode == 1
    assert "cannot reach the assay server at http://127.0.0.1:" in done.stderr
