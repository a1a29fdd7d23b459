"""Scorers of list outputs: :func:`list_contains`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assay.errors import UsageError
from assay.scorers._score import Score, scorer
from assay.scorers._values import SHOWN, Similarity, json_kind, parse_json, similarity

ScoreFn = Callable[..., Score | None]


def _as_list(value: Any, what: str) -> list[Any] | str:
    """The items of a list-like value (JSON text is parsed), or the reason it is not a list."""
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    if value is None:
        return f"{what} is None, not a list"
    if isinstance(value, str | bytes | bytearray):
        parsed = parse_json(value, what)
        if not parsed.ok:
            return f"{parsed.error}; a list was expected"
        if isinstance(parsed.value, list):
            return parsed.value
        return f"{what} is JSON text holding {json_kind(parsed.value)}, not a list"
    return f"{what} is of type {type(value).__name__}, not a list"


@dataclass(frozen=True, slots=True)
class _Matcher:
    """Pairs output items with expected items, each used at most once."""

    similarity: Similarity | None
    threshold: float

    def pairs(self, out: list[Any], exp: list[Any]) -> list[tuple[int, int]]:
        """Matching (output index, expected index) pairs whose similarity reaches the threshold."""
        found: list[tuple[float, int, int]] = []
        for j, b in enumerate(exp):
            for i, a in enumerate(out):
                s = self.score(a, b)
                if s >= self.threshold:
                    found.append((s, j, i))
        found.sort(key=lambda t: (-t[0], t[1], t[2]))  # best pairs first
        used_out: set[int] = set()
        used_exp: set[int] = set()
        chosen: list[tuple[int, int]] = []
        for _, j, i in found:
            if i not in used_out and j not in used_exp:
                used_out.add(i)
                used_exp.add(j)
                chosen.append((i, j))
        return chosen

    def ordered_pairs(self, out: list[Any], exp: list[Any]) -> list[tuple[int, int]]:
        """The longest run of matching pairs in the same order on both sides (an LCS)."""
        ok = [[self.score(a, b) >= self.threshold for b in exp] for a in out]
        n, m = len(out), len(exp)
        best = [[0] * (m + 1) for _ in range(n + 1)]
        for i in range(n - 1, -1, -1):
            for j in range(m - 1, -1, -1):
                if ok[i][j]:
                    best[i][j] = best[i + 1][j + 1] + 1
                else:
                    best[i][j] = max(best[i + 1][j], best[i][j + 1])
        chosen: list[tuple[int, int]] = []
        i = j = 0
        while i < n and j < m:
            if ok[i][j] and best[i][j] == best[i + 1][j + 1] + 1:
                chosen.append((i, j))
                i, j = i + 1, j + 1
            elif best[i + 1][j] >= best[i][j + 1]:
                i += 1
            else:
                j += 1
        return chosen

    def score(self, a: Any, b: Any) -> float:
        if self.similarity is None:
            same = a == b and isinstance(a, bool) == isinstance(b, bool)  # True is not 1
            return 1.0 if same else 0.0
        return similarity(self.similarity, a, b)


def _report(out: list[Any], exp: list[Any], pairs: list[tuple[int, int]]) -> Score:
    k = len(pairs)
    recall = k / len(exp) if exp else 1.0
    precision = k / len(out) if out else (1.0 if not exp else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    used_out = {i for i, _ in pairs}
    used_exp = {j for _, j in pairs}
    meta = {
        "matched": k,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "missing": [b for j, b in enumerate(exp) if j not in used_exp][:SHOWN],
        "extra": [a for i, a in enumerate(out) if i not in used_out][:SHOWN],
    }
    return Score("", recall, meta)


@scorer
def list_contains(
    *, ordered: bool = False, scorer: Similarity | None = None, threshold: float = 0.8
) -> ScoreFn:
    """The fraction of the expected items found in the output list (partial credit).

    Each output item can stand for one expected item only, so duplicates count. Items match
    when equal (``1`` and ``1.0`` do, ``True`` and ``1`` do not) or, with ``scorer``, when
    their similarity reaches ``threshold``. The metadata holds the ``matched`` count,
    ``precision`` (matched / output items), ``recall`` (the score), ``f1``, and the first 20
    ``missing`` expected items and ``extra`` output items. An empty expected list scores 1.0
    (nothing was asked for; precision is 0 when the output has items). Text holding a JSON
    array is read as a list; any other output scores 0.0 with the ``reason``. Skipped
    without ``expected``.

    Args:
        ordered: True counts only items found in the expected order (the longest common
            subsequence), so ``[b, a]`` against ``[a, b]`` scores 0.5.
        scorer: A similarity of two items, called as ``scorer(output=a, expected=b)`` and
            giving a number in [0, 1], for instance ``levenshtein()``; None requires equality.
        threshold: The similarity at which two items match (used with ``scorer``).

    Returns:
        The scorer, named ``list_contains``.

    Raises:
        UsageError: ``threshold`` is outside [0, 1] or ``scorer`` is not callable.
    """
    if not (isinstance(threshold, int | float) and 0 <= threshold <= 1):
        raise UsageError(f"list_contains: threshold is {threshold!r}; give a number in [0, 1]")
    if scorer is not None and not callable(scorer):
        raise UsageError(
            f"list_contains: scorer is {scorer!r:.60}; give a similarity such as "
            "levenshtein(), or None to match equal items"
        )
    matcher = _Matcher(scorer, 1.0 if scorer is None else float(threshold))

    def score(*, output: Any, expected: Any, **_: Any) -> Score | None:
        if expected is None:
            return None
        exp = _as_list(expected, "expected")
        if isinstance(exp, str):
            raise ValueError(f"list_contains: {exp}; give a list in expected")
        out = _as_list(output, "output")
        if isinstance(out, str):
            return Score("", 0.0, {"reason": out})
        pairs = matcher.ordered_pairs(out, exp) if ordered else matcher.pairs(out, exp)
        return _report(out, exp, pairs)

    return score
