"""GET /series answers the mean of each score per bucket, next to the trace aggregates."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.unit.server.helpers import NOW, native_span

T0 = float(int(NOW) - 3600)


def test_series_has_score_means_per_bucket(client: TestClient) -> None:
    span = native_span(name="answer", start_time=T0, end_time=T0 + 1)
    client.post("/api/v1/spans", json={"project": "m", "spans": [span]})
    trace = span["trace_id"]
    scores = [
        {"trace_id": trace, "name": "helpful", "value": 1.0, "created_at": T0 + 10},
        {"trace_id": trace, "name": "helpful", "value": 0.0, "created_at": T0 + 20},
        {"trace_id": trace, "name": "grounded", "value": 0.5, "created_at": T0 + 70},
        {"trace_id": trace, "name": "tone", "label": "rude", "created_at": T0 + 70},
    ]
    response = client.post("/api/v1/projects/m/scores", json={"scores": scores})
    assert response.json()["accepted"] == 4, response.text
    points = client.get(
        "/api/v1/projects/m/series", params={"start": T0, "end": T0 + 180, "bucket": "1m"}
    ).json()
    assert [p["scores"] for p in points] == [{"helpful": 0.5}, {"grounded": 0.5}, {}]
    assert [p["traces"] for p in points] == [1, 0, 0]
