"""OpenID Connect sign-in: discovery, the authorization URL, the code exchange, ID-token checks.

The flow is the authorization-code flow with PKCE (S256), for any provider named by its issuer
URL (settings ``oidc_issuer``, ``oidc_client_id``, ``oidc_client_secret``):

```
browser ── GET /api/v1/auth/oidc/login?next=/p ──► assay: 302 to the provider, cookie assay_oidc
browser ── signs in at the provider ──► 302 /api/v1/auth/oidc/callback?code&state
assay ── POST token endpoint (code, verifier) ──► id_token; checked against the provider's JWKS
assay: user by "issuer|sub", else linked by email, else created ──► session cookie, 302 /p
```

The state, nonce, PKCE verifier and the page to return to travel in a short-lived HttpOnly
cookie (SameSite=Lax), so no server secret or server-side state is needed: the callback only
proceeds when the ``state`` the provider sends back equals the one in that browser's cookie.
The discovery document and the provider's keys are fetched with httpx and kept in the process
(the keys are fetched again when a token names a key id not seen yet: key rotation).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode

import httpx
import jwt

from assay import config
from assay.errors import ConflictError
from assay.schema import User
from assay.server.errors import ApiError
from assay.store.base import Store

STATE_COOKIE = "assay_oidc"
CALLBACK_PATH = "/api/v1/auth/oidc/callback"
LOGIN_PATH = "/api/v1/auth/oidc/login"
SCOPE = "openid email profile"
STATE_SECONDS = 600
"""How long a started sign-in may take at the provider."""
LEEWAY_SECONDS = 60
"""Clock difference tolerated between this server and the provider."""
HTTP_TIMEOUT = 10.0
_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
_NOT_CONFIGURED = (
    "OpenID Connect sign-in is not configured on this server; set ASSAY_OIDC_ISSUER, "
    "ASSAY_OIDC_CLIENT_ID and ASSAY_OIDC_CLIENT_SECRET (see docs/security.md), or sign in "
    "with email and password."
)
_START_AGAIN = f"Start again at {LOGIN_PATH}."


@dataclass(frozen=True, slots=True)
class OidcSettings:
    """Which provider to trust and this server's registration with it."""

    issuer: str
    client_id: str
    client_secret: str

    @classmethod
    def from_config(cls) -> OidcSettings | None:
        """The configured provider, or None when ``oidc_issuer`` is empty (OIDC is off)."""
        issuer = str(config.get("oidc_issuer")).strip().rstrip("/")
        if not issuer:
            return None
        return cls(
            issuer=issuer,
            client_id=str(config.get("oidc_client_id")),
            client_secret=str(config.get("oidc_client_secret")),
        )


def required_settings() -> OidcSettings:
    """The configured provider, or a 404 saying OIDC is off and which settings turn it on."""
    settings = OidcSettings.from_config()
    if settings is None:
        raise ApiError(404, _NOT_CONFIGURED, code="oidc_not_configured")
    return settings


@dataclass(frozen=True, slots=True)
class Provider:
    """What the provider's discovery document says (the parts sign-in needs)."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    auth_methods: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LoginState:
    """What one sign-in attempt keeps in the browser's ``assay_oidc`` cookie."""

    state: str
    nonce: str
    verifier: str
    next: str

    def encode(self) -> str:
        """The cookie value (base64url of JSON)."""
        data = json.dumps([self.state, self.nonce, self.verifier, self.next]).encode()
        return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, value: str | None) -> LoginState | None:
        """The state in a cookie value, or None when it is missing or not ours."""
        if not value:
            return None
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            state, nonce, verifier, next_path = json.loads(raw)
        except ValueError:
            return None
        parts = (state, nonce, verifier, next_path)
        if not all(isinstance(part, str) for part in parts):
            return None
        return cls(state=state, nonce=nonce, verifier=verifier, next=safe_next(next_path))


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the provider says signed in."""

    subject: str  # "issuer|sub", unique per provider account
    email: str
    name: str | None


def new_login(next_path: str | None) -> LoginState:
    """A fresh sign-in attempt: random state, nonce and PKCE verifier."""
    return LoginState(
        state=secrets.token_urlsafe(24),
        nonce=secrets.token_urlsafe(24),
        verifier=secrets.token_urlsafe(48),
        next=safe_next(next_path),
    )


def safe_next(value: str | None) -> str:
    """``value`` when it is a path on this server, else ``/`` (never another site)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if any(ch in value for ch in "\r\n\t\\") or any(ord(ch) < 32 for ch in value):
        return "/"
    return value


def code_challenge(verifier: str) -> str:
    """The PKCE S256 challenge of ``verifier``."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def redirect_uri(base_url: str) -> str:
    """Where the provider sends the browser back: the ``public_url`` setting or ``base_url``."""
    base = str(config.get("public_url")).strip() or base_url
    return base.rstrip("/") + CALLBACK_PATH


def authorization_url(
    provider: Provider, settings: OidcSettings, *, callback: str, login: LoginState
) -> str:
    """The provider's sign-in page for this attempt."""
    query = {
        "response_type": "code",
        "client_id": settings.client_id,
        "redirect_uri": callback,
        "scope": SCOPE,
        "state": login.state,
        "nonce": login.nonce,
        "code_challenge": code_challenge(login.verifier),
        "code_challenge_method": "S256",
    }
    separator = "&" if "?" in provider.authorization_endpoint else "?"
    return provider.authorization_endpoint + separator + urlencode(query)


_providers: dict[str, Provider] = {}
_key_sets: dict[str, jwt.PyJWKSet] = {}


async def discover(settings: OidcSettings) -> Provider:
    """The provider's endpoints, from its discovery document (fetched once per process)."""
    found = _providers.get(settings.issuer)
    if found is not None:
        return found
    url = settings.issuer + "/.well-known/openid-configuration"
    document = await _get_json(url, what="discovery document")
    try:
        provider = Provider(
            issuer=str(document["issuer"]),  # exact: ID tokens name it so (trailing / too)
            authorization_endpoint=str(document["authorization_endpoint"]),
            token_endpoint=str(document["token_endpoint"]),
            jwks_uri=str(document["jwks_uri"]),
            auth_methods=tuple(document.get("token_endpoint_auth_methods_supported") or ()),
        )
    except (KeyError, TypeError) as exc:
        raise _provider_error(f"its discovery document {url} lacks {exc}") from None
    if provider.issuer.rstrip("/") != settings.issuer:
        raise _provider_error(
            f"its discovery document names issuer {provider.issuer!r}, not the configured "
            f"{settings.issuer!r}; set ASSAY_OIDC_ISSUER to the provider's exact issuer URL"
        )
    _providers[settings.issuer] = provider
    return provider


async def exchange_code(
    provider: Provider, settings: OidcSettings, *, code: str, callback: str, verifier: str
) -> str:
    """Trade the authorization ``code`` for the provider's ID token (a JWT)."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": callback,
        "code_verifier": verifier,
    }
    extra: dict[str, Any] = {}
    methods = provider.auth_methods or ("client_secret_basic",)  # the spec's default
    if "client_secret_post" in methods and "client_secret_basic" not in methods:
        form |= {"client_id": settings.client_id, "client_secret": settings.client_secret}
    else:
        # RFC 6749 2.3.1: both are form-encoded before they go into the Basic header
        client = (quote_plus(settings.client_id), quote_plus(settings.client_secret))
        extra["auth"] = httpx.BasicAuth(*client)
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as http:
            response = await http.post(provider.token_endpoint, data=form, **extra)
    except httpx.HTTPError as exc:
        raise _provider_error(f"its token endpoint failed: {exc!r}") from None
    body = _json_of(response)
    if response.status_code != 200:
        error = body.get("error_description") or body.get("error") or response.text[:200]
        raise _provider_error(
            f"its token endpoint answered {response.status_code}: {error}. {_START_AGAIN} "
            "If it persists, check ASSAY_OIDC_CLIENT_ID and ASSAY_OIDC_CLIENT_SECRET."
        )
    id_token = body.get("id_token")
    if not isinstance(id_token, str):
        raise _provider_error(
            "its token endpoint sent no id_token (is the scope 'openid' allowed?)"
        )
    return id_token


async def verify_id_token(
    provider: Provider, settings: OidcSettings, token: str, *, nonce: str
) -> Identity:
    """Check the ID token's signature (the provider's JWKS), issuer, audience, expiry and nonce.

    Raises:
        ApiError: 401 naming what is wrong with the token; 403 when the email is unverified.
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as exc:
        raise _refused(f"it is not a JWT ({exc})") from None
    algorithm = str(header.get("alg"))
    if algorithm not in _ALGORITHMS:
        raise _refused(f"it is signed with {algorithm!r}; only public-key signatures are accepted")
    key = await _signing_key(provider, header.get("kid"))
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=settings.client_id,
            issuer=provider.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except jwt.InvalidTokenError as exc:
        raise _refused(_describe(exc, token, settings)) from None
    if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise _refused("its nonce is not the one this sign-in sent (a replayed token?)")
    return _identity(claims, issuer=provider.issuer)


def _identity(claims: dict[str, Any], *, issuer: str) -> Identity:
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise ApiError(
            403,
            "The OpenID Connect provider sent no email address; allow the 'email' scope for "
            "this client at the provider, then sign in again.",
        )
    if claims.get("email_verified") is False:
        raise ApiError(
            403,
            f"The OpenID Connect provider says the email {email!r} is not verified; verify it "
            "there, then sign in again.",
        )
    name = claims.get("name")
    return Identity(
        subject=f"{issuer}|{claims['sub']}",
        email=email.strip().lower(),
        name=name if isinstance(name, str) and name else None,
    )


def resolve_user(store: Store, identity: Identity, *, address: str | None) -> User:
    """The user who signed in: linked by subject, else linked now by email, else created.

    A new user has no password and no projects until an admin gives them a role; creating and
    linking are audited. Disabled users are refused (403).
    """
    user = store.find_user_by_oidc_subject(identity.subject)
    if user is None:
        user = store.find_user_by_email(identity.email)
        if user is not None:
            user = _link(store, user, identity, address=address)
        else:
            user = _create(store, identity, address=address)
    if user.disabled:
        raise ApiError(
            403, f"The account {user.email!r} is disabled; ask an instance admin to enable it."
        )
    return user


def _link(store: Store, user: User, identity: Identity, *, address: str | None) -> User:
    if user.oidc:
        raise ApiError(
            409,
            f"The account {user.email!r} is linked to another OpenID Connect account; sign in "
            "with that one, or ask an instance admin.",
        )
    linked = store.update_user(user.id, {"oidc_subject": identity.subject})
    details = {"oidc_subject": identity.subject}
    store.record_audit(
        None,
        actor=user.email,
        action="user.oidc_link",
        target=user.email,
        details=details,
        address=address,
    )
    return linked


def _create(store: Store, identity: Identity, *, address: str | None) -> User:
    try:
        user = store.create_user(identity.email, name=identity.name, oidc_subject=identity.subject)
    except ConflictError:  # the same person's other callback got there first
        found = store.find_user_by_oidc_subject(identity.subject)
        if found is None:
            raise
        return found
    details = {"via": "oidc", "oidc_subject": identity.subject}
    store.record_audit(
        None,
        actor=user.email,
        action="user.create",
        target=user.email,
        details=details,
        address=address,
    )
    return user


async def _signing_key(provider: Provider, kid: Any) -> jwt.PyJWK:
    for refresh in (False, True):
        keys = await _key_set(provider, refresh=refresh)
        for key in keys.keys:
            if kid is None or key.key_id == kid:
                return key
    raise _refused(f"it names key id {kid!r}, which the provider's JWKS does not publish")


async def _key_set(provider: Provider, *, refresh: bool) -> jwt.PyJWKSet:
    found = _key_sets.get(provider.jwks_uri)
    if found is not None and not refresh:
        return found
    document = await _get_json(provider.jwks_uri, what="signing keys (JWKS)")
    try:
        keys = jwt.PyJWKSet.from_dict(document)
    except jwt.PyJWTError as exc:
        raise _provider_error(f"its JWKS at {provider.jwks_uri} cannot be used: {exc}") from None
    _key_sets[provider.jwks_uri] = keys
    return keys


async def _get_json(url: str, *, what: str) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as http:
            response = await http.get(url)
    except httpx.HTTPError as exc:
        raise _provider_error(f"its {what} at {url} could not be fetched: {exc!r}") from None
    body = _json_of(response)
    if response.status_code != 200 or not body:
        raise _provider_error(f"its {what} at {url} answered {response.status_code}, not JSON")
    return body


def _json_of(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _describe(exc: jwt.InvalidTokenError, token: str, settings: OidcSettings) -> str:
    if isinstance(exc, jwt.ExpiredSignatureError):
        return "it has expired (check that this server's clock is right)"
    if isinstance(exc, jwt.InvalidAudienceError):
        audience = jwt.decode(token, options={"verify_signature": False}).get("aud")
        return (
            f"it is meant for audience {audience!r}, not this server's client id "
            f"{settings.client_id!r} (check ASSAY_OIDC_CLIENT_ID)"
        )
    if isinstance(exc, jwt.InvalidIssuerError):
        return f"it was not issued by {settings.issuer!r}"
    if isinstance(exc, jwt.InvalidSignatureError):
        return "its signature does not match the provider's published keys"
    return str(exc)


def _refused(reason: str) -> ApiError:
    return ApiError(
        401,
        f"The OpenID Connect provider's ID token was refused: {reason}. {_START_AGAIN}",
        code="oidc_token_invalid",
    )


def _provider_error(reason: str) -> ApiError:
    return ApiError(
        502,
        f"Sign-in through the OpenID Connect provider failed: {reason}.",
        code="oidc_provider_error",
    )
