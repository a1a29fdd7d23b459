"""Who is calling, and may they: the app-wide :func:`authorize` dependency.

With authentication off (the local default) every request is the local user and nothing is
checked. With it on, each request to an API route is authenticated, in this order:

1. ``Authorization: Bearer assay_…``: a project API key (OTLP exporters send the same header
   from ``OTEL_EXPORTER_OTLP_HEADERS="authorization=Bearer assay_…"``). One indexed lookup.
2. The ``assay_session`` cookie of a signed-in browser (its SHA-256 is looked up).

Then the route's operation must be allowed (:mod:`assay.server.permissions`): no credential is
a 401, too small a role a 403 naming the role needed and the caller's. A project the caller is
not a member of answers exactly as a project that does not exist (404), so project names do
not leak. A state-changing request made with the cookie must carry ``X-CSRF-Token``; each API
key may make ``rate_limit`` requests per minute (a fixed window per server process).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from assay.schema.auth import ROLES, Role, User
from assay.server.deps import store_of
from assay.server.errors import ApiError
from assay.server.permissions import PERMISSIONS, PROJECT_IN_BODY, ROLE_NEEDED, Permission
from assay.store.access import ApiKeyInfo
from assay.store.base import Store

SESSION_COOKIE = "assay_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_TOUCH_EVERY_S = 60.0
_HOW_TO_AUTHENTICATE = (
    "sign in (POST /api/v1/auth/login) or send a project API key as "
    "'Authorization: Bearer assay_…' (an admin makes one in the project's settings or with "
    "`assay keys create --project P --name N`)"
)

Kind = Literal["local", "user", "key", "anonymous"]


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of a request.

    ``kind`` is ``local`` (authentication off: may do everything), ``user`` (a signed-in
    person), ``key`` (a project API key) or ``anonymous`` (nobody, on a public route).
    """

    kind: Kind
    user: User | None = None
    key_id: str | None = None
    key_name: str | None = None
    key_project_id: str | None = None
    key_project: str | None = None
    key_role: Role | None = None
    is_admin: bool = False
    csrf_token: str | None = None

    @property
    def actor(self) -> str:
        """How the audit log names the caller: "local", the user's email or "key:<name>"."""
        if self.kind == "user" and self.user is not None:
            return self.user.email
        if self.kind == "key":
            return f"key:{self.key_name}"
        return self.kind


LOCAL = Principal(kind="local", is_admin=True)
ANONYMOUS = Principal(kind="anonymous")


def principal_of(request: Request) -> Principal:
    """The caller of ``request`` as :func:`authorize` found it (local with auth off)."""
    found: Principal | None = getattr(request.state, "principal", None)
    if found is not None:
        return found
    authorizer: Authorizer | None = getattr(request.app.state, "authorizer", None)
    if authorizer is not None and authorizer.enabled:
        raise ApiError(401, f"Authentication required: {_HOW_TO_AUTHENTICATE}.")
    return LOCAL


def address_of(request: Request) -> str | None:
    """The client's address, for the audit log."""
    return request.client.host if request.client else None


def outranks(role: Role | None, needed: Role) -> bool:
    """Whether ``role`` may do what ``needed`` may."""
    return role is not None and ROLES.index(role) >= ROLES.index(needed)


def _not_found(project: str) -> ApiError:
    return ApiError(
        404,
        f"Project {project!r} does not exist or you are not a member of it; GET "
        "/api/v1/projects lists yours, and a project admin can add you.",
    )


@dataclass
class Authorizer:
    """The per-app state of authentication: the settings and small in-process memories."""

    enabled: bool
    rate_limit: int = 0
    _project_ids: dict[str, str] = field(default_factory=dict)
    _touched: dict[str, float] = field(default_factory=dict)
    _windows: dict[str, tuple[int, int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def project_id(self, store: Store, name: str) -> str | None:
        """The id of project ``name`` (remembered once found: projects are never renamed)."""
        found = self._project_ids.get(name)
        if found is None:
            found = store.find_project(name)
            if found is not None:
                self._project_ids[name] = found
        return found

    def count_request(self, key_id: str, now: float) -> int | None:
        """Count one request of a key; the seconds to wait when it is over the limit."""
        if self.rate_limit <= 0:
            return None
        minute = int(now // 60)
        with self._lock:
            start, count = self._windows.get(key_id, (minute, 0))
            if start != minute:
                count = 0
            self._windows[key_id] = (minute, count + 1)
        if count + 1 > self.rate_limit:
            return max(1, int((minute + 1) * 60 - now + 0.999))
        return None

    def touch(self, store: Store, key: ApiKeyInfo, now: float) -> None:
        """Record the key's use, at most once a minute (per process, and per the database)."""
        recent = key.last_used_at is not None and now - key.last_used_at / 1e6 < _TOUCH_EVERY_S
        if recent or now - self._touched.get(key.id, 0.0) < _TOUCH_EVERY_S:
            return
        self._touched[key.id] = now
        store.touch_api_key(key.id, now=int(now * 1e6))


async def authorize(request: Request) -> None:
    """The app-level dependency: authenticate, check permission, CSRF and rate limit.

    Stores the caller on ``request.state.principal`` (read it with :func:`principal_of`).
    """
    authorizer: Authorizer | None = getattr(request.app.state, "authorizer", None)
    if authorizer is None or not authorizer.enabled:
        request.state.principal = LOCAL
        return
    route = request.scope.get("route")
    operation = getattr(route, "operation_id", None) or getattr(route, "name", "") or ""
    permission = PERMISSIONS.get(operation)
    principal = await run_in_threadpool(_check, request, authorizer, operation, permission)
    request.state.principal = principal


def _check(
    request: Request, authorizer: Authorizer, operation: str, permission: Permission | None
) -> Principal:
    store = store_of(request)
    public = permission == "public"
    principal = _authenticate(request, store, strict=not public)
    if public:
        return principal or ANONYMOUS
    if principal is None:
        raise ApiError(
            401,
            f"Authentication required: {_HOW_TO_AUTHENTICATE}.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if principal.kind == "key" and principal.key_id is not None:
        wait = authorizer.count_request(principal.key_id, time.time())
        if wait is not None:
            raise ApiError(
                429,
                f"This API key made more than {authorizer.rate_limit} requests this minute "
                f"(setting ASSAY_RATE_LIMIT, per server); retry in {wait} s.",
                headers={"Retry-After": str(wait)},
            )
    if principal.kind == "user" and request.method not in SAFE_METHODS:
        _check_csrf(request, principal)
    if permission is None:
        raise ApiError(403, f"Operation {operation!r} has no permission entry; it is refused.")
    _check_permission(request, store, authorizer, principal, permission)
    return principal


def _authenticate(request: Request, store: Store, *, strict: bool) -> Principal | None:
    """The principal of the request's credential; None without one (or a bad one when not
    ``strict``)."""
    header = request.headers.get("authorization", "").strip()
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            if not strict:
                return None
            raise ApiError(
                401, "The Authorization header must be 'Bearer <API key>' (a key starts 'assay_')."
            )
        return _from_key(request, store, secret.strip(), strict=strict)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    session = store.find_session(digest, now=time.time_ns() // 1000)
    if session is None:
        if not strict:
            return None
        raise ApiError(401, f"Your session has ended or is not valid; {_HOW_TO_AUTHENTICATE}.")
    user = session.user
    return Principal(kind="user", user=user, is_admin=user.is_admin, csrf_token=session.csrf_token)


def _from_key(request: Request, store: Store, secret: str, *, strict: bool) -> Principal | None:
    key = store.find_api_key(hashlib.sha256(secret.encode()).hexdigest())
    if key is None or key.revoked:
        if not strict:
            return None
        raise ApiError(
            401, "This API key is revoked or unknown; ask a project admin for a new one."
        )
    authorizer: Authorizer = request.app.state.authorizer
    authorizer.touch(store, key, time.time())
    return Principal(
        kind="key",
        key_id=key.id,
        key_name=key.name,
        key_project_id=key.project_id,
        key_project=key.project,
        key_role=key.role,
    )


def _check_csrf(request: Request, principal: Principal) -> None:
    sent = request.headers.get(CSRF_HEADER, "")
    expected = principal.csrf_token or ""
    if not sent or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise ApiError(
            403,
            f"Missing or wrong {CSRF_HEADER} header; a request signed in with the session "
            f"cookie must send the csrf_token of GET /api/v1/auth/me as {CSRF_HEADER}.",
            code="csrf_failed",
        )


def _check_permission(
    request: Request,
    store: Store,
    authorizer: Authorizer,
    principal: Principal,
    permission: Permission,
) -> None:
    if principal.is_admin:
        return
    if permission == "self":
        if principal.kind != "user":
            raise ApiError(403, "Only a signed-in user can do this; an API key cannot.")
        return
    if permission == "instance_admin":
        raise ApiError(403, f"This needs an instance admin; {principal.actor} is not one.")
    needed = ROLE_NEEDED[permission]
    project = request.path_params.get("project")
    if project is None:
        if request.scope.get("route") is not None and _operation(request) in PROJECT_IN_BODY:
            return  # the route checks the project named in the body
        raise ApiError(403, "This needs an instance admin.")
    role = role_in(store, authorizer, principal, str(project))
    if role is None:
        raise _not_found(str(project))
    if not outranks(role, needed):
        raise ApiError(
            403,
            f"This needs the {needed} role in project {project!r}; {principal.actor} has "
            f"{role}. Ask a project admin for a higher role.",
        )


def _operation(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "operation_id", None) or getattr(route, "name", ""))


def role_in(
    store: Store, authorizer: Authorizer, principal: Principal, project: str
) -> Role | None:
    """The caller's role in project ``project`` (by name); None: not a member (or no such
    project). Local and instance admins are admins everywhere."""
    if principal.kind == "local" or principal.is_admin:
        return "admin"
    if principal.kind == "key":
        return principal.key_role if principal.key_project == project else None
    if principal.kind != "user" or principal.user is None:
        return None
    project_id = authorizer.project_id(store, project)
    return None if project_id is None else store.role_of(principal.user.id, project_id)


ProjectCheck = Callable[[Store, str], None]
"""Called with the store and a project name; raises :class:`ApiError` to refuse it."""


def ingest_guard(request: Request) -> ProjectCheck:
    """A check for ingest routes, called with each project named in the body before anything
    is stored: the caller needs the engineer role there. A key must name its own project
    (403 naming it); a user who is not a member gets the unknown-project 404."""
    principal = principal_of(request)
    authorizer: Authorizer | None = getattr(request.app.state, "authorizer", None)

    def check(store: Store, project: str) -> None:
        if principal.kind == "local" or principal.is_admin or authorizer is None:
            return
        if principal.kind == "key" and principal.key_project != project:
            raise ApiError(
                403,
                f"This API key belongs to project {principal.key_project!r} and cannot send "
                f"spans to project {project!r}; use a key of {project!r}.",
            )
        role = role_in(store, authorizer, principal, project)
        if role is None:
            raise _not_found(project)
        if not outranks(role, "engineer"):
            raise ApiError(
                403,
                f"Sending spans needs the engineer role in project {project!r}; "
                f"{principal.actor} has {role}.",
            )

    return check


def visible_projects(request: Request, store: Store) -> set[str] | None:
    """Ids of the projects the caller may see; None: every project."""
    principal = principal_of(request)
    if principal.kind == "local" or principal.is_admin:
        return None
    if principal.kind == "key":
        return {principal.key_project_id} if principal.key_project_id else set()
    if principal.kind == "user" and principal.user is not None:
        return set(store.roles_of_user(principal.user.id))
    return set()
