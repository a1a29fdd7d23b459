"""What changed between two versions of a prompt (``GET …/prompts/{name}/diff``).

Messages are compared by position; a changed message carries a line diff of its content.
Fields compared: ``model``, each parameter that differs (``params.temperature``), ``tools`` and
``response_format``; variables used by one version and not the other are listed too.
"""

from __future__ import annotations

import difflib
from typing import Any

from assay.schema import (
    DiffLine,
    MessageChange,
    PromptDiff,
    PromptMessage,
    PromptVersion,
    TextChange,
)


def line_diff(before: str, after: str) -> list[DiffLine]:
    """A line diff of two texts: every line once, kept (``=``), removed (``-``) or added (``+``)."""
    old, new = before.splitlines(), after.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(DiffLine(op="=", text=text) for text in old[i1:i2])
            continue
        lines.extend(DiffLine(op="-", text=text) for text in old[i1:i2])
        lines.extend(DiffLine(op="+", text=text) for text in new[j1:j2])
    return lines


def _message_change(
    index: int, before: PromptMessage | None, after: PromptMessage | None
) -> MessageChange:
    if before is None:
        assert after is not None
        return MessageChange(
            index=index, status="added", role_after=after.role, after=after.content
        )
    if after is None:
        return MessageChange(
            index=index, status="removed", role_before=before.role, before=before.content
        )
    same = before.role == after.role and before.content == after.content
    return MessageChange(
        index=index,
        status="same" if same else "changed",
        role_before=before.role,
        role_after=after.role,
        before=before.content,
        after=after.content,
        lines=[] if same else line_diff(before.content, after.content),
    )


def _messages(a: list[PromptMessage], b: list[PromptMessage]) -> list[MessageChange]:
    return [
        _message_change(i, a[i] if i < len(a) else None, b[i] if i < len(b) else None)
        for i in range(max(len(a), len(b)))
    ]


def _fields(a: PromptVersion, b: PromptVersion) -> list[TextChange]:
    changes: list[TextChange] = []
    if a.model != b.model:
        changes.append(TextChange(field="model", before=a.model, after=b.model))
    keys: dict[str, None] = dict.fromkeys([*a.params, *b.params])
    for key in keys:
        old: Any = a.params.get(key)
        new: Any = b.params.get(key)
        if key not in a.params or key not in b.params or old != new:
            changes.append(TextChange(field=f"params.{key}", before=old, after=new))
    for name in ("tools", "response_format"):
        old, new = getattr(a, name), getattr(b, name)
        if old != new:
            changes.append(TextChange(field=name, before=old, after=new))
    return changes


def diff_versions(a: PromptVersion, b: PromptVersion) -> PromptDiff:
    """How version ``b`` differs from version ``a`` of the same prompt."""
    return PromptDiff(
        prompt=b.prompt,
        from_version=a.version,
        to_version=b.version,
        messages=_messages(a.messages, b.messages),
        fields=_fields(a, b),
        variables_added=[v for v in b.variables if v not in a.variables],
        variables_removed=[v for v in a.variables if v not in b.variables],
    )
