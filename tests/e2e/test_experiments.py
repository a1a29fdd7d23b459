"""Experiments in the browser: the list with the change from the baseline, compare two runs and
see the case that regressed (with its output diff), filter to regressions, open the case's trace.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

import assay
from assay import Eval
from assay.scorers import exact_match
from tests.e2e.conftest import SHOTS
from tests.integration.conftest import ServerProcess

PROJECT = "qa-bot"
CASES = [
    {"input": "What is the capital of France?", "expected": "Paris"},
    {"input": "What is the capital of Italy?", "expected": "Rome"},
    {"input": "What is the capital of Spain?", "expected": "Madrid"},
    {"input": "What is the capital of Japan?", "expected": "Tokyo"},
]
ANSWERS = {c["input"]: c["expected"] for c in CASES}


def _run(server: ServerProcess, name: str, answers: dict[str, str]) -> None:
    Eval(
        PROJECT,
        data=CASES,
        task=lambda question: answers[question],
        scores=[exact_match()],
        experiment_name=name,
        api_url=server.url,
        quiet=True,
    )


def _two_runs(server: ServerProcess) -> None:
    """v1 answers every case right; v2 gets France wrong (a regression against v1)."""
    _run(server, "v1", ANSWERS)
    _run(server, "v2", {**ANSWERS, "What is the capital of France?": "Lyon, I believe"})


def test_compare_two_experiments_shows_the_regressed_case(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    _two_runs(server)
    page.goto(f"/projects/{PROJECT}/experiments")
    table = page.get_by_role("table", name="Experiments")
    v2 = table.get_by_role("row").filter(has=page.get_by_role("link", name="v2", exact=True))
    expect(v2.get_by_text("vs v1")).to_be_visible()
    expect(v2.get_by_text("−0.250")).to_be_visible()  # exact_match fell from 1.000 to 0.750
    expect(v2.get_by_text("0.750")).to_be_visible()
    page.screenshot(path=str(SHOTS / "experiments_list.png"), full_page=True)

    page.get_by_label("Pick v2").check()
    page.get_by_label("Pick v1").check()
    page.get_by_role("button", name="Compare 2 experiments").click()
    expect(page).to_have_url(re.compile(r"/experiments/compare\?experiments=v1,v2$"))
    summary = page.get_by_test_id("compare-summary")
    exact = summary.get_by_role("row").filter(has_text="exact_match")
    expect(exact.get_by_text("−0.250")).to_be_visible()
    expect(exact.get_by_text("1 worse")).to_be_visible()  # latency rows may move too

    rows = page.get_by_test_id("case-row")
    expect(rows).to_have_count(4)
    regressed = rows.first  # the largest regression comes first
    expect(regressed.get_by_test_id("case-status")).to_have_text("Regressed")
    expect(regressed.get_by_text("What is the capital of France?")).to_be_visible()
    diff = regressed.get_by_test_id("output-diff")
    expect(diff.locator("del")).to_have_text("Paris")
    expect(diff.locator("ins")).to_contain_text("Lyon")
    page.screenshot(path=str(SHOTS / "experiments_compare.png"), full_page=True)

    page.get_by_text("Regressed 1").click()
    expect(page).to_have_url(re.compile(r"filter=regressed"))
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("case-status")).to_have_text("Regressed")
    page.get_by_label("Search inputs").fill("Japan")
    expect(page.get_by_text("No case matches")).to_be_visible()
    page.get_by_label("Search inputs").fill("")
    expect(rows).to_have_count(1)

    cases = api.get(f"/api/v1/projects/{PROJECT}/experiments/v2/compare").json()["cases"]
    trace_id = next(c["trace_id"] for c in cases if c["status"] == "regressed")
    rows.first.get_by_role("link", name="Open trace").last.click()
    expect(page).to_have_url(re.compile(f"/projects/{PROJECT}/traces/{trace_id}$"))
    expect(page.get_by_text("Lyon, I believe").first).to_be_visible()


def test_an_experiment_opens_against_its_default_baseline(server: ServerProcess, page: Any) -> None:
    _two_runs(server)
    page.goto(f"/projects/{PROJECT}/experiments")
    page.get_by_role("link", name="v2", exact=True).click()
    expect(page).to_have_url(re.compile(r"/experiments/compare\?experiments=v2$"))
    expect(page.get_by_role("combobox", name="Baseline", exact=True)).to_have_value("v1")
    expect(page.get_by_test_id("compare-summary").get_by_text("−0.250")).to_be_visible()
    page.goto(f"/projects/{PROJECT}/experiments/compare?experiments=v1")
    expect(page.get_by_text("v1 has no baseline yet")).to_be_visible()


def test_no_experiments_shows_how_to_run_one(server: ServerProcess, page: Any) -> None:
    client = assay.init(project=PROJECT, api_url=server.url, flush_interval=0.05)
    with assay.span("answer", kind="agent", input="hi") as span:
        span.log(output="hello")
    client.shutdown(timeout=10)
    page.goto(f"/projects/{PROJECT}/experiments")
    empty = page.get_by_test_id("empty-state")
    expect(empty.get_by_text("No experiments yet")).to_be_visible()
    expect(empty.get_by_text("scores=[exact_match()]", exact=False)).to_be_visible()


def _lone_experiment(api: httpx.Client) -> str:
    """One experiment, through the API, on a dataset nothing else ran on: three cases worth
    reading (one wrong, one that failed) and enough others to need a second page."""
    base = f"/api/v1/projects/{PROJECT}/experiments"
    made = api.post(base, json={"name": "solo", "dataset": {"name": "capitals", "version": 1}})
    assert made.status_code == 201, made.text
    trace_id = "ab" * 16
    cases: list[dict[str, Any]] = [
        {
            "case_id": "a-france",
            "input": {"question": "What is the capital of France?"},
            "output": "Paris",
            "expected": "Paris",
            "scores": {"exact_match": 1.0},
            "trace_id": trace_id,
            "duration_ms": 850,
            "prompt_tokens": 21,
            "completion_tokens": 6,
        },
        {
            "case_id": "a-italy",
            "input": {"question": "What is the capital of Italy?"},
            "output": "Milan, I think",
            "expected": "Rome",
            "scores": {"exact_match": 0.0},
        },
        {
            "case_id": "a-spain",
            "input": {"question": "What is the capital of Spain?"},
            "expected": "Madrid",
            "error": {"type": "TimeoutError", "message": "the model did not answer in 30 s"},
        },
    ]
    cases += [
        {
            "case_id": f"filler-{i:03}",
            "input": f"filler {i}",
            "output": "ok",
            "scores": {"exact_match": 1.0},
        }
        for i in range(102)
    ]
    added = api.post(f"{base}/solo/cases", json={"cases": cases})
    assert added.json()["accepted"] == len(cases), added.text
    assert api.post(f"{base}/solo/finish", json={}).status_code == 200
    return trace_id


def test_an_experiment_alone_shows_its_cases_and_scores(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    trace_id = _lone_experiment(api)
    page.goto(f"/projects/{PROJECT}/experiments")
    page.get_by_role("link", name="solo", exact=True).click()
    expect(page.get_by_text("solo has no baseline yet")).to_be_visible()

    summary = page.get_by_test_id("experiment-summary")
    expect(summary.get_by_test_id("total-Cases")).to_have_text("105")
    expect(summary.get_by_test_id("total-Errors")).to_have_text("1")
    exact = summary.get_by_role("row").filter(has_text="exact_match")
    expect(exact).to_contain_text("0.990")  # 103 right of 104 scored

    rows = page.get_by_test_id("case-row")
    expect(rows).to_have_count(100)
    expect(page.get_by_test_id("case-count")).to_have_text("100 of 105 cases")
    france = rows.filter(has_text="What is the capital of France?")
    expect(france.get_by_test_id("case-scores")).to_contain_text("exact_match 1.00")
    expect(france).to_contain_text("850 ms · 21 in · 6 out")
    link = france.get_by_role("link", name="Open trace")
    expect(link).to_have_attribute("href", f"/projects/{PROJECT}/traces/{trace_id}")
    italy = rows.filter(has_text="What is the capital of Italy?")
    expect(italy).to_contain_text("Milan, I think")
    expect(italy).to_contain_text("Rome")
    expect(italy.get_by_test_id("case-scores")).to_contain_text("exact_match 0.00")
    spain = rows.filter(has_text="What is the capital of Spain?")
    expect(spain.get_by_test_id("case-status")).to_have_text("Errored")
    expect(spain).to_contain_text("TimeoutError: the model did not answer in 30 s")
    page.screenshot(path=str(SHOTS / "experiment_alone.png"), full_page=True)

    page.get_by_role("button", name="Load more cases").click()
    expect(rows).to_have_count(105)
    expect(page.get_by_test_id("case-count")).to_have_text("105 cases")
    expect(page.get_by_role("button", name="Load more cases")).to_have_count(0)
