"""The dataset endpoints through the real app and store."""

from __future__ import annotations

from fastapi.testclient import TestClient

P = "/api/v1/projects/bot/datasets"


def _error(resp: object) -> dict[str, object]:
    body = resp.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    return body["error"]  # type: ignore[no-any-return]


def test_dataset_life_cycle_through_the_api(client: TestClient) -> None:
    created = client.post(P, json={"name": "golden", "description": "d"})
    assert created.status_code == 201 and created.json()["version"] == 0
    assert client.post(P, json={"name": "golden"}).status_code == 409
    batch = client.post(
        P + "/golden/records",
        json={
            "records": [
                {"input": "a", "expected": "A"},
                {"input": "b", "bogus": 1},
                {"id": "r2", "input": "c"},
            ]
        },
    )
    assert batch.status_code == 200, batch.text
    body = batch.json()
    assert body["version"] == 1 and body["ids"][1] is None and body["ids"][2] == "r2"
    assert [(r["index"], r["field"]) for r in body["rejected"]] == [(1, "records.1.bogus")]
    first = body["ids"][0]
    patched = client.patch(f"{P}/golden/records/{first}", json={"expected": "AA"})
    assert patched.status_code == 200 and patched.json()["updated_version"] == 2
    assert client.delete(f"{P}/golden/records/r2").json() == {"version": 3}
    v1 = client.get(P + "/golden/records", params={"version": 1}).json()
    assert [(r["input"], r["expected"]) for r in v1["items"]] == [("a", "A"), ("c", None)]
    latest = client.get(P + "/golden/records").json()
    assert latest["version"] == 3 and [r["expected"] for r in latest["items"]] == ["AA"]
    versions = client.get(P + "/golden/versions").json()
    assert [v["record_count"] for v in versions] == [2, 2, 1]
    assert client.get(P + "/golden").json()["version"] == 3
    assert [d["name"] for d in client.get(P).json()] == ["golden"]


def test_dataset_errors_use_the_one_error_shape(client: TestClient) -> None:
    assert "'nobody'" in _error(client.get("/api/v1/projects/nobody/datasets"))["message"]  # type: ignore[operator]
    client.post(P, json={"name": "golden"})
    missing = client.get(P + "/nope")
    assert missing.status_code == 404 and "'nope'" in _error(missing)["message"]  # type: ignore[operator]
    assert client.post(P + "/nope/records", json={"records": [{"input": 1}]}).status_code == 404
    assert client.delete(P + "/golden/records/zz").status_code == 404
    assert client.patch(P + "/golden/records/zz", json={"input": 1}).status_code == 404
    all_bad = client.post(P + "/golden/records", json={"records": [{"nope": 1}, {"input": "\x00"}]})
    assert all_bad.status_code == 422
    details = _error(all_bad)["details"]
    assert [d["index"] for d in details] == [0, 1]  # type: ignore[union-attr, index]
    assert client.get(P + "/golden/records", params={"version": 5}).status_code == 404
    assert client.get(P + "/golden/records", params={"cursor": "bad"}).status_code == 400
    assert client.post(P, json={"name": ""}).status_code == 422
    assert client.get(P + "/golden/records", params={"version": 2**70}).status_code in (404, 422)
