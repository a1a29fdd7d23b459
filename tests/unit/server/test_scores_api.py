"""The score endpoints: a batch with rejections, and the scores of a trace."""

from __future__ import annotations

from fastapi.testclient import TestClient

P = "/api/v1/projects/bot"
TRACE = "ab" * 16


def test_scores_round_trip_and_rejections(client: TestClient) -> None:
    sent = client.post(P + "/scores", json={"scores": [
        {"trace_id": TRACE, "name": "helpful", "value": 0.5, "source": "human", "author": "ann"},
        {"trace_id": TRACE, "name": "bad", "value": 7},
        {"trace_id": TRACE, "span_id": "cd" * 8, "name": "tone", "label": "polite",
         "source": "llm_judge", "rationale": "kind words"},
    ]})  # fmt: skip
    body = sent.json()
    assert body["accepted"] == 2 and body["ids"][1] is None and body["ids"][0]
    assert body["rejected"][0]["index"] == 1 and body["rejected"][0]["field"] == "scores.1.value"
    got = client.get(f"{P}/traces/{TRACE}/scores").json()
    assert [(s["name"], s["value"], s["label"], s["source"]) for s in got] == [
        ("helpful", 0.5, None, "human"), ("tone", None, "polite", "llm_judge"),
    ]  # fmt: skip


def test_score_errors(client: TestClient) -> None:
    all_bad = client.post(P + "/scores", json={"scores": [{"name": "x"}]})
    assert all_bad.status_code == 422 and all_bad.json()["error"]["details"][0]["index"] == 0
    assert client.get(f"/api/v1/projects/ghost/traces/{TRACE}/scores").status_code == 404
    client.post(P + "/scores", json={"scores": [{"trace_id": TRACE, "name": "a", "value": 1}]})
    assert client.get(f"{P}/traces/not-hex/scores").status_code == 400
