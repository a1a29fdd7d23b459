"""A trace-list filter sent as a JSON object, turned into the store's :class:`TraceQuery`."""

from __future__ import annotations

from assay.schema import TraceListFilter
from assay.server.errors import ApiError
from assay.server.native import ItemError, to_micros
from assay.store.base import TraceQuery


def _bad(field: str, reason: str) -> ApiError:
    return ApiError(
        422,
        f"filter.{field}: {reason}.",
        details=[{"field": f"body.filter.{field}", "reason": reason}],
    )


def _micros(value: str | float | None, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return to_micros(value, field)
    except ItemError as exc:
        raise _bad(field, exc.reason) from None


def _metadata(items: list[str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise _bad("metadata", f"{item!r} must look like key=value (e.g. env=prod)")
        result[key] = value
    return result


def trace_query(f: TraceListFilter) -> TraceQuery:
    """The :class:`TraceQuery` of a filter, the score bounds included.

    Raises:
        ApiError: 422 naming a time or metadata entry that cannot be read.
    """
    query = TraceQuery(
        start_from=_micros(f.start_from, "start_from"),
        start_to=_micros(f.start_to, "start_to"),
        name=f.name or None,
        kind=f.kind or None,
        status=f.status,
        tags=tuple(f.tag),
        metadata=_metadata(f.metadata),
        model=f.model or None,
        min_duration_ms=f.min_duration_ms,
        max_duration_ms=f.max_duration_ms,
        min_cost=f.min_cost,
        max_cost=f.max_cost,
        text=f.q or None,
        session_id=f.session_id or None,
        user_id=f.user_id or None,
        experiment_id=f.experiment_id or None,
    )
    query.score_name = f.score_name
    query.score_below = f.score_below
    query.score_above = f.score_above
    return query
