"""The prompt pages and model provider settings: versions, labels and their history, a diff of
two versions, provider keys shown only masked; "Open in playground" from an LLM span."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

import assay
from tests.integration.conftest import ServerProcess

PROJECT = "support-bot"
SYSTEM_V1 = "You answer questions about {{product}}.\nBe brief."
SYSTEM_V2 = "You answer questions about {{product}}.\nBe thorough and cite the refund policy."
SECRET = "sk-proj-e2eTESTkey-0123456789abcdefSECRET"


def _save_version(api: httpx.Client, system: str, **fields: Any) -> dict[str, Any]:
    body = {
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": "{{question}}"},
        ],
        "model": "gpt-4o-mini",
        **fields,
    }
    answer = api.post(f"/api/v1/projects/{PROJECT}/prompts/answer/versions", json=body)
    assert answer.status_code == 201, answer.text
    saved: dict[str, Any] = answer.json()
    return saved


def _labels(api: httpx.Client) -> dict[str, int]:
    answer = api.get(f"/api/v1/projects/{PROJECT}/prompts/answer")
    assert answer.status_code == 200, answer.text
    labels: dict[str, int] = answer.json()["labels"]
    return labels


def test_versions_compare_and_moving_production_with_undo(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    _save_version(
        api,
        SYSTEM_V1,
        params={"temperature": 0.2},
        message="First cut",
        labels=["production"],
        description="Answers customer questions",
    )
    _save_version(api, SYSTEM_V2, params={"temperature": 0.5}, message="Cite the policy")

    # The list: the prompt, its latest version and where production points.
    page.goto(f"/projects/{PROJECT}/prompts")
    row = page.get_by_test_id("prompt-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("v2")
    expect(row.get_by_test_id("label-badge")).to_have_text("production → v1")
    row.get_by_role("link", name="answer").click()

    # The prompt: both versions, the latest selected with its variables highlighted.
    expect(page).to_have_url(re.compile(f"/projects/{PROJECT}/prompts/answer$"))
    labels = page.get_by_test_id("prompt-labels")
    expect(labels.get_by_test_id("label-badge")).to_have_text("production → v1")
    versions = page.get_by_test_id("version-row")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text("Cite the policy")
    expect(versions.nth(1)).to_contain_text("First cut")
    view = page.get_by_test_id("version-view")
    expect(view).to_have_attribute("data-version", "2")
    expect(view.get_by_test_id("template-variable").first).to_have_text("{{product}}")
    expect(view.get_by_text("Be thorough and cite the refund policy.", exact=False)).to_be_visible()

    # Compare v1 → v2: the changed line and the changed parameter.
    page.get_by_role("tab", name="Compare").click()
    expect(page).to_have_url(re.compile("tab=diff"))
    diff = page.get_by_test_id("prompt-diff")
    added = diff.locator('[data-testid="diff-line"][data-op="+"]')
    expect(added).to_contain_text("Be thorough and cite the refund policy.")
    removed = diff.locator('[data-testid="diff-line"][data-op="-"]')
    expect(removed).to_contain_text("Be brief.")
    expect(diff.get_by_test_id("field-change")).to_contain_text("params.temperature")

    # Move production to v2 through the dialog: the move is shown before it is made.
    page.get_by_role("tab", name=re.compile("Versions")).click()
    page.get_by_role("button", name="Move label…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_test_id("move-summary")).to_contain_text("v1 → v2")
    dialog.get_by_label("Reason").fill("Better refund answers")
    dialog.get_by_role("button", name="Move production to v2").click()
    expect(dialog).to_be_hidden()
    expect(labels.get_by_test_id("label-badge")).to_have_text("production → v2")
    expect(view.get_by_test_id("label-badge")).to_have_text("production")
    assert _labels(api) == {"production": 2}

    # The history keeps the move; undo puts production back on v1.
    page.get_by_role("tab", name="History").click()
    expect(page).to_have_url(re.compile("tab=history"))
    moves = page.get_by_test_id("label-move-row")
    expect(moves.first).to_contain_text("v1 → v2")
    expect(moves.first).to_contain_text("Better refund answers")
    moves.first.get_by_role("button", name=re.compile("^Undo")).click()
    expect(labels.get_by_test_id("label-badge")).to_have_text("production → v1")
    expect(moves.first).to_contain_text("v2 → v1")
    expect(moves.first).to_contain_text("Undid v1 → v2 (Better refund answers).")
    expect(moves.nth(1).get_by_text("undone")).to_be_visible()
    assert _labels(api) == {"production": 1}


def test_edit_the_description_then_delete_the_prompt(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    _save_version(api, SYSTEM_V1, labels=["production"], description="Answers questions")
    _save_version(api, SYSTEM_V2)
    page.goto(f"/projects/{PROJECT}/prompts/answer")
    expect(page.get_by_test_id("prompt-description")).to_have_text("Answers questions")

    page.get_by_role("button", name="Edit description").click()
    page.get_by_label("Description").fill("Answers refund questions, citing the policy")
    page.get_by_role("button", name="Save description").click()
    described = page.get_by_test_id("prompt-description")
    expect(described).to_have_text("Answers refund questions, citing the policy")
    got = api.get(f"/api/v1/projects/{PROJECT}/prompts/answer").json()
    assert got["description"] == "Answers refund questions, citing the policy"

    # Deleting asks for the name; a near miss leaves the button off.
    page.get_by_role("button", name="Delete prompt").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("all 2 versions of answer, its labels (production)")
    delete = dialog.get_by_role("button", name="Delete answer")
    expect(delete).to_be_disabled()
    dialog.get_by_label("Type answer to confirm").fill("answe")
    expect(delete).to_be_disabled()
    dialog.get_by_label("Type answer to confirm").fill("answer")
    delete.click()
    expect(page).to_have_url(re.compile(f"/projects/{PROJECT}/prompts$"))
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    assert api.get(f"/api/v1/projects/{PROJECT}/prompts/answer").status_code == 404


def test_a_provider_key_is_shown_only_masked(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    assert api.post("/api/v1/projects", json={"name": PROJECT}).status_code in (200, 201)
    page.goto(f"/projects/{PROJECT}/settings/providers")
    expect(page.get_by_text("No model providers yet")).to_be_visible()
    page.get_by_role("button", name="Add provider").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("API key").fill(SECRET)
    dialog.get_by_role("button", name="Add provider").click()
    expect(dialog).to_be_hidden()

    row = page.get_by_test_id("provider-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("openai")
    hint = row.get_by_test_id("provider-key-hint")
    expect(hint).to_contain_text("…")
    expect(hint).to_contain_text("CRET")
    assert SECRET not in page.content()

    # Editing with the key left empty keeps the stored one.
    row.get_by_role("button", name="Edit").click()
    dialog.get_by_label("Base URL").fill("http://127.0.0.1:9/v1")
    dialog.get_by_role("button", name="Save provider").click()
    expect(dialog).to_be_hidden()
    expect(row).to_contain_text("http://127.0.0.1:9/v1")
    expect(hint).to_have_text(hint.inner_text())
    listed = api.get(f"/api/v1/projects/{PROJECT}/providers").json()
    assert listed[0]["key_hint"] and SECRET not in str(listed)
    assert SECRET not in page.content()


def test_an_llm_span_opens_in_the_playground(server: ServerProcess, page: Any) -> None:
    client = assay.init(project=PROJECT, api_url=server.url, flush_interval=0.05)
    with assay.span("chat.completions", kind="llm", model="gpt-4o-mini") as llm:
        llm.log(input=[{"role": "user", "content": "Hi"}], output="Hello!")
    client.shutdown(timeout=10)
    page.goto(f"/projects/{PROJECT}/traces/{llm.trace_id}?span={llm.span_id}")
    detail = page.get_by_test_id("span-detail")
    expect(detail).to_have_attribute("data-ready", "true")
    detail.get_by_role("link", name="Open in playground").click()
    expect(page).to_have_url(
        re.compile(f"/projects/{PROJECT}/playground\\?trace={llm.trace_id}&span={llm.span_id}$")
    )
