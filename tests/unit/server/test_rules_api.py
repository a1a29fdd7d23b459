"""The rules API: create, list, read, change, delete; the checks with clear 422s; backfill
estimates and the job a backfill starts."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from assay import prices
from tests.unit.server.helpers import NOW, native_span

P = "shop"
BASE = f"/api/v1/projects/{P}/rules"
PROMPT = "Is this answer helpful?\nQuestion: {{input}}\nAnswer: {{output}}"


def judge(client: TestClient, name: str = "helpful", prompt: str = PROMPT, **fields: Any) -> None:
    body = {"name": name, "prompt": prompt, "choices": {"yes": 1.0, "no": 0.0}}
    body |= {"model": "gpt-4o-mini", **fields}
    response = client.post(f"/api/v1/projects/{P}/judges", json=body)
    assert response.status_code in (200, 201), response.text


def queue(client: TestClient, name: str = "doubts") -> None:
    config = {"name": "ok", "kind": "boolean"}
    assert client.post(f"/api/v1/projects/{P}/score-configs", json=config).status_code == 201
    body = {"name": name, "score_configs": ["ok"]}
    assert client.post(f"/api/v1/projects/{P}/queues", json=body).status_code == 201


def create(client: TestClient, **fields: Any) -> Any:
    body: dict[str, Any] = {"name": "helpful", "scorers": [{"judge": "helpful"}]}
    body.update(fields)
    return client.post(BASE, json=body)


def error_fields(response: Any) -> list[str]:
    assert response.status_code == 422, response.text
    return [d["field"] for d in response.json()["error"]["details"]]


def test_a_rule_is_created_read_listed_changed_and_deleted(client: TestClient) -> None:
    judge(client)
    queue(client)
    route = {"queue": "doubts", "score_name": "helpful", "below": 0.5}
    response = create(
        client,
        description="Helpfulness of answers",
        filter={"kind": "llm", "tag": ["vip"], "metadata": ["env=prod"], "root_only": True},
        sample_rate=0.1,
        scorers=[{"judge": "helpful", "version": 1}, {"scorer": "valid_json"}],
        route=route,
    )
    assert response.status_code == 201, response.text
    made = response.json()
    assert (
        made["project"] == P and made["sample_rate"] == 0.1 and made["route"]["queue"] == "doubts"
    )
    assert made["stats"]["scores"] == 0
    assert create(client).status_code == 409
    assert "PATCH" in create(client).json()["error"]["message"]

    assert [r["name"] for r in client.get(BASE).json()] == ["helpful"]
    assert client.get(BASE, params={"stats": "false"}).json()[0]["stats"] is None
    found = client.get(f"{BASE}/helpful").json()
    assert found["filter"]["metadata"] == ["env=prod"] and found["stats"]["queued_jobs"] == 0

    changed = client.patch(f"{BASE}/helpful", json={"enabled": False, "route": None})
    assert changed.status_code == 200, changed.text
    assert changed.json()["enabled"] is False and changed.json()["route"] is None
    assert changed.json()["scorers"] == made["scorers"]  # untouched fields stay

    assert client.delete(f"{BASE}/helpful").status_code == 204
    assert client.get(f"{BASE}/helpful").status_code == 404
    assert client.delete(f"{BASE}/helpful").status_code == 404
    assert client.get("/api/v1/projects/nowhere/rules").status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"scorers": [{"judge": "missing"}]}, "body.scorers.0.judge", "does not exist"),
        ({"scorers": [{"judge": "helpful", "version": 7}]}, "body.scorers.0.judge", "latest is 1"),
        ({"scorers": [{"scorer": "nonsense"}]}, "body.scorers.0.scorer", "valid_json"),
        ({"scorers": [{"scorer": "regex", "args": {}}]}, "body.scorers.0.args", "pattern"),
        ({"filter": {"metadata": ["env"]}}, "body.filter.metadata.0", "key=value"),
        (
            {"route": {"queue": "nowhere", "score_name": "helpful", "below": 0.5}},
            "body.route.queue",
            "POST /api/v1/projects/shop/queues",
        ),
        (
            {"route": {"queue": "doubts", "score_name": "tone", "below": 0.5}},
            "body.route.score_name",
            "['helpful']",
        ),
    ],
)
def test_a_rule_that_cannot_run_is_refused_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str, says: str
) -> None:
    judge(client)
    queue(client)
    response = create(client, **body)
    assert field in error_fields(response)
    assert says in response.json()["error"]["message"]
    assert client.get(BASE).json() == []


def test_the_model_checks_answer_with_422_too(client: TestClient) -> None:
    judge(client)
    both = create(client, scorers=[{"judge": "helpful", "scorer": "valid_json"}])
    assert "body.scorers.0" in error_fields(both)
    assert "body.sample_rate" in error_fields(create(client, sample_rate=1.5))
    no_bound = {"queue": "q", "score_name": "helpful"}
    assert "body.route" in error_fields(create(client, route=no_bound))
    assert "body.scorers" in error_fields(create(client, scorers=[]))


def test_a_change_is_checked_as_the_whole_rule_it_makes(client: TestClient) -> None:
    judge(client)
    queue(client)
    route = {"queue": "doubts", "score_name": "helpful", "below": 0.5}
    assert create(client, route=route).status_code == 201
    # dropping the judge would leave the route on a score the rule no longer writes
    swapped = client.patch(f"{BASE}/helpful", json={"scorers": [{"scorer": "valid_json"}]})
    assert "body.route.score_name" in error_fields(swapped)
    assert "body.enabled" in error_fields(client.patch(f"{BASE}/helpful", json={"enabled": None}))
    assert client.patch(f"{BASE}/helpful", json={}).status_code == 422
    rate = client.patch(f"{BASE}/helpful", json={"sample_rate": 0.5})
    assert rate.status_code == 200 and rate.json()["route"] == {**route, "above": None}


def _old_spans(client: TestClient, count: int, **fields: Any) -> list[dict[str, Any]]:
    spans = [
        native_span(start_time=NOW - 3600 + i, end_time=NOW - 3600 + i + 1, **fields)
        for i in range(count)
    ]
    body = {"project": P, "spans": spans}
    assert client.post("/api/v1/spans", json=body).status_code == 200
    return spans


def test_a_dry_run_estimates_spans_calls_tokens_and_cost(client: TestClient) -> None:
    _old_spans(client, 40, kind="llm", input="q" * 40, output="a" * 80)
    _old_spans(client, 5, kind="tool")
    judge(client)
    assert create(client, filter={"kind": "llm"}, sample_rate=0.5).status_code == 201
    body = {"start": NOW - 7200, "end": NOW, "dry_run": True}
    response = client.post(f"{BASE}/helpful/backfills", json=body)
    assert response.status_code == 200, response.text
    estimate, job = response.json()["estimate"], response.json()["job"]
    assert job is None
    assert estimate["matching_spans"] == 40
    assert 5 < estimate["sampled_spans"] < 35 and estimate["already_scored"] == 0
    assert estimate["judge_calls"] == estimate["sampled_spans"]
    prompt = (len(PROMPT) + 42 + 82) / 4  # the template plus a mean span (JSON text)
    assert estimate["estimated_tokens"] == round(estimate["judge_calls"] * (prompt + 60))
    calls = estimate["judge_calls"]
    expected_cost = prices.cost("gpt-4o-mini", calls * prompt, calls * 60)
    assert expected_cost is not None
    assert estimate["estimated_cost"] == pytest.approx(expected_cost)


def test_the_estimate_of_an_unknown_model_has_no_cost_and_code_scorers_cost_nothing(
    client: TestClient,
) -> None:
    _old_spans(client, 3)
    judge(client, "local", model="my-own-model")
    window = {"start": NOW - 7200, "end": NOW, "dry_run": True}
    assert create(client, name="local", scorers=[{"judge": "local"}]).status_code == 201
    local = client.post(f"{BASE}/local/backfills", json=window).json()["estimate"]
    assert local["judge_calls"] == 3 and local["estimated_cost"] is None
    assert create(client, name="json", scorers=[{"scorer": "valid_json"}]).status_code == 201
    code = client.post(f"{BASE}/json/backfills", json=window).json()["estimate"]
    assert code["judge_calls"] == 0 and code["estimated_cost"] == 0.0
    assert code["estimated_tokens"] == 0 and code["sampled_spans"] == 3


def test_starting_a_backfill_answers_202_with_its_job(client: TestClient) -> None:
    _old_spans(client, 4)
    assert create(client, scorers=[{"scorer": "valid_json"}]).status_code == 201
    when = {"start": "1970-01-02T00:00:00Z", "end": NOW + 60}
    response = client.post(f"{BASE}/helpful/backfills", json=when)
    assert response.status_code == 202, response.text
    job = response.json()["job"]
    assert job["kind"] == "backfill" and job["status"] == "queued" and job["rule"] == "helpful"
    assert job["progress_total"] == 4 and job["progress_done"] == 0


@pytest.mark.parametrize(
    ("when", "field"),
    [
        ({"start": "yesterday", "end": NOW}, "body.start"),
        ({"start": NOW, "end": NOW - 10}, "body.end"),
        ({"start": NOW, "end": NOW}, "body.end"),
    ],
)
def test_a_backfill_needs_a_time_range(
    client: TestClient, when: dict[str, Any], field: str
) -> None:
    _old_spans(client, 1)
    assert create(client, scorers=[{"scorer": "valid_json"}]).status_code == 201
    assert field in error_fields(client.post(f"{BASE}/helpful/backfills", json=when))
    missing = client.post(f"{BASE}/nope/backfills", json={"start": 0, "end": 1})
    assert missing.status_code == 404
