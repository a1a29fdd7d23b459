"""Agreement among several raters over a raters × items table: Krippendorff's alpha, Fleiss' kappa.

Imported only once numpy is known to be importable (see :mod:`assay.scorers._agreement`).

Alpha follows Krippendorff's coincidence formulation. With ``N`` pairable ratings (ratings of
items that have at least two), ``n_c`` of them equal to value ``c``, and ``δ²`` the level's
distance:

    alpha = 1 − (N − 1) · Σ_u Σ_{i≠j in u} δ²(v_i, v_j) / (m_u − 1)  /  Σ_{c,k} n_c n_k δ²(c, k)

where ``m_u`` is the number of ratings of item ``u``. Distances: nominal ``[c ≠ k]``; interval
``(c − k)²``; ratio ``((c − k) / (c + k))²`` (0 when ``c + k = 0``); ordinal
``(Σ_{g from c to k} n_g − (n_c + n_k) / 2)²`` over the values in order.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from assay.errors import UsageError

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Distance = Callable[[Ints, Ints], Floats]

#: Cells per block of the value × value sums (8 bytes each).
_CHUNK_CELLS = 2_000_000


def alpha(ratings: Any, *, level: str, order: Sequence[Any] | None) -> float | None:
    """Krippendorff's alpha of a raters × items table; None when undefined."""
    rows = _table(ratings, "krippendorff_alpha()")
    columns = [[v for v in column if not _missing(v)] for column in zip(*rows, strict=True)]
    pairable = [i for i, column in enumerate(columns) if len(column) >= 2]
    values = [v for i in pairable for v in columns[i]]
    domain = _domain(values, level, order)
    if len(set(values)) < 2:
        return None
    code = {value: i for i, value in enumerate(domain)}
    codes = np.full((len(rows), len(pairable)), -1, dtype=np.int64)
    for j, item in enumerate(pairable):
        for r, row in enumerate(rows):
            if not _missing(row[item]):
                codes[r, j] = code[row[item]]
    counts = np.bincount(codes[codes >= 0], minlength=len(domain)).astype(np.float64)
    distance = _distance(level, domain, counts)
    expected = _expected(level, domain, counts, distance)
    if not expected > 0:
        return None
    return float(1 - (counts.sum() - 1) * _observed(codes, distance) / expected)


def fleiss(ratings: Any) -> float | None:
    """Fleiss' kappa of a raters × items table; None when undefined."""
    rows = _table(ratings, "fleiss_kappa()")
    rated = [
        (i, [v for v in column if not _missing(v)])
        for i, column in enumerate(zip(*rows, strict=True))
    ]
    rated = [(i, column) for i, column in rated if column]
    if not rated:
        return None
    first, per_item = rated[0][0], len(rated[0][1])
    for i, column in rated:
        if len(column) != per_item:
            raise UsageError(
                f"fleiss_kappa() needs the same number of ratings on every item; item {first} "
                f"has {per_item} and item {i} has {len(column)} (None marks a missing rating); "
                "use krippendorff_alpha(), which allows missing ratings"
            )
    if per_item < 2:
        return None
    code = _codes([v for _, column in rated for v in column], "fleiss_kappa()")
    if len(code) < 2:
        return None
    table = np.zeros((len(rated), len(code)))
    for j, (_, column) in enumerate(rated):
        for value in column:
            table[j, code[value]] += 1
    share = table.sum(axis=0) / table.sum()
    observed = ((table * table).sum(axis=1) - per_item) / (per_item * (per_item - 1))
    chance = float((share * share).sum())
    return float((observed.mean() - chance) / (1 - chance))


def _table(ratings: Any, what: str) -> list[list[Any]]:
    """The rows of a raters × items table, checked to be rectangular."""
    shape_hint = "one row per rater, one column per item (a list of lists or a 2-D array)"
    if isinstance(ratings, str | bytes):
        raise UsageError(f"{what} takes a table, {shape_hint}; got the string {ratings!r}")
    try:
        rows = [list(row) for row in ratings]
    except TypeError as exc:
        raise UsageError(f"{what} takes a table, {shape_hint}; got {_short(ratings)}") from exc
    if any(isinstance(row, str | bytes) for row in ratings):
        raise UsageError(f"{what} takes a table, {shape_hint}; got a list of strings")
    widths = sorted({len(row) for row in rows})
    if len(widths) > 1:
        raise UsageError(
            f"{what} got rows of different lengths {widths}; give every rater one entry per "
            "item, with None where they did not rate it"
        )
    return rows


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float | np.floating) and math.isnan(value))


def _codes(values: list[Any], what: str) -> dict[Any, int]:
    try:
        return {value: i for i, value in enumerate(dict.fromkeys(values))}
    except TypeError as exc:
        raise UsageError(f"{what} needs hashable ratings (labels or numbers); got {exc}") from exc


def _domain(values: list[Any], level: str, order: Sequence[Any] | None) -> list[Any]:
    """The distinct values, in order for every level but nominal."""
    distinct = list(_codes(values, "krippendorff_alpha()"))
    if order is not None:
        if level != "ordinal":
            raise UsageError(
                f"krippendorff_alpha() got order= with level={level!r}; order only applies "
                "to level='ordinal'"
            )
        domain = list(dict.fromkeys(order))
        unknown = [v for v in distinct if v not in set(domain)]
        if unknown:
            raise UsageError(
                f"krippendorff_alpha() got the rating {unknown[0]!r}, which is not in "
                f"order={domain!r}; add it to order"
            )
        return domain
    if level in ("interval", "ratio"):
        bad = next((v for v in distinct if not _is_number(v)), None)
        if bad is not None:
            raise UsageError(
                f"krippendorff_alpha() with level={level!r} needs numbers; got {bad!r}; "
                "use level='nominal' for labels"
            )
    if level == "nominal":
        return distinct
    try:
        return sorted(distinct)
    except TypeError as exc:
        raise UsageError(
            f"krippendorff_alpha() with level={level!r} cannot sort the ratings ({exc}); "
            "pass order=[lowest, ..., highest]"
        ) from exc


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _distance(level: str, domain: list[Any], counts: Floats) -> Distance:
    """δ² between value codes (element-wise, broadcasting) at the given level."""
    if level == "nominal":
        return lambda c, k: (c != k).astype(np.float64)
    if level == "ordinal":
        upto = np.cumsum(counts)

        def ordinal(c: Ints, k: Ints) -> Floats:
            low, high = np.minimum(c, k), np.maximum(c, k)
            between = upto[high] - upto[low] + counts[low]
            return (between - (counts[c] + counts[k]) / 2) ** 2

        return ordinal
    x = np.asarray(domain, dtype=np.float64)
    if level == "interval":
        return lambda c, k: (x[c] - x[k]) ** 2

    def ratio(c: Ints, k: Ints) -> Floats:
        total = x[c] + x[k]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total != 0, ((x[c] - x[k]) / total) ** 2, 0.0)

    return ratio


def _observed(codes: Ints, distance: Distance) -> float:
    """Σ over items of the distances between ordered pairs of its ratings, / (m_u − 1)."""
    present = codes >= 0
    weight = 1 / (present.sum(axis=0) - 1)
    total = 0.0
    for r in range(codes.shape[0]):
        both = present & present[r]
        both[r] = False
        mine = np.broadcast_to(codes[r], codes.shape)[both]
        theirs = codes[both]
        total += float(distance(mine, theirs) @ np.broadcast_to(weight, codes.shape)[both])
    return total


def _expected(level: str, domain: list[Any], counts: Floats, distance: Distance) -> float:
    """Σ_{c,k} n_c n_k δ²(c, k) over the values."""
    n = counts.sum()
    if level == "nominal":
        return float(n * n - (counts * counts).sum())
    if level == "interval":
        x = np.asarray(domain, dtype=np.float64)
        centred = x - (counts @ x) / n
        return float(2 * n * (counts @ (centred * centred)))
    size = counts.size
    every = np.arange(size, dtype=np.int64)
    step = max(1, _CHUNK_CELLS // size)
    total = 0.0
    for start in range(0, size, step):
        rows = every[start : start + step]
        total += float(counts[rows] @ distance(rows[:, None], every[None, :]) @ counts)
    return total
