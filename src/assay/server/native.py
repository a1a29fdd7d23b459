"""Validation of native ingest items (``SpanIn``) into :class:`NewSpan` for the store.

Each item is checked on its own so one bad span never costs the others: the result lists the
valid spans and, for each rejected item, its index, the offending field and the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from assay.schema import SpanIn
from assay.store.base import NewSpan

# Numbers above this are not plausible Unix seconds (year 5138); they look like ms/µs/ns.
_MAX_SECONDS = 1e11
_HEX = frozenset("0123456789abcdef")


class ItemError(Exception):
    """One field of one item is wrong."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(slots=True)
class Checked:
    """Valid spans ready for the store and rejections in the ``{index, field, reason}`` form."""

    spans: list[NewSpan] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)


def check_id(value: Any, field_name: str, size: int) -> str:
    """Return ``value`` as a lower-case hex id of ``size`` characters, or raise ItemError."""
    if not isinstance(value, str):
        raise ItemError(field_name, f"must be a string of {size} hex characters, got {value!r}")
    text = value.lower()
    if len(text) != size or not _HEX.issuperset(text):
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise ItemError(
            field_name, f"must be {size} hex characters (W3C size), got {shown!r} ({len(value)})"
        )
    if text.count("0") == size:
        raise ItemError(field_name, f"must not be all zeros, got {value!r}")
    return text


def to_micros(value: Any, field_name: str) -> int:
    """Convert Unix seconds (number) or an RFC 3339 string to integer microseconds."""
    if isinstance(value, bool):
        raise ItemError(field_name, f"must be Unix seconds or an RFC 3339 string, got {value!r}")
    if isinstance(value, int | float):
        return _seconds_to_micros(float(value), field_name)
    if isinstance(value, str):
        number = _as_number(value)
        if number is not None:
            return _seconds_to_micros(number, field_name)
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ItemError(
                field_name,
                f"{value[:60]!r} is not an RFC 3339 time; send e.g. '2024-05-01T12:00:00Z' "
                "or Unix seconds as a number",
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        if micros < 0:
            raise ItemError(field_name, f"{value!r} is before 1970; send a real time")
        return micros
    raise ItemError(field_name, f"must be Unix seconds or an RFC 3339 string, got {value!r}")


def _as_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _seconds_to_micros(seconds: float, field_name: str) -> int:
    if not math.isfinite(seconds) or seconds < 0:
        raise ItemError(field_name, f"must be a non-negative finite number, got {seconds!r}")
    if seconds > _MAX_SECONDS:
        unit = (
            "nanoseconds"
            if seconds > 1e17
            else "microseconds"
            if seconds > 1e14
            else "milliseconds"
        )
        raise ItemError(
            field_name,
            f"{seconds:.0f} looks like {unit} since the epoch; send Unix seconds "
            f"(e.g. {seconds / _divisor(unit):.6f}) or an RFC 3339 string",
        )
    return round(seconds * 1_000_000)


def _divisor(unit: str) -> float:
    return {"nanoseconds": 1e9, "microseconds": 1e6, "milliseconds": 1e3}[unit]


_PLAIN_FIELDS = (
    "name",
    "kind",
    "model",
    "session_id",
    "user_id",
    "environment",
    "release",
    "experiment_id",
)


_MAX_METRIC = float(2**53)
MAX_PLAIN_CHARS = 1000  # indexed text: PostgreSQL's btree entries stop at 2,704 bytes
MAX_DEPTH = 200  # nesting of input, output, expected and metadata (JSON encoders stop near 255)


def check_plain_text(span: NewSpan, *, deep: bool = True) -> None:
    """Refuse what a database column cannot hold.

    NUL characters and more than MAX_PLAIN_CHARS characters in the short, indexed text fields;
    metrics that are not finite or beyond 2**53 in size (token counts are stored as 64-bit
    integers); bodies nested more than MAX_DEPTH levels deep (unless ``deep`` is False: the
    caller knows its values cannot nest that far).
    """
    for key, number in span.metrics.items():
        if not -_MAX_METRIC <= number <= _MAX_METRIC:  # also false for NaN
            raise ItemError(
                f"metrics.{key}", f"must be a finite number within ±2**53, got {number!r}"
            )
    for name in _PLAIN_FIELDS:
        _check_plain(name, getattr(span, name))
    for index, tag in enumerate(span.tags):
        _check_plain(f"tags.{index}", tag)
    if not deep:
        return
    for name in ("input", "output", "expected", "metadata", "error"):
        value = getattr(span, name)
        if isinstance(value, dict | list) and _deeper_than(value, MAX_DEPTH):
            raise ItemError(name, f"is nested more than {MAX_DEPTH} levels deep")


def _check_plain(field: str, value: str | None) -> None:
    if value is None:
        return
    if "\x00" in value:
        raise ItemError(field, f"contains a NUL character (\\u0000): {value[:60]!r}")
    if len(value) > MAX_PLAIN_CHARS:
        raise ItemError(
            field, f"has {len(value)} characters; at most {MAX_PLAIN_CHARS} are stored here"
        )


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` nests dicts and lists more than ``limit`` levels deep."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


def check_items(items: list[Any]) -> Checked:
    """Validate every item of a native batch on its own."""
    result = Checked()
    for index, item in enumerate(items):
        try:
            result.spans.append(check_item(item))
        except ItemError as exc:
            result.rejected.append({"index": index, "field": exc.field, "reason": exc.reason})
    return result


def check_item(item: Any) -> NewSpan:
    """Turn one raw item into a NewSpan, or raise ItemError naming the field."""
    if not isinstance(item, dict):
        raise ItemError("", f"each span must be a JSON object, got {type(item).__name__}")
    for key in ("start_time", "end_time"):
        if isinstance(item.get(key), bool):
            raise ItemError(key, f"must be Unix seconds or an RFC 3339 string, got {item[key]!r}")
    try:
        span = SpanIn.model_validate(item)
    except ValidationError as exc:
        raise _first_problem(exc) from None
    trace_id = check_id(span.trace_id, "trace_id", 32)
    span_id = check_id(span.span_id, "span_id", 16)
    parent_id = None
    if span.parent_id:
        parent_id = check_id(span.parent_id, "parent_id", 16)
        if parent_id == span_id:
            raise ItemError("parent_id", f"equals span_id {span_id!r}; a span cannot be its parent")
    if not span.name.strip():
        raise ItemError("name", "must not be empty")
    start = to_micros(span.start_time, "start_time")
    end = None if span.end_time is None else to_micros(span.end_time, "end_time")
    if end is not None and end < start:
        raise ItemError(
            "end_time",
            f"{span.end_time!r} is before start_time {span.start_time!r}; "
            "end must not precede start",
        )
    error = span.error.model_dump() if span.error is not None else None
    status = span.status or ("error" if error is not None else "ok")
    new = NewSpan(
        trace_id=trace_id,
        span_id=span_id,
        parent_id=parent_id,
        name=span.name,
        kind=span.kind.strip().lower() or "span",
        start_time=start,
        end_time=end,
        status=status,
        error=error,
        input=span.input,
        output=span.output,
        expected=span.expected,
        metadata=span.metadata,
        tags=span.tags,
        metrics=span.metrics,
        model=span.model,
        session_id=span.session_id,
        user_id=span.user_id,
        environment=span.environment,
        release=span.release,
        experiment_id=span.experiment_id,
    )
    check_plain_text(new)
    return new


def _first_problem(exc: ValidationError) -> ItemError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = first.get("loc", ())
    # A union (float | str) reports one error per member; name the field, not the member.
    parts = [str(p) for p in loc if p not in ("float", "str", "int")]
    field_name = ".".join(parts)
    reason = str(first.get("msg", "invalid value"))
    if first.get("type") == "extra_forbidden":
        reason = "is not a field of a span (see SpanIn in /openapi.json)"
    elif first.get("type") != "missing":
        reason += f", got {_short(first.get('input'))}"
    if len(errors) > 1:
        others = sorted({".".join(str(p) for p in e.get("loc", ())[:1]) for e in errors[1:]})
        others = [o for o in others if o != (parts[0] if parts else "")]
        if others:
            reason += f" (also check: {', '.join(others)})"
    return ItemError(field_name, reason)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
