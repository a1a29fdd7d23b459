"""Sign-in, sessions and the users API with authentication on, through the real app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assay.schema import User
from assay.server import create_app
from assay.server.passwords import hash_password
from assay.store.base import Store

ADMIN_PASSWORD = "admin password 1"
USER_PASSWORD = "user password 12"


class Apps:
    """Makes clients of the app with authentication on, each over its own app on one store
    (an app's lifespan closes its hold on the store when its client ends)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def client(self, base_url: str = "http://testserver") -> TestClient:
        return TestClient(create_app(self.store, auth=True), base_url=base_url)


@pytest.fixture
def app_auth(store: Store) -> Apps:
    return Apps(store)


@pytest.fixture
def admin(store: Store) -> User:
    return store.create_user(
        "admin@example.com",
        name="Admin",
        password_hash=hash_password(ADMIN_PASSWORD),
        is_admin=True,
    )


@pytest.fixture
def member(store: Store) -> User:
    return store.create_user("ann@example.com", password_hash=hash_password(USER_PASSWORD))


def _client(apps: Apps, base_url: str = "http://testserver") -> TestClient:
    return apps.client(base_url)


@pytest.fixture
def anon(app_auth: Apps) -> Iterator[TestClient]:
    with _client(app_auth) as client:
        yield client


def _login(client: TestClient, email: str, password: str) -> str:
    """Sign in; the client keeps the cookie and sends the CSRF token from then on."""
    answer = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    csrf = answer.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = csrf
    return str(client.cookies["assay_session"])


@pytest.fixture
def as_admin(app_auth: Apps, admin: User) -> Iterator[TestClient]:
    with _client(app_auth) as client:
        _login(client, admin.email, ADMIN_PASSWORD)
        yield client


def test_sign_in_sets_an_httponly_samesite_cookie_and_returns_me(
    anon: TestClient, admin: User, store: Store
) -> None:
    store.ensure_project("shop")
    answer = anon.post(
        "/api/v1/auth/login", json={"email": "ADMIN@example.com", "password": ADMIN_PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("assay_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Max-Age=604800" in cookie  # session_hours: 168
    assert "Secure" not in cookie  # plain HTTP
    me = answer.json()
    assert me["auth"] is True and me["user"]["email"] == "admin@example.com"
    assert me["csrf_token"] and me["projects"] == {"shop": "admin"}
    assert "hash" not in answer.text
    again = anon.get("/api/v1/auth/me").json()
    assert again["user"]["id"] == admin.id and again["csrf_token"] == me["csrf_token"]
    assert store.get_user(admin.id).last_login_at is not None  # type: ignore[union-attr]


def test_the_cookie_is_secure_over_https_or_behind_a_tls_proxy(app_auth: Apps, admin: User) -> None:
    body = {"email": admin.email, "password": ADMIN_PASSWORD}
    with _client(app_auth, "https://assay.example") as client:
        assert "Secure" in client.post("/api/v1/auth/login", json=body).headers["set-cookie"]
    with _client(app_auth) as client:
        proxied = client.post(
            "/api/v1/auth/login", json=body, headers={"X-Forwarded-Proto": "https"}
        )
        assert "Secure" in proxied.headers["set-cookie"]


def test_a_wrong_password_and_an_unknown_email_get_the_same_401(
    anon: TestClient, admin: User
) -> None:
    wrong = anon.post("/api/v1/auth/login", json={"email": admin.email, "password": "nope"})
    unknown = anon.post(
        "/api/v1/auth/login", json={"email": "who@example.com", "password": ADMIN_PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"]["message"] == unknown.json()["error"]["message"]
    assert "set-cookie" not in wrong.headers
    assert anon.get("/api/v1/auth/me").json()["user"] is None


def test_the_eleventh_attempt_after_ten_failures_is_refused_even_with_the_right_password(
    anon: TestClient, admin: User
) -> None:
    for _ in range(10):
        answer = anon.post("/api/v1/auth/login", json={"email": admin.email, "password": "bad"})
        assert answer.status_code == 401
    right = anon.post("/api/v1/auth/login", json={"email": admin.email, "password": ADMIN_PASSWORD})
    assert right.status_code == 429
    assert right.headers["retry-after"] == "900"
    assert "15 minutes" in right.json()["error"]["message"]
    assert "set-cookie" not in right.headers


def test_failures_against_many_accounts_from_one_address_are_limited_too(
    anon: TestClient, admin: User
) -> None:
    for n in range(10):
        body = {"email": f"guess{n}@example.com", "password": "bad"}
        assert anon.post("/api/v1/auth/login", json=body).status_code == 401
    right = anon.post("/api/v1/auth/login", json={"email": admin.email, "password": ADMIN_PASSWORD})
    assert right.status_code == 429


def test_a_successful_sign_in_resets_the_accounts_failures(
    app_auth: Apps, admin: User, store: Store
) -> None:
    with _client(app_auth) as client:
        for _ in range(3):
            client.post("/api/v1/auth/login", json={"email": admin.email, "password": "bad"})
        _login(client, admin.email, ADMIN_PASSWORD)
    counts = store.count_login_failures(admin.email, "elsewhere", since=0)
    assert counts.email == 0


def test_after_sign_out_the_old_cookie_is_worthless(app_auth: Apps, admin: User) -> None:
    with _client(app_auth) as client:
        token = _login(client, admin.email, ADMIN_PASSWORD)
        assert client.get("/api/v1/users").status_code == 200
        out = client.post("/api/v1/auth/logout")
        assert out.status_code == 204
        assert 'assay_session=""' in out.headers["set-cookie"]
        assert "Max-Age=0" in out.headers["set-cookie"]
    with _client(app_auth) as replay:
        replay.cookies.set("assay_session", token)
        assert replay.get("/api/v1/users").status_code == 401
        assert replay.get("/api/v1/auth/me").json()["user"] is None


def test_a_tampered_cookie_is_not_a_session(app_auth: Apps, admin: User) -> None:
    with _client(app_auth) as client:
        token = _login(client, admin.email, ADMIN_PASSWORD)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    with _client(app_auth) as client:
        client.cookies.set("assay_session", tampered)
        refused = client.get("/api/v1/users")
        assert refused.status_code == 401
        assert "session" in refused.json()["error"]["message"]
        assert client.get("/api/v1/auth/me").json()["user"] is None


def test_sign_out_needs_the_csrf_token(as_admin: TestClient) -> None:
    csrf = as_admin.headers.pop("X-CSRF-Token")
    refused = as_admin.post("/api/v1/auth/logout")
    assert refused.status_code == 403
    assert as_admin.get("/api/v1/users").status_code == 200
    assert as_admin.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204


def test_an_admin_creates_lists_and_reads_users_without_their_hashes(
    as_admin: TestClient, store: Store
) -> None:
    made = as_admin.post(
        "/api/v1/users",
        json={"email": "Bo@Example.com", "name": "Bo", "password": USER_PASSWORD},
    )
    assert made.status_code == 201, made.text
    user = made.json()
    assert user["email"] == "bo@example.com" and user["has_password"] and not user["is_admin"]
    listed = as_admin.get("/api/v1/users")
    assert [u["email"] for u in listed.json()] == ["admin@example.com", "bo@example.com"]
    assert as_admin.get(f"/api/v1/users/{user['id']}").json() == user
    assert "argon2" not in listed.text + made.text
    taken = as_admin.post("/api/v1/users", json={"email": "bo@example.com"})
    assert taken.status_code == 409 and "bo@example.com" in taken.json()["error"]["message"]
    assert as_admin.get("/api/v1/users/nobody").status_code == 404
    events = store.list_audit(None).items
    assert [(e.action, e.actor, e.target) for e in events] == [
        ("user.create", "admin@example.com", "bo@example.com")
    ]


def test_users_are_for_instance_admins_only(app_auth: Apps, member: User, admin: User) -> None:
    with _client(app_auth) as client:
        assert client.get("/api/v1/users").status_code == 401
        _login(client, member.email, USER_PASSWORD)
        assert client.get("/api/v1/users").status_code == 403
        body = {"email": "x@example.com"}
        assert client.post("/api/v1/users", json=body).status_code == 403
        patch = {"is_admin": True}
        assert client.patch(f"/api/v1/users/{member.id}", json=patch).status_code == 403


def test_a_password_reset_by_an_admin_ends_the_users_sessions(
    app_auth: Apps, as_admin: TestClient, member: User, store: Store
) -> None:
    with _client(app_auth) as client:
        _login(client, member.email, USER_PASSWORD)
        assert client.get("/api/v1/auth/me").json()["user"]["id"] == member.id
        reset = as_admin.patch(f"/api/v1/users/{member.id}", json={"password": "brand new pass"})
        assert reset.status_code == 200, reset.text
        assert client.post("/api/v1/auth/logout").status_code == 401
        assert client.get("/api/v1/auth/me").json()["user"] is None
    with _client(app_auth) as client:
        old = {"email": member.email, "password": USER_PASSWORD}
        assert client.post("/api/v1/auth/login", json=old).status_code == 401
        _login(client, member.email, "brand new pass")
    event = store.list_audit(None).items[0]
    assert (event.action, event.target) == ("user.update", member.email)
    assert event.details == {"password_reset": True, "sessions_ended": True}


def test_a_disabled_user_cannot_sign_in_and_their_session_ends(
    app_auth: Apps, as_admin: TestClient, member: User
) -> None:
    with _client(app_auth) as client:
        _login(client, member.email, USER_PASSWORD)
        off = as_admin.patch(f"/api/v1/users/{member.id}", json={"disabled": True})
        assert off.status_code == 200 and off.json()["disabled"] is True
        assert client.get("/api/v1/auth/me").json()["user"] is None
        body = {"email": member.email, "password": USER_PASSWORD}
        refused = client.post("/api/v1/auth/login", json=body)
        assert refused.status_code == 403 and "disabled" in refused.json()["error"]["message"]
        as_admin.patch(f"/api/v1/users/{member.id}", json={"disabled": False})
        _login(client, member.email, USER_PASSWORD)


def test_an_admin_cannot_lock_themselves_out(as_admin: TestClient, admin: User) -> None:
    for change in ({"is_admin": False}, {"disabled": True}):
        answer = as_admin.patch(f"/api/v1/users/{admin.id}", json=change)
        assert answer.status_code == 400
        assert "another instance admin" in answer.json()["error"]["message"]
    renamed = as_admin.patch(f"/api/v1/users/{admin.id}", json={"name": "Root"})
    assert renamed.json()["name"] == "Root"


def test_changing_your_password_ends_your_other_sessions(app_auth: Apps, member: User) -> None:
    with _client(app_auth) as phone, _client(app_auth) as laptop:
        _login(phone, member.email, USER_PASSWORD)
        _login(laptop, member.email, USER_PASSWORD)
        wrong = {"current_password": "not it", "new_password": "another good one"}
        refused = laptop.post("/api/v1/auth/password", json=wrong)
        assert (
            refused.status_code == 400 and "current password" in refused.json()["error"]["message"]
        )
        body = {"current_password": USER_PASSWORD, "new_password": "another good one"}
        assert laptop.post("/api/v1/auth/password", json=body).status_code == 204
        assert laptop.get("/api/v1/auth/me").json()["user"]["id"] == member.id
        assert phone.get("/api/v1/auth/me").json()["user"] is None
    with _client(app_auth) as client:
        _login(client, member.email, "another good one")


def test_with_authentication_off_everyone_is_the_local_user(
    client: TestClient, admin: User
) -> None:
    me = client.get("/api/v1/auth/me").json()
    assert me["auth"] is False and me["user"] is None
    body = {"email": admin.email, "password": ADMIN_PASSWORD}
    refused = client.post("/api/v1/auth/login", json=body)
    assert refused.status_code == 400 and "ASSAY_AUTH" in refused.json()["error"]["message"]
    assert client.get("/api/v1/users").status_code == 200
