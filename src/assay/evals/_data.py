"""Eval data: the :class:`Case` type and every kind of ``data=`` turned into cases.

``data`` may be a list, a generator or any iterable, an async iterable, a callable returning
any of these, a path to a ``.jsonl``/``.csv`` file, or an ``assay.dataset(...)`` handle. Items
are ``Case`` objects or dicts with ``input`` and optionally ``expected``, ``metadata``, ``id``.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from assay.errors import UsageError
from assay.evals._files import read_records


@dataclass(slots=True)
class Case:
    """One input to evaluate.

    Args:
        input: What the task receives.
        expected: The reference answer the scorers compare with (optional).
        metadata: Anything else about the case; scorers receive it.
        id: Stable id (a dataset record id); by default a hash of the input.
        tags: Labels.
    """

    input: Any
    expected: Any = None
    metadata: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    tags: list[str] = field(default_factory=list)


def to_case(item: Any, index: int) -> Case:
    """Turn one item of ``data`` into a :class:`Case`.

    Raises:
        UsageError: The item is neither a Case nor a dict with ``input``.
    """
    if isinstance(item, Case):
        return item
    if hasattr(item, "created_version") and hasattr(item, "input"):  # a DatasetRecord
        return Case(
            input=item.input,
            expected=item.expected,
            metadata=dict(item.metadata or {}),
            id=item.id,
            tags=list(item.tags or []),
        )
    if isinstance(item, dict):
        if "input" not in item:
            raise UsageError(
                f"data item {index} has no 'input' key (keys: {sorted(item)}); give each item "
                "an 'input', and optionally 'expected' and 'metadata'"
            )
        meta = item.get("metadata") or {}
        if not isinstance(meta, dict):
            raise UsageError(f"data item {index} has metadata {meta!r:.60}; it must be a dict")
        rid = item.get("id")
        return Case(
            input=item["input"],
            expected=item.get("expected"),
            metadata=meta,
            id=None if rid is None else str(rid),
            tags=list(item.get("tags") or []),
        )
    raise UsageError(
        f"data item {index} is a {type(item).__name__}; use dicts with 'input' (and "
        "'expected', 'metadata') or assay.evals.Case objects"
    )


def input_hash(value: Any) -> str:
    """A stable 16-character id for an input (the case id when the data gives none)."""
    raw = orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


class CaseIds:
    """Gives each case its id: the record id, else the input hash (``#2``… for repeats)."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, case: Case) -> str:
        base = case.id if case.id is not None else input_hash(case.input)
        count = self._seen.get(base, 0) + 1
        self._seen[base] = count
        return base if count == 1 else f"{base}#{count}"


async def iter_data(data: Any) -> AsyncIterator[Case]:
    """Yield the cases of ``data`` (see the module docstring), converting as they come."""
    if callable(data) and not hasattr(data, "to_list"):
        data = data()
        if inspect.isawaitable(data):
            data = await data
    if isinstance(data, str | Path):
        records = read_records(data)
        if records.errors:
            shown = "; ".join(records.errors[:5])
            raise UsageError(f"{str(data)!r} has {len(records.errors)} invalid rows: {shown}")
        data = records.records
    index = 0
    if isinstance(data, AsyncIterable):
        async for item in data:
            yield to_case(item, index)
            index += 1
        return
    if isinstance(data, Iterable) and not isinstance(data, str | bytes | dict):
        for item in data:
            yield to_case(item, index)
            index += 1
        return
    raise UsageError(
        f"data is a {type(data).__name__}; pass a list, a generator, an async iterable, a "
        "callable returning one, a .jsonl/.csv path, or assay.dataset(project, name)"
    )
