"""Judges in the browser: the judges list, a judge's agreement with people (confusion matrix,
kappa, the diverging flag), its disagreements, each opening the trace, and one added to a
dataset of human labels; then production traces to a dataset, and the compare view linking a
case to the production trace it was born from.
"""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.e2e.conftest import SHOTS
from tests.integration.conftest import ServerProcess

PROJECT = "support-bot"
P = f"/api/v1/projects/{PROJECT}"
#: What the support lead said of each trace; the judge calls every answer helpful.
LEAD = ["helpful"] * 5 + ["somewhat", "helpful", "unhelpful", "helpful", "somewhat"] * 2
CHOICES = {"helpful": 1.0, "somewhat": 0.5, "unhelpful": 0.0}


def _traces(api: httpx.Client, count: int, *, tag: str | None = None) -> list[tuple[str, str]]:
    """``count`` one-span traces of questions and answers; their (trace_id, span_id)."""
    now = time.time() - 600
    spans, ids = [], []
    for i in range(count):
        trace_id, span_id = f"{i + 1:032x}", f"{i + 1:016x}"
        ids.append((trace_id, span_id))
        spans.append(
            {
                "trace_id": trace_id,
                "span_id": span_id,
                "name": "answer",
                "kind": "agent",
                "start_time": now + i,
                "end_time": now + i + 0.5,
                "input": f"Question number {i + 1}: where is my parcel?",
                "output": f"Answer {i + 1}: it is on its way.",
                "tags": [tag] if tag and i % 2 == 0 else [],
            }
        )
    sent = api.post("/api/v1/spans", json={"project": PROJECT, "spans": spans})
    assert sent.status_code < 300, sent.text
    return ids


def _judge_and_scores(api: httpx.Client) -> list[tuple[str, str]]:
    ids = _traces(api, len(LEAD))
    judge = {
        "name": "helpfulness",
        "prompt": "How much does this answer help?\n\n{{input}}\n\n{{output}}",
        "choices": CHOICES,
        "model": "gpt-4o-mini",
        "description": "Does the bot's answer help the customer?",
        "threshold": 0.6,
    }
    assert api.post(f"{P}/judges", json=judge).status_code == 201
    scores: list[dict[str, Any]] = []
    for (trace_id, span_id), label in zip(ids, LEAD, strict=True):
        target = {"trace_id": trace_id, "span_id": span_id, "name": "helpfulness"}
        scores.append(
            {**target, "value": 1.0, "label": "helpful", "source": "llm_judge",
             "judge": "helpfulness", "judge_version": 1,
             "rationale": f"The answer to trace {trace_id[-2:]} addresses the question."}
        )  # fmt: skip
        scores.append(
            {**target, "value": CHOICES[label], "label": label, "source": "human",
             "author": "lead@example.com"}
        )  # fmt: skip
    posted = api.post(f"{P}/scores", json={"scores": scores})
    assert posted.status_code < 300, posted.text
    return ids


def test_a_judges_agreement_disagreements_and_a_label_added_to_a_dataset(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    _judge_and_scores(api)
    page.goto(f"/projects/{PROJECT}/judges")
    row = page.get_by_role("row").filter(has_text="helpfulness")
    expect(row.get_by_test_id("diverging-badge")).to_be_visible()
    expect(row).to_contain_text("gpt-4o-mini")
    page.screenshot(path=str(SHOTS / "judges_list.png"), full_page=True)
    row.get_by_role("link", name="helpfulness").click()

    expect(page).to_have_url(re.compile(r"/judges/helpfulness$"))
    expect(page.get_by_test_id("diverging-alert")).to_contain_text("below the threshold 0.6")
    kappa = page.get_by_test_id("metric-cohen_kappa")
    expect(kappa).to_contain_text("Cohen's kappa")
    expect(kappa).to_contain_text("0.00")  # the judge always says "helpful": no better than chance
    matrix = page.get_by_test_id("confusion-matrix")
    expect(matrix.get_by_test_id("cell-0-0")).to_have_text("9")  # both said helpful
    expect(matrix.get_by_test_id("cell-1-0")).to_have_text("4")  # lead: somewhat, judge: helpful
    expect(matrix.get_by_test_id("cell-2-0")).to_have_text("2")
    page.screenshot(path=str(SHOTS / "judge_agreement.png"), full_page=True)

    page.get_by_role("tab", name=re.compile("Disagreements")).click()
    expect(page).to_have_url(re.compile(r"tab=disagreements"))
    rows = page.get_by_test_id("disagreement")
    expect(rows).to_have_count(6)
    first = rows.first
    expect(first.get_by_test_id("human-verdict")).to_have_text(re.compile("somewhat|unhelpful"))
    expect(first.get_by_test_id("judge-verdict")).to_have_text("helpful")
    expect(first).to_contain_text("addresses the question")
    page.screenshot(path=str(SHOTS / "judge_disagreements.png"), full_page=True)

    first.get_by_role("link", name="Open trace").click()
    expect(page).to_have_url(re.compile(r"/traces/[0-9a-f]{32}\?span=[0-9a-f]{16}$"))
    trace_id = re.search(r"/traces/([0-9a-f]{32})", page.url).group(1)  # type: ignore[union-attr]
    expect(page.get_by_text("where is my parcel?").first).to_be_visible()
    page.go_back()

    rows.first.get_by_role("button", name="Add to dataset").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Name of the new dataset")).to_have_value("helpfulness-human-labels")
    expect(dialog.get_by_test_id("body-input")).to_contain_text("where is my parcel?")
    dialog.get_by_role("button", name="Add to helpfulness-human-labels").click()
    expect(
        rows.first.get_by_role("link", name=re.compile("In helpfulness-human-labels"))
    ).to_be_visible()

    records = api.get(f"{P}/datasets/helpfulness-human-labels/records").json()["items"]
    assert len(records) == 1
    (record,) = records
    human = LEAD[int(trace_id, 16) - 1]
    assert record["expected"] == human and record["input"].startswith("Question number")
    assert record["source"]["trace_id"] == trace_id
    assert record["source"]["judge"] == "helpfulness" and record["source"]["judge_version"] == 1
    assert record["source"]["project"] == PROJECT
    assert record["metadata"]["judge_label"] == "helpful"

    page.goto(f"/projects/{PROJECT}/datasets/helpfulness-human-labels")
    expect(page.get_by_test_id("record-provenance")).to_contain_text("judge helpfulness v1")


def test_the_threshold_is_edited_and_the_flag_follows(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    _judge_and_scores(api)
    page.goto(f"/projects/{PROJECT}/judges/helpfulness")
    expect(page.get_by_test_id("diverging-alert")).to_be_visible()
    page.get_by_label("falls below").fill("-0.5")
    page.get_by_role("button", name="Save threshold").click()
    expect(page.get_by_text("Within its threshold")).to_be_visible()
    assert api.get(f"{P}/judges/helpfulness").json()["threshold"] == -0.5
    page.get_by_role("tab", name="Definition").click()
    prompt = page.get_by_test_id("judge-prompt")
    expect(prompt).to_contain_text("How much does this answer help?")
    expect(prompt.get_by_text("output", exact=True)).to_be_visible()


def test_no_judges_explains_how_to_push_one(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    _traces(api, 1)
    page.goto(f"/projects/{PROJECT}/judges")
    expect(page.get_by_test_id("empty-state")).to_contain_text("No judges in this project yet")
    expect(page.get_by_text("assay.push_judge(")).to_be_visible()


def test_add_the_filtered_traces_to_a_dataset(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    _traces(api, 6, tag="escalated")
    page.goto(f"/projects/{PROJECT}/traces?tag=escalated")
    expect(page.get_by_role("link", name="answer")).to_have_count(3)
    page.get_by_role("button", name="Add all to dataset").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name of the new dataset").fill("escalations")
    dialog.get_by_role("button", name="Add traces").click()
    expect(dialog.get_by_role("status")).to_contain_text("3 records added to escalations")
    records = api.get(f"{P}/datasets/escalations/records").json()["items"]
    assert len(records) == 3
    assert all(r["source"]["trace_id"] and r["source"]["span_id"] for r in records)
    assert records[0]["expected"].startswith("Answer ")


def test_a_case_links_the_production_trace_it_came_from(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    ((trace_id, span_id),) = _traces(api, 1)
    api.post(f"{P}/datasets", json={"name": "golden"})
    source = {"trace_id": trace_id, "span_id": span_id, "project": PROJECT}
    api.post(
        f"{P}/datasets/golden/records",
        json={"records": [{"id": "r1", "input": "Where is my parcel?", "source": source}]},
    )
    for name, value in (("v1", 1.0), ("v2", 0.0)):
        api.post(f"{P}/experiments", json={"name": name, "dataset": {"name": "golden"}})
        case = {"case_id": "r1", "input": "Where is my parcel?", "output": name,
                "scores": {"em": value}, "dataset_record_id": "r1"}  # fmt: skip
        api.post(f"{P}/experiments/{name}/cases", json={"cases": [case]})
        api.post(f"{P}/experiments/{name}/finish", json={"status": "finished"})
    page.goto(f"/projects/{PROJECT}/experiments/compare?experiments=v1,v2")
    link = page.get_by_test_id("case-source")
    expect(link).to_have_text(re.compile("from production trace"))
    expect(link).to_have_attribute("href", f"/projects/{PROJECT}/traces/{trace_id}?span={span_id}")
