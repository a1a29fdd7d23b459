"""The string-length limit (setting ``max_string_length``) on request bodies.

A JSON body holding a string (or an object key) longer than the limit is refused with a 413
that names the field, e.g. ``records[3].input.text``, and the limit. Ingest is per item instead:
in a native batch (``POST /api/v1/spans``) or an OTLP export the spans with a long string are
rejected, each named, and the others are stored (partial success).

A string cannot have more characters than its body has bytes, so a body no longer than the
limit is never walked: the check costs nothing for ordinary requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from fastapi.routing import APIRoute
from starlette.requests import Request

from assay.server.deps import settings_of
from assay.server.errors import ApiError
from assay.server.native import Checked, ItemError, check_item, check_items
from assay.server.otlp import Converted
from assay.store.shapes import NewSpan

SETTING = "ASSAY_MAX_STRING_LENGTH"
_SPAN_FIELDS = (
    "name",
    "kind",
    "status",
    "error",
    "input",
    "output",
    "expected",
    "metadata",
    "tags",
    "model",
    "session_id",
    "user_id",
    "environment",
    "release",
    "experiment_id",
)


@dataclass(frozen=True, slots=True)
class LongString:
    """The first string over the limit: where it is and how long it is."""

    path: str
    length: int

    def reason(self, limit: int) -> str:
        """Why it is refused, for an error detail."""
        return f"has {self.length} characters; the limit is {limit} (setting {SETTING})"


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    shown = key if len(key) <= 40 else key[:37] + "..."
    return f"{path}.{shown}" if path else shown


def find_long_string(value: Any, limit: int, *, path: str = "") -> LongString | None:
    """The first string (or object key) in ``value`` longer than ``limit``, in document order."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if len(item) > limit:
                return LongString(where, len(item))
        elif isinstance(item, dict):
            children: list[tuple[str, Any]] = []
            for key, child in item.items():
                if isinstance(key, str) and len(key) > limit:
                    return LongString(_join(where, key[:40]), len(key))
                children.append((_join(where, key), child))
            stack.extend(reversed(children))
        elif isinstance(item, list | tuple):
            stack.extend(reversed([(_join(where, i), c) for i, c in enumerate(item)]))
    return None


async def limit_strings(request: Request) -> None:
    """App-wide dependency: a 413 for a JSON body with a string over ``max_string_length``.

    Only routes that declare a JSON body are checked (FastAPI has read the body already; the
    ingest routes read theirs themselves and apply the limit per span).
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.body_field is None:
        return
    limit = settings_of(request).max_string_length
    body = await request.body()
    if len(body) <= limit:
        return
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        return  # FastAPI answers it
    found = find_long_string(doc, limit)
    if found is not None:
        raise ApiError(
            413,
            f"Field {found.path or 'body'!r} has {found.length} characters; the limit is {limit} "
            f"per string (setting {SETTING}). Shorten it or store it elsewhere.",
            details=[{"field": found.path, "reason": found.reason(limit)}],
        )


def check_native(items: list[Any], *, limit: int, body_size: int) -> Checked:
    """``native.check_items`` that also rejects each item holding a string over ``limit``."""
    if body_size <= limit:
        return check_items(items)
    result = Checked()
    for index, item in enumerate(items):
        try:
            found = find_long_string(item, limit)
            if found is not None:
                raise ItemError(found.path, f"{found.reason(limit)}; spans[{index}] not stored")
            result.spans.append(check_item(item))
        except ItemError as exc:
            result.rejected.append({"index": index, "field": exc.field, "reason": exc.reason})
    return result


def drop_long_spans(out: Converted, *, limit: int, body_size: int) -> None:
    """Move the converted OTLP spans holding a string over ``limit`` to ``out.rejected``.

    Only the spans in ``out.large`` are walked when the decoder listed them.
    """
    if body_size <= limit or (out.large is not None and not out.large):
        return
    suspects = None if out.large is None else {id(span) for span in out.large}
    for project, spans in list(out.by_project.items()):
        kept: list[NewSpan] = []
        for span in spans:
            found = None
            if suspects is None or id(span) in suspects:
                found = _long_in_span(span, limit)
            if found is None:
                kept.append(span)
                continue
            out.rejected.append(
                f"span {span.span_id} {span.name[:80]!r}: {found.path} {found.reason(limit)}"
            )
        if kept:
            out.by_project[project] = kept
        else:
            del out.by_project[project]


def _long_in_span(span: NewSpan, limit: int) -> LongString | None:
    for name in _SPAN_FIELDS:
        found = find_long_string(getattr(span, name), limit, path=name)
        if found is not None:
            return found
    return None
