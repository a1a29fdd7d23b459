"""``/api/v1/projects/{project}/prompts``: the prompt registry (issue 7).

Versions are immutable; labels (``production``, ``staging``, …) point at a version and every
move is recorded and can be undone. The SDK's ``load_prompt`` reads ``…/resolve``.
"""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from assay.errors import UsageError
from assay.schema import (
    LabelMove,
    LabelMoveIn,
    Prompt,
    PromptDiff,
    PromptPatch,
    PromptVersion,
    PromptVersionIn,
)
from assay.schema.prompt import LABEL_PATTERN, NAME_PATTERN
from assay.sdk._mustache import compile_template
from assay.server.auth import address_of, outranks, principal_of, role_in
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.prompt_diff import diff_versions
from assay.server.routers.v1._items import check_text, json_list, json_response
from assay.store.base import Store

router = APIRouter(tags=["prompts"], dependencies=[Depends(reject_nul)])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A parameter cannot be used."},
    403: {"model": ErrorResponse, "description": "The caller's role may not do this."},
    404: {
        "model": ErrorResponse,
        "description": "The project, prompt, version or label does not exist.",
    },
    409: {"model": ErrorResponse, "description": "The label has moved since (undo)."},
    422: {"model": ErrorResponse, "description": "The body is invalid (details per field)."},
}
ProjectName = Annotated[str, Path(description="Project name.")]
PromptName = Annotated[str, Path(description="Prompt name.")]
LabelName = Annotated[str, Path(description="Label, e.g. production.")]
_BASE = "/api/v1/projects/{project}/prompts"


_NAME = re.compile(NAME_PATTERN)
_LABEL = re.compile(LABEL_PATTERN)


def _invalid(field: str, message: str, reason: str) -> ApiError:
    return ApiError(422, message, details=[{"field": field, "reason": reason}])


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise _invalid(
            "path.name",
            f"Prompt name {name!r:.80} is not valid: use 1 to 200 letters, digits, '_', '.' or "
            "'-', starting with a letter or digit (e.g. support-answer).",
            f"must match {NAME_PATTERN}",
        )


def _check_label(label: str, field: str) -> None:
    if not _LABEL.match(label):
        raise _invalid(
            field,
            f"Label {label!r:.80} ({field}) is not valid: use 1 to 64 lower-case letters, digits, "
            "'_', '.' or '-', starting with a letter or digit (e.g. production, canary-eu).",
            f"must match {LABEL_PATTERN}",
        )


def _path(project: str, name: str) -> str:
    return f"{_BASE.format(project=project)}/{name}"


def _require_prompt(store: Store, project_id: str, project: str, name: str) -> Prompt:
    found = store.get_prompt(project_id, name)
    if found is None:
        raise ApiError(
            404,
            f"Prompt {name!r} does not exist in project {project!r}; GET "
            f"{_BASE.format(project=project)} lists the prompts.",
        )
    return found


def _require_version(
    store: Store,
    project: str,
    name: str,
    *,
    version: int | None = None,
    label: str | None = None,
) -> PromptVersion:
    """A version by number, by label or the latest, or a 404 saying which part is missing."""
    project_id = project_id_of(store, project)
    prompt = _require_prompt(store, project_id, project, name)
    found = store.get_prompt_version(project_id, name, version=version, label=label)
    if found is not None:
        return found
    if label is not None:
        where = ", ".join(f"{k} → v{v}" for k, v in prompt.labels.items()) or "none"
        raise ApiError(
            404,
            f"Prompt {name!r} has no label {label!r} (its labels: {where}); GET "
            f"{_path(project, name)} shows where its labels point.",
        )
    raise ApiError(
        404,
        f"Prompt {name!r} has versions 1 to {prompt.latest_version}; version {version} does not "
        f"exist. GET {_path(project, name)}/versions lists them.",
    )


def _audit(request: Request, project_id: str, action: str, name: str, **details: Any) -> None:
    store_of(request).record_audit(
        project_id,
        actor=principal_of(request).actor,
        action=action,
        target=f"prompt:{name}",
        details=details,
        address=address_of(request),
    )


def _audit_move(request: Request, project_id: str, move: LabelMove, action: str) -> None:
    _audit(
        request,
        project_id,
        action,
        move.prompt,
        label=move.label,
        **{"from": move.from_version, "to": move.to_version, "move_id": move.id},
    )


def _check_body(body: PromptVersionIn) -> None:
    texts = {"model": body.model, "message": body.message, "description": body.description}
    for field, value in texts.items():
        if value is not None and "\x00" in value:
            raise ApiError(
                400,
                f"body.{field} contains a NUL character; remove it.",
                details=[{"field": f"body.{field}", "reason": "contains a NUL character"}],
            )
    for index, label in enumerate(body.labels):
        _check_label(label, f"body.labels.{index}")
    for index, message in enumerate(body.messages):
        try:
            compile_template(message.content)
        except UsageError as exc:
            field = f"body.messages.{index}.content"
            raise _invalid(
                field, f"{field} is not a valid mustache template: {exc}", str(exc)
            ) from None


def _check_label_role(request: Request, store: Store, project: str, labels: list[str]) -> None:
    """Moving labels while saving needs the role of ``movePromptLabel`` (engineer)."""
    authorizer = getattr(request.app.state, "authorizer", None)
    if not labels or authorizer is None or not authorizer.enabled:
        return
    principal = principal_of(request)
    role = role_in(store, authorizer, principal, project)
    if not outranks(role, "engineer"):
        raise ApiError(
            403,
            f"Moving labels ({', '.join(labels)}) needs the engineer role in project "
            f"{project!r} (the permission of movePromptLabel); {principal.actor} has {role}. "
            "Save the version without labels, or ask a project admin for a higher role.",
        )


@router.get(_BASE, operation_id="listPrompts", response_model=list[Prompt], responses=_ERRORS)
def list_prompts(request: Request, project: ProjectName) -> Response:
    """The project's prompts by name, with their latest version and labels."""
    store = store_of(request)
    return json_list(store.list_prompts(project_id_of(store, project)))


@router.get(_BASE + "/{name}", operation_id="getPrompt", response_model=Prompt, responses=_ERRORS)
def get_prompt(request: Request, project: ProjectName, name: PromptName) -> Response:
    """One prompt."""
    store = store_of(request)
    return json_response(_require_prompt(store, project_id_of(store, project), project, name))


@router.patch(
    _BASE + "/{name}", operation_id="updatePrompt", response_model=Prompt, responses=_ERRORS
)
def update_prompt(
    request: Request, project: ProjectName, name: PromptName, body: PromptPatch
) -> Response:
    """Change the prompt's description."""
    changes = body.model_dump(include=body.model_fields_set)
    if not changes:
        raise ApiError(
            422,
            "The body changes nothing; send description. New messages, model or parameters are "
            f"a new version: POST {_path(project, name)}/versions.",
        )
    if body.description is not None and "\x00" in body.description:
        raise ApiError(400, "body.description contains a NUL character; remove it.")
    store = store_of(request)
    return json_response(store.update_prompt(project_id_of(store, project), name, changes))


@router.delete(_BASE + "/{name}", operation_id="deletePrompt", status_code=204, responses=_ERRORS)
def delete_prompt(request: Request, project: ProjectName, name: PromptName) -> Response:
    """Delete a prompt with all its versions, labels and history."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    if not store.delete_prompt(project_id, name):
        _require_prompt(store, project_id, project, name)
    _audit(request, project_id, "prompt.delete", name)
    return Response(status_code=204)


@router.get(
    _BASE + "/{name}/versions",
    operation_id="listPromptVersions",
    response_model=list[PromptVersion],
    responses=_ERRORS,
)
def list_prompt_versions(request: Request, project: ProjectName, name: PromptName) -> Response:
    """Every version of the prompt, newest first."""
    store = store_of(request)
    return json_list(store.list_prompt_versions(project_id_of(store, project), name))


@router.post(
    _BASE + "/{name}/versions",
    operation_id="createPromptVersion",
    status_code=201,
    response_model=PromptVersion,
    responses={**_ERRORS, 200: {"model": PromptVersion, "description": "Same as the latest."}},
)
def create_prompt_version(
    request: Request, project: ProjectName, name: PromptName, body: PromptVersionIn
) -> Response:
    """Save a new version (the prompt and the project are created on first use). A body equal
    to the latest version answers 200 with that version and ``created: false``. ``labels``
    move to the saved version (this needs the role that may move labels)."""
    check_text(project, "project", limit=200)
    _check_name(name)
    _check_body(body)
    store = store_of(request)
    _check_label_role(request, store, project, body.labels)
    project_id = store.ensure_project(project)
    before = store.get_prompt(project_id, name)
    old = {} if before is None else before.labels
    actor = principal_of(request).actor
    saved = store.save_prompt_version(project_id, name, body, author=actor)
    for label in dict.fromkeys(body.labels):
        if old.get(label) != saved.version:
            details = {"label": label, "from": old.get(label), "to": saved.version}
            _audit(request, project_id, "prompt.label.move", name, **details)
    return json_response(saved, 201 if saved.created else 200)


@router.get(
    _BASE + "/{name}/versions/{version}",
    operation_id="getPromptVersion",
    response_model=PromptVersion,
    responses=_ERRORS,
)
def get_prompt_version(
    request: Request,
    project: ProjectName,
    name: PromptName,
    version: Annotated[int, Path(ge=1, description="Version number.")],
) -> Response:
    """One version."""
    return json_response(_require_version(store_of(request), project, name, version=version))


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    for candidate in header.split(","):
        value = candidate.strip().removeprefix("W/")
        if value in ("*", etag):
            return True
    return False


@router.get(
    _BASE + "/{name}/resolve",
    operation_id="resolvePrompt",
    response_model=PromptVersion,
    responses=_ERRORS,
)
def resolve_prompt(
    request: Request,
    project: ProjectName,
    name: PromptName,
    label: Annotated[str | None, Query(description="A label, e.g. production.")] = None,
    version: Annotated[int | None, Query(ge=1, description="A version number.")] = None,
) -> Response:
    """The version a label points at, a version by number, or the latest (neither given).
    Answers with an ``ETag``; ``If-None-Match`` with it answers 304 when nothing changed."""
    if label is not None and version is not None:
        raise ApiError(
            400,
            f"Give either label ({label!r:.80}) or version ({version}), not both.",
            details=[{"field": "query.label", "reason": "cannot be used with version"}],
        )
    found = _require_version(store_of(request), project, name, version=version, label=label)
    body = found.model_dump_json()
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if _etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@router.get(
    _BASE + "/{name}/diff",
    operation_id="diffPromptVersions",
    response_model=PromptDiff,
    responses=_ERRORS,
)
def diff_prompt_versions(
    request: Request,
    project: ProjectName,
    name: PromptName,
    from_version: Annotated[int, Query(alias="from", ge=1, description="The older version.")],
    to_version: Annotated[int, Query(alias="to", ge=1, description="The newer version.")],
) -> Response:
    """What changed between two versions: messages (with a line diff), model, parameters,
    tools, response format and variables."""
    store = store_of(request)
    before = _require_version(store, project, name, version=from_version)
    after = _require_version(store, project, name, version=to_version)
    return json_response(diff_versions(before, after))


@router.get(
    _BASE + "/{name}/label-moves",
    operation_id="listLabelMoves",
    response_model=list[LabelMove],
    responses=_ERRORS,
)
def list_label_moves(
    request: Request,
    project: ProjectName,
    name: PromptName,
    label: Annotated[str | None, Query(description="Only this label's moves.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:
    """Who moved which label from which version to which, newest first."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    return json_list(store.list_label_moves(project_id, name, label=label, limit=limit))


@router.put(
    _BASE + "/{name}/labels/{label}",
    operation_id="movePromptLabel",
    response_model=LabelMove,
    responses=_ERRORS,
)
def move_prompt_label(
    request: Request, project: ProjectName, name: PromptName, label: LabelName, body: LabelMoveIn
) -> Response:
    """Point a label at a version (creating the label on first use); the move is recorded."""
    _check_label(label, "path.label")
    if "\x00" in body.reason:
        raise ApiError(400, "body.reason contains a NUL character; remove it.")
    store = store_of(request)
    project_id = project_id_of(store, project)
    moved = store.move_prompt_label(
        project_id, name, label, version=body.version, actor=principal_of(request).actor,
        reason=body.reason,
    )  # fmt: skip
    _audit_move(request, project_id, moved, "prompt.label.move")
    return json_response(moved)


@router.delete(
    _BASE + "/{name}/labels/{label}",
    operation_id="removePromptLabel",
    response_model=LabelMove,
    responses=_ERRORS,
)
def remove_prompt_label(
    request: Request, project: ProjectName, name: PromptName, label: LabelName
) -> Response:
    """Remove a label (recorded, and can be undone)."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    removed = store.remove_prompt_label(project_id, name, label, actor=principal_of(request).actor)
    if removed is None:
        prompt = _require_prompt(store, project_id, project, name)
        where = ", ".join(prompt.labels) or "none"
        raise ApiError(
            404,
            f"Prompt {name!r} has no label {label!r} (its labels: {where}); GET "
            f"{_path(project, name)} shows them.",
        )
    _audit_move(request, project_id, removed, "prompt.label.remove")
    return json_response(removed)


@router.post(
    _BASE + "/{name}/label-moves/{move_id}/undo",
    operation_id="undoLabelMove",
    response_model=LabelMove,
    responses=_ERRORS,
)
def undo_label_move(
    request: Request,
    project: ProjectName,
    name: PromptName,
    move_id: Annotated[str, Path(description="The move to undo.")],
) -> Response:
    """Put the label back where it pointed before this move (409 when it has moved since)."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    undone = store.undo_label_move(project_id, name, move_id, actor=principal_of(request).actor)
    _audit_move(request, project_id, undone, "prompt.label.undo")
    return json_response(undone)
