"""Browser sessions: the ``assay_session`` cookie, starting and ending a session, and ``Me``.

Signing in (with a password, or through OpenID Connect) ends in :func:`start_session`: a random
token goes to the browser in an HttpOnly, SameSite=Lax cookie (Secure over HTTPS) and the store
keeps only its SHA-256, with a CSRF token the UI sends back as ``X-CSRF-Token``. A session
lasts ``session_hours`` after its last use; signing out revokes it server-side.
"""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import Response

from assay import config
from assay.schema import Me, User
from assay.schema.auth import Role
from assay.server.auth import SESSION_COOKIE
from assay.server.deps import store_of
from assay.server.passwords import new_token, token_hash
from assay.store.identity import SessionInfo

COOKIE = SESSION_COOKIE
"""Name of the session cookie (``assay_session``)."""


def now_micros() -> int:
    """The clock in microseconds since the epoch."""
    return time.time_ns() // 1000


def is_https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS (directly or through a proxy that says so)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def client_address(request: Request) -> str:
    """The peer's address (a reverse proxy's, when there is one)."""
    return request.client.host if request.client else "unknown"


def session_token_hash(request: Request) -> str | None:
    """The SHA-256 of the session cookie's token, or None without a cookie."""
    token = request.cookies.get(COOKIE)
    return token_hash(token) if token else None


def start_session(request: Request, response: Response, user: User) -> SessionInfo:
    """Start a session for ``user`` and set its cookie on ``response``."""
    hours = float(config.get("session_hours"))
    token = new_token()
    info = store_of(request).create_session(
        user.id,
        token_hash=token_hash(token),
        csrf_token=new_token(),
        lifetime_us=int(hours * 3_600_000_000),
        now=now_micros(),
        address=client_address(request),
        user_agent=request.headers.get("user-agent", "")[:500] or None,
    )
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(hours * 3600),
        path="/",
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )
    return info


def end_session(request: Request, response: Response) -> bool:
    """Revoke the request's session (if any) and clear its cookie; False when none was live."""
    hashed = session_token_hash(request)
    ended = hashed is not None and store_of(request).revoke_session(hashed, now=now_micros())
    response.delete_cookie(
        COOKIE, path="/", secure=is_https(request), httponly=True, samesite="lax"
    )
    return ended


def user_projects(request: Request, user: User) -> dict[str, Role]:
    """Project name → the user's role there (an instance admin is admin everywhere)."""
    store = store_of(request)
    names = {p.id: p.name for p in store.list_projects()}
    if user.is_admin:
        return dict.fromkeys(sorted(names.values()), "admin")
    roles = store.roles_of_user(user.id)
    return {names[pid]: role for pid, role in sorted(roles.items()) if pid in names}


def me_of_user(request: Request, user: User, csrf_token: str | None) -> Me:
    """``Me`` for a signed-in user."""
    return Me(
        auth=True,
        user=user,
        csrf_token=csrf_token,
        projects=user_projects(request, user),
        oidc=oidc_enabled(),
    )


def oidc_enabled() -> bool:
    """Whether OpenID Connect sign-in is set up (an issuer is configured)."""
    return bool(str(config.get("oidc_issuer") or ""))
