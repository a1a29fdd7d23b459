"""Versioned datasets against a real ``assay serve``: the SDK handle, the CLI, an Eval over one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

import assay
from assay import Eval
from assay.scorers import exact_match
from tests.integration.conftest import ServerProcess, child_env

PROJECT = "datasets-it"


def datasets_cli(server: ServerProcess, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``assay datasets ARGS`` against the server, as a user would."""
    cmd = [sys.executable, "-m", "assay.cli", "datasets", *args]
    env = child_env(ASSAY_API_URL=server.url, ASSAY_PROJECT=PROJECT)
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_the_sdk_inserts_updates_deletes_and_reads_any_version(
    server: ServerProcess, api: httpx.Client
) -> None:
    ds = assay.dataset(PROJECT, "golden", api_url=server.url)
    assert ds.version == 0 and ds.to_list() == []
    a = ds.insert("2+2", expected="4", metadata={"topic": "sums"}, tags=["easy"])
    b = ds.insert("3*3", expected="6")
    batch = ds.insert_many([{"input": "10/2", "expected": "5"}, {"input": "1-1", "id": "zero"}])
    assert batch.version == 3 and batch.ids[1] == "zero" and batch.rejected == []
    fixed = ds.update(b, expected="9")
    assert fixed.updated_version == 4 and fixed.created_version == 2
    assert ds.delete(a) == 5

    assert ds.version == 5
    latest = ds.to_list()
    assert [(r.id, r.input, r.expected) for r in latest] == [
        (b, "3*3", "9"),
        (batch.ids[0], "10/2", "5"),
        ("zero", "1-1", None),
    ]
    first = ds.at(1).to_list()
    assert [(r.id, r.input, r.metadata, r.tags) for r in first] == [
        (a, "2+2", {"topic": "sums"}, ["easy"])
    ]
    assert [r.expected for r in ds.to_list(version=3) if r.id == b] == ["6"]
    versions = api.get(f"/api/v1/projects/{PROJECT}/datasets/golden/versions").json()
    assert [(v["version"], v["inserted"], v["updated"], v["deleted"], v["record_count"])
            for v in versions] == [
        (1, 1, 0, 0, 1), (2, 1, 0, 0, 2), (3, 2, 0, 0, 4), (4, 0, 1, 0, 4), (5, 0, 0, 1, 3),
    ]  # fmt: skip


def test_push_keeps_good_rows_reports_bad_ones_by_line_then_pull_and_export(
    server: ServerProcess, tmp_path: Path
) -> None:
    rows = [
        '{"input": "Where is my order?", "expected": "It ships tomorrow."}',
        "{not json",
        '{"expected": "no input"}',
        "",
        '{"input": {"messages": [{"role": "user", "content": "Refund?"}]}, "expected": "Yes."}',
        '{"input": "bad tags", "tags": "vip"}',
        json.dumps({"input": "id too long", "id": "x" * 300}),
        '{"input": "Do you ship abroad?", "expected": "Yes, to 30 countries.", "tags": ["ship"]}',
    ]
    path = tmp_path / "golden.jsonl"
    path.write_text("\n".join(rows) + "\n")
    pushed = datasets_cli(server, tmp_path, "push", "golden", str(path))
    assert pushed.returncode == 1, pushed.stdout + pushed.stderr
    assert "stored 3 records in datasets-it/golden version 1; 4 rows left out" in pushed.stdout
    problems = pushed.stderr.splitlines()
    assert [p.split(":")[1].strip() for p in problems] == [
        "line 2", "line 3", "line 6", "line 7",
    ]  # fmt: skip
    assert "not valid JSON" in problems[0] and "no 'input'" in problems[1]
    assert "200" in problems[3]  # the server's reason, mapped back to the file's line

    more = tmp_path / "more.csv"
    more.write_text("input,expected,channel\nCancel my order,Done.,email\n")
    again = datasets_cli(server, tmp_path, "push", "golden", str(more))
    assert again.returncode == 0, again.stderr
    assert "version 2" in again.stdout

    v1 = jsonl(datasets_cli(server, tmp_path, "pull", "golden", "--version", "1").stdout)
    assert [r["input"] for r in v1][0::2] == ["Where is my order?", "Do you ship abroad?"]
    latest = jsonl(datasets_cli(server, tmp_path, "pull", "golden").stdout)
    assert len(latest) == 4
    assert latest[-1]["metadata"] == {"channel": "email"} and latest[-1]["created_version"] == 2

    out = tmp_path / "train.jsonl"
    exported = datasets_cli(
        server, tmp_path, "export", "golden", "--format", "chat-jsonl", "--system", "Be kind.",
        "-o", str(out),
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert "exported 4 examples" in exported.stderr
    examples = jsonl(out.read_text())
    assert examples[0] == {
        "messages": [
            {"role": "system", "content": "Be kind."},
            {"role": "user", "content": "Where is my order?"},
            {"role": "assistant", "content": "It ships tomorrow."},
        ]
    }
    assert examples[1]["messages"][1:] == [
        {"role": "user", "content": "Refund?"},
        {"role": "assistant", "content": "Yes."},
    ]


def test_an_eval_over_a_dataset_records_its_name_and_version(
    server: ServerProcess, api: httpx.Client
) -> None:
    ds = assay.dataset(PROJECT, "capitals", api_url=server.url)
    ds.insert_many(
        [
            {"input": "France", "expected": "Paris"},
            {"input": "Italy", "expected": "Rome"},
            {"input": "Spain", "expected": "Madrid"},
        ]
    )
    gone = ds.to_list()[2].id
    ds.delete(gone)  # version 2 holds two records

    answers = {"France": "Paris", "Italy": "Milan", "Spain": "Madrid"}
    result = Eval(
        PROJECT,
        data=ds,
        task=lambda country: answers[country],
        scores=[exact_match()],
        experiment_name="capitals-v1",
        api_url=server.url,
        quiet=True,
    )
    assert result.url is not None and len(result.cases) == 2

    exp = api.get(f"/api/v1/projects/{PROJECT}/experiments/capitals-v1").json()
    assert exp["dataset"] == {"name": "capitals", "version": 2}
    assert exp["summary"]["exact_match"]["mean"] == 0.5
    cases = api.get(f"/api/v1/projects/{PROJECT}/experiments/capitals-v1/cases").json()["items"]
    ids = {r.id for r in ds.to_list()}
    assert {c["case_id"] for c in cases} == ids
    assert {c["dataset_record_id"] for c in cases} == ids


def test_export_keeps_only_records_whose_source_passed_human_review(
    server: ServerProcess, api: httpx.Client, tmp_path: Path
) -> None:
    ds = assay.dataset(PROJECT, "reviewed", api_url=server.url)
    sources = {"good": "a" * 32, "poor": "b" * 32}
    for text, trace in sources.items():
        ds.insert(
            input=f"{text} question",
            expected=f"{text} answer",
            source={"trace_id": trace, "span_id": "1" * 16},
        )
    ds.insert(input="never reviewed", expected="no source")
    scores = [
        {"trace_id": sources["good"], "span_id": "1" * 16, "name": "correct", "value": 0.9,
         "source": "human", "author": "lead"},
        {"trace_id": sources["poor"], "span_id": "1" * 16, "name": "correct", "value": 0.2,
         "source": "human", "author": "lead"},
        {"trace_id": sources["poor"], "span_id": "1" * 16, "name": "correct", "value": 1.0,
         "source": "llm_judge", "scorer": "judge"},
    ]  # fmt: skip
    posted = api.post(f"/api/v1/projects/{PROJECT}/scores", json={"scores": scores})
    assert posted.status_code == 200, posted.text

    out = tmp_path / "reviewed.jsonl"
    exported = datasets_cli(
        server, tmp_path, "export", "reviewed", "--format", "chat-jsonl",
        "--min-score", "correct=0.8", "-o", str(out),
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    examples = jsonl(out.read_text())
    assert [e["messages"][-1]["content"] for e in examples] == ["good answer"]
