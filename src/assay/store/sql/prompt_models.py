"""Prompt rows as wire models, and what is computed from a version's content (its hash and
variables)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from assay.errors import UsageError
from assay.schema import LabelMove, Prompt, PromptVersion, PromptVersionIn
from assay.sdk._mustache import variables as template_variables
from assay.store.sql.bodies import loads_or
from assay.store.sql.decode import to_datetime

_CONTENT = ("messages", "model", "params", "tools", "response_format")


def content_hash(body: PromptVersionIn) -> str:
    """SHA-256 of the canonical JSON of what makes a version (messages, model, params, tools,
    response format): keys sorted, no spaces."""
    content = body.model_dump(mode="json", include=set(_CONTENT))
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def message_variables(messages: Iterable[Mapping[str, Any]]) -> list[str]:
    """The top-level variables of all messages, in order of first use (a template that does not
    parse contributes none)."""
    found: dict[str, None] = {}
    for message in messages:
        try:
            names = template_variables(str(message.get("content", "")))
        except (UsageError, ValueError):
            continue
        found.update(dict.fromkeys(names))
    return list(found)


def by_version(labels: Mapping[str, int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for label, version in sorted(labels.items()):
        out.setdefault(version, []).append(label)
    return out


def version_model(
    row: Mapping[Any, Any], name: str, labels: list[str], *, created: bool = True
) -> PromptVersion:
    """A :class:`PromptVersion` from its row."""
    messages = loads_or(row["messages"], [])
    return PromptVersion(
        prompt=name,
        version=row["version"],
        messages=messages,
        model=row["model"],
        params=loads_or(row["params"], {}),
        tools=loads_or(row["tools"], None),
        response_format=loads_or(row["response_format"], None),
        message=row["message"],
        author=row["author"],
        created_at=to_datetime(row["created_at"]),
        labels=labels,
        variables=message_variables(messages),
        created=created,
    )


def prompt_model(
    row: Mapping[Any, Any], project: str, labels: dict[str, int], model: str
) -> Prompt:
    """A :class:`Prompt` from its row, its labels and its latest version's model."""
    return Prompt(
        id=row["id"],
        project=project,
        name=row["name"],
        description=row["description"],
        latest_version=row["latest_version"],
        labels=labels,
        model=model,
        created_at=to_datetime(row["created_at"]),
        updated_at=to_datetime(row["updated_at"]),
    )


def move_model(row: Mapping[Any, Any], name: str) -> LabelMove:
    """A :class:`LabelMove` from its row."""
    return LabelMove(
        id=row["id"],
        prompt=name,
        label=row["label"],
        from_version=row["from_version"],
        to_version=row["to_version"],
        actor=row["actor"],
        reason=row["reason"],
        undo_of=row["undo_of"],
        at=to_datetime(row["at"]),
    )
