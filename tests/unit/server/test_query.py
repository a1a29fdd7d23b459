"""The query API: projects, trace list with filters and pages, one trace, spans, series."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.unit.server.helpers import NOW, native_span, new_span_id, new_trace_id

T0 = float(int(NOW) - 3600)


def make_trace(
    name: str, start: float, *, duration: float = 1.0, **root: Any
) -> list[dict[str, Any]]:
    trace_id, root_id = new_trace_id(), new_span_id()
    llm = native_span(
        trace_id=trace_id,
        parent_id=root_id,
        name="llm call",
        kind="llm",
        model=root.pop("model", "gpt-4o-mini"),
        start_time=start + 0.1,
        end_time=start + 0.2,
        metrics={"prompt_tokens": 100, "completion_tokens": 10, "cost": root.pop("cost", 0.01)},
        input=root.pop("llm_input", "tell me"),
        output="told",
    )
    top = native_span(
        trace_id=trace_id,
        span_id=root_id,
        name=name,
        kind="agent",
        start_time=start,
        end_time=start + duration,
        **root,
    )
    return [top, llm]


@pytest.fixture
def loaded(client: TestClient) -> dict[str, str]:
    spans = [
        *make_trace(
            "answer", T0, tags=["beta"], metadata={"env": "prod"}, session_id="s1", user_id="u1"
        ),
        *make_trace(
            "answer",
            T0 + 60,
            duration=5.0,
            status="error",
            error={"type": "ValueError", "message": "no"},
            cost=0.5,
        ),
        *make_trace(
            "plan",
            T0 + 120,
            metadata={"env": "dev"},
            model="claude-3-5-sonnet",
            llm_input="find the refund policy",
        ),
    ]
    response = client.post("/api/v1/spans", json={"project": "q", "spans": spans})
    assert response.json()["accepted"] == 6
    client.post("/api/v1/spans", json={"project": "other", "spans": [native_span()]})
    return {
        "first": spans[0]["trace_id"],
        "failed": spans[2]["trace_id"],
        "plan": spans[4]["trace_id"],
    }


def names(client: TestClient, **params: Any) -> list[str]:
    response = client.get("/api/v1/projects/q/traces", params=params)
    assert response.status_code == 200, response.text
    return [t["trace_id"] for t in response.json()["items"]]


def test_projects_are_listed_with_volume(client: TestClient, loaded: dict[str, str]) -> None:
    projects = {p["name"]: p for p in client.get("/api/v1/projects").json()}
    assert set(projects) == {"q", "other"}
    assert projects["q"]["trace_count"] == 3 and projects["q"]["span_count"] == 6


def test_trace_list_filters(client: TestClient, loaded: dict[str, str]) -> None:
    first, failed, plan = loaded["first"], loaded["failed"], loaded["plan"]
    assert names(client) == [plan, failed, first]
    assert names(client, name="plan") == [plan]
    assert names(client, status="error") == [failed]
    assert names(client, status="ok") == [plan, first]
    assert names(client, tag="beta") == [first]
    assert names(client, metadata="env=dev") == [plan]
    assert names(client, model="claude-3-5-sonnet") == [plan]
    assert names(client, kind="llm") == [plan, failed, first]
    assert names(client, min_duration_ms=2000) == [failed]
    assert names(client, max_duration_ms=2000) == [plan, first]
    assert names(client, min_cost=0.1) == [failed]
    assert names(client, max_cost=0.1) == [plan, first]
    assert names(client, q="refund") == [plan]
    assert names(client, session_id="s1") == [first]
    assert names(client, user_id="u1") == [first]
    assert names(client, start_from=T0 + 30) == [plan, failed]
    assert names(client, start_to="1970-01-02T00:00:00Z") == []
    assert names(client, sort="start_time") == [first, failed, plan]
    assert names(client, sort="-duration")[0] == failed


def test_trace_list_pages_with_a_cursor(client: TestClient, loaded: dict[str, str]) -> None:
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    for _ in range(3):
        page = client.get("/api/v1/projects/q/traces", params=params).json()
        seen += [t["trace_id"] for t in page["items"]]
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == [loaded["plan"], loaded["failed"], loaded["first"]]


def test_trace_summary_has_totals(client: TestClient, loaded: dict[str, str]) -> None:
    items = client.get("/api/v1/projects/q/traces", params={"status": "error"}).json()["items"]
    (summary,) = items
    assert summary["span_count"] == 2 and summary["error_count"] == 1
    assert summary["prompt_tokens"] == 100 and summary["cost"] == pytest.approx(0.5)


def test_one_trace_with_and_without_bodies(client: TestClient, loaded: dict[str, str]) -> None:
    path = f"/api/v1/projects/q/traces/{loaded['plan']}"
    full = client.get(path).json()
    assert full["roots"][0]["children"][0]["input"] == "find the refund policy"
    slim = client.get(path, params={"bodies": "false"}).json()
    assert slim["span_count"] == 2
    child = slim["roots"][0]["children"][0]
    assert child["input"] is None and child["input_preview"] is None  # the tree alone is light
    assert full["roots"][0]["children"][0]["input_preview"] == "find the refund policy"
    upper = client.get(
        path.upper().replace("/API/V1/PROJECTS/Q/TRACES", "/api/v1/projects/q/traces")
    )
    assert upper.status_code == 200


def test_one_span(client: TestClient, loaded: dict[str, str]) -> None:
    trace = client.get(f"/api/v1/projects/q/traces/{loaded['first']}").json()
    child = trace["roots"][0]["children"][0]
    span = client.get(f"/api/v1/projects/q/traces/{loaded['first']}/spans/{child['span_id']}")
    assert span.json()["name"] == "llm call" and span.json()["output"] == "told"


def test_span_list_filters(client: TestClient, loaded: dict[str, str]) -> None:
    def spans(**params: Any) -> list[str]:
        response = client.get("/api/v1/projects/q/spans", params=params)
        assert response.status_code == 200, response.text
        return [s["name"] for s in response.json()["items"]]

    assert len(spans()) == 6
    assert spans(kind="llm") == ["llm call"] * 3
    assert spans(trace_id=loaded["plan"]) == ["llm call", "plan"]
    assert spans(status="error") == ["answer"]
    assert spans(q="refund") == ["llm call"]
    assert len(spans(limit=4)) == 4


def test_series_buckets(client: TestClient, loaded: dict[str, str]) -> None:
    response = client.get(
        "/api/v1/projects/q/series",
        params={"start": T0, "end": T0 + 180, "bucket": "1m"},
    )
    assert response.status_code == 200, response.text
    points = response.json()
    counted = [p for p in points if p["traces"]]
    assert sum(p["traces"] for p in counted) == 3
    assert sum(p["errors"] for p in counted) == 1
    assert max(p["error_rate"] for p in counted) == 1.0
    named = client.get(
        "/api/v1/projects/q/series",
        params={"start": T0, "end": T0 + 180, "bucket": "60", "name": "plan"},
    ).json()
    assert sum(p["traces"] for p in named) == 1


def test_series_refuses_too_many_buckets(client: TestClient, loaded: dict[str, str]) -> None:
    response = client.get(
        "/api/v1/projects/q/series", params={"start": 0, "end": T0, "bucket": "1m"}
    )
    assert response.status_code == 400
    assert "larger bucket" in response.json()["error"]["message"]


def test_health_and_the_ui_page(client: TestClient) -> None:
    assert client.get("/api/v1/health").json() == {"status": "ok"}
    page = client.get("/projects/bot/traces?status=error")  # the UI's own URLs load it
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "http://" not in page.text and "https://" not in page.text  # nothing from a CDN
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
