"""OpenID Connect sign-in with a real ``assay serve`` (auth on) and the test provider."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import ServerProcess
from tests.support.oidc_provider import OidcProvider


@pytest.fixture
def provider() -> Iterator[OidcProvider]:
    with OidcProvider() as running:
        yield running


@pytest.fixture
def oidc_server(db_url: str, tmp_path: Path, provider: OidcProvider) -> Iterator[ServerProcess]:
    env = {
        "ASSAY_AUTH": "true",
        "ASSAY_OIDC_ISSUER": provider.issuer,
        "ASSAY_OIDC_CLIENT_ID": provider.client_id,
        "ASSAY_OIDC_CLIENT_SECRET": provider.client_secret,
    }
    proc = ServerProcess(database_url=db_url, workdir=tmp_path, env=env)
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


def test_a_browser_signs_in_through_the_provider(oidc_server: ServerProcess) -> None:
    with oidc_server.client() as browser:
        assert browser.get("/api/v1/auth/me").json()["user"] is None
        assert browser.get("/api/v1/auth/me").json()["oidc"] is True

        started = browser.get("/api/v1/auth/oidc/login", params={"next": "/traces"})
        assert started.status_code == 302, started.text
        at_provider = httpx.get(started.headers["location"])
        assert at_provider.status_code == 302, at_provider.text
        callback = at_provider.headers["location"]
        assert callback.startswith(f"{oidc_server.url}/api/v1/auth/oidc/callback?")
        done = browser.get(callback)
        assert done.status_code == 302, done.text
        assert done.headers["location"] == "/traces"

        me = browser.get("/api/v1/auth/me").json()
        assert me["user"]["email"] == "ada@example.com"
        assert me["user"]["oidc"] is True
        assert me["projects"] == {}  # an admin gives the new user roles

        signed_out = browser.post("/api/v1/auth/logout", headers={"x-csrf-token": me["csrf_token"]})
        assert signed_out.status_code == 204, signed_out.text
        assert browser.get("/api/v1/auth/me").json()["user"] is None


def test_a_forged_callback_signs_nobody_in(
    oidc_server: ServerProcess, provider: OidcProvider
) -> None:
    provider.foreign_key = True
    with oidc_server.client() as browser:
        started = browser.get("/api/v1/auth/oidc/login")
        callback = httpx.get(started.headers["location"]).headers["location"]
        refused = browser.get(callback)
        assert refused.status_code == 401
        assert "signature" in refused.json()["error"]["message"]
        assert browser.get("/api/v1/auth/me").json()["user"] is None
