"""The README's snippet end to end: SDK in its own process → ingest → store → query API."""

from __future__ import annotations

import httpx

from tests.integration.conftest import ServerProcess, by_name, get_trace, list_all, run_agent, shape

PROJECT = "support-bot"


def test_the_snippet_arrives_as_one_tree_with_every_field(
    server: ServerProcess, api: httpx.Client
) -> None:
    result = run_agent("snippet", server.url, PROJECT)
    assert result["output"] == "Order 1042 ships tomorrow."

    (summary,) = list_all(api, f"/api/v1/projects/{PROJECT}/traces")
    trace = get_trace(api, PROJECT, summary["trace_id"])
    assert trace["span_count"] == 5
    assert trace["orphans"] == []
    assert len(trace["roots"]) == 1
    root = trace["roots"][0]
    llm_name = next(c["name"] for c in root["children"] if c["kind"] == "llm")
    assert shape(root) == (
        "answer",
        [("plan", [("search_orders", []), ("search_orders", [])]), (llm_name, [])],
    )

    assert root["kind"] == "agent" and root["status"] == "ok"
    assert root["input"] == {"question": "Where is my order?"}
    assert root["output"] == "Order 1042 ships tomorrow."

    plan = by_name(trace)["plan"]
    assert plan["kind"] == "task"
    assert plan["input"] == "Where is my order?"
    assert plan["output"] == "found 1 order"
    assert plan["metadata"]["step"] == 1
    assert plan["tags"] == ["beta"]

    failed, ok = sorted(plan["children"], key=lambda c: c["start_time"])
    assert failed["kind"] == "tool" and failed["status"] == "error"
    assert failed["input"] == {"customer_id": "guest"}
    assert failed["error"]["type"] == "LookupError"
    assert "unknown customer 'guest'" in failed["error"]["message"]
    assert "search_orders" in failed["error"]["traceback"]
    assert "LookupError" in failed["error"]["traceback"]
    assert ok["status"] == "ok"
    assert ok["output"] == [{"order_id": "1042", "status": "packed"}]

    llm = next(c for c in root["children"] if c["kind"] == "llm")
    assert llm["model"].startswith("gpt-4o-mini")
    assert llm["metrics"]["prompt_tokens"] == 30
    assert llm["metrics"]["completion_tokens"] == 8
    assert llm["metrics"]["cost"] > 0
    assert "Where is my order?" in str(llm["input"])
    assert "Order 1042 ships tomorrow." in str(llm["output"])


def test_the_trace_list_and_span_list_show_the_totals(
    server: ServerProcess, api: httpx.Client
) -> None:
    run_agent("snippet", server.url, PROJECT)

    (summary,) = list_all(api, f"/api/v1/projects/{PROJECT}/traces")
    assert summary["name"] == "answer"
    assert summary["span_count"] == 5
    assert summary["error_count"] == 1
    assert summary["prompt_tokens"] == 30 and summary["completion_tokens"] == 8
    assert summary["cost"] > 0

    errors = list_all(api, f"/api/v1/projects/{PROJECT}/spans", status="error")
    assert [s["name"] for s in errors] == ["search_orders"]
    llm_spans = list_all(api, f"/api/v1/projects/{PROJECT}/spans", kind="llm")
    assert len(llm_spans) == 1

    projects = {p["name"]: p for p in api.get("/api/v1/projects").json()}
    assert projects[PROJECT]["trace_count"] == 1
    assert projects[PROJECT]["span_count"] == 5
