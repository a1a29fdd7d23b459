"""A small OpenID Connect provider for tests: a real HTTP server on 127.0.0.1, port 0, in a thread.

It speaks the authorization-code flow with PKCE the way real providers do:

- ``/.well-known/openid-configuration``: the discovery document;
- ``/authorize``: signs in the scripted :attr:`OidcProvider.user` at once (no login page) and
  redirects back to ``redirect_uri`` with a one-time code and the caller's ``state``;
- ``/token``: checks the client (``client_secret_post`` or ``client_secret_basic``), the code,
  the ``redirect_uri`` and the PKCE verifier, and answers with an RS256 ``id_token``;
- ``/jwks``: the public half of the RSA key generated when the provider starts.

A test scripts faults through :attr:`OidcProvider.claims` (merged into the next ID tokens, e.g.
``{"aud": "someone-else"}`` or ``{"exp": 0}``) and :attr:`OidcProvider.foreign_key` (sign with a
key the JWKS does not publish, under the published key id).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.http_thread import ThreadedServer

KEY_ID = "test-key-1"


@dataclass
class ProviderUser:
    """The person the provider signs in."""

    sub: str = "user-1"
    email: str = "ada@example.com"
    email_verified: bool | None = True
    name: str | None = "Ada Lovelace"


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    nonce: str | None
    challenge: str
    user: ProviderUser


@dataclass
class OidcProvider(ThreadedServer):
    """The provider; use it as a context manager (it serves between enter and exit)."""

    client_id: str = "assay-test"
    client_secret: str = "test-secret-0123456789"
    user: ProviderUser = field(default_factory=ProviderUser)
    claims: dict[str, Any] = field(default_factory=dict)
    foreign_key: bool = False
    auth_methods: list[str] = field(
        default_factory=lambda: ["client_secret_post", "client_secret_basic"]
    )
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._grants: dict[str, _Grant] = {}
        self._lock = threading.Lock()
        self.serve(_handler(self))

    @property
    def issuer(self) -> str:
        """The issuer URL (also the base of every endpoint)."""
        return self.base_url

    def discovery(self) -> dict[str, Any]:
        """The discovery document."""
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": self.auth_methods,
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        """The published keys: the public half of the provider's own key."""
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], dict[str, Any]]:
        """Answer ``/authorize``: a redirect with a code, or a 400 naming what is wrong."""
        problem = _authorize_problem(self, query)
        if problem:
            return 400, {}, {"error": "invalid_request", "error_description": problem}
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = _Grant(
                client_id=query["client_id"],
                redirect_uri=query["redirect_uri"],
                nonce=query.get("nonce"),
                challenge=query["code_challenge"],
                user=ProviderUser(**vars(self.user)),
            )
        back = {"code": code, **({"state": query["state"]} if "state" in query else {})}
        return 302, {"location": f"{query['redirect_uri']}?{urlencode(back)}"}, {}

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict[str, Any]]:
        """Answer ``/token``: an ID token for a valid code, or an OAuth error.

        Each request is kept in :attr:`token_requests` with ``auth_method`` added."""
        client_id, secret, method = _client_credentials(form, authorization)
        self.token_requests.append({**form, "auth_method": method})
        if method not in self.auth_methods:
            return 401, {"error": "invalid_client", "error_description": f"{method} not allowed"}
        if client_id != self.client_id or secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)
        if grant is None or grant.client_id != client_id:
            return 400, {"error": "invalid_grant", "error_description": "unknown or used code"}
        if form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        if _s256(form.get("code_verifier", "")) != grant.challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verifier is wrong"}
        id_token = self._id_token(grant)
        body = {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer"}
        return 200, {**body, "expires_in": 300, "id_token": id_token}

    def _id_token(self, grant: _Grant) -> str:
        now = int(time.time())
        user = grant.user
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": user.sub,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "email": user.email,
            "name": user.name,
        }
        if user.email_verified is not None:
            claims["email_verified"] = user.email_verified
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        claims.update(self.claims)
        key = self._other_key if self.foreign_key else self._key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})


def _authorize_problem(provider: OidcProvider, query: dict[str, str]) -> str | None:
    if query.get("client_id") != provider.client_id:
        return f"unknown client_id {query.get('client_id')!r}"
    if query.get("response_type") != "code":
        return "response_type must be code"
    if "openid" not in query.get("scope", "").split():
        return "scope must include openid"
    if not query.get("redirect_uri", "").startswith(("http://", "https://")):
        return "redirect_uri must be an absolute URL"
    if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
        return "PKCE with S256 is required"
    return None


def _client_credentials(form: dict[str, str], authorization: str | None) -> tuple[str, str, str]:
    """Client id, secret and how they came (client_secret_basic or client_secret_post)."""
    if authorization and authorization.lower().startswith("basic "):
        decoded = base64.b64decode(authorization[6:]).decode()
        client_id, _, secret = decoded.partition(":")
        return unquote_plus(client_id), unquote_plus(secret), "client_secret_basic"
    return form.get("client_id", ""), form.get("client_secret", ""), "client_secret_post"


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _handler(provider: OidcProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(200, provider.discovery())
            elif url.path == "/jwks":
                self._json(200, provider.jwks())
            elif url.path == "/authorize":
                status, headers, body = provider.authorize(query)
                self._json(status, body, headers)
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/token":
                self._json(404, {"error": "not_found"})
                return
            length = int(self.headers.get("content-length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            status, body = provider.token(form, self.headers.get("authorization"))
            self._json(status, body)

        def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler
