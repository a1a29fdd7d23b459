"""The trace list carries the mean of each score name over the trace's current scores."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.unit.server.helpers import native_span, new_trace_id

P = "/api/v1/projects/bot"


def test_trace_list_shows_mean_scores(client: TestClient) -> None:
    scored, plain = new_trace_id(), new_trace_id()
    spans = [native_span(trace_id=scored, name="scored"), native_span(trace_id=plain, name="plain")]
    assert client.post("/api/v1/spans", json={"project": "bot", "spans": spans}).status_code == 200
    sent = client.post(P + "/scores", json={"scores": [
        {"trace_id": scored, "name": "helpful", "value": 1.0, "source": "human", "author": "ann"},
        {"trace_id": scored, "name": "helpful", "value": 0.5, "source": "llm_judge"},
        {"trace_id": scored, "name": "correct", "value": 0.0},
        {"trace_id": scored, "name": "tone", "label": "polite"},
    ]})  # fmt: skip
    assert sent.json()["accepted"] == 4
    items = {t["name"]: t for t in client.get(P + "/traces").json()["items"]}
    assert items["scored"]["scores"] == {"helpful": 0.75, "correct": 0.0}
    assert items["plain"]["scores"] == {}


def test_trace_list_filters_on_a_score(client: TestClient) -> None:
    low, high, none = new_trace_id(), new_trace_id(), new_trace_id()
    spans = [
        native_span(trace_id=t, name=n) for t, n in ((low, "low"), (high, "high"), (none, "none"))
    ]
    assert client.post("/api/v1/spans", json={"project": "bot", "spans": spans}).status_code == 200
    client.post(P + "/scores", json={"scores": [
        {"trace_id": low, "name": "tone", "value": 0.2},
        {"trace_id": high, "name": "tone", "value": 0.9},
    ]})  # fmt: skip

    def names(**params: object) -> list[str]:
        answer = client.get(P + "/traces", params=params)
        assert answer.status_code == 200, answer.text
        return sorted(t["name"] for t in answer.json()["items"])

    assert names(score_name="tone", score_below=0.5) == ["low"]
    assert names(score_name="tone", score_above=0.5) == ["high"]
    assert names() == ["high", "low", "none"]
    unnamed = client.get(P + "/traces", params={"score_below": 0.5})
    assert unnamed.status_code == 400 and "score_name" in unnamed.json()["error"]["message"]
