"""The statistics of comparisons, checked against independent computations."""

from __future__ import annotations

import itertools
import math
import random
import statistics
import time

import pytest

from assay.evals._stats import (
    bootstrap_means,
    count_changes,
    paired_bootstrap,
    paired_bootstrap_many,
    summarize,
)


def test_summarize_matches_the_statistics_module() -> None:
    rng = random.Random(3)
    xs = [rng.random() for _ in range(500)]
    s = summarize([*xs, None, math.nan])
    assert s.count == 500
    assert s.mean == pytest.approx(statistics.fmean(xs), abs=1e-12)
    assert s.stdev == pytest.approx(statistics.stdev(xs), abs=1e-12)
    assert (s.min, s.max) == (min(xs), max(xs))
    assert summarize([]).mean is None
    assert summarize([0.5]).stdev is None


def _exact_percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


METHODS = pytest.mark.parametrize("method", ["python", "numpy"])


@METHODS
def test_bootstrap_interval_agrees_with_the_exact_bootstrap_distribution(method: str) -> None:
    # With 5 pairs every one of the 5**5 equally likely resamples can be enumerated: the
    # exact bootstrap distribution. 10,000 Monte Carlo resamples must land close to it.
    a = [0.9, 0.4, 0.7, 1.0, 0.2]
    b = [0.5, 0.6, 0.1, 0.8, 0.2]
    d = [x - y for x, y in zip(a, b, strict=True)]
    exact = [sum(d[i] for i in idx) / 5 for idx in itertools.product(range(5), repeat=5)]
    interval = paired_bootstrap(a, b, resamples=10_000, seed=1, method=method)  # type: ignore[arg-type]
    assert interval.n == 5
    assert interval.mean_diff == pytest.approx(statistics.fmean(d))
    assert interval.low == pytest.approx(_exact_percentile(exact, 0.025), abs=0.02)
    assert interval.high == pytest.approx(_exact_percentile(exact, 0.975), abs=0.02)


@METHODS
def test_bootstrap_interval_matches_normal_theory_for_many_pairs(method: str) -> None:
    rng = random.Random(7)
    a = [rng.gauss(0.6, 0.2) for _ in range(2000)]
    b = [x - 0.05 + rng.gauss(0, 0.1) for x in a]
    d = [x - y for x, y in zip(a, b, strict=True)]
    half = 1.959964 * statistics.stdev(d) / math.sqrt(len(d))
    interval = paired_bootstrap(a, b, method=method)  # type: ignore[arg-type]
    assert interval.low == pytest.approx(statistics.fmean(d) - half, rel=0.05)
    assert interval.high == pytest.approx(statistics.fmean(d) + half, rel=0.05)
    assert interval.significant


def test_bootstrap_covers_the_true_difference_about_95_percent_of_the_time() -> None:
    rng = random.Random(11)
    hits = 0
    runs = 200
    for i in range(runs):
        a = [rng.random() for _ in range(60)]
        b = [x - 0.1 + rng.uniform(-0.3, 0.3) for x in a]  # true mean difference 0.1
        ci = paired_bootstrap(a, b, resamples=1000, seed=i)
        hits += ci.low <= 0.1 <= ci.high
    assert 0.88 <= hits / runs <= 0.99


@METHODS
def test_bootstrap_is_deterministic_and_skips_incomplete_pairs(method: str) -> None:
    a = [1.0, 0.0, None, 1.0, 0.5]
    b = [0.0, 0.0, 1.0, None, 0.5]
    first = paired_bootstrap(a, b, seed=5, method=method)  # type: ignore[arg-type]
    assert first == paired_bootstrap(a, b, seed=5, method=method)  # type: ignore[arg-type]
    assert first.n == 3
    assert bootstrap_means([1.0, 2.0], resamples=3, seed=0, method=method) == bootstrap_means(  # type: ignore[arg-type]
        [1.0, 2.0],
        resamples=3,
        seed=0,
        method=method,  # type: ignore[arg-type]
    )
    same = paired_bootstrap([1.0, 1.0], [0.5, 0.5])
    assert (same.low, same.mean_diff, same.high) == (0.5, 0.5, 0.5)


def test_bootstrap_refuses_bad_input_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="same length"):
        paired_bootstrap([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="at least one pair"):
        paired_bootstrap([None], [1.0])


def test_count_changes() -> None:
    c = count_changes([1.0, 0.0, 0.5, None], [0.0, 1.0, 0.5, 1.0])
    assert (c.improved, c.regressed, c.unchanged) == (1, 1, 1)


def test_bootstrap_of_a_thousand_pairs_is_fast() -> None:
    rng = random.Random(0)
    a = [rng.random() for _ in range(1000)]
    b = [rng.random() for _ in range(1000)]
    started = time.perf_counter()
    paired_bootstrap(a, b, method="python")
    assert time.perf_counter() - started < 5.0


def test_numpy_path_matches_an_independent_numpy_bootstrap() -> None:
    np = pytest.importorskip("numpy")
    rng = random.Random(4)
    a = [rng.random() for _ in range(300)]
    b = [rng.random() for _ in range(300)]
    d = np.asarray(a) - np.asarray(b)
    gen = np.random.default_rng(9)
    means = d[gen.integers(0, len(d), size=(10_000, len(d)))].mean(axis=1)
    interval = paired_bootstrap(a, b, seed=9, method="numpy")
    assert interval.low == pytest.approx(np.quantile(means, 0.025), abs=1e-12)
    assert interval.high == pytest.approx(np.quantile(means, 0.975), abs=1e-12)


def test_many_at_once_equals_one_at_a_time() -> None:
    pytest.importorskip("numpy")
    rng = random.Random(5)
    a1, b1, a2, b2 = ([rng.random() for _ in range(50)] for _ in range(4))
    short = ([0.1, 0.9, 0.4], [0.2, 0.2, 0.2])
    for method in ("numpy", "python"):
        many = paired_bootstrap_many([(a1, b1), (a2, b2), short], seed=3, method=method)  # type: ignore[arg-type]
        one = [
            paired_bootstrap(x, y, seed=3, method=method) for x, y in [(a1, b1), (a2, b2), short]
        ]  # type: ignore[arg-type]
        assert many == one


def test_auto_uses_numpy_when_it_is_installed() -> None:
    pytest.importorskip("numpy")
    a, b = [0.1, 0.5, 0.9, 0.3], [0.2, 0.2, 0.8, 0.0]
    assert paired_bootstrap(a, b) == paired_bootstrap(a, b, method="numpy")


def test_numpy_bootstrap_of_five_thousand_pairs_is_fast() -> None:
    pytest.importorskip("numpy")
    rng = random.Random(0)
    a = [rng.random() for _ in range(5000)]
    b = [rng.random() for _ in range(5000)]
    started = time.perf_counter()
    paired_bootstrap_many([(a, b)] * 4, method="numpy")
    assert time.perf_counter() - started < 2.0
