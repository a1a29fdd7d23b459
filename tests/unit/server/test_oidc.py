"""OpenID Connect sign-in against a real provider in a thread, through the real app and store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from assay.server import create_app
from assay.server.oidc import LoginState, safe_next
from assay.store.base import Store
from tests.support.oidc_provider import OidcProvider, ProviderUser


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[OidcProvider]:
    with OidcProvider() as running:
        monkeypatch.setenv("ASSAY_OIDC_ISSUER", running.issuer)
        monkeypatch.setenv("ASSAY_OIDC_CLIENT_ID", running.client_id)
        monkeypatch.setenv("ASSAY_OIDC_CLIENT_SECRET", running.client_secret)
        monkeypatch.delenv("ASSAY_PUBLIC_URL", raising=False)
        yield running


@pytest.fixture
def browser(store: Store, provider: OidcProvider) -> Iterator[TestClient]:
    """A client with its own cookie jar, like one browser, against an app with auth on."""
    with TestClient(create_app(store, auth=True), follow_redirects=False) as client:
        yield client


def at_provider(browser: TestClient, next_path: str = "/traces") -> str:
    """Start signing in and let the provider sign its user in; the callback URL it sends."""
    started = browser.get("/api/v1/auth/oidc/login", params={"next": next_path})
    assert started.status_code == 302, started.text
    assert "assay_oidc" in started.cookies
    at = httpx.get(started.headers["location"])
    assert at.status_code == 302, at.text
    callback: str = at.headers["location"]
    assert callback.startswith("http://testserver/api/v1/auth/oidc/callback?")
    return callback


def me(browser: TestClient) -> dict[str, Any]:
    answer = browser.get("/api/v1/auth/me")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_a_new_user_signs_in_and_lands_on_the_page_asked_for(
    browser: TestClient, store: Store, provider: OidcProvider
) -> None:
    done = browser.get(at_provider(browser, "/traces?project=default"))

    assert done.status_code == 302, done.text
    assert done.headers["location"] == "/traces?project=default"
    cookies = done.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("assay_session="))
    assert "HttpOnly" in session and "samesite=lax" in session.lower()
    user = me(browser)["user"]
    assert user["email"] == "ada@example.com" and user["name"] == "Ada Lovelace"
    assert user["oidc"] is True and user["has_password"] is False
    assert me(browser)["projects"] == {}
    # the provider saw PKCE and the client's credentials (it refuses otherwise)
    assert provider.token_requests[0]["code_verifier"]
    assert provider.token_requests[0]["auth_method"] == "client_secret_basic"
    events = store.list_audit(None).items
    assert [(e.action, e.target) for e in events] == [("user.create", "ada@example.com")]


def test_an_existing_user_is_linked_by_email_then_found_by_subject(
    browser: TestClient, store: Store, provider: OidcProvider
) -> None:
    existing = store.create_user("Ada@Example.com", name="Ada", password_hash="not-a-real-hash")

    assert browser.get(at_provider(browser)).status_code == 302
    user = me(browser)["user"]
    assert user["id"] == existing.id and user["oidc"] is True and user["has_password"] is True
    assert [e.action for e in store.list_audit(None).items] == ["user.oidc_link"]

    provider.user = ProviderUser(email="ada@newdomain.example")  # same sub, new email
    browser.post("/api/v1/auth/logout", headers={"x-csrf-token": me(browser)["csrf_token"]})
    assert browser.get(at_provider(browser)).status_code == 302
    assert me(browser)["user"]["id"] == existing.id
    assert len(store.list_users()) == 1


def test_a_provider_that_takes_the_secret_only_in_the_form_gets_it_there(
    browser: TestClient, provider: OidcProvider
) -> None:
    provider.auth_methods = ["client_secret_post"]
    assert browser.get(at_provider(browser)).status_code == 302
    assert me(browser)["user"]["email"] == "ada@example.com"
    assert provider.token_requests[0]["auth_method"] == "client_secret_post"


def test_a_state_that_does_not_match_is_refused(browser: TestClient) -> None:
    callback = at_provider(browser)
    forged = callback.replace("state=", "state=x")

    refused = browser.get(forged)

    assert refused.status_code == 400
    assert "start again at /api/v1/auth/oidc/login" in refused.json()["error"]["message"]
    assert_no_session(browser, refused)


def test_a_callback_in_another_browser_is_refused(store: Store, browser: TestClient) -> None:
    callback = at_provider(browser)
    with TestClient(create_app(store, auth=True), follow_redirects=False) as other:
        refused = other.get(callback)
        assert refused.status_code == 400
        assert "another browser" in refused.json()["error"]["message"]
        assert_no_session(other, refused)


@pytest.mark.parametrize(
    ("script", "status", "says"),
    [
        ({"foreign_key": True}, 401, "signature does not match the provider's published keys"),
        ({"claims": {"aud": "someone-else"}}, 401, "audience 'someone-else'"),
        ({"claims": {"exp": int(time.time()) - 3600}}, 401, "it has expired"),
        ({"claims": {"nonce": "replayed"}}, 401, "nonce is not the one this sign-in sent"),
        ({"claims": {"iss": "http://127.0.0.1:9/other"}}, 401, "was not issued by"),
        ({"user": ProviderUser(email_verified=False)}, 403, "is not verified"),
    ],
    ids=["other-key", "wrong-audience", "expired", "wrong-nonce", "wrong-issuer", "unverified"],
)
def test_a_bad_id_token_is_refused_with_no_session(
    browser: TestClient,
    store: Store,
    provider: OidcProvider,
    script: dict[str, Any],
    status: int,
    says: str,
) -> None:
    for name, value in script.items():
        setattr(provider, name, value)

    refused = browser.get(at_provider(browser))

    assert refused.status_code == status, refused.text
    assert says in refused.json()["error"]["message"]
    assert_no_session(browser, refused)
    assert store.list_users() == []


def test_a_wrong_client_secret_is_a_502_that_names_the_settings(
    browser: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    callback = at_provider(browser)
    monkeypatch.setenv("ASSAY_OIDC_CLIENT_SECRET", "not-the-secret")

    refused = browser.get(callback)

    assert refused.status_code == 502
    message = refused.json()["error"]["message"]
    assert "token endpoint answered 401" in message and "ASSAY_OIDC_CLIENT_SECRET" in message
    assert_no_session(browser, refused)


def test_an_unreachable_provider_is_a_502_naming_its_url(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with OidcProvider() as gone:
        issuer = gone.issuer
    monkeypatch.setenv("ASSAY_OIDC_ISSUER", issuer)
    with TestClient(create_app(store, auth=True), follow_redirects=False) as client:
        answer = client.get("/api/v1/auth/oidc/login")
    assert answer.status_code == 502
    assert f"{issuer}/.well-known/openid-configuration" in answer.json()["error"]["message"]


def test_with_authentication_off_there_is_nothing_to_sign_in_to(
    store: Store, provider: OidcProvider
) -> None:
    with TestClient(create_app(store, auth=False), follow_redirects=False) as client:
        answer = client.get("/api/v1/auth/oidc/login")
    assert answer.status_code == 400
    assert "ASSAY_AUTH=true" in answer.json()["error"]["message"]


def test_a_disabled_user_is_refused(browser: TestClient, store: Store) -> None:
    user = store.create_user("ada@example.com")
    store.update_user(user.id, {"disabled": True})

    refused = browser.get(at_provider(browser))

    assert refused.status_code == 403
    assert "disabled" in refused.json()["error"]["message"]
    assert_no_session(browser, refused)


def test_the_provider_saying_no_is_a_clear_400(browser: TestClient) -> None:
    path = "/api/v1/auth/oidc/callback?error=access_denied&error_description=user+cancelled"
    refused = browser.get(path)
    assert refused.status_code == 400
    assert "access_denied: user cancelled" in refused.json()["error"]["message"]


def test_next_never_leaves_this_server(browser: TestClient) -> None:
    done = browser.get(at_provider(browser, "//evil.example/steal"))
    assert done.headers["location"] == "/"
    assert [safe_next(v) for v in ("/a?b=1", "https://x", "/\\x", "", None, "/a\nb")] == [
        "/a?b=1",
        "/",
        "/",
        "/",
        "/",
        "/",
    ]


def test_the_login_redirect_carries_pkce_state_and_nonce(browser: TestClient) -> None:
    started = browser.get("/api/v1/auth/oidc/login")
    query = {k: v[0] for k, v in parse_qs(urlsplit(started.headers["location"]).query).items()}
    login = LoginState.decode(started.cookies["assay_oidc"])
    assert login is not None
    assert query["state"] == login.state and query["nonce"] == login.nonce
    assert query["code_challenge_method"] == "S256" and query["scope"] == "openid email profile"
    assert query["redirect_uri"] == "http://testserver/api/v1/auth/oidc/callback"
    assert "httponly" in started.headers["set-cookie"].lower()


def test_without_an_issuer_the_routes_say_how_to_turn_oidc_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ASSAY_OIDC_ISSUER", raising=False)
    with TestClient(create_app(store, auth=True), follow_redirects=False) as client:
        for path in ("/api/v1/auth/oidc/login", "/api/v1/auth/oidc/callback?code=a&state=b"):
            answer = client.get(path)
            assert answer.status_code == 404
            assert "ASSAY_OIDC_ISSUER" in answer.json()["error"]["message"]


def assert_no_session(browser: TestClient, answer: Any) -> None:
    """No session cookie was set, and the browser is not signed in."""
    assert not any(c.startswith("assay_session=") for c in answer.headers.get_list("set-cookie"))
    assert me(browser)["user"] is None
