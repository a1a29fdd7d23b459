"""Records from a filtered selection of traces, provenance of records, sources in compare."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.unit.server.helpers import NOW, native_span, new_span_id, new_trace_id

P = "/api/v1/projects/bot"


def _trace(start: float, *, tags: list[str], question: str) -> list[dict[str, Any]]:
    trace, root = new_trace_id(), new_span_id()
    top = native_span(
        trace_id=trace, span_id=root, name="answer", start_time=start, end_time=start + 1,
        tags=tags, input={"question": question}, output=f"answer to {question}",
    )  # fmt: skip
    child = native_span(
        trace_id=trace, parent_id=root, start_time=start + 0.1, end_time=start + 0.2,
        input="inner", output="inner out",
    )  # fmt: skip
    return [top, child]


def _ingest(client: TestClient) -> None:
    spans = [
        *_trace(NOW - 30, tags=["escalated"], question="oldest"),
        *_trace(NOW - 20, tags=["escalated"], question="middle"),
        *_trace(NOW - 10, tags=[], question="newest"),
    ]
    assert client.post("/api/v1/spans", json={"project": "bot", "spans": spans}).status_code < 300
    client.post(f"{P}/datasets", json={"name": "golden"})


def _records(client: TestClient) -> list[dict[str, Any]]:
    return client.get(f"{P}/datasets/golden/records").json()["items"]  # type: ignore[no-any-return]


def test_records_from_traces_take_the_root_span_of_each_match(client: TestClient) -> None:
    _ingest(client)
    url = f"{P}/datasets/golden/records/from-traces"
    added = client.post(url, json={"filter": {"tag": ["escalated"]}, "limit": 10})
    assert added.status_code == 200, added.text
    assert added.json()["version"] == 1 and len(added.json()["ids"]) == 2
    records = _records(client)
    assert [r["input"] for r in records] == [{"question": "middle"}, {"question": "oldest"}]
    assert records[0]["expected"] == "answer to middle"
    trace = client.get(f"{P}/traces", params={"tag": "escalated", "limit": 1}).json()["items"][0]
    assert records[0]["source"] == {
        "trace_id": trace["trace_id"], "span_id": trace["root_span_id"], "project": "bot",
        "review_id": None, "reviewer": None, "judge": None, "judge_version": None,
    }  # fmt: skip
    newest = client.post(url, json={"limit": 1}).json()
    assert newest["version"] == 2 and len(newest["ids"]) == 1
    assert _records(client)[-1]["input"] == {"question": "newest"}
    none = client.post(url, json={"filter": {"q": "no such words"}})
    assert none.json() == {"version": 2, "ids": [], "rejected": []}


def test_records_from_traces_errors(client: TestClient) -> None:
    _ingest(client)
    url = f"{P}/datasets/golden/records/from-traces"
    missing = client.post(f"{P}/datasets/nope/records/from-traces", json={})
    assert missing.status_code == 404 and "'nope'" in missing.json()["error"]["message"]
    assert client.post(url, json={"limit": 10_001}).status_code == 422
    assert client.post(url, json={"filter": {"bogus": 1}}).status_code == 422
    bad = client.post(url, json={"filter": {"metadata": ["novalue"]}})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "body.filter.metadata"
    when = client.post(url, json={"filter": {"start_from": "yesterday"}})
    assert when.status_code == 422 and "start_from" in when.json()["error"]["message"]
    assert client.post(url, json={"filter": {"start_from": NOW - 15}}).json()["ids"] != []


def test_record_source_keeps_review_and_judge_provenance(client: TestClient) -> None:
    client.post(f"{P}/datasets", json={"name": "golden"})
    source = {
        "trace_id": "a" * 32, "span_id": "b" * 16, "project": "bot", "review_id": "rev-1",
        "reviewer": "lead@example.com", "judge": "tone", "judge_version": 3,
    }  # fmt: skip
    sent = client.post(
        f"{P}/datasets/golden/records", json={"records": [{"input": "q", "source": source}]}
    )
    assert sent.status_code == 200 and sent.json()["rejected"] == []
    assert _records(client)[0]["source"] == source


def test_compare_links_each_case_to_the_production_trace_of_its_record(
    client: TestClient,
) -> None:
    client.post(f"{P}/datasets", json={"name": "golden"})
    source = {"trace_id": "a" * 32, "span_id": "b" * 16, "project": "bot"}
    client.post(
        f"{P}/datasets/golden/records",
        json={"records": [{"id": "r1", "input": "q", "source": source}, {"id": "r2", "input": 2}]},
    )
    for name, value in (("base", 0.0), ("run", 1.0)):
        client.post(f"{P}/experiments", json={"name": name, "dataset": {"name": "golden"}})
        cases = [
            {"case_id": rid, "input": rid, "scores": {"em": value}, "dataset_record_id": rid}
            for rid in ("r1", "r2")
        ]
        client.post(f"{P}/experiments/{name}/cases", json={"cases": cases})
    body = client.get(f"{P}/experiments/run/compare", params={"baseline": "base"}).json()
    sources = {c["case_id"]: c["source"] for c in body["cases"]}
    assert sources["r2"] is None
    assert sources["r1"]["trace_id"] == "a" * 32 and sources["r1"]["span_id"] == "b" * 16
