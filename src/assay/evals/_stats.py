"""The statistics of experiments: summaries and the paired bootstrap of a mean difference.

Pure Python and the standard library (the server imports this module too), with a vectorised
numpy path used whenever numpy is importable (the server installs it; the SDK alone does not
need it). Deterministic: the same inputs, seed and method give the same interval on every
machine. The two methods draw from different generators (:class:`random.Random` and
``numpy.random.default_rng``), so their intervals agree statistically, not to the last digit.

The paired bootstrap resamples *cases* (pairs) with replacement, so the interval reflects how
much the mean difference would move with another draw of cases. It works on the differences,
computed once; each resample is one C-level ``Random.choices`` call plus one ``sum``.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: How resamples are drawn: numpy when importable ("auto"), or one of them explicitly.
Method = Literal["auto", "numpy", "python"]
#: Index-matrix cells per numpy chunk (8 bytes each): bounds memory at about 32 MB.
_CHUNK_CELLS = 4_000_000

#: Differences closer to zero than this count as "unchanged".
TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Interval:
    """A mean difference with its confidence interval.

    Attributes:
        mean_diff: Mean of ``a - b`` over the pairs.
        low: Lower bound of the interval.
        high: Upper bound of the interval.
        n: Number of pairs used.
    """

    mean_diff: float
    low: float
    high: float
    n: int

    @property
    def significant(self) -> bool:
        """True when the interval excludes zero."""
        return self.low > 0 or self.high < 0


@dataclass(frozen=True, slots=True)
class Summary:
    """Count, mean, sample standard deviation, min and max of the numbers given."""

    count: int
    mean: float | None
    stdev: float | None
    min: float | None
    max: float | None


@dataclass(frozen=True, slots=True)
class Changes:
    """How many pairs went up, went down or stayed (within :data:`TOLERANCE`)."""

    improved: int
    regressed: int
    unchanged: int


def summarize(values: Iterable[float | None]) -> Summary:
    """Summarise numbers, skipping ``None`` and NaN.

    Args:
        values: The numbers.

    Returns:
        The summary; ``mean``/``min``/``max`` are None without numbers, ``stdev`` (sample,
        n − 1) is None with fewer than two.
    """
    xs = [float(v) for v in values if v is not None and not math.isnan(v)]
    if not xs:
        return Summary(count=0, mean=None, stdev=None, min=None, max=None)
    mean = math.fsum(xs) / len(xs)
    stdev = statistics.stdev(xs, mean) if len(xs) > 1 else None
    return Summary(count=len(xs), mean=mean, stdev=stdev, min=min(xs), max=max(xs))


def _pairs(a: Sequence[float | None], b: Sequence[float | None]) -> list[float]:
    if len(a) != len(b):
        raise ValueError(
            f"paired_bootstrap needs two sequences of the same length; got {len(a)} and {len(b)}"
        )
    return [
        float(x) - float(y)
        for x, y in zip(a, b, strict=True)
        if x is not None and y is not None and not math.isnan(x) and not math.isnan(y)
    ]


def _quantile(sorted_xs: Sequence[float], q: float) -> float:
    """Quantile with linear interpolation between order statistics (numpy's default)."""
    pos = q * (len(sorted_xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_xs) - 1)
    frac = pos - lo
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * frac


def _numpy() -> bool:
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


def _use_numpy(method: Method) -> bool:
    if method == "python":
        return False
    if method == "numpy":
        if not _numpy():
            raise ImportError(
                "method='numpy' needs numpy; install it with `pip install numpy` "
                "(or `pip install 'assay[server]'`), or pass method='auto'"
            )
        return True
    if method != "auto":
        raise ValueError(f"method is {method!r}; use 'auto', 'numpy' or 'python'")
    return _numpy()


def bootstrap_means(
    diffs: Sequence[float], *, resamples: int = 10_000, seed: int = 0, method: Method = "auto"
) -> list[float]:
    """Means of ``resamples`` resamples (with replacement) of ``diffs``, in draw order.

    Args:
        diffs: The values to resample (at least one).
        resamples: How many resamples to draw.
        seed: Seed of the private random generator.
        method: ``"numpy"`` (vectorised), ``"python"`` (standard library only) or ``"auto"``
            (numpy when importable).

    Returns:
        One mean per resample.
    """
    n = len(diffs)
    if n == 0:
        raise ValueError("bootstrap_means needs at least one value")
    if _use_numpy(method):
        return [float(x) for x in _numpy_means([diffs], resamples=resamples, seed=seed)[0]]
    rng = random.Random(seed)
    choices = rng.choices
    population = list(diffs)
    return [sum(choices(population, k=n)) / n for _ in range(resamples)]


def _numpy_means(
    rows: Sequence[Sequence[float]], *, resamples: int, seed: int
) -> list[npt.NDArray[np.float64]]:
    """Bootstrap means of each row (all of one length), every row resampled with the same indices.

    The index matrix (resamples × n) is drawn in chunks from ``default_rng(seed)``, so the draws,
    and therefore the result of each row, do not depend on the other rows or on the chunk size.
    """
    import numpy as np

    values = [np.asarray(row, dtype=np.float64) for row in rows]
    n = len(values[0])
    rng = np.random.default_rng(seed)
    out = [np.empty(resamples, dtype=np.float64) for _ in values]
    step = max(1, _CHUNK_CELLS // n)
    for start in range(0, resamples, step):
        stop = min(resamples, start + step)
        idx = rng.integers(0, n, size=(stop - start, n))
        for row, means in zip(values, out, strict=True):
            means[start:stop] = np.take(row, idx).sum(axis=1) / n
    return out


def paired_bootstrap(
    a: Sequence[float | None],
    b: Sequence[float | None],
    *,
    resamples: int = 10_000,
    seed: int = 0,
    confidence: float = 0.95,
    method: Method = "auto",
) -> Interval:
    """Mean of ``a - b`` with a percentile bootstrap confidence interval over the pairs.

    ``a[i]`` and ``b[i]`` are the same case in two experiments (e.g. the experiment and its
    baseline); pairs where either side is None or NaN are left out.

    Args:
        a: Values of the first experiment.
        b: Values of the second experiment, in the same case order.
        resamples: Bootstrap resamples (the contract uses 10,000).
        seed: Seed, so the interval is reproducible.
        confidence: Coverage of the interval (0.95 → 2.5th to 97.5th percentile).
        method: ``"numpy"``, ``"python"`` or ``"auto"`` (numpy when importable).

    Returns:
        The interval. With one pair, or when every difference is the same, the interval is
        that single value.

    Raises:
        ValueError: The sequences differ in length, no pair is complete, or ``resamples`` or
            ``confidence`` is out of range.
    """
    return paired_bootstrap_many(
        [(a, b)], resamples=resamples, seed=seed, confidence=confidence, method=method
    )[0]


def paired_bootstrap_many(
    pairs: Sequence[tuple[Sequence[float | None], Sequence[float | None]]],
    *,
    resamples: int = 10_000,
    seed: int = 0,
    confidence: float = 0.95,
    method: Method = "auto",
) -> list[Interval]:
    """:func:`paired_bootstrap` of several ``(a, b)`` pairs of sequences at once.

    Each result equals ``paired_bootstrap(a, b, ...)`` with the same arguments; with numpy,
    pairs with the same number of complete pairs share one index matrix, so comparing many
    scorers over the same cases costs little more than one.

    Raises:
        ValueError: As :func:`paired_bootstrap`, for the first pair that is invalid.
    """
    if resamples < 1:
        raise ValueError(f"resamples is {resamples}; it must be at least 1")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence is {confidence}; it must be between 0 and 1, e.g. 0.95")
    all_diffs = [_pairs(a, b) for a, b in pairs]
    if any(not d for d in all_diffs):
        raise ValueError("paired_bootstrap needs at least one pair where both values are numbers")
    tail = (1 - confidence) / 2
    results: list[Interval | None] = [None] * len(all_diffs)
    varying: dict[int, list[int]] = {}  # n -> positions whose differences are not all equal
    for pos, diffs in enumerate(all_diffs):
        mean = math.fsum(diffs) / len(diffs)
        if all(d == diffs[0] for d in diffs):
            results[pos] = Interval(mean_diff=mean, low=mean, high=mean, n=len(diffs))
        else:
            varying.setdefault(len(diffs), []).append(pos)
    numpy_path = bool(varying) and _use_numpy(method)
    for n, positions in varying.items():
        rows = [all_diffs[p] for p in positions]
        if numpy_path:
            sorted_means: list[Sequence[float]] = [
                sorted(m.tolist()) for m in _numpy_means(rows, resamples=resamples, seed=seed)
            ]
        else:
            sorted_means = [
                sorted(bootstrap_means(r, resamples=resamples, seed=seed, method="python"))
                for r in rows
            ]
        for p, means in zip(positions, sorted_means, strict=True):
            results[p] = Interval(
                mean_diff=math.fsum(all_diffs[p]) / n,
                low=_quantile(means, tail),
                high=_quantile(means, 1 - tail),
                n=n,
            )
    return [r for r in results if r is not None]


def count_changes(
    a: Sequence[float | None], b: Sequence[float | None], *, tolerance: float = TOLERANCE
) -> Changes:
    """Count pairs where ``a`` is above, below or equal to ``b`` (complete pairs only).

    Args:
        a: Values of the first experiment.
        b: Values of the second experiment, in the same case order.
        tolerance: Differences within this are "unchanged".

    Returns:
        The counts.
    """
    up = down = same = 0
    for d in _pairs(a, b):
        if d > tolerance:
            up += 1
        elif d < -tolerance:
            down += 1
        else:
            same += 1
    return Changes(improved=up, regressed=down, unchanged=same)
