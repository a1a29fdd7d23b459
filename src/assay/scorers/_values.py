"""Helpers the built-in scorers share: reading JSON outputs and calling pairwise similarities."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assay.scorers._score import Score

#: A pairwise similarity: a scorer called as ``fn(output=a, expected=b)`` giving a number.
Similarity = Callable[..., Any]

#: How many items a metadata list keeps (paths that differ, missing items, …).
SHOWN = 20


@dataclass(frozen=True, slots=True)
class Parsed:
    """A value read as JSON: ``ok`` is False when it is not JSON, with the reason in ``error``."""

    value: Any = None
    ok: bool = True
    error: str = ""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(value: Any, what: str = "output") -> Parsed:
    """Read a value as JSON: text (str or bytes) is parsed, other values must serialise.

    ``what`` names the value in the reason (``output``, ``expected``).

    NaN and Infinity are refused, in text and in values, as strict JSON does.
    """
    if value is None:
        return Parsed(ok=False, error=f"{what} is None")
    if isinstance(value, bytes | bytearray):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Parsed(ok=False, error=f"{what} bytes are not UTF-8 ({exc.reason})")
    if isinstance(value, str):
        try:
            return Parsed(json.loads(value, parse_constant=_reject_constant))
        except ValueError as exc:
            return Parsed(ok=False, error=f"{what} {value!r:.60} is not JSON: {exc}")
    try:  # the round trip gives JSON's own shapes: tuples become lists, keys become text
        return Parsed(json.loads(json.dumps(value, allow_nan=False)))
    except (TypeError, ValueError) as exc:
        return Parsed(ok=False, error=f"{what} of type {type(value).__name__} is not JSON: {exc}")


def similarity(fn: Similarity, a: Any, b: Any) -> float:
    """Call a pairwise similarity scorer on (output ``a``, expected ``b``), as a number.

    Raises:
        TypeError: The similarity gave something other than a number or a Score.
    """
    result = fn(output=a, expected=b)
    if isinstance(result, Score):
        result = result.value
    if result is None:
        return 0.0
    if not isinstance(result, int | float):
        raise TypeError(
            f"the similarity {getattr(fn, 'name', fn)!r:.60} gave {result!r:.60}; "
            "it must return a number in [0, 1] or a Score"
        )
    value = float(result)
    return 0.0 if math.isnan(value) else min(1.0, max(0.0, value))


def closeness(a: float, b: float, *, scale: float | None = None) -> float:
    """1 − |a − b| / d clipped to [0, 1], where d is ``scale`` or else max(|a|, |b|)."""
    if a == b:
        return 1.0
    d = scale if scale is not None else max(abs(a), abs(b))
    if d == 0 or math.isinf(d):
        return 0.0
    return min(1.0, max(0.0, 1.0 - abs(a - b) / d))


def is_number(value: Any) -> bool:
    """Whether ``value`` is an int or float (a bool is not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def json_kind(value: Any) -> str:
    """What kind of JSON value ``value`` is, with its article: ``an object``, ``a number``, …"""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if is_number(value):
        return "a number"
    return names.get(type(value), f"a {type(value).__name__}")
