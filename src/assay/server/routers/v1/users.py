"""Routes of users: ``/api/v1/users`` (instance admins only, issue 8).

Users are never returned with their password hash. A password set by an admin is a reset: the
user's sessions end; so do they when the account is disabled. Every change is audited.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.status import HTTP_201_CREATED

from assay.schema import User, UserIn, UserPatch
from assay.server import passwords, sessions
from assay.server.auth import principal_of
from assay.server.deps import reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse

router = APIRouter(tags=["users"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 409)
}


def _audit(request: Request, action: str, user: User, details: dict[str, Any]) -> None:
    store_of(request).record_audit(
        None,
        actor=principal_of(request).actor,
        action=action,
        target=user.email,
        details=details,
        address=sessions.client_address(request),
    )


def _require(request: Request, user_id: str) -> User:
    reject_nul(request)
    user = store_of(request).get_user(user_id)
    if user is None:
        raise ApiError(404, f"User {user_id!r} does not exist; GET /api/v1/users lists them.")
    return user


@router.get("/api/v1/users", operation_id="listUsers", response_model=list[User], responses=_ERRORS)
def list_users(request: Request) -> list[User]:
    """Every user, by email."""
    return store_of(request).list_users()


@router.post(
    "/api/v1/users",
    operation_id="createUser",
    response_model=User,
    status_code=HTTP_201_CREATED,
    responses=_ERRORS,
)
def create_user(body: UserIn, request: Request) -> User:
    """Create a user (409 when the email is taken); without a password they can sign in only
    through OpenID Connect. Give them roles with ``POST /api/v1/projects/{project}/members``."""
    hashed = None if body.password is None else passwords.hash_password(body.password)
    user = store_of(request).create_user(
        body.email, name=body.name, password_hash=hashed, is_admin=body.is_admin
    )
    _audit(request, "user.create", user, {"is_admin": user.is_admin, "name": user.name})
    return user


@router.get(
    "/api/v1/users/{user_id}", operation_id="getUser", response_model=User, responses=_ERRORS
)
def get_user(user_id: str, request: Request) -> User:
    """One user."""
    return _require(request, user_id)


@router.patch(
    "/api/v1/users/{user_id}",
    operation_id="updateUser",
    response_model=User,
    responses=_ERRORS,
)
def update_user(user_id: str, body: UserPatch, request: Request) -> User:
    """Change a user's name, instance-admin flag, disabled flag or password. A new password is
    a reset and ends the user's sessions; disabling ends them too. You cannot take your own
    admin flag away or disable yourself (ask another admin), so an instance keeps an admin."""
    user = _require(request, user_id)
    sent = body.model_dump(exclude_unset=True)
    _refuse_self_lockout(request, user, sent)
    changes = {k: v for k, v in sent.items() if k != "password"}
    if sent.get("password") is not None:
        changes["password_hash"] = passwords.hash_password(sent["password"])
    end_sessions = "password_hash" in changes or bool(changes.get("disabled"))
    updated = store_of(request).update_user(user.id, changes, end_sessions=end_sessions)
    details: dict[str, Any] = {k: v for k, v in changes.items() if k != "password_hash"}
    if "password_hash" in changes:
        details["password_reset"] = True
    if end_sessions:
        details["sessions_ended"] = True
    _audit(request, "user.update", updated, details)
    return updated


def _refuse_self_lockout(request: Request, user: User, sent: dict[str, Any]) -> None:
    principal = principal_of(request)
    if principal.user is None or principal.user.id != user.id:
        return
    if sent.get("is_admin") is False or sent.get("disabled") is True:
        raise ApiError(
            400,
            "You cannot remove your own instance-admin flag or disable your own account; "
            "ask another instance admin to do it.",
        )
