"""Human review in the browser: score configs, a queue filled from a filter, reviewing with the
keyboard alone, and a corrected output that becomes a dataset record."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

import assay
from tests.e2e.conftest import SHOTS
from tests.integration.conftest import ServerProcess

PROJECT = "support-bot"
QUESTIONS = {
    "Where is my order 42?": "It ships on Friday.",
    "Can I return a used book?": "No returns, ever.",
    "Do you ship to Canada?": "Yes, in 5 to 7 days.",
}
CORRECTNESS = {
    "name": "correctness",
    "kind": "categorical",
    "description": "Is the answer right for this customer?",
    "categories": [
        {"label": "correct", "value": 1, "description": "Right and complete."},
        {"label": "partly", "value": 0.5, "description": "Right but missing something."},
        {"label": "wrong", "value": 0, "description": "Wrong or made up."},
    ],
}


def _traces(server: ServerProcess, questions: dict[str, str]) -> dict[str, str]:
    """One conversation per question; the trace id of each question."""
    client = assay.init(project=PROJECT, api_url=server.url, flush_interval=0.05)
    ids = {}
    for question, answer in questions.items():
        messages = [
            {"role": "system", "content": "You help the customers of a bookshop."},
            {"role": "user", "content": question},
        ]
        with assay.span("answer_customer", kind="agent", input=messages) as span:
            span.log(output=answer)
        ids[question] = span.trace_id
    client.shutdown(timeout=10)
    return ids


def _queue(api: httpx.Client, name: str, expected_items: int) -> None:
    answer = api.post(f"/api/v1/projects/{PROJECT}/score-configs", json=CORRECTNESS)
    assert answer.status_code == 201, answer.text
    answer = api.post(
        f"/api/v1/projects/{PROJECT}/queues",
        json={
            "name": name,
            "score_configs": ["correctness"],
            "instructions": "Judge the **final answer** as the customer would.",
        },
    )
    assert answer.status_code == 201, answer.text
    answer = api.post(f"/api/v1/projects/{PROJECT}/queues/{name}/items", json={"filter": {}})
    assert answer.json() == {"added": expected_items, "duplicates": 0}, answer.text


def _start(page: Any, queue: str, reviewer: str) -> None:
    page.goto(f"/projects/{PROJECT}/queues/{queue}/review")
    name = page.get_by_label("Your name")
    expect(name).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type(reviewer)
    page.keyboard.press("Enter")


def _shown_question(page: Any, ids: dict[str, str], previous: str | None) -> str:
    item = page.get_by_test_id("review-item")
    if previous is not None:
        expect(item).not_to_have_attribute("data-trace-id", ids[previous])
    expect(item).to_be_visible()
    trace_id = item.get_attribute("data-trace-id")
    question = next(q for q, t in ids.items() if t == trace_id)
    expect(item.get_by_test_id("conversation")).to_contain_text(question)
    return question


def test_a_reviewer_works_through_a_queue_with_the_keyboard_alone(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    ids = _traces(server, QUESTIONS)
    _queue(api, "weekly", expected_items=3)
    _start(page, "weekly", "dana")

    expect(page.get_by_role("region", name="Instructions")).to_contain_text("final answer")
    expect(page.get_by_role("region", name="Keyboard shortcuts")).to_contain_text("skip this item")
    given: dict[str, tuple[str, str]] = {}
    question = None
    for key, label in (("1", "correct"), ("3", "wrong"), ("2", "partly")):
        question = _shown_question(page, ids, question)
        page.keyboard.press(key)
        expect(page.get_by_role("radio", name=re.compile(label))).to_have_attribute(
            "aria-checked", "true"
        )
        page.keyboard.press("c")
        expect(page.get_by_label("Why? (comment)")).to_be_focused()
        reason = f"{label}: {QUESTIONS[question]}"
        page.keyboard.type(reason)
        page.keyboard.press("Escape")
        if not given:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "review-page.png"))
        page.keyboard.press("Enter")
        given[question] = (label, reason)

    expect(page.get_by_test_id("review-done")).to_contain_text("Nothing left")
    # Back from the end is not possible (done), but the reviews are all stored as human scores.
    for question, (label, reason) in given.items():
        scores = api.get(f"/api/v1/projects/{PROJECT}/traces/{ids[question]}/scores").json()
        human = [s for s in scores if s["source"] == "human"]
        assert len(human) == 1, scores
        assert human[0]["name"] == "correctness"
        assert human[0]["label"] == label
        assert human[0]["author"] == "dana"
        assert human[0]["rationale"] == reason
    queue = api.get(f"/api/v1/projects/{PROJECT}/queues/weekly").json()
    assert queue["progress"]["completed"] == 3
    assert queue["progress"]["by_reviewer"] == {"dana": 3}


def test_skip_and_back_move_between_items(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    ids = _traces(server, dict(list(QUESTIONS.items())[:2]))
    _queue(api, "pairs", expected_items=2)
    _start(page, "pairs", "lee")
    first = _shown_question(page, ids, None)
    page.keyboard.press("ArrowRight")
    second = _shown_question(page, ids, first)
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_test_id("review-item")).to_have_attribute("data-trace-id", ids[first])
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("review-item")).to_have_attribute("data-trace-id", ids[second])
    # Enter without an answer says what is missing instead of submitting.
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Answer correctness first")


def test_a_corrected_output_becomes_a_dataset_record(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    question = "Can I return a used book?"
    ids = _traces(server, {question: QUESTIONS[question]})
    _queue(api, "returns", expected_items=1)
    _start(page, "returns", "dana")
    _shown_question(page, ids, None)
    page.keyboard.press("3")
    corrected = "Yes, within 30 days, if it is in good condition."
    page.get_by_label("Corrected output (optional)").fill(corrected)
    page.get_by_label("Why? (comment)").fill("Our policy allows returns.")
    page.get_by_role("button", name="Add to dataset").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Expected answer")).to_have_value(corrected)
    dialog.get_by_label("Name of the new dataset").fill("corrected-answers")
    dialog.get_by_role("button", name="Submit and add").click()
    expect(page.get_by_test_id("review-done")).to_be_visible()

    records = api.get(f"/api/v1/projects/{PROJECT}/datasets/corrected-answers/records").json()
    [record] = records["items"]
    assert record["expected"] == corrected
    assert record["input"][1]["content"] == question
    source = record["source"]
    assert source["trace_id"] == ids[question]
    assert source["reviewer"] == "dana"
    reviews = api.get(f"/api/v1/projects/{PROJECT}/queues/returns/reviews").json()
    assert [r["id"] for r in reviews] == [source["review_id"]]
    assert reviews[0]["corrected_output"] == corrected
    assert reviews[0]["scores"] == {"correctness": "wrong"}


def test_configs_and_queues_are_set_up_in_the_browser(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    ids = _traces(server, dict(list(QUESTIONS.items())[:2]))
    page.goto(f"/projects/{PROJECT}/settings/scores")
    expect(page.get_by_test_id("empty-state")).to_contain_text("No score configs yet")
    page.get_by_role("button", name="New score config").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("tone")
    dialog.get_by_label("Meaning of label 1").fill("Warm and polite.")
    dialog.get_by_role("button", name="Create config").click()
    expect(page.get_by_test_id("score-config-row")).to_contain_text("good · bad")
    config = api.get(f"/api/v1/projects/{PROJECT}/score-configs/tone").json()
    assert config["categories"][0] == {
        "label": "good",
        "value": 1,
        "description": "Warm and polite.",
    }

    page.get_by_role("link", name="Review queues").click()
    expect(page.get_by_test_id("empty-state")).to_contain_text("No review queues yet")
    page.get_by_role("button", name="New queue").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("tone-check")
    dialog.get_by_placeholder("Pick one or more").click()
    page.get_by_role("option", name="tone (categorical)").click()
    dialog.get_by_label("Reviews per item").fill("2")
    dialog.get_by_role("button", name="Create queue").click()

    # The new queue opens with the form that fills it from the traces filter.
    expect(page).to_have_url(re.compile("/queues/tone-check"))
    dialog = page.get_by_role("dialog", name="Add traces to tone-check")
    dialog.get_by_role("button", name="Add matching traces").click()
    expect(dialog.get_by_test_id("added-items")).to_have_text("Added 2 items.")
    dialog.get_by_role("button", name="Add matching traces").click()
    expect(dialog.get_by_test_id("added-items")).to_have_text(
        "Added 0 items; 2 were already in the queue."
    )
    dialog.get_by_role("button", name="Done").click()
    expect(page.get_by_test_id("queue-item-row")).to_have_count(2)

    # Two reviewers disagree on one item: the agreement tab lists it.
    items = api.get(f"/api/v1/projects/{PROJECT}/queues/tone-check/items").json()["items"]
    for reviewer, labels in (("ana", ["good", "good"]), ("ben", ["good", "bad"])):
        for item, label in zip(items, labels, strict=True):
            answer = api.post(
                f"/api/v1/projects/{PROJECT}/queues/tone-check/items/{item['id']}/reviews",
                json={"reviewer": reviewer, "scores": {"tone": label}},
            )
            assert answer.status_code == 201, answer.text
    page.reload()
    page.get_by_role("tab", name="Agreement").click()
    card = page.get_by_test_id("agreement-card")
    expect(card).to_contain_text("α =")
    expect(card.get_by_role("row")).to_have_count(2)
    expect(card).to_contain_text("ben")

    # From a trace, "Add trace to queue" knows the trace is already there.
    page.goto(f"/projects/{PROJECT}/traces/{ids[next(iter(ids))]}")
    page.get_by_role("button", name="Add trace to queue").click()
    page.get_by_role("menuitem", name="tone-check").click()
    expect(page.get_by_role("status")).to_contain_text("Already in tone-check")
