"""The trace view: tree, waterfall and span detail for people; add a span to a dataset."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

import httpx
from playwright.sync_api import expect

import assay
from tests.integration.conftest import ServerProcess

PROJECT = "support-bot"
MESSAGES = [
    {"role": "system", "content": "You help the customers of a bookshop."},
    {"role": "user", "content": "Where is my order 42?"},
]
TOOL_CALL = {
    "role": "assistant",
    "content": None,
    "tool_calls": [
        {
            "id": "call_1",
            "type": "function",
            "function": {"name": "lookup_order", "arguments": '{"order_id": 42}'},
        }
    ],
}
RATIONALE = "It looked the order up before answering, as it should."


@dataclass
class AgentTrace:
    trace_id: str
    llm: str
    tool: str
    failed: str


def _agent_trace(server: ServerProcess, api: httpx.Client) -> AgentTrace:
    """An agent: an LLM call that asks for a tool, the tool, a failing tool; a scored LLM call."""
    client = assay.init(project=PROJECT, api_url=server.url, flush_interval=0.05)
    with assay.span(
        "answer_customer", kind="agent", input="Where is my order 42?", session_id="sess-9"
    ) as root:
        with assay.span("chat.completions", kind="llm", model="gpt-4o-mini", input=MESSAGES) as llm:
            llm.log(
                output=TOOL_CALL,
                metrics={"prompt_tokens": 52, "completion_tokens": 14, "cost": 0.00012},
                metadata={"params": {"temperature": 0.2}},
            )
        with assay.span("lookup_order", kind="tool", input={"order_id": 42}) as tool:
            tool.log(output={"status": "shipped", "eta": "Friday"})
        try:
            with assay.span("send_email", kind="tool", input={"to": "reader@example.com"}) as bad:
                raise ConnectionError("the mail server refused the connection")
        except ConnectionError:
            pass
        root.log(output="Your order **ships on Friday**.")
    client.shutdown(timeout=10)
    answer = api.post(
        f"/api/v1/projects/{PROJECT}/scores",
        json={
            "scores": [
                {
                    "trace_id": llm.trace_id,
                    "span_id": llm.span_id,
                    "name": "tool_choice",
                    "value": 1.0,
                    "label": "correct",
                    "source": "human",
                    "author": "dana",
                    "rationale": RATIONALE,
                }
            ]
        },
    )
    assert answer.status_code == 200, answer.text
    return AgentTrace(root.trace_id, llm.span_id, tool.span_id, bad.span_id)


def _selected(page: Any) -> Any:
    return page.locator('[role="treeitem"][aria-selected="true"]')


def test_a_trace_reads_as_a_conversation_with_tool_calls_errors_and_scores(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    t = _agent_trace(server, api)
    page.goto(f"/projects/{PROJECT}/traces/{t.trace_id}?span={t.llm}")

    header = page.get_by_test_id("trace-header")
    expect(header.get_by_role("heading", name="answer_customer")).to_be_visible()
    expect(header.get_by_text("1 error")).to_be_visible()
    expect(header.get_by_text("sess-9")).to_be_visible()
    expect(page.get_by_test_id("trace-tree").get_by_role("treeitem")).to_have_count(4)
    expect(_selected(page)).to_have_attribute("data-span-id", t.llm)

    detail = page.get_by_test_id("span-detail")
    expect(detail).to_have_attribute("data-ready", "true")
    for role in ("System", "User", "Assistant"):
        expect(detail.get_by_test_id("message").get_by_text(role, exact=True)).to_be_visible()
    expect(detail.get_by_text("Where is my order 42?")).to_be_visible()
    card = detail.get_by_test_id("tool-call-card")
    expect(card).to_contain_text("lookup_order")
    expect(card).to_contain_text("order_id")
    expect(detail.get_by_test_id("score-rationale")).to_have_text(RATIONALE)
    expect(detail.get_by_text("dana")).to_be_visible()
    expect(detail.get_by_role("region", name="Parameters")).to_contain_text("temperature")

    # Down to the tool: its call and result as a card.
    page.get_by_test_id("trace-tree").focus()
    page.keyboard.press("ArrowDown")
    expect(_selected(page)).to_have_attribute("data-span-id", t.tool)
    expect(page).to_have_url(re.compile(f"span={t.tool}"))
    tool_card = page.get_by_test_id("span-detail").get_by_test_id("tool-call-card")
    expect(tool_card).to_contain_text("shipped")

    # Down to the failing tool: the error, then its traceback.
    page.keyboard.press("ArrowDown")
    expect(_selected(page)).to_have_attribute("data-span-id", t.failed)
    error = page.get_by_test_id("span-error")
    expect(error).to_contain_text("ConnectionError")
    expect(error).to_contain_text("the mail server refused the connection")
    error.get_by_role("button", name=re.compile("Show traceback")).click()
    expect(page.get_by_test_id("traceback")).to_contain_text("Traceback (most recent call last)")

    # Left goes to the parent, left again folds it, right unfolds it.
    page.get_by_test_id("trace-tree").focus()
    page.keyboard.press("ArrowLeft")
    root = page.get_by_role("treeitem", name="answer_customer")
    expect(root).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowLeft")
    expect(root).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_test_id("trace-tree").get_by_role("treeitem")).to_have_count(1)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("trace-tree").get_by_role("treeitem")).to_have_count(4)
    expect(page.get_by_test_id("span-detail")).to_contain_text("ships on Friday")


def test_add_a_span_to_a_new_dataset_keeps_its_source(
    server: ServerProcess, api: httpx.Client, page: Any
) -> None:
    t = _agent_trace(server, api)
    page.goto(f"/projects/{PROJECT}/traces/{t.trace_id}")
    page.get_by_role("treeitem", name="chat.completions").click()
    detail = page.get_by_test_id("span-detail")
    expect(detail).to_have_attribute("data-span-id", t.llm)
    detail.get_by_role("button", name="Add to dataset").click()

    dialog = page.get_by_role("dialog", name="Add to a dataset")
    expect(dialog.get_by_label("Input", exact=True)).to_have_value(
        re.compile("Where is my order 42")
    )
    expect(dialog.get_by_label("Expected output", exact=True)).to_have_value(
        re.compile("lookup_order")
    )
    expect(dialog.get_by_role("radio", name="A new dataset")).to_be_checked()
    dialog.get_by_label("Name of the new dataset").fill("hard-cases")
    dialog.get_by_role("button", name="Add record").click()

    toast = page.get_by_role("status").filter(has_text="Added to the dataset")
    expect(toast.get_by_role("link", name="hard-cases")).to_have_attribute(
        "href", f"/projects/{PROJECT}/datasets/hard-cases"
    )
    records = api.get(f"/api/v1/projects/{PROJECT}/datasets/hard-cases/records").json()["items"]
    assert len(records) == 1
    source = {k: v for k, v in records[0]["source"].items() if v is not None}
    assert source == {"trace_id": t.trace_id, "span_id": t.llm, "project": PROJECT}
    assert records[0]["input"] == MESSAGES
    assert records[0]["expected"] == TOOL_CALL


def test_spans_of_other_services_appear_in_place_and_orphans_apart(
    api: httpx.Client, page: Any
) -> None:
    trace_id = "ab" * 16
    now = time.time()

    def span(span_id: str, parent: str | None, name: str, kind: str = "agent") -> dict[str, Any]:
        return {
            "trace_id": trace_id,
            "span_id": span_id,
            "parent_id": parent,
            "name": name,
            "kind": kind,
            "start_time": now,
            "end_time": now + 1,
        }

    # The main service, then a sub-agent service that received the root's context.
    batches = [
        [span("a" * 16, None, "planner")],
        [span("b" * 16, "a" * 16, "research_subagent"), span("c" * 16, "b" * 16, "search", "tool")],
        [span("d" * 16, "f" * 16, "late_callback", "task")],
    ]
    for spans in batches:
        assert api.post("/api/v1/spans", json={"project": PROJECT, "spans": spans}).is_success
    page.goto(f"/projects/{PROJECT}/traces/{trace_id}")
    items = page.get_by_test_id("trace-tree").get_by_role("treeitem")
    expect(items).to_have_count(4)
    expect(items.nth(1)).to_have_attribute("aria-label", "research_subagent")
    expect(items.nth(1)).to_have_attribute("aria-level", "2")
    expect(items.nth(2)).to_have_attribute("aria-level", "3")
    expect(page.get_by_text("Spans whose parent is missing (1)")).to_be_visible()
    expect(items.nth(3)).to_have_attribute("aria-label", "late_callback")
