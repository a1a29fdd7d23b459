"""The playground in the browser: open the production prompt, edit it, run it with a streamed
answer, save it as a new version and move ``production`` to it; two variants side by side; a
variant run over a dataset that becomes an experiment compared with the previous one.

The server reaches the fake LLM server over real HTTP through ``OPENAI_BASE_URL``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from assay.testing import FakeLLMServer, FakeReply
from tests.e2e.conftest import model_server
from tests.integration.conftest import ServerProcess
from tests.support.wait import wait_until

PROJECT = "support-bot"
P = f"/api/v1/projects/{PROJECT}"
#: Long enough for a worker on a loaded machine; every wait polls and ends as soon as it holds.
SLOW = 30_000


@pytest.fixture
def fake() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as llm:
        yield llm


@pytest.fixture
def server(tmp_path: Path, fake: FakeLLMServer) -> Iterator[ServerProcess]:
    proc = model_server(tmp_path, fake.openai_base_url)
    yield proc
    proc.stop()


def _save_v1(api: httpx.Client) -> None:
    body = {
        "messages": [
            {"role": "system", "content": "You answer in one short sentence."},
            {"role": "user", "content": "Customer question: {{question}}"},
        ],
        "model": "gpt-4o-mini",
        "params": {"temperature": 0.2},
        "message": "first version",
        "labels": ["production"],
    }
    made = api.post(f"{P}/prompts/answer/versions", json=body)
    assert made.status_code == 201, made.text


def test_edit_run_save_and_promote_a_prompt(
    page: Any, api: httpx.Client, fake: FakeLLMServer
) -> None:
    _save_v1(api)
    fake.script(
        FakeReply(
            content="Your order ships tomorrow.",
            chunks=["Your order ", "ships ", "tomorrow."],
            usage={"prompt_tokens": 21, "completion_tokens": 6},
        )
    )
    page.goto(f"/projects/{PROJECT}/playground?prompt=answer&label=production")
    column = page.get_by_test_id("variant-A")
    expect(column.get_by_test_id("variant-origin")).to_have_text("answer v1 (production)")

    column.get_by_role("textbox", name="Message 1", exact=True).fill(
        "You answer warmly, in one short sentence."
    )
    expect(column.get_by_text("edited")).to_be_visible()
    page.get_by_role("textbox", name="question", exact=True).fill("Where is my order?")
    page.get_by_role("button", name="Run", exact=True).click()

    output = page.get_by_test_id("output-A")
    expect(output.get_by_test_id("output-text")).to_have_text("Your order ships tomorrow.")
    expect(output.get_by_test_id("run-facts")).to_contain_text("21 in · 6 out")
    sent = fake.requests[-1].json
    assert sent["messages"] == [
        {"role": "system", "content": "You answer warmly, in one short sentence."},
        {"role": "user", "content": "Customer question: Where is my order?"},
    ]
    assert sent["temperature"] == 0.2

    column.get_by_role("button", name="Save as new version").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("What changed").fill("Warmer tone")
    dialog.get_by_role("button", name="Save version").click()
    expect(column.get_by_role("status")).to_have_text("v2 saved")
    expect(column.get_by_test_id("variant-origin")).to_have_text("answer v2")
    expect(page).to_have_url(re.compile(r"prompt=answer&version=2$"))
    expect(output.get_by_test_id("output-text")).to_have_text("Your order ships tomorrow.")

    column.get_by_role("button", name="Promote").click()
    expect(page.get_by_test_id("move-summary")).to_contain_text("v1 → v2")
    page.get_by_role("button", name="Move production to v2").click()
    expect(column.get_by_role("status")).to_have_text("production → v2")

    prompt = api.get(f"{P}/prompts/answer").json()
    assert prompt["labels"]["production"] == 2
    v2 = api.get(f"{P}/prompts/answer/versions/2").json()
    assert v2["message"] == "Warmer tone"
    assert v2["messages"][0]["content"] == "You answer warmly, in one short sentence."
    moves = api.get(f"{P}/prompts/answer/label-moves", params={"label": "production"}).json()
    assert (moves[0]["from_version"], moves[0]["to_version"]) == (1, 2)


def test_promote_offers_the_prompts_labels_and_a_new_one(page: Any, api: httpx.Client) -> None:
    _save_v1(api)
    body = {"messages": [{"role": "user", "content": "{{question}}"}], "model": "gpt-4o-mini"}
    made = api.post(f"{P}/prompts/answer/versions", json={**body, "labels": ["beta"]})
    assert made.status_code == 201, made.text
    page.goto(f"/projects/{PROJECT}/playground?prompt=answer&version=2")
    column = page.get_by_test_id("variant-A")
    column.get_by_role("button", name="Promote").click()
    summary = page.get_by_test_id("move-summary")
    expect(summary).to_contain_text("production")
    expect(summary).to_contain_text("v1 → v2")
    page.get_by_text("staging", exact=True).click()
    expect(summary).to_contain_text("new label → v2")
    page.get_by_text("beta v2", exact=True).click()  # the prompt's own label, already on v2
    expect(summary).to_contain_text("already points there")
    expect(page.get_by_role("button", name="Move beta to v2")).to_be_disabled()

    page.get_by_text("New label…").click()
    page.get_by_label("New label", exact=True).fill("Canary EU")
    expect(page.get_by_text("Use lower-case letters", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Move Canary EU to v2")).to_be_disabled()
    page.get_by_label("New label", exact=True).fill("canary-eu")
    expect(summary).to_contain_text("new label → v2")
    page.get_by_role("button", name="Move canary-eu to v2").click()
    expect(column.get_by_role("status")).to_have_text("canary-eu → v2")
    labels = api.get(f"{P}/prompts/answer").json()["labels"]
    assert labels == {"production": 1, "beta": 2, "canary-eu": 2}


def test_two_variants_answer_side_by_side(
    page: Any, api: httpx.Client, fake: FakeLLMServer
) -> None:
    assert api.post("/api/v1/projects", json={"name": PROJECT}).status_code in (200, 201)
    fake.respond_with(
        lambda body: FakeReply(content=f"[{body['messages'][0]['content']}] {body['model']}")
    )
    page.goto(f"/projects/{PROJECT}/playground?new=1")
    a = page.get_by_test_id("variant-A")
    a.get_by_role("textbox", name="Message 1", exact=True).fill("Tone A")
    page.get_by_role("button", name="Add variant").click()
    b = page.get_by_test_id("variant-B")
    expect(b.get_by_role("textbox", name="Message 1", exact=True)).to_have_value("Tone A")
    b.get_by_role("textbox", name="Message 1", exact=True).fill("Tone B")
    b.get_by_label("Model", exact=True).fill("gpt-4o")
    page.get_by_role("textbox", name="question", exact=True).fill("Hello?")
    page.get_by_role("button", name="Run all").click()

    expect(page.get_by_test_id("output-A").get_by_test_id("output-text")).to_have_text(
        "[Tone A] gpt-4o-mini"
    )
    expect(page.get_by_test_id("output-B").get_by_test_id("output-text")).to_have_text(
        "[Tone B] gpt-4o"
    )

    b.get_by_role("button", name="Remove variant B").click()
    expect(page.get_by_test_id("variant-B")).to_have_count(0)
    expect(page.get_by_role("button", name="Run", exact=True)).to_be_visible()


def test_an_answer_streams_in_and_stop_ends_it(
    page: Any, api: httpx.Client, fake: FakeLLMServer
) -> None:
    assert api.post("/api/v1/projects", json={"name": PROJECT}).status_code in (200, 201)
    words = ["Once ", "upon ", "a ", "time ", "there ", "was ", "a ", "very ", "long ", "answer."]
    fake.script(FakeReply(content="".join(words), chunks=words, chunk_delay=1.0))
    page.goto(f"/projects/{PROJECT}/playground?new=1")
    page.get_by_role("textbox", name="question", exact=True).fill("Tell me a story")
    page.get_by_role("button", name="Run", exact=True).click()

    text = page.get_by_test_id("output-A").get_by_test_id("output-text")
    expect(text).to_contain_text("Once upon")  # the first words, long before the last
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_test_id("output-A").get_by_text("stopped")).to_be_visible()
    expect(text).not_to_contain_text("answer.")
    expect(page.get_by_role("button", name="Run", exact=True)).to_be_enabled()


def _dataset(api: httpx.Client) -> None:
    assert api.post(f"{P}/datasets", json={"name": "golden"}).status_code == 201
    records = [
        {"input": {"question": q}, "expected": q}
        for q in ("Where is my order?", "Can I get a refund?", "How do I reset my password?")
    ]
    made = api.post(f"{P}/datasets/golden/records", json={"records": records})
    assert made.status_code in (200, 201), made.text


def _baseline(api: httpx.Client) -> None:
    """A first run of the same dataset, through the API: the UI's run is compared with it."""
    variant = {"messages": [{"role": "user", "content": "{{question}}"}], "model": "gpt-4o-mini"}
    body = {
        "variant": variant,
        "dataset": "golden",
        "scorers": [{"scorer": "exact_match"}],
        "name": "first-run",
    }
    started = api.post(f"{P}/playground/experiments", json=body)
    assert started.status_code == 202, started.text

    def finished() -> bool:
        run = api.get(f"{P}/playground/experiments/first-run").json()
        assert run["status"] in ("queued", "running", "finished"), run
        return bool(run["status"] == "finished")

    wait_until(finished, timeout=SLOW / 1000)


def test_run_a_variant_over_a_dataset_becomes_an_experiment(page: Any, api: httpx.Client) -> None:
    _dataset(api)
    _baseline(api)
    page.goto(f"/projects/{PROJECT}/playground?new=1")
    page.get_by_role("button", name="Fill from dataset").click()
    page.get_by_role("dialog").get_by_label("Dataset", exact=True).click()
    page.get_by_role("option", name="golden", exact=True).click()
    page.get_by_role("listitem").filter(has_text="Can I get a refund?").click()
    expect(page.get_by_role("textbox", name="question", exact=True)).to_have_value(
        "Can I get a refund?"
    )

    page.get_by_role("button", name="Run over a dataset").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Dataset", exact=True).click()
    page.get_by_role("option", name="golden", exact=True).click()
    dialog.get_by_label("Baseline", exact=True).click()
    page.get_by_role("option", name="first-run", exact=True).click()
    dialog.get_by_label("Scorers", exact=True).click()
    page.get_by_role("option", name="exact_match", exact=True).click()
    dialog.get_by_label("Experiment name", exact=True).fill("warmer-tone")
    dialog.get_by_role("button", name="Start").click()

    run = page.get_by_test_id("dataset-run")
    expect(run.get_by_test_id("dataset-run-status")).to_have_text("finished", timeout=SLOW)
    expect(run.get_by_test_id("dataset-run-count")).to_have_text("3 of 3 records done")
    run.get_by_role("link", name="Open the experiment").click()

    expect(page).to_have_url(re.compile(r"/experiments/compare\?experiments=warmer-tone$"))
    expect(page.get_by_test_id("case-row")).to_have_count(3, timeout=SLOW)
    experiment = api.get(f"{P}/experiments/warmer-tone").json()
    assert experiment["case_count"] == 3
    assert experiment["baseline"] == "first-run"
