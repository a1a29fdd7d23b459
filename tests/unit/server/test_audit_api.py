"""Projects, their settings and the audit log over HTTP (authentication off: the local user)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.unit.server.helpers import native_span


def _create(client: TestClient, name: str) -> dict[str, object]:
    response = client.post("/api/v1/projects", json={"name": name})
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_project_is_created_once_and_listed(client: TestClient) -> None:
    made = _create(client, "support-bot")
    assert made["name"] == "support-bot" and made["trace_count"] == 0
    names = [p["name"] for p in client.get("/api/v1/projects").json()]
    assert "support-bot" in names
    again = client.post("/api/v1/projects", json={"name": "support-bot"})
    assert again.status_code == 409
    assert "exists already" in again.json()["error"]["message"]
    for bad in ("   ", "a/b"):
        refused = client.post("/api/v1/projects", json={"name": bad})
        assert refused.status_code == 422, bad
        assert "cannot be used" in refused.json()["error"]["message"]
    events = client.get("/api/v1/audit").json()["items"]
    assert [(e["action"], e["target"], e["actor"]) for e in events] == [
        ("project.create", "support-bot", "local")
    ]


def test_settings_changes_are_stored_and_audited_with_old_and_new(client: TestClient) -> None:
    _create(client, "bot")
    url = "/api/v1/projects/bot/settings"
    assert client.get(url).json() == {"retention_days": None}
    changed = client.patch(url, json={"retention_days": 30})
    assert changed.status_code == 200 and changed.json() == {"retention_days": 30}
    assert client.get(url).json() == {"retention_days": 30}
    assert client.patch(url, json={}).json() == {"retention_days": 30}  # nothing sent: kept
    client.patch(url, json={"retention_days": None})
    bad = client.patch(url, json={"retention_days": 0})
    assert bad.status_code == 422 and "retention_days" in bad.json()["error"]["message"]
    unknown = client.patch(url, json={"keep": 3})
    assert unknown.status_code == 422
    page = client.get("/api/v1/projects/bot/audit").json()
    assert [e["details"] for e in page["items"]] == [
        {"retention_days": {"old": 30, "new": None}},
        {"retention_days": {"old": None, "new": 30}},
    ]
    assert {e["action"] for e in page["items"]} == {"settings.update"}
    assert page["items"][0]["project"] == "bot" and page["items"][0]["address"]


def test_the_audit_log_pages_filters_and_names_missing_projects(client: TestClient) -> None:
    _create(client, "bot")
    for days in range(1, 6):
        client.patch("/api/v1/projects/bot/settings", json={"retention_days": days})
    first = client.get("/api/v1/projects/bot/audit", params={"limit": 2}).json()
    assert [e["details"]["retention_days"]["new"] for e in first["items"]] == [5, 4]
    rest = client.get(
        "/api/v1/projects/bot/audit", params={"limit": 10, "cursor": first["next_cursor"]}
    ).json()
    assert [e["details"]["retention_days"]["new"] for e in rest["items"]] == [3, 2, 1]
    assert rest["next_cursor"] is None
    only = client.get("/api/v1/projects/bot/audit", params={"action": "member."}).json()
    assert only["items"] == []
    bad = client.get("/api/v1/projects/bot/audit", params={"cursor": "nonsense"})
    assert bad.status_code == 400 and "cursor" in bad.json()["error"]["message"]
    missing = client.get("/api/v1/projects/ghost/audit")
    assert missing.status_code == 404 and "'ghost'" in missing.json()["error"]["message"]
    assert client.get("/api/v1/projects/ghost/settings").status_code == 404


def test_a_project_made_by_ingest_has_settings_too(client: TestClient) -> None:
    sent = client.post("/api/v1/spans", json={"project": "ingested", "spans": [native_span()]})
    assert sent.status_code == 200
    assert client.get("/api/v1/projects/ingested/settings").json() == {"retention_days": None}
    assert client.post("/api/v1/projects", json={"name": "ingested"}).status_code == 409
