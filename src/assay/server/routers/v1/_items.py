"""Per-item validation of eval batches (records, cases, scores): valid items go on, each invalid
one becomes an ``{index, field, reason}`` detail; every item invalid is a 422."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from assay.server.errors import ApiError

M = TypeVar("M", bound=BaseModel)
MAX_INT = 2**62
MAX_TEXT = 1000


def json_response(model: BaseModel, status: int = 200) -> Response:
    """``model`` as a JSON answer."""
    return Response(model.model_dump_json(), status_code=status, media_type="application/json")


def json_list(models: Sequence[BaseModel]) -> Response:
    """A JSON array of models."""
    body = b"[" + b",".join(m.model_dump_json().encode() for m in models) + b"]"
    return Response(body, media_type="application/json")


def _problem(value: Any, path: str) -> tuple[str, str] | None:
    """The first value the database cannot store as given (NUL text, huge integers)."""
    if isinstance(value, str):
        if "\x00" in value:
            return path, "contains a NUL character; remove it"
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) >= MAX_INT:
        return path, f"is {value}, too large; use a number below 2**62"
    return None


def check_text(value: str, name: str, *, limit: int = MAX_TEXT) -> None:
    """Refuse a name-like string that is empty, too long or holds NUL (400)."""
    if not value.strip() or len(value) > limit or "\x00" in value:
        raise ApiError(
            400,
            f"{name} {value!r:.80} must be 1 to {limit} characters without NUL.",
            details=[{"field": name, "reason": f"must be 1 to {limit} characters without NUL"}],
        )


def validate_items(
    items: Sequence[Any],
    model: type[M],
    *,
    prefix: str,
    what: str,
    model_of: Callable[[Any], type[M]] | None = None,
) -> tuple[list[tuple[int, M]], list[dict[str, Any]]]:
    """Validate each item; returns (index, model) of the valid ones and the rejections.

    ``model_of`` picks the model of each item (default ``model`` for all).
    """
    good: list[tuple[int, M]] = []
    rejected: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        try:
            parsed = (model if model_of is None else model_of(item)).model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"])
            field = f"{prefix}.{index}" + (f".{loc}" if loc else "")
            rejected.append({"index": index, "field": field, "reason": err["msg"]})
            continue
        problem = None
        for name, value in parsed:
            problem = _problem(value, name)
            if problem:
                break
        if problem:
            field, reason = problem
            rejected.append(
                {"index": index, "field": f"{prefix}.{index}.{field}", "reason": reason}
            )
            continue
        good.append((index, parsed))
    if items and not good:
        first = rejected[0]
        raise ApiError(
            422,
            f"All {len(items)} {what} were rejected; the first (index {first['index']}) because "
            f"{first['field']} {first['reason']}. See details for each item.",
            details=rejected,
        )
    return good, rejected
