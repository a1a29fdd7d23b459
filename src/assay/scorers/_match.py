"""Heuristic scorers that compare the output with the expected answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assay.scorers._score import scorer

ScoreFn = Callable[..., float | None]


def _text(value: Any, *, strip: bool, case_sensitive: bool) -> str:
    text = value if isinstance(value, str) else str(value)
    if strip:
        text = text.strip()
    return text if case_sensitive else text.casefold()


@scorer
def exact_match(*, case_sensitive: bool = True, strip: bool = True) -> ScoreFn:
    """1.0 when the output equals the expected answer, else 0.0; skipped without ``expected``.

    Strings are compared after optional stripping and case folding; other values are compared
    as they are, then as text (so ``42`` matches ``"42"``).

    Args:
        case_sensitive: False ignores case.
        strip: Remove surrounding whitespace before comparing strings.

    Returns:
        The scorer, named ``exact_match``.
    """

    def score(*, output: Any, expected: Any, **_: Any) -> float | None:
        if expected is None:
            return None
        if output == expected:
            return 1.0
        same = _text(output, strip=strip, case_sensitive=case_sensitive) == _text(
            expected, strip=strip, case_sensitive=case_sensitive
        )
        return 1.0 if same else 0.0

    return score


def distance(a: str, b: str) -> int:
    """The Levenshtein edit distance between two strings (insertions, deletions, swaps of one)."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        append = current.append
        for j, cb in enumerate(b, 1):
            cost = previous[j - 1] + (ca != cb)
            up = previous[j] + 1
            left = current[j - 1] + 1
            append(min(cost, up, left))
        previous = current
    return previous[-1]


@scorer
def levenshtein() -> ScoreFn:
    """Similarity 1 − distance / longer length between output and expected, as text.

    1.0 for equal texts (two empty texts included), 0.0 for entirely different ones; skipped
    without ``expected``.

    Returns:
        The scorer, named ``levenshtein``.
    """

    def score(*, output: Any, expected: Any, **_: Any) -> float | None:
        if expected is None:
            return None
        a = output if isinstance(output, str) else ("" if output is None else str(output))
        b = expected if isinstance(expected, str) else str(expected)
        longest = max(len(a), len(b))
        if longest == 0:
            return 1.0
        return 1.0 - distance(a, b) / longest

    return score
