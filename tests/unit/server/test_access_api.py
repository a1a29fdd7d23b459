"""Members and API keys over the API, and the refusals a caller sees with authentication on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assay.server import create_app
from assay.store import Store
from tests.support.auth_setup import SESSION_COOKIE, key_caller, new_session, user_caller
from tests.unit.server.helpers import json_request, json_span, native_span

P = "proj"


@pytest.fixture
def app_client(store: Store) -> Iterator[TestClient]:
    store.ensure_project(P)
    store.ensure_project("other")
    with TestClient(create_app(store, auth=True, rate_limit=0)) as client:
        yield client


def _as_admin(store: Store) -> tuple[dict[str, str], dict[str, str]]:
    caller = user_caller(
        store, "boss@example.com", project_id=store.ensure_project(P), role="admin"
    )
    return caller.headers, caller.cookies


def test_members_are_added_by_email_changed_removed_and_audited(
    store: Store, app_client: TestClient
) -> None:
    headers, cookies = _as_admin(store)
    app_client.cookies.update(cookies)
    base = f"/api/v1/projects/{P}/members"
    ann = store.create_user("ann@example.com")

    missing = app_client.post(
        base, json={"email": "nobody@example.com", "role": "viewer"}, headers=headers
    )
    assert missing.status_code == 404 and "nobody@example.com" in missing.json()["error"]["message"]

    added = app_client.post(
        base, json={"email": "ANN@example.com", "role": "viewer"}, headers=headers
    )
    assert added.status_code == 201, added.text
    assert added.json()["email"] == "ann@example.com" and added.json()["role"] == "viewer"
    again = app_client.post(
        base, json={"email": "ann@example.com", "role": "admin"}, headers=headers
    )
    assert again.status_code == 409 and "already" in again.json()["error"]["message"]

    changed = app_client.patch(f"{base}/{ann.id}", json={"role": "engineer"}, headers=headers)
    assert changed.status_code == 200 and changed.json()["role"] == "engineer"
    listed = app_client.get(base).json()
    assert {(m["email"], m["role"]) for m in listed} == {
        ("ann@example.com", "engineer"),
        ("boss@example.com", "admin"),
    }
    assert app_client.delete(f"{base}/{ann.id}", headers=headers).status_code == 204
    assert app_client.delete(f"{base}/{ann.id}", headers=headers).status_code == 404

    events = store.list_audit(store.ensure_project(P), limit=10).items
    assert [(e.action, e.actor, e.target) for e in reversed(events)] == [
        ("member.add", "boss@example.com", "ann@example.com"),
        ("member.role", "boss@example.com", "ann@example.com"),
        ("member.remove", "boss@example.com", "ann@example.com"),
    ]
    assert events[1].details == {"old": "viewer", "new": "engineer"}


def test_a_key_is_shown_once_works_and_stops_working_when_revoked(
    store: Store, app_client: TestClient
) -> None:
    headers, cookies = _as_admin(store)
    app_client.cookies.update(cookies)
    base = f"/api/v1/projects/{P}/api-keys"
    made = app_client.post(base, json={"name": "ci", "role": "engineer"}, headers=headers)
    assert made.status_code == 201, made.text
    secret = made.json()["secret"]
    assert secret.startswith("assay_")
    listed = app_client.get(base).json()
    assert [k["name"] for k in listed] == ["ci"] and "secret" not in listed[0]
    assert listed[0]["last_used_at"] is None

    app_client.cookies.clear()
    bearer = {"Authorization": f"Bearer {secret}"}
    ingest = {"project": P, "spans": [native_span()]}
    assert app_client.post("/api/v1/spans", json=ingest, headers=bearer).status_code == 200
    assert app_client.get(f"/api/v1/projects/{P}/traces", headers=bearer).status_code == 200

    app_client.cookies.update(cookies)
    assert app_client.get(base).json()[0]["last_used_at"] is not None
    key_id = listed[0]["id"]
    assert app_client.delete(f"{base}/{key_id}", headers=headers).status_code == 204
    assert app_client.get(base).json()[0]["revoked_at"] is not None
    app_client.cookies.clear()

    refused = app_client.post("/api/v1/spans", json=ingest, headers=bearer)
    assert refused.status_code == 401
    assert "revoked or unknown" in refused.json()["error"]["message"]
    actions = [e.action for e in store.list_audit(store.ensure_project(P), limit=10).items]
    assert actions == ["key.revoke", "key.create"]


def test_no_credential_is_told_how_to_authenticate(app_client: TestClient) -> None:
    response = app_client.get(f"/api/v1/projects/{P}/traces")
    assert response.status_code == 401
    message = response.json()["error"]["message"]
    assert "Authorization: Bearer" in message and "/api/v1/auth/login" in message
    assert app_client.get("/api/v1/health").status_code == 200, "health stays public"
    ingest = app_client.post("/api/v1/spans", json={"project": P, "spans": [native_span()]})
    assert ingest.status_code == 401


def test_an_unknown_key_is_refused(app_client: TestClient) -> None:
    bearer = {"Authorization": "Bearer assay_" + "x" * 32}
    response = app_client.get("/api/v1/projects", headers=bearer)
    assert response.status_code == 401
    assert "revoked or unknown" in response.json()["error"]["message"]


def test_another_projects_key_can_neither_ingest_nor_read(
    store: Store, app_client: TestClient
) -> None:
    other, _ = key_caller(store, store.ensure_project("other"), "admin")
    ingest = app_client.post(
        "/api/v1/spans", json={"project": P, "spans": [native_span()]}, headers=other.headers
    )
    assert ingest.status_code == 403
    assert "'other'" in ingest.json()["error"]["message"], "names the key's own project"
    otlp = app_client.post(
        "/v1/traces",
        json=json_request([json_span()]),
        headers={**other.headers, "X-Assay-Project": P},
    )
    assert otlp.status_code == 403
    read = app_client.get(f"/api/v1/projects/{P}/traces", headers=other.headers)
    unknown = app_client.get("/api/v1/projects/nowhere/traces", headers=other.headers)
    assert read.status_code == unknown.status_code == 404
    seen = read.json()["error"]["message"].replace(repr(P), "X")
    assert seen == unknown.json()["error"]["message"].replace("'nowhere'", "X"), (
        "a project you are not in looks like one that does not exist"
    )
    listed = app_client.get("/api/v1/projects", headers=other.headers).json()
    assert [p["name"] for p in listed] == ["other"]


def test_a_tampered_session_cookie_is_refused(store: Store, app_client: TestClient) -> None:
    viewer = user_caller(store, "v@example.com", project_id=store.ensure_project(P), role="viewer")
    token = viewer.cookies[SESSION_COOKIE]
    app_client.cookies.set(SESSION_COOKIE, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    response = app_client.get(f"/api/v1/projects/{P}/traces")
    assert response.status_code == 401 and "session" in response.json()["error"]["message"]
    app_client.cookies.set(SESSION_COOKIE, token)
    assert app_client.get(f"/api/v1/projects/{P}/traces").status_code == 200


def test_a_cookie_request_without_the_csrf_token_is_refused(
    store: Store, app_client: TestClient
) -> None:
    user = store.create_user("eng@example.com")
    store.add_member(store.ensure_project(P), user.id, "engineer")
    token, csrf = new_session(store, user.id)
    app_client.cookies.set(SESSION_COOKIE, token)
    body = {"name": "ds"}
    base = f"/api/v1/projects/{P}/datasets"
    missing = app_client.post(base, json=body)
    assert missing.status_code == 403 and "X-CSRF-Token" in missing.json()["error"]["message"]
    wrong = app_client.post(base, json=body, headers={"X-CSRF-Token": csrf + "x"})
    assert wrong.status_code == 403
    assert app_client.get(base).status_code == 200, "reads need no CSRF token"
    assert app_client.post(base, json=body, headers={"X-CSRF-Token": csrf}).status_code == 201


def test_a_viewer_cannot_write_and_is_told_which_role_is_needed(
    store: Store, app_client: TestClient
) -> None:
    viewer = user_caller(store, "v@example.com", project_id=store.ensure_project(P), role="viewer")
    app_client.cookies.update(viewer.cookies)
    response = app_client.post(
        f"/api/v1/projects/{P}/datasets", json={"name": "ds"}, headers=viewer.headers
    )
    assert response.status_code == 403
    message = response.json()["error"]["message"]
    assert "engineer" in message and "viewer" in message
    ingest = app_client.post(
        "/api/v1/spans", json={"project": P, "spans": [native_span()]}, headers=viewer.headers
    )
    assert ingest.status_code == 403
    key, _ = key_caller(store, store.ensure_project(P), "viewer")
    app_client.cookies.clear()
    keyed = app_client.post(
        "/api/v1/spans", json={"project": P, "spans": [native_span()]}, headers=key.headers
    )
    assert keyed.status_code == 403 and "engineer" in keyed.json()["error"]["message"]


def test_a_user_lists_only_their_projects(store: Store, app_client: TestClient) -> None:
    viewer = user_caller(store, "v@example.com", project_id=store.ensure_project(P), role="viewer")
    app_client.cookies.update(viewer.cookies)
    assert [p["name"] for p in app_client.get("/api/v1/projects").json()] == [P]
    outsider = store.create_user("out@example.com")
    token, _ = new_session(store, outsider.id)
    app_client.cookies.set(SESSION_COOKIE, token)
    assert app_client.get("/api/v1/projects").json() == []
    assert app_client.get(f"/api/v1/projects/{P}/traces").status_code == 404


def test_requests_per_key_are_limited_per_minute(store: Store) -> None:
    key, _ = key_caller(store, store.ensure_project(P), "viewer")
    with TestClient(create_app(store, auth=True, rate_limit=3)) as client:
        answers = [client.get("/api/v1/projects", headers=key.headers) for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    limited = answers[3]
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert "ASSAY_RATE_LIMIT" in limited.json()["error"]["message"]
