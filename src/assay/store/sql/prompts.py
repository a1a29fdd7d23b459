"""Prompts: immutable versions, labels that point at one, and the record of every label move.

Functions here run on a connection inside the caller's transaction. A writer locks the prompt's
row first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite has a single writer), so versions are
numbered 1, 2, … without gaps or duplicates even with several servers saving at once.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.errors import ConflictError, NotFoundError
from assay.schema import LabelMove, Prompt, PromptVersion, PromptVersionIn
from assay.store.sql import named
from assay.store.sql._ids import uuid7
from assay.store.sql.bodies import json_text
from assay.store.sql.dialect import Dialect
from assay.store.sql.prompt_models import (
    by_version,
    content_hash,
    move_model,
    prompt_model,
    version_model,
)
from assay.store.sql.prompt_tables import (
    prompt_label_moves,
    prompt_labels,
    prompt_versions,
    prompts,
)

_P = prompts.c
_V = prompt_versions.c
_L = prompt_labels.c
_M = prompt_label_moves.c


def _now() -> int:
    return time.time_ns() // 1000


def _list_path(project: str) -> str:
    return f"/api/v1/projects/{project}/prompts"


def find(
    conn: Connection, project_id: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any] | None:
    """The row of prompt ``name`` (locked for a write with ``lock``), or None."""
    return named.find(conn, prompts, project_id, name, lock=lock)


def require(
    conn: Connection, project_id: str, project: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any]:
    """The row of prompt ``name``; NotFoundError naming it and the list to look in."""
    row = find(conn, project_id, name, lock=lock)
    if row is None:
        raise NotFoundError(
            f"Prompt {name!r} does not exist in project {project!r}; GET {_list_path(project)} "
            "lists the prompts."
        )
    return row


def _labels_of(conn: Connection, prompt: Mapping[Any, Any]) -> dict[str, int]:
    stmt = (
        sa.select(_L.label, _L.version)
        .where(_L.project_id == prompt["project_id"], _L.prompt_id == prompt["id"])
        .order_by(_L.label)
    )
    return {row.label: row.version for row in conn.execute(stmt)}


def version_row(
    conn: Connection, prompt: Mapping[Any, Any], version: int
) -> Mapping[Any, Any] | None:
    """The row of one version of ``prompt``, or None."""
    stmt = sa.select(prompt_versions).where(
        _V.project_id == prompt["project_id"], _V.prompt_id == prompt["id"], _V.version == version
    )
    row = conn.execute(stmt).first()
    return None if row is None else row._mapping


def _insert_prompt(
    conn: Connection, dialect: Dialect, project_id: str, name: str, now: int
) -> Mapping[Any, Any] | None:
    row = {
        "project_id": project_id,
        "id": uuid7(),
        "name": name,
        "description": None,
        "latest_version": 0,
        "created_at": now,
        "updated_at": now,
    }
    return row if dialect.insert_new(conn, prompts, row) else None


def _locked_or_new(
    conn: Connection, dialect: Dialect, project_id: str, project: str, name: str, now: int
) -> Mapping[Any, Any]:
    prompt = find(conn, project_id, name, lock=True)
    if prompt is None:
        prompt = _insert_prompt(conn, dialect, project_id, name, now)
        if prompt is None:  # made by another writer since; it is committed now
            prompt = require(conn, project_id, project, name, lock=True)
    return prompt


def _new_version_row(
    prompt: Mapping[Any, Any],
    body: PromptVersionIn,
    number: int,
    *,
    digest: str,
    author: str | None,
) -> dict[str, Any]:
    return {
        "project_id": prompt["project_id"],
        "prompt_id": prompt["id"],
        "version": number,
        "messages": json_text([m.model_dump() for m in body.messages]),
        "model": body.model,
        "params": json_text(body.params),
        "tools": None if body.tools is None else json_text(body.tools),
        "response_format": None
        if body.response_format is None
        else json_text(body.response_format),
        "message": body.message,
        "author": author,
        "content_hash": digest,
        "created_at": _now(),
    }


def save(
    conn: Connection,
    dialect: Dialect,
    project_id: str,
    project: str,
    name: str,
    body: PromptVersionIn,
    *,
    author: str | None,
) -> PromptVersion:
    """Add a version of prompt ``name`` unless it equals the latest; move ``body.labels`` to it
    (a label already there is not moved again)."""
    now = _now()
    prompt = _locked_or_new(conn, dialect, project_id, project, name, now)
    number = prompt["latest_version"]
    latest = None if number == 0 else version_row(conn, prompt, number)
    digest = content_hash(body)
    created = latest is None or latest["content_hash"] != digest
    changes: dict[str, Any] = {}
    if created:
        latest = _new_version_row(prompt, body, number + 1, digest=digest, author=author)
        conn.execute(sa.insert(prompt_versions), latest)
        changes["latest_version"] = number + 1
    if body.description is not None and body.description != prompt["description"]:
        changes["description"] = body.description
    if changes:
        prompt = _update(conn, prompt, changes, now=now)
    assert latest is not None
    labels = _labels_of(conn, prompt)
    for label in dict.fromkeys(body.labels):
        if labels.get(label) != latest["version"]:
            move(conn, prompt, project, label, version=latest["version"], actor=author)
            labels[label] = latest["version"]
    return version_model(latest, name, by_version(labels).get(latest["version"], []),
                         created=created)  # fmt: skip


def _update(
    conn: Connection, prompt: Mapping[Any, Any], changes: Mapping[str, Any], *, now: int
) -> Mapping[Any, Any]:
    values = {**changes, "updated_at": now}
    conn.execute(
        sa.update(prompts)
        .where(_P.project_id == prompt["project_id"], _P.id == prompt["id"])
        .values(**values)
    )
    return {**prompt, **values}


def update(
    conn: Connection, project_id: str, project: str, name: str, changes: Mapping[str, Any]
) -> Prompt:
    """Change the prompt's description; NotFoundError when there is no such prompt."""
    prompt = require(conn, project_id, project, name, lock=True)
    wanted = {k: v for k, v in changes.items() if k == "description"}
    if wanted:
        prompt = _update(conn, prompt, wanted, now=_now())
    found = get(conn, project_id, project, name)
    assert found is not None
    return found


def _latest_models(conn: Connection, project_id: str) -> dict[str, str]:
    stmt = (
        sa.select(_P.id, _V.model)
        .join(
            prompt_versions,
            sa.and_(
                _V.project_id == _P.project_id,
                _V.prompt_id == _P.id,
                _V.version == _P.latest_version,
            ),
        )
        .where(_P.project_id == project_id)
    )
    return {row.id: row.model for row in conn.execute(stmt)}


def list_all(conn: Connection, project_id: str, project: str) -> list[Prompt]:
    """Every prompt of the project by name, with its labels and latest model."""
    models = _latest_models(conn, project_id)
    labels: dict[str, dict[str, int]] = {}
    stmt = sa.select(_L.prompt_id, _L.label, _L.version).where(_L.project_id == project_id)
    for row in conn.execute(stmt.order_by(_L.label)):
        labels.setdefault(row.prompt_id, {})[row.label] = row.version
    rows = conn.execute(sa.select(prompts).where(_P.project_id == project_id).order_by(_P.name))
    return [
        prompt_model(r._mapping, project, labels.get(r.id, {}), models.get(r.id, "")) for r in rows
    ]


def get(conn: Connection, project_id: str, project: str, name: str) -> Prompt | None:
    """Prompt ``name``, or None."""
    prompt = find(conn, project_id, name)
    if prompt is None:
        return None
    latest = version_row(conn, prompt, prompt["latest_version"])
    model = "" if latest is None else latest["model"]
    return prompt_model(prompt, project, _labels_of(conn, prompt), model)


def delete(conn: Connection, project_id: str, name: str) -> bool:
    """Delete the prompt with its versions, labels and moves; False when there was none."""
    prompt = find(conn, project_id, name, lock=True)
    if prompt is None:
        return False
    for table in (prompt_versions, prompt_labels, prompt_label_moves):
        conn.execute(
            sa.delete(table).where(
                table.c.project_id == project_id, table.c.prompt_id == prompt["id"]
            )
        )
    conn.execute(sa.delete(prompts).where(_P.project_id == project_id, _P.id == prompt["id"]))
    return True


def list_versions(
    conn: Connection, project_id: str, project: str, name: str
) -> list[PromptVersion]:
    """Every version, newest first; NotFoundError when there is no such prompt."""
    prompt = require(conn, project_id, project, name)
    labels = by_version(_labels_of(conn, prompt))
    stmt = (
        sa.select(prompt_versions)
        .where(_V.project_id == project_id, _V.prompt_id == prompt["id"])
        .order_by(_V.version.desc())
    )
    return [version_model(r._mapping, name, labels.get(r.version, [])) for r in conn.execute(stmt)]


def get_version(
    conn: Connection, project_id: str, name: str, *, version: int | None, label: str | None
) -> PromptVersion | None:
    """One version by number, by label, or the latest; None when any of them is missing."""
    prompt = find(conn, project_id, name)
    if prompt is None:
        return None
    labels = _labels_of(conn, prompt)
    if label is not None:
        if label not in labels:
            return None
        version = labels[label]
    number = prompt["latest_version"] if version is None else version
    row = version_row(conn, prompt, number)
    if row is None:
        return None
    return version_model(row, name, by_version(labels).get(number, []))


def _label_row(conn: Connection, prompt: Mapping[Any, Any], label: str) -> Mapping[Any, Any] | None:
    stmt = sa.select(prompt_labels).where(
        _L.project_id == prompt["project_id"], _L.prompt_id == prompt["id"], _L.label == label
    )
    row = conn.execute(stmt).first()
    return None if row is None else row._mapping


def _record(
    conn: Connection,
    prompt: Mapping[Any, Any],
    label: str,
    *,
    before: int | None,
    after: int | None,
    actor: str | None,
    reason: str,
    undo_of: str | None,
) -> LabelMove:
    row = {
        "project_id": prompt["project_id"],
        "id": uuid7(),
        "prompt_id": prompt["id"],
        "label": label,
        "from_version": before,
        "to_version": after,
        "actor": actor,
        "reason": reason,
        "undo_of": undo_of,
        "at": _now(),
    }
    conn.execute(sa.insert(prompt_label_moves), row)
    return move_model(row, prompt["name"])


def move(
    conn: Connection,
    prompt: Mapping[Any, Any],
    project: str,
    label: str,
    *,
    version: int,
    actor: str | None,
    reason: str = "",
    undo_of: str | None = None,
) -> LabelMove:
    """Point ``label`` at ``version`` and record the move; NotFoundError for a missing version."""
    if not 1 <= version <= prompt["latest_version"]:
        raise NotFoundError(
            f"Prompt {prompt['name']!r} of project {project!r} has versions 1 to "
            f"{prompt['latest_version']}; version {version} does not exist. GET "
            f"{_list_path(project)}/{prompt['name']}/versions lists them."
        )
    current = _label_row(conn, prompt, label)
    before = None if current is None else current["version"]
    now = _now()
    values = {"version": version, "updated_by": actor, "updated_at": now}
    if current is None:
        conn.execute(
            sa.insert(prompt_labels),
            {"project_id": prompt["project_id"], "prompt_id": prompt["id"], "label": label}
            | values,
        )
    else:
        conn.execute(
            sa.update(prompt_labels)
            .where(
                _L.project_id == prompt["project_id"],
                _L.prompt_id == prompt["id"],
                _L.label == label,
            )
            .values(**values)
        )
    return _record(conn, prompt, label, before=before, after=version, actor=actor,
                   reason=reason, undo_of=undo_of)  # fmt: skip


def remove(
    conn: Connection,
    prompt: Mapping[Any, Any],
    label: str,
    *,
    actor: str | None,
    reason: str = "",
    undo_of: str | None = None,
) -> LabelMove | None:
    """Remove ``label`` (recorded as a move to None); None when it did not exist."""
    current = _label_row(conn, prompt, label)
    if current is None:
        return None
    conn.execute(
        sa.delete(prompt_labels).where(
            _L.project_id == prompt["project_id"], _L.prompt_id == prompt["id"], _L.label == label
        )
    )
    return _record(conn, prompt, label, before=current["version"], after=None, actor=actor,
                   reason=reason, undo_of=undo_of)  # fmt: skip


def list_moves(
    conn: Connection, prompt: Mapping[Any, Any], *, label: str | None, limit: int
) -> list[LabelMove]:
    """The prompt's label moves (of ``label`` when given), newest first."""
    stmt = sa.select(prompt_label_moves).where(
        _M.project_id == prompt["project_id"], _M.prompt_id == prompt["id"]
    )
    if label is not None:
        stmt = stmt.where(_M.label == label)
    stmt = stmt.order_by(_M.at.desc(), _M.id.desc()).limit(limit)
    return [move_model(r._mapping, prompt["name"]) for r in conn.execute(stmt)]


def _where(version: int | None) -> str:
    return "nowhere (it was removed)" if version is None else f"version {version}"


def undo(
    conn: Connection, prompt: Mapping[Any, Any], project: str, move_id: str, *, actor: str | None
) -> LabelMove:
    """Put the move's label back where it pointed before; ConflictError when it moved since."""
    stmt = sa.select(prompt_label_moves).where(
        _M.project_id == prompt["project_id"], _M.id == move_id, _M.prompt_id == prompt["id"]
    )
    found = conn.execute(stmt).first()
    if found is None:
        raise NotFoundError(
            f"Prompt {prompt['name']!r} of project {project!r} has no label move {move_id!r}; "
            f"GET {_list_path(project)}/{prompt['name']}/label-moves lists them."
        )
    done = found._mapping
    current = _label_row(conn, prompt, done["label"])
    now_at = None if current is None else current["version"]
    if now_at != done["to_version"]:
        raise ConflictError(
            f"Label {done['label']!r} of prompt {prompt['name']!r} now points at "
            f"{_where(now_at)}, not at {_where(done['to_version'])} where move {move_id} left "
            f"it; it has moved since, so that move cannot be undone. Move the label with PUT "
            f"{_list_path(project)}/{prompt['name']}/labels/{done['label']} instead."
        )
    reason = f"undo of {move_id}"
    if done["from_version"] is None:
        removed = remove(conn, prompt, done["label"], actor=actor, reason=reason, undo_of=move_id)
        assert removed is not None
        return removed
    return move(conn, prompt, project, done["label"], version=done["from_version"],
                actor=actor, reason=reason, undo_of=move_id)  # fmt: skip
