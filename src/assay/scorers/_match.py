"""Heuristic scorers that compare the output with the expected answer."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assay.scorers._score import scorer

ScoreFn = Callable[..., float | None]

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class _Normalizer:
    """The text normalisation exact_match applies to both sides, in the order of the fields."""

    normalize_unicode: bool
    ignore_punctuation: bool
    normalize_whitespace: bool
    strip: bool
    case_sensitive: bool

    def __call__(self, value: Any) -> str:
        text = value if isinstance(value, str) else str(value)
        if self.normalize_unicode:
            text = unicodedata.normalize("NFKC", text)
        if self.ignore_punctuation:
            text = "".join(c for c in text if not unicodedata.category(c).startswith("P"))
        if self.normalize_whitespace:
            text = _WHITESPACE.sub(" ", text)
        if self.strip:
            text = text.strip()
        return text if self.case_sensitive else text.casefold()


@scorer
def exact_match(
    *,
    case_sensitive: bool = True,
    strip: bool = True,
    normalize_whitespace: bool = False,
    ignore_punctuation: bool = False,
    normalize_unicode: bool = False,
) -> ScoreFn:
    """1.0 when the output equals the expected answer, else 0.0; skipped without ``expected``.

    Values equal as they are match at once; otherwise both are compared as text (so ``42``
    matches ``"42"``) after the normalisations asked for, applied in this order: Unicode NFKC,
    punctuation removal, whitespace collapsing, stripping, case folding.

    Args:
        case_sensitive: False ignores case (Unicode case folding, so ``"STRASSE"`` matches
            ``"straße"``).
        strip: Remove surrounding whitespace.
        normalize_whitespace: Turn every run of whitespace (newlines and tabs included) into
            one space.
        ignore_punctuation: Drop every Unicode punctuation character (``.,!?;:'"-()«»`` …).
        normalize_unicode: Apply NFKC normalisation, so compatibility forms compare equal
            (``"ﬁ"`` and ``"fi"``, full-width ``"Ａ"`` and ``"A"``, a composed ``"é"`` and
            ``"e"`` followed by a combining accent).

    Returns:
        The scorer, named ``exact_match``.
    """
    text = _Normalizer(
        normalize_unicode=normalize_unicode,
        ignore_punctuation=ignore_punctuation,
        normalize_whitespace=normalize_whitespace,
        strip=strip,
        case_sensitive=case_sensitive,
    )

    def score(*, output: Any, expected: Any, **_: Any) -> float | None:
        if expected is None:
            return None
        if output == expected:
            return 1.0
        if output is None:  # no answer never matches, not even the text "None"
            return 0.0
        return 1.0 if text(output) == text(expected) else 0.0

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
