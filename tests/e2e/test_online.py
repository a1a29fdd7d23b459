"""Online evaluation in the browser: a rule made in the form scores new production spans (its
count grows, the trace shows the rule's score), a backfill is estimated, started and followed to
the end, the rule is edited, switched off and deleted, and a dead job shows its error on the
jobs page until Retry runs it again.

The server runs its in-process worker against the fake LLM server over real HTTP.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from assay.testing import FakeLLMServer, FakeReply
from tests.e2e.conftest import SHOTS, model_server
from tests.integration.conftest import ServerProcess

PROJECT = "support-bot"
P = f"/api/v1/projects/{PROJECT}"
RULE = "helpfulness-on-answers"
#: Long enough for a worker on a loaded machine; every wait polls and ends as soon as it holds.
SLOW = 30_000


@pytest.fixture
def fake() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as llm:
        yield llm


@pytest.fixture
def server_env() -> dict[str, str]:
    """Extra settings of the server; a test overrides it with ``parametrize``."""
    return {}


@pytest.fixture
def server(
    tmp_path: Path, fake: FakeLLMServer, server_env: dict[str, str]
) -> Iterator[ServerProcess]:
    proc = model_server(tmp_path, fake.openai_base_url, **server_env)
    yield proc
    proc.stop()


def _judge(api: httpx.Client) -> None:
    judge = {
        "name": "helpfulness",
        "prompt": "Does this answer help?\n\n{{input}}\n\n{{output}}",
        "choices": {"helpful": 1.0, "unhelpful": 0.0},
        "model": "gpt-4o-mini",
    }
    made = api.post(f"{P}/judges", json=judge)
    assert made.status_code == 201, made.text


def _spans(api: httpx.Client, count: int, *, first: int = 1, name: str = "answer") -> list[str]:
    """``count`` one-span traces that ended a minute ago; their trace ids."""
    now = time.time() - 60
    spans = [
        {
            "trace_id": f"{i:032x}",
            "span_id": f"{i:016x}",
            "name": name,
            "kind": "agent",
            "start_time": now + i * 0.01,
            "end_time": now + i * 0.01 + 0.5,
            "input": f"Question {i}: where is my parcel?",
            "output": f"Answer {i}: it is on its way.",
        }
        for i in range(first, first + count)
    ]
    sent = api.post("/api/v1/spans", json={"project": PROJECT, "spans": spans})
    assert sent.status_code < 300, sent.text
    return [s["trace_id"] for s in spans]


def _rule(api: httpx.Client) -> None:
    body = {"name": RULE, "filter": {"name": "answer"}, "scorers": [{"judge": "helpfulness"}]}
    made = api.post(f"{P}/rules", json=body)
    assert made.status_code == 201, made.text


def _pick(page: Any, scope: Any, label: str, option: str) -> None:
    """Choose ``option`` in the Mantine select labelled ``label``."""
    scope.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_a_rule_made_in_the_form_scores_new_spans_and_the_trace_shows_it(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    _judge(api)
    page.goto(f"/projects/{PROJECT}/traces")
    page.get_by_role("link", name="Online", exact=True).click()
    expect(page.get_by_text("No online rules yet")).to_be_visible()
    page.get_by_role("button", name="New rule").click()

    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Create rule").click()
    expect(dialog.get_by_text("Give the rule a name.")).to_be_visible()
    expect(dialog.get_by_text("Pick a judge.")).to_be_visible()
    dialog.get_by_label(re.compile(r"^Name")).fill(RULE)
    dialog.get_by_label("Span name").fill("answer")
    dialog.get_by_label("Sample (%)").fill("100")
    _pick(page, dialog, "Judge 1", "helpfulness")
    expect(dialog.get_by_label("Version of judge 1", exact=True)).to_have_value("Latest (now v1)")
    page.screenshot(path=str(SHOTS / "online_new_rule.png"), full_page=True)
    dialog.get_by_role("button", name="Create rule").click()
    expect(dialog).to_be_hidden()

    row = page.get_by_test_id("rule-row").filter(has_text=RULE)
    expect(row).to_contain_text('name "answer"')
    expect(row).to_contain_text("helpfulness (latest)")
    expect(row).to_contain_text("100%")
    stored = api.get(f"{P}/rules/{RULE}").json()
    assert stored["filter"]["name"] == "answer" and stored["sample_rate"] == 1.0
    assert stored["scorers"] == [
        {"judge": "helpfulness", "version": None, "scorer": None, "args": {}}
    ]

    traces = _spans(api, 3)
    _spans(api, 2, first=10, name="lookup")  # not an answer: the rule leaves these alone
    expect(row.get_by_test_id("scored-spans")).to_have_text("3", timeout=SLOW)
    page.screenshot(path=str(SHOTS / "online_rules.png"), full_page=True)

    # The same name again: the server's 409 is shown in the form.
    page.get_by_role("button", name="New rule").click()
    dialog.get_by_label(re.compile(r"^Name")).fill(RULE)
    _pick(page, dialog, "Judge 1", "helpfulness")
    dialog.get_by_role("button", name="Create rule").click()
    expect(dialog.get_by_role("alert").filter(has_text="already exists")).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()

    page.goto(f"/projects/{PROJECT}/traces/{traces[0]}")
    detail = page.get_by_test_id("span-detail")
    score = detail.get_by_role("group", name="Score helpfulness")
    expect(score).to_contain_text("helpfulness v1")
    expect(score.get_by_test_id("score-rule")).to_have_text(f"rule {RULE}")
    expect(score).to_contain_text("LLM judge")
    page.screenshot(path=str(SHOTS / "online_trace_score.png"), full_page=True)
    score.get_by_test_id("score-rule").click()
    expect(page).to_have_url(re.compile(f"/online/{RULE}$"))
    expect(page.get_by_test_id("stat-scored-spans")).to_have_text("3")
    expect(page.get_by_test_id("job-row").first).to_have_attribute("data-status", "done")


def test_a_rule_page_runs_a_backfill_then_the_rule_is_edited_and_deleted(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    _judge(api)
    _spans(api, 12)  # traffic from before the rule existed
    _rule(api)
    page.goto(f"/projects/{PROJECT}/online/{RULE}")
    expect(page.get_by_test_id("stat-scored-spans")).to_have_text("0")

    backfill = page.get_by_test_id("backfill")
    backfill.get_by_text("Last hour").click()
    backfill.get_by_role("button", name="Estimate").click()
    estimate = page.get_by_test_id("backfill-estimate")
    expect(estimate.get_by_test_id("estimate-matching")).to_have_text("12")
    expect(estimate.get_by_test_id("estimate-sampled")).to_have_text("12")
    expect(estimate.get_by_test_id("estimate-already")).to_have_text("0")
    expect(estimate.get_by_test_id("estimate-calls")).to_have_text("12")
    expect(estimate.get_by_test_id("estimate-cost")).to_have_text(re.compile(r"^\$|unknown"))
    assert api.get(f"{P}/jobs", params={"kind": "backfill"}).json()["items"] == []  # dry run
    page.screenshot(path=str(SHOTS / "online_backfill_estimate.png"), full_page=True)

    estimate.get_by_role("button", name="Start backfill (12 spans)").click()
    job = page.get_by_test_id("backfill-job")
    expect(job).to_have_attribute("data-status", "done", timeout=SLOW)
    expect(job.get_by_test_id("job-progress")).to_have_attribute("data-percent", "100")
    expect(page).to_have_url(re.compile(r"backfill="))
    expect(page.get_by_test_id("stat-scored-spans")).to_have_text("12", timeout=SLOW)
    page.screenshot(path=str(SHOTS / "online_backfill_done.png"), full_page=True)

    # Estimated again: everything is scored already, so there is nothing to start.
    backfill.get_by_role("button", name="Estimate").click()
    expect(estimate.get_by_test_id("estimate-already")).to_have_text("12")
    expect(estimate.get_by_role("button", name="Nothing to score")).to_be_disabled()

    # Edited, switched off and deleted from its page.
    page.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label(re.compile(r"^Name"))).to_be_disabled()
    dialog.get_by_label("Sample (%)").fill("25")
    dialog.get_by_role("button", name="Save rule").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("rule-definition")).to_contain_text("25%")
    page.get_by_role("switch", name=f"Rule {RULE} enabled").click(force=True)
    expect(page.get_by_text("disabled", exact=True)).to_be_visible()
    stored = api.get(f"{P}/rules/{RULE}").json()
    assert stored["sample_rate"] == 0.25 and stored["enabled"] is False
    page.get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete rule").click()
    expect(page).to_have_url(re.compile(r"/online$"))
    expect(page.get_by_text("No online rules yet")).to_be_visible()
    assert api.get(f"{P}/rules/{RULE}").status_code == 404


@pytest.mark.parametrize("server_env", [{"ASSAY_JOB_MAX_ATTEMPTS": "1"}], ids=["one-attempt"])
def test_a_dead_job_shows_its_error_and_retry_runs_it_again(
    server: ServerProcess, api: httpx.Client, page: Any, fake: FakeLLMServer
) -> None:
    fake.respond_with(lambda _request: FakeReply(status=500, content="the provider is down"))
    _judge(api)
    _rule(api)
    _spans(api, 1)
    page.goto(f"/projects/{PROJECT}/online")
    dead = page.get_by_test_id("rule-row").filter(has_text=RULE).get_by_test_id("dead-jobs")
    expect(dead).to_have_text("1 dead", timeout=SLOW)
    dead.click()

    expect(page).to_have_url(re.compile(r"/jobs\?status=dead&rule=" + RULE))
    expect(page.get_by_test_id("count-dead")).to_have_text("1")
    row = page.get_by_test_id("job-row")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-status", "dead")
    expect(row).to_contain_text("1/1")
    error = row.get_by_test_id("job-error")
    expect(error).to_contain_text(re.compile("500|provider is down"))
    page.screenshot(path=str(SHOTS / "jobs_dead.png"), full_page=True)

    fake.respond_with(None)  # the provider is back
    row.get_by_role("button", name="Retry").click()
    expect(page.get_by_test_id("count-dead")).to_have_text("0", timeout=SLOW)
    page.get_by_role("button", name=re.compile("^all")).click()  # every job of the rule
    expect(page).to_have_url(re.compile(r"/jobs\?rule="))
    expect(row).to_have_attribute("data-status", "done", timeout=SLOW)
    assert api.get(f"{P}/rules/{RULE}").json()["stats"]["scored_spans"] == 1
    page.screenshot(path=str(SHOTS / "jobs_retried.png"), full_page=True)
