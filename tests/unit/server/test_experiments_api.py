"""The experiment endpoints: create (with suffix), cases, finish, compare, and the 4xx answers."""

from __future__ import annotations

from fastapi.testclient import TestClient

P = "/api/v1/projects/bot/experiments"


def _cases(offset: float) -> list[dict[str, object]]:
    return [
        {"case_id": f"c{i}", "trial": 0, "trace_id": f"{i:032x}", "span_id": f"{i + 1:016x}",
         "input": i, "output": i, "scores": {"em": min(1.0, (i % 3) / 2 + offset)},
         "duration_ms": 10.0}
        for i in range(6)
    ]  # fmt: skip


def test_experiment_flow_through_the_api(client: TestClient) -> None:
    a = client.post(P, json={"name": "run", "dataset": {"name": "golden", "version": 1},
                             "started_at": "2025-01-01T00:00:00Z"})  # fmt: skip
    assert a.status_code == 201 and a.json()["status"] == "running"
    git = {"commit": "abc", "branch": "main", "dirty": True}
    b = client.post(
        P, json={"name": "run", "dataset": {"name": "golden", "version": 1}, "git": git}
    )
    assert b.json()["name"] == "run-2" and b.json()["git"]["dirty"] is True
    sent = client.post(P + "/run/cases", json={"cases": _cases(0.0)})
    assert sent.json() == {"accepted": 6, "rejected": []}
    client.post(P + "/run-2/cases", json={"cases": [*_cases(0.5), {"trial": -1}]})
    again = client.post(P + "/run-2/cases", json={"cases": _cases(0.5)})
    assert again.json()["accepted"] == 6
    done = client.post(P + "/run-2/finish", json={"status": "finished"}).json()
    assert done["status"] == "finished" and done["case_count"] == 6 and done["ended_at"]
    assert done["summary"]["em"]["count"] == 6
    cmp = client.get(P + "/run-2/compare")
    assert cmp.status_code == 200, cmp.text
    body = cmp.json()
    assert (body["experiment"], body["baseline"]) == ("run-2", "run")
    (em,) = body["scorers"]
    assert em["n_pairs"] == 6 and em["diff"] > 0 and em["ci_low"] <= em["diff"] <= em["ci_high"]
    assert em["improved"] + em["regressed"] + em["unchanged"] == 6
    assert [m["name"] for m in body["metrics"]] == ["duration_ms", "total_tokens", "cost"]
    assert {c["trace_id"] for c in body["cases"]} == {f"{i:032x}" for i in range(6)}
    assert all(c["baseline_trace_id"] == c["trace_id"] for c in body["cases"])
    summary_only = client.get(P + "/run-2/compare", params={"cases": "false"}).json()
    assert summary_only["cases"] == [] and summary_only["scorers"] == body["scorers"]
    assert summary_only["metrics"] == body["metrics"]
    page = client.get(P + "/run-2/cases", params={"limit": 4}).json()
    assert len(page["items"]) == 4 and page["next_cursor"]
    assert [e["name"] for e in client.get(P).json()] == ["run-2", "run"]
    scores = client.get(f"/api/v1/projects/bot/traces/{1:032x}/scores").json()
    assert sorted(s["value"] for s in scores) == [0.5, 1.0]


def test_experiment_errors(client: TestClient) -> None:
    assert client.get("/api/v1/projects/ghost/experiments").status_code == 404
    client.post(P, json={"name": "only"})
    assert client.get(P + "/nope").status_code == 404
    assert client.post(P + "/nope/cases", json={"cases": _cases(0)}).status_code == 404
    assert client.post(P + "/nope/finish", json={"status": "finished"}).status_code == 404
    no_base = client.get(P + "/only/compare")
    assert no_base.status_code == 404 and "baseline" in no_base.json()["error"]["message"]
    assert client.get(P + "/only/compare", params={"baseline": "zz"}).status_code == 404
    bad = client.post(
        P + "/only/cases", json={"cases": [{"case_id": "x", "trial": 2**70}, {"trial": 1}]}
    )
    assert bad.status_code == 422
    assert [d["index"] for d in bad.json()["error"]["details"]] == [0, 1]
    assert client.post(P + "/only/finish", json={"status": "weird"}).status_code == 422
    assert client.post(P, json={"name": "x", "trial_count": 0}).status_code == 422
    assert client.get(P + "/only/cases", params={"cursor": "zz"}).status_code == 400


def test_summary_scores_are_kept_and_compared(client: TestClient) -> None:
    for name, kappa in (("judge-v1", 0.5), ("judge-v2", 0.75)):
        client.post(P, json={"name": name})
        client.post(P + f"/{name}/cases", json={"cases": _cases(0.0)})
        meta = {"ci_low": kappa - 0.2, "ci_high": kappa + 0.1, "n": 6}
        body = {
            "status": "finished",
            "summary_scores": {"cohen_kappa": {"value": kappa, "metadata": meta}},
        }
        done = client.post(P + f"/{name}/finish", json=body)
        assert done.status_code == 200, done.text
        assert done.json()["summary_scores"]["cohen_kappa"] == {"value": kappa, "metadata": meta}
    listed = {e["name"]: e for e in client.get(P).json()}
    assert listed["judge-v1"]["summary_scores"]["cohen_kappa"]["value"] == 0.5
    (kappa,) = client.get(P + "/judge-v2/compare").json()["summary_scores"]
    assert kappa == {**kappa, "name": "cohen_kappa", "experiment_mean": 0.75,
                     "baseline_mean": 0.5, "diff": 0.25}  # fmt: skip
    bad = client.post(P + "/judge-v1/finish", json={"summary_scores": {"k": {"value": "high"}}})
    assert bad.status_code == 422 and "summary_scores" in bad.text
