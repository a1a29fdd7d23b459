"""The alerts API: create, list, read, change and delete alerts, clear 4xx answers for what
cannot work, a test notification on demand, and the history of events."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assay.schema import JudgeIn
from assay.store.base import Store
from tests.support.webhook import WebhookReceiver

BASE = "/api/v1/projects/shop/alerts"
EVENTS = "/api/v1/projects/shop/alert-events"


def body(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "high errors",
        "metric": "error_rate",
        "operator": "above",
        "threshold": 0.2,
    }
    values.update(fields)
    return values


def create(client: TestClient, **fields: Any) -> dict[str, Any]:
    answer = client.post(BASE, json=body(**fields))
    assert answer.status_code == 201, answer.text
    made: dict[str, Any] = answer.json()
    return made


def add_judge(store: Store) -> None:
    judge = JudgeIn(name="polite", prompt="{{output}}", choices={"y": 1, "n": 0}, model="m")
    store.save_judge(store.ensure_project("shop"), judge)


def field_of(answer: Any) -> str:
    """The field the 422 names."""
    assert answer.status_code == 422, answer.text
    return str(answer.json()["error"]["details"][0]["field"])


# ----------------------------------------------------------------------------- CRUD
def test_an_alert_is_created_listed_read_changed_and_deleted(client: TestClient) -> None:
    made = create(client, webhook_url="https://hooks.example.com/x")
    assert (made["name"], made["state"], made["window_seconds"]) == ("high errors", "no_data", 300)
    assert made["project"] == "shop" and made["webhook_format"] == "json"
    assert [a["name"] for a in client.get(BASE).json()] == ["high errors"]
    assert client.get(f"{BASE}/high errors").json() == made
    changed = client.patch(f"{BASE}/high errors", json={"threshold": 0.3, "webhook_url": None})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["threshold"], changed.json()["webhook_url"]) == (0.3, None)
    assert client.get(f"{BASE}/high errors").json()["threshold"] == 0.3
    assert client.delete(f"{BASE}/high errors").status_code == 204
    assert client.get(BASE).json() == []


def test_a_taken_name_is_a_conflict(client: TestClient) -> None:
    create(client)
    answer = client.post(BASE, json=body(threshold=0.5))
    assert answer.status_code == 409
    assert "PATCH /api/v1/projects/shop/alerts/high errors" in answer.json()["error"]["message"]


def test_missing_alerts_and_projects_are_404s(client: TestClient) -> None:
    assert client.get(BASE).status_code == 404  # no project yet
    create(client)
    for answer in (
        client.get(f"{BASE}/nope"),
        client.patch(f"{BASE}/nope", json={"threshold": 1}),
        client.delete(f"{BASE}/nope"),
        client.post(f"{BASE}/nope/test"),
        client.get(EVENTS, params={"alert": "nope"}),
    ):
        assert answer.status_code == 404, answer.text
        assert "'nope'" in answer.json()["error"]["message"]


# ----------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"webhook_url": "ftp://hooks.example.com/x"}, "body.webhook_url"),
        ({"webhook_url": "hooks.example.com/x"}, "body.webhook_url"),
        ({"score_name": "helpful"}, "body.score_name"),
        ({"judge": "polite"}, "body.judge"),
        ({"trace_filter": {"start_from": "2024-01-01T00:00:00Z"}}, "body.trace_filter.start_from"),
        ({"trace_filter": {"experiment_id": "e1"}}, "body.trace_filter.experiment_id"),
        ({"trace_filter": {"colour": "red"}}, "body.trace_filter.colour"),
        ({"trace_filter": {"metadata": ["no-equals-sign"]}}, "body.trace_filter.metadata"),
        ({"metric": "judge_agreement", "judge": "nobody"}, "body.judge"),
        (
            {"metric": "judge_agreement", "judge": "polite", "agreement_metric": "vibes"},
            "body.agreement_metric",
        ),
    ],
)
def test_what_cannot_work_is_refused_naming_the_field(
    client: TestClient, store: Store, fields: dict[str, Any], field: str
) -> None:
    add_judge(store)
    assert field_of(client.post(BASE, json=body(**fields))) == field
    assert client.get(BASE).json() == []


def test_the_model_rules_come_back_as_422s(client: TestClient) -> None:
    needs = client.post(BASE, json=body(metric="score_mean"))
    assert needs.status_code == 422
    assert "needs score_name" in needs.json()["error"]["details"][0]["reason"]
    short = client.post(BASE, json=body(window_seconds=5))
    assert "window_seconds" in field_of(short)
    assert "metric" in field_of(client.post(BASE, json=body(metric="vibes")))


def test_a_judge_agreement_alert_needs_a_judge_that_exists(
    client: TestClient, store: Store
) -> None:
    add_judge(store)
    made = create(
        client,
        metric="judge_agreement",
        judge="polite",
        operator="below",
        agreement_metric="accuracy",
    )
    assert (made["judge"], made["agreement_metric"]) == ("polite", "accuracy")


def test_a_patch_is_checked_as_the_alert_it_leaves(client: TestClient) -> None:
    create(client, name="quality", metric="score_mean", score_name="helpful", operator="below")
    path = f"{BASE}/quality"
    assert field_of(client.patch(path, json={"score_name": None})) == "body.score_name"
    assert field_of(client.patch(path, json={"enabled": None})) == "body.enabled"
    assert field_of(client.patch(path, json={"webhook_url": "mailto:x@y"})) == "body.webhook_url"
    assert field_of(client.patch(path, json={"judge": "polite"})) == "body.judge"
    bad = {"trace_filter": {"start_to": 1}}
    assert field_of(client.patch(path, json=bad)) == "body.trace_filter.start_to"
    assert client.patch(path, json={}).status_code == 422
    assert client.patch(path, json={"metric": "error_rate"}).status_code == 422
    assert client.get(path).json()["score_name"] == "helpful"
    filtered = client.patch(path, json={"trace_filter": {"name": "chat"}, "enabled": False})
    assert filtered.status_code == 200, filtered.text
    assert (filtered.json()["trace_filter"], filtered.json()["enabled"]) == (
        {"name": "chat"},
        False,
    )


# ----------------------------------------------------------------------------- test sends
def test_a_test_notification_reaches_the_webhook(client: TestClient) -> None:
    with WebhookReceiver() as hook:
        create(client, webhook_url=hook.url)
        answer = client.post(f"{BASE}/high errors/test")
        assert answer.status_code == 200
        assert answer.json() == {"delivered": True, "status_code": 200, "error": None}
        [sent] = hook.bodies
    assert (sent["alert"], sent["state"], sent["test"]) == ("high errors", "firing", True)
    assert "(test notification)" in sent["text"]
    assert "/projects/shop/traces?" in sent["link"] and "status=error" in sent["link"]


def test_a_test_notification_says_why_it_was_not_delivered(client: TestClient) -> None:
    with WebhookReceiver(statuses=[500]) as hook:
        create(client, webhook_url=hook.url, webhook_format="slack")
        refused = client.post(f"{BASE}/high errors/test").json()
        assert hook.bodies[0]["text"].startswith(":red_circle: assay alert *high errors*")
    assert (refused["delivered"], refused["status_code"]) == (False, 500)
    assert "answered 500" in refused["error"]
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    client.patch(f"{BASE}/high errors", json={"webhook_url": closed})
    unreachable = client.post(f"{BASE}/high errors/test").json()
    assert (unreachable["delivered"], unreachable["status_code"]) == (False, None)
    assert closed in unreachable["error"]


def test_a_test_needs_a_webhook(client: TestClient) -> None:
    create(client)
    assert field_of(client.post(f"{BASE}/high errors/test")) == "body.webhook_url"


# ----------------------------------------------------------------------------- history
def test_events_are_listed_newest_first_a_page_at_a_time(client: TestClient, store: Store) -> None:
    create(client, name="a")
    create(client, name="b")
    pid = store.ensure_project("shop")
    moves: list[tuple[int, str, Any]] = [
        (1, "a", ("no_data", "firing", "firing")),
        (2, "b", ("no_data", "firing", "firing")),
        (3, "a", ("firing", "ok", "resolved")),
    ]
    for at, name, (was, now, kind) in moves:
        alert = store.get_alert(pid, name)
        assert alert is not None
        store.transition_alert(
            pid,
            alert.id,
            from_state=was,
            to_state=now,
            value=0.5,
            evaluated_at=at * 1_000_000,
            event=kind,
            link="http://x",
        )
    first = client.get(EVENTS, params={"limit": 2}).json()
    assert [(e["alert"], e["kind"]) for e in first["items"]] == [("a", "resolved"), ("b", "firing")]
    rest = client.get(EVENTS, params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [(e["alert"], e["kind"]) for e in rest["items"]] == [("a", "firing")]
    assert rest["next_cursor"] is None
    only_a = client.get(EVENTS, params={"alert": "a"}).json()["items"]
    assert [e["kind"] for e in only_a] == ["resolved", "firing"]
    assert {e["delivery"] for e in only_a} == {"none"}
    assert client.get(EVENTS, params={"cursor": "garbage"}).status_code == 400
