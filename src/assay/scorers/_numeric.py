"""Scorers of numeric answers: :func:`numeric_diff`."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from assay.errors import UsageError
from assay.scorers._score import Score, scorer
from assay.scorers._values import closeness

ScoreFn = Callable[..., Score | None]

_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?")


def parse_number(value: Any) -> float | str:
    """Read a number from a value: the number, or the reason it is not one.

    Numbers are taken as they are (a bool is not a number); text must be one number and
    nothing else, surrounding whitespace aside: ``"42"``, ``" -3.5 "``, ``"1e-3"``, and
    ``"1,234,567.5"`` with commas grouping thousands. NaN and infinities are refused.
    """
    if isinstance(value, bool) or value is None:
        return f"{value!r} is not a number"
    if isinstance(value, int | float | Decimal | Fraction):
        try:
            number = float(value)
        except OverflowError:
            return f"{value!r:.60} is too large"
    elif isinstance(value, str):
        text = value.strip()
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError:
            return f"{value!r:.60} is not a number"
    else:
        return f"a {type(value).__name__} is not a number"
    if not math.isfinite(number):
        return f"{value!r:.60} is not a finite number"
    return number


def _check(tolerance: float, scale: float | None) -> None:
    if not (isinstance(tolerance, int | float) and math.isfinite(tolerance) and tolerance >= 0):
        raise UsageError(
            f"numeric_diff: tolerance is {tolerance!r}; give a number >= 0 (0 means exact)"
        )
    if scale is not None and not (
        isinstance(scale, int | float) and math.isfinite(scale) and scale > 0
    ):
        raise UsageError(
            f"numeric_diff: scale is {scale!r}; give a positive number (the difference at "
            "which the score reaches 0), or None to compare with the larger magnitude"
        )


@scorer
def numeric_diff(
    *, tolerance: float = 0.0, relative: bool = False, scale: float | None = None
) -> ScoreFn:
    """How close a numeric output is to the expected number.

    1.0 when the difference is within ``tolerance``; beyond it the score is the closeness
    1 − |output − expected| / d clipped to [0, 1], where d is ``scale`` when given and else
    the larger of |output| and |expected| (so 90 against 100 scores 0.9, and a sign error 0).
    Text outputs are read as numbers (``" 3.5 "``, ``"1,234"``); an output that is not a
    number scores 0.0 with the reason in the metadata. Skipped without ``expected``.

    Args:
        tolerance: The largest difference that still counts as right.
        relative: True reads ``tolerance`` as a fraction of the larger magnitude
            (``tolerance=0.01`` allows 1 %).
        scale: The difference at which the score reaches 0 (a linear decay); None uses the
            larger magnitude. A tiny scale makes the score all-or-nothing.

    Returns:
        The scorer, named ``numeric_diff``.

    Raises:
        UsageError: ``tolerance`` is negative or ``scale`` is not a positive number.
    """
    _check(tolerance, scale)

    def score(*, output: Any, expected: Any, **_: Any) -> Score | None:
        if expected is None:
            return None
        want = parse_number(expected)
        if isinstance(want, str):
            raise ValueError(f"numeric_diff: expected: {want}; give a number in expected")
        got = parse_number(output)
        if isinstance(got, str):
            return Score("", 0.0, {"reason": f"output: {got}"})
        diff = abs(got - want)
        allowed = tolerance * max(abs(got), abs(want)) if relative else tolerance
        meta = {"output": got, "expected": want, "difference": diff}
        if diff <= allowed:
            return Score("", 1.0, meta)
        return Score("", closeness(got, want, scale=scale), meta)

    return score
