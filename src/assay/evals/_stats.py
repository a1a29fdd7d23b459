"""The statistics of experiments: summaries and the paired bootstrap of a mean difference.

Pure Python and the standard library (the server imports this module too). Deterministic: the
same inputs and seed give the same interval on every machine and Python version that keeps
:class:`random.Random` stable (all CPython 3.x do).

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


def bootstrap_means(
    diffs: Sequence[float], *, resamples: int = 10_000, seed: int = 0
) -> list[float]:
    """Means of ``resamples`` resamples (with replacement) of ``diffs``, in draw order.

    Args:
        diffs: The values to resample (at least one).
        resamples: How many resamples to draw.
        seed: Seed of the private :class:`random.Random`.

    Returns:
        One mean per resample.
    """
    n = len(diffs)
    if n == 0:
        raise ValueError("bootstrap_means needs at least one value")
    rng = random.Random(seed)
    choices = rng.choices
    population = list(diffs)
    return [sum(choices(population, k=n)) / n for _ in range(resamples)]


def paired_bootstrap(
    a: Sequence[float | None],
    b: Sequence[float | None],
    *,
    resamples: int = 10_000,
    seed: int = 0,
    confidence: float = 0.95,
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

    Returns:
        The interval. With one pair, or when every difference is the same, the interval is
        that single value.

    Raises:
        ValueError: The sequences differ in length, no pair is complete, or ``resamples`` or
            ``confidence`` is out of range.
    """
    if resamples < 1:
        raise ValueError(f"resamples is {resamples}; it must be at least 1")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence is {confidence}; it must be between 0 and 1, e.g. 0.95")
    diffs = _pairs(a, b)
    n = len(diffs)
    if n == 0:
        raise ValueError("paired_bootstrap needs at least one pair where both values are numbers")
    mean = math.fsum(diffs) / n
    first = diffs[0]
    if all(d == first for d in diffs):
        return Interval(mean_diff=mean, low=mean, high=mean, n=n)
    means = bootstrap_means(diffs, resamples=resamples, seed=seed)
    means.sort()
    tail = (1 - confidence) / 2
    return Interval(
        mean_diff=mean, low=_quantile(means, tail), high=_quantile(means, 1 - tail), n=n
    )


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
