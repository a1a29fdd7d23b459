"""Scorers that look for text in the output: :func:`contains` and :func:`regex`."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Literal

from assay.errors import UsageError
from assay.scorers._score import Score, scorer

ScoreFn = Callable[..., Score | None]
Mode = Literal["any", "all"]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _needles(value: Any, where: str) -> list[str]:
    """The substrings to look for, from one text or a list of them.

    Raises:
        ValueError: Nothing to look for (an empty text or list, or a list holding one).
    """
    items = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
    texts = [_as_text(v) for v in items]
    if not texts or any(t == "" for t in texts):
        raise ValueError(
            f"contains: {where} is {value!r:.80}; give the non-empty text, or list of texts, "
            "the output should contain"
        )
    return texts


@scorer
def contains(
    value: str | Sequence[str] | None = None,
    *,
    case_sensitive: bool = False,
    mode: Mode = "all",
) -> ScoreFn:
    """Whether the output contains a text, or which of several texts it contains.

    With one text the score is 1.0 when the output contains it, else 0.0. With a list, ``mode``
    decides: ``"all"`` gives the fraction of the texts found (partial credit), ``"any"`` gives
    1.0 when at least one is found. The metadata lists the texts ``found`` and ``missing``.
    Outputs that are not text are looked at as text; a None output contains nothing.

    Args:
        value: The text or texts to look for; None looks for the case's ``expected`` (a text
            or a list of texts) and skips cases without one.
        case_sensitive: True tells upper and lower case apart.
        mode: ``"all"`` (fraction found) or ``"any"`` (one is enough) for a list of texts.

    Returns:
        The scorer, named ``contains``.

    Raises:
        UsageError: ``value`` is empty or ``mode`` is neither ``"any"`` nor ``"all"``.
    """
    if mode not in ("any", "all"):
        raise UsageError(f"contains: mode is {mode!r}; use 'all' (fraction found) or 'any'")
    fixed: list[str] | None = None
    if value is not None:
        try:
            fixed = _needles(value, "value")
        except ValueError as exc:
            raise UsageError(str(exc)) from None

    def fold(text: str) -> str:
        return text if case_sensitive else text.casefold()

    def score(*, output: Any, expected: Any = None, **_: Any) -> Score | None:
        if fixed is None and expected is None:
            return None
        needles = fixed if fixed is not None else _needles(expected, "expected")
        haystack = fold(_as_text(output))
        found = [n for n in needles if fold(n) in haystack]
        missing = [n for n in needles if fold(n) not in haystack]
        share = len(found) / len(needles)
        result = (1.0 if found else 0.0) if mode == "any" else share
        return Score("", result, {"found": found, "missing": missing})

    return score


@scorer
def regex(pattern: str | re.Pattern[str], *, flags: int = 0, full: bool = False) -> ScoreFn:
    """1.0 when the pattern is found in the output (or, with ``full``, matches all of it).

    The metadata of a match holds the matched text and its ``span`` (start, end). Outputs that
    are not text are looked at as text; a None output never matches.

    Args:
        pattern: A regular expression (Python :mod:`re` syntax) or a compiled pattern.
        flags: :mod:`re` flags such as ``re.IGNORECASE | re.MULTILINE``.
        full: True requires the whole output to match (:func:`re.fullmatch`).

    Returns:
        The scorer, named ``regex``.

    Raises:
        UsageError: The pattern does not compile, or flags come with a compiled pattern.
    """
    if isinstance(pattern, re.Pattern):
        if flags:
            raise UsageError(
                f"regex: flags={flags!r} given with the compiled pattern {pattern.pattern!r}; "
                "pass the pattern as a str, or compile it with the flags"
            )
        compiled = pattern
    else:
        try:
            compiled = re.compile(pattern, flags)
        except re.error as exc:
            raise UsageError(
                f"regex: the pattern {pattern!r} does not compile ({exc}); fix the expression "
                "(escape literal text with re.escape)"
            ) from None
    find = compiled.fullmatch if full else compiled.search

    def score(*, output: Any, **_: Any) -> Score:
        if output is None:
            return Score("", 0.0, {"reason": "output is None"})
        match = find(_as_text(output))
        if match is None:
            return Score("", 0.0, {"pattern": compiled.pattern})
        return Score("", 1.0, {"match": match.group(0), "span": list(match.span())})

    return score
