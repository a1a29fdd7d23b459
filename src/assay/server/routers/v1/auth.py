"""Routes of sign-in: ``/api/v1/auth/login``, ``logout``, ``me`` and ``password`` (issue 8).

Signing in checks the password (argon2id) and starts a browser session
(:mod:`assay.server.sessions`). Failed attempts are counted per account and per client address;
when either reaches the ``login_attempts`` setting within 15 minutes, sign-in answers 429 before
any password is checked. OpenID Connect sign-in lives in its own module.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.status import HTTP_204_NO_CONTENT

from assay import config
from assay.schema import LoginIn, Me, PasswordChange, User
from assay.server import passwords, sessions
from assay.server.auth import principal_of
from assay.server.deps import settings_of, store_of
from assay.server.errors import ApiError, ErrorResponse

router = APIRouter(tags=["auth"])

FAILURE_WINDOW_US = 15 * 60 * 1_000_000
"""Failed sign-ins count for 15 minutes."""
_WRONG = "Wrong email or password; check both and try again."
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 429)
}


@router.post("/api/v1/auth/login", operation_id="loginUser", response_model=Me, responses=_ERRORS)
def login_user(body: LoginIn, request: Request, response: Response) -> Me:
    """Sign in with an email and a password: sets the session cookie and returns ``Me`` with
    the CSRF token to send as ``X-CSRF-Token`` on every state-changing request."""
    if not settings_of(request).auth:
        raise ApiError(
            400,
            "Authentication is off (ASSAY_AUTH is not true): everyone is the local user and "
            "there is nothing to sign in to; start the server with ASSAY_AUTH=true for accounts.",
        )
    email = body.email.strip().lower()
    address = sessions.client_address(request)
    _check_rate(request, email, address)
    user = _check_password(request, email, body.password, address)
    info = sessions.start_session(request, response, user)
    return sessions.me_of_user(request, info.user, info.csrf_token)


def _check_rate(request: Request, email: str, address: str) -> None:
    """429 when the account or the address has failed ``login_attempts`` times lately."""
    limit = int(config.get("login_attempts"))
    since = sessions.now_micros() - FAILURE_WINDOW_US
    counts = store_of(request).count_login_failures(email, address, since=since)
    if limit > 0 and max(counts.email, counts.address) >= limit:
        raise ApiError(
            429,
            f"Too many failed sign-ins ({limit} within 15 minutes) for this account or from "
            "this address; wait 15 minutes and try again, or ask an admin to reset the password.",
            headers={"Retry-After": str(FAILURE_WINDOW_US // 1_000_000)},
        )


def _check_password(request: Request, email: str, password: str, address: str) -> User:
    """The user whose password this is, or a 401 (one message for a wrong email or password)
    after noting the failure; 403 for a disabled account."""
    store = store_of(request)
    user = store.find_user_by_email(email)
    stored = store.password_hash(user.id) if user is not None else None
    if user is None or not passwords.verify_password(stored, password):
        store.record_login_failure(email, address, now=sessions.now_micros())
        raise ApiError(401, _WRONG)
    if user.disabled:
        raise ApiError(
            403, f"The account {user.email!r} is disabled; ask an instance admin to enable it."
        )
    store.clear_login_failures(email)
    if stored is not None and passwords.needs_rehash(stored):
        store.update_user(user.id, {"password_hash": passwords.hash_password(password)})
    return user


@router.post(
    "/api/v1/auth/logout",
    operation_id="logoutUser",
    status_code=HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=_ERRORS,
)
def logout_user(request: Request) -> Response:
    """Sign out: the session ends on the server (its cookie is then worthless) and the cookie
    is cleared."""
    response = Response(status_code=HTTP_204_NO_CONTENT)
    sessions.end_session(request, response)
    return response


@router.get("/api/v1/auth/me", operation_id="getMe", response_model=Me, responses=_ERRORS)
def get_me(request: Request) -> Me:
    """Who the caller is: the signed-in user (with the CSRF token and a role per project), the
    API key, or nobody yet (``user`` null: the UI shows sign-in). With authentication off,
    ``auth`` is false and everyone is the local user."""
    principal = principal_of(request)
    if principal.kind == "local":
        return Me(auth=False, oidc=sessions.oidc_enabled())
    if principal.kind == "key":
        project, role = principal.key_project, principal.key_role
        projects = {project: role} if project and role else {}
        return Me(auth=True, key=principal.key_name, projects=projects)
    if principal.user is None:
        return Me(auth=True, oidc=sessions.oidc_enabled())
    return sessions.me_of_user(request, principal.user, principal.csrf_token)


@router.post(
    "/api/v1/auth/password",
    operation_id="changePassword",
    status_code=HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=_ERRORS,
)
def change_password(body: PasswordChange, request: Request) -> Response:
    """Change your own password; your other sessions end, this one stays."""
    principal = principal_of(request)
    if principal.user is None:
        raise ApiError(401, "Sign in first: POST /api/v1/auth/login.")
    store = store_of(request)
    user = principal.user
    stored = store.password_hash(user.id)
    if stored is None:
        raise ApiError(
            400,
            "Your account has no password (you sign in through OpenID Connect); an instance "
            "admin can set one with PATCH /api/v1/users/{user_id}.",
        )
    if not passwords.verify_password(stored, body.current_password):
        raise ApiError(400, "The current password is wrong; type it again.")
    store.update_user(user.id, {"password_hash": passwords.hash_password(body.new_password)})
    now = sessions.now_micros()
    ended = store.revoke_user_sessions(user.id, now=now, keep=sessions.session_token_hash(request))
    store.record_audit(
        None,
        actor=principal.actor,
        action="user.password_change",
        target=user.email,
        details={"sessions_ended": ended},
        address=sessions.client_address(request),
    )
    return Response(status_code=HTTP_204_NO_CONTENT)
