"""A project's members and API keys (project admins); every change goes to the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from assay.schema.auth import ApiKey, ApiKeyCreated, ApiKeyIn, Member, MemberIn, MemberPatch
from assay.server.auth import address_of, principal_of
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.routers.v1._items import check_text, json_list, json_response

router = APIRouter(tags=["access"], dependencies=[Depends(reject_nul)])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "No credential, or a revoked one."},
    403: {"model": ErrorResponse, "description": "The caller is not an admin of the project."},
    404: {"model": ErrorResponse, "description": "The project, user, member or key is unknown."},
    409: {"model": ErrorResponse, "description": "The user is a member already."},
}
ProjectName = Annotated[str, Path(description="Project name.")]
_MEMBERS = "/api/v1/projects/{project}/members"
_KEYS = "/api/v1/projects/{project}/api-keys"


def _audit(request: Request, project_id: str, action: str, target: str, **details: Any) -> None:
    store_of(request).record_audit(
        project_id,
        actor=principal_of(request).actor,
        action=action,
        target=target,
        details=details,
        address=address_of(request),
    )


@router.get(_MEMBERS, operation_id="listMembers", response_model=list[Member], responses=_ERRORS)
def list_members(request: Request, project: ProjectName) -> Response:
    """The project's members with their roles, by email."""
    store = store_of(request)
    return json_list(store.list_members(project_id_of(store, project)))


@router.post(
    _MEMBERS,
    operation_id="addMember",
    status_code=201,
    response_model=Member,
    responses=_ERRORS,
)
def add_member(request: Request, project: ProjectName, body: MemberIn) -> Response:
    """Give an existing user (by email) a role in the project."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    user = store.find_user_by_email(body.email)
    if user is None:
        raise ApiError(
            404,
            f"No user has the email {body.email!r}; an instance admin creates users "
            "(POST /api/v1/users or `assay users create EMAIL`), then add them here.",
        )
    member = store.add_member(project_id, user.id, body.role)
    if member is None:
        raise ApiError(
            409,
            f"{user.email} is a member of project {project!r} already; change their role with "
            f"PATCH {_MEMBERS.format(project=project)}/{user.id}.",
        )
    _audit(request, project_id, "member.add", user.email, role=body.role)
    return json_response(member, 201)


@router.patch(
    _MEMBERS + "/{user_id}", operation_id="updateMember", response_model=Member, responses=_ERRORS
)
def update_member(
    request: Request, project: ProjectName, user_id: str, body: MemberPatch
) -> Response:
    """Change a member's role."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    before = store.role_of(user_id, project_id)
    member = store.update_member(project_id, user_id, body.role)
    if member is None:
        raise _no_member(project, user_id)
    _audit(request, project_id, "member.role", member.email, old=before, new=body.role)
    return json_response(member)


@router.delete(
    _MEMBERS + "/{user_id}", operation_id="removeMember", status_code=204, responses=_ERRORS
)
def remove_member(request: Request, project: ProjectName, user_id: str) -> Response:
    """Take a user out of the project (their other projects are unchanged)."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    user = store.get_user(user_id)
    if not store.remove_member(project_id, user_id):
        raise _no_member(project, user_id)
    _audit(request, project_id, "member.remove", user.email if user else user_id)
    return Response(status_code=204)


def _no_member(project: str, user_id: str) -> ApiError:
    return ApiError(
        404,
        f"User {user_id!r} is not a member of project {project!r}; "
        f"GET {_MEMBERS.format(project=project)} lists the members.",
    )


@router.get(_KEYS, operation_id="listApiKeys", response_model=list[ApiKey], responses=_ERRORS)
def list_api_keys(request: Request, project: ProjectName) -> Response:
    """The project's API keys (revoked ones too), newest first; never their secrets."""
    store = store_of(request)
    return json_list(store.list_api_keys(project_id_of(store, project)))


@router.post(
    _KEYS,
    operation_id="createApiKey",
    status_code=201,
    response_model=ApiKeyCreated,
    responses=_ERRORS,
)
def create_api_key(request: Request, project: ProjectName, body: ApiKeyIn) -> Response:
    """Make a key with a role in this project. The answer holds its secret: it is shown this
    once and stored only as a hash. Send it as ``Authorization: Bearer <secret>``."""
    check_text(body.name, "name", limit=200)
    store = store_of(request)
    project_id = project_id_of(store, project)
    actor = principal_of(request).actor
    created = store.create_api_key(project_id, body.name, body.role, actor)
    _audit(request, project_id, "key.create", body.name, key_id=created.id, role=body.role)
    return json_response(created, 201)


@router.delete(_KEYS + "/{key_id}", operation_id="revokeApiKey", status_code=204, responses=_ERRORS)
def revoke_api_key(request: Request, project: ProjectName, key_id: str) -> Response:
    """Revoke a key: requests made with it are refused from now on (401)."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    revoked = store.revoke_api_key(project_id, key_id)
    if revoked is None:
        raise ApiError(
            404,
            f"Project {project!r} has no API key {key_id!r}; "
            f"GET {_KEYS.format(project=project)} lists them.",
        )
    _audit(request, project_id, "key.revoke", revoked.name, key_id=key_id)
    return Response(status_code=204)
