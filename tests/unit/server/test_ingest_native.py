"""POST /api/v1/spans: the native batch API the SDK uses."""

from __future__ import annotations

import gzip
import json
from typing import Any

import orjson
from fastapi.testclient import TestClient

from tests.unit.server.helpers import NOW, native_span, new_span_id, new_trace_id


def post(client: TestClient, body: Any, *, gzipped: bool = False, **headers: str) -> Any:
    data = body if isinstance(body, bytes) else orjson.dumps(body)
    all_headers = {"content-type": "application/json", **headers}
    if gzipped:
        data = gzip.compress(data)
        all_headers["content-encoding"] = "gzip"
    return client.post("/api/v1/spans", content=data, headers=all_headers)


def test_gzip_batch_is_stored_and_readable_as_a_tree(client: TestClient) -> None:
    trace_id = new_trace_id()
    root, child = new_span_id(), new_span_id()
    spans = [
        native_span(
            trace_id=trace_id,
            span_id=child,
            parent_id=root,
            name="call llm",
            kind="llm",
            model="gpt-4o-mini",
            metrics={"prompt_tokens": 10, "completion_tokens": 5},
            input=[{"role": "user", "content": "hi"}],
            output={"role": "assistant"},
        ),
        native_span(
            trace_id=trace_id,
            span_id=root,
            name="answer",
            kind="agent",
            input={"question": "where is my order?"},
            output="on its way",
            tags=["beta"],
            metadata={"step": 1},
            session_id="s1",
            user_id="u1",
            start_time="2024-05-01T12:00:00Z",
            end_time="2024-05-01T12:00:02.5Z",
        ),
    ]
    response = post(client, {"project": "support-bot", "spans": spans}, gzipped=True)
    assert response.status_code == 200, response.text
    assert response.json() == {"accepted": 2, "rejected": []}
    trace = client.get(f"/api/v1/projects/support-bot/traces/{trace_id}").json()
    assert trace["span_count"] == 2
    (root_node,) = trace["roots"]
    assert root_node["name"] == "answer"
    assert root_node["input"] == {"question": "where is my order?"}
    assert root_node["start_time"] == "2024-05-01T12:00:00Z"
    assert root_node["duration_ms"] == 2500.0
    assert root_node["tags"] == ["beta"] and root_node["metadata"]["step"] == 1
    (child_node,) = root_node["children"]
    assert child_node["model"] == "gpt-4o-mini" and child_node["kind"] == "llm"
    assert child_node["metrics"]["prompt_tokens"] == 10


def test_invalid_items_are_rejected_with_index_field_and_reason(client: TestClient) -> None:
    good = native_span(name="good")
    spans = [
        native_span(trace_id="xyz"),
        good,
        native_span(start_time=NOW * 1000),
        native_span(span_id="0" * 16),
        native_span(name=""),
        native_span(end_time=NOW - 10),
        native_span(start_time=True),
        {"span_id": new_span_id(), "name": "no trace id", "start_time": NOW},
        "not an object",
        native_span(start_time=NOW * 1e9),
        native_span(metrics={"cost": "a lot"}),
    ]
    response = post(client, {"project": "p", "spans": spans})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["accepted"] == 1
    by_index = {r["index"]: r for r in result["rejected"]}
    assert sorted(by_index) == [0, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert by_index[0]["field"] == "trace_id" and "32 hex" in by_index[0]["reason"]
    assert by_index[2]["field"] == "start_time"
    assert "milliseconds" in by_index[2]["reason"] and "seconds" in by_index[2]["reason"]
    assert "nanoseconds" in by_index[9]["reason"]
    assert by_index[3]["field"] == "span_id" and "zeros" in by_index[3]["reason"]
    assert by_index[4]["field"] == "name"
    assert by_index[5]["field"] == "end_time" and "before" in by_index[5]["reason"]
    assert by_index[6]["field"] == "start_time"
    assert by_index[7]["field"] == "trace_id"
    assert "object" in by_index[8]["reason"]
    assert by_index[10]["field"] == "metrics.cost"
    listed = client.get(f"/api/v1/projects/p/traces/{good['trace_id']}")
    assert listed.status_code == 200


def test_upper_case_ids_are_accepted_and_lower_cased(client: TestClient) -> None:
    span = native_span()
    span["trace_id"] = span["trace_id"].upper()
    assert post(client, {"project": "p", "spans": [span]}).json()["accepted"] == 1
    trace = client.get(f"/api/v1/projects/p/traces/{span['trace_id'].lower()}").json()
    assert trace["roots"][0]["trace_id"] == span["trace_id"].lower()


def test_status_defaults_to_error_when_an_error_is_present(client: TestClient) -> None:
    failing = native_span(error={"type": "KeyError", "message": "'x'", "traceback": "..."})
    fine = native_span()
    post(client, {"project": "p", "spans": [failing, fine]})
    spans = client.get("/api/v1/projects/p/spans").json()["items"]
    by_id = {s["span_id"]: s for s in spans}
    assert by_id[failing["span_id"]]["status"] == "error"
    assert by_id[failing["span_id"]]["error"]["type"] == "KeyError"
    assert by_id[fine["span_id"]]["status"] == "ok"


def test_resending_a_batch_creates_no_duplicates(client: TestClient) -> None:
    trace_id = new_trace_id()
    batch = {"project": "p", "spans": [native_span(trace_id=trace_id) for _ in range(3)]}
    for _ in range(3):
        assert post(client, batch, gzipped=True).status_code == 200
    trace = client.get(f"/api/v1/projects/p/traces/{trace_id}").json()
    assert trace["span_count"] == 3
    spans = client.get("/api/v1/projects/p/spans", params={"trace_id": trace_id}).json()
    assert len(spans["items"]) == 3


def test_all_rejected_is_a_422_with_per_item_details(client: TestClient) -> None:
    response = post(client, {"project": "p", "spans": [native_span(trace_id="nope"), 5]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert [d["index"] for d in error["details"]] == [0, 1]
    assert error["details"][0]["field"] == "trace_id"
    assert "index 0" in error["message"]
    assert client.get("/api/v1/projects/p/traces").status_code == 404


def test_an_empty_batch_is_fine(client: TestClient) -> None:
    response = post(client, {"project": "p", "spans": []})
    assert response.json() == {"accepted": 0, "rejected": []}


def test_a_token_count_too_large_for_storage_is_rejected_and_the_rest_kept(
    client: TestClient,
) -> None:
    good = native_span(name="fine", metrics={"prompt_tokens": 12})
    huge = native_span(name="huge", metrics={"prompt_tokens": 1e300})
    response = post(client, {"project": "limits", "spans": [good, huge]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["accepted"] == 1
    (rejection,) = body["rejected"]
    assert rejection["index"] == 1
    assert rejection["field"] == "metrics.prompt_tokens"
    assert "2**53" in rejection["reason"]


def test_what_a_database_cannot_hold_is_rejected_per_item(client: TestClient) -> None:
    deep: list[Any] = []
    for _ in range(300):
        deep = [deep]
    spans = [
        native_span(name="x" * 5000),
        native_span(name="long session", session_id="s" * 5000),
        native_span(name="deep", input=deep),
        native_span(name="fine", tags=["t" * 900]),
    ]
    body_bytes = json.dumps({"project": "limits", "spans": spans}).encode()  # orjson stops at 254
    response = post(client, body_bytes)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["accepted"] == 1
    reasons = {r["index"]: (r["field"], r["reason"]) for r in body["rejected"]}
    assert reasons[0] == ("name", "has 5000 characters; at most 1000 are stored here")
    assert reasons[1][0] == "session_id"
    assert reasons[2] == ("input", "is nested more than 200 levels deep")


def test_nul_in_metadata_keeps_metadata_filters_working(client: TestClient) -> None:
    spans = [
        native_span(name="nul", metadata={"k": "a\u0000b", "env": "prod"}),
        native_span(name="other", metadata={"env": "prod"}),
    ]
    assert post(client, {"project": "nul-meta", "spans": spans}).json()["accepted"] == 2
    found = client.get("/api/v1/projects/nul-meta/traces", params={"metadata": "env=prod"})
    assert found.status_code == 200, found.text
    assert sorted(t["name"] for t in found.json()["items"]) == ["nul", "other"]
    by_key = client.get("/api/v1/projects/nul-meta/traces", params={"metadata": "k=ab"})
    assert [t["name"] for t in by_key.json()["items"]] == ["nul"]


def test_text_search_finds_quotes_newlines_and_accented_words(client: TestClient) -> None:
    spans = [
        native_span(name="quoted", input='He said "hi"\nthen left'),
        native_span(name="accent", output={"answer": "Émile is on leave"}),
        native_span(name="flagged", metadata={"flag": True, "n": 2}),
    ]
    assert post(client, {"project": "search", "spans": spans}).json()["accepted"] == 3

    def names(**params: str) -> list[str]:
        page = client.get("/api/v1/projects/search/traces", params=params)
        assert page.status_code == 200, page.text
        return sorted(t["name"] for t in page.json()["items"])

    assert names(q='said "hi"') == ["quoted"]
    assert names(q='hi"\nthen') == ["quoted"]
    assert names(q="Émile") == ["accent"]
    assert names(q="SAID") == ["quoted"]
    assert names(metadata="flag=true") == ["flagged"]
    assert names(metadata="n=2") == ["flagged"]
