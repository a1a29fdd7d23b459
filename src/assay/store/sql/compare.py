"""An experiment against its baseline: paired per case (trials averaged), bootstrap intervals.

Pure Python over the cases of both experiments (no SQL here). Scores are "higher is better";
the metrics (``duration_ms``, ``total_tokens``, ``cost``) are "lower is better", so a case whose
latency went down counts as improved.
"""

from __future__ import annotations

import hashlib
import math
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from assay.evals._stats import TOLERANCE, Interval, count_changes, paired_bootstrap_many
from assay.schema.eval import CaseDiff, Comparison, ExperimentCase, ScoreDiff, ScorerComparison
from assay.schema.span import ErrorInfo

METRICS = ("duration_ms", "total_tokens", "cost")
RESAMPLES = 10_000
SEED = 0
#: Threads that run bootstraps while the calling thread builds the case diffs.
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="assay-bootstrap")
#: Bootstraps remembered by the content of their columns (the experiment list asks for a
#: comparison, then the compare view asks again); content-keyed, so never stale.
_CACHE_SIZE = 64
_cache: OrderedDict[bytes, list[Interval]] = OrderedDict()
_cache_lock = threading.Lock()


@dataclass(slots=True)
class CaseMeans:
    """One case of one experiment with its trials averaged."""

    first: ExperimentCase
    error: ErrorInfo | None = None
    scores: dict[str, float] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)


def _mean(values: Sequence[float | int | None]) -> float | None:
    xs = [float(v) for v in values if v is not None and math.isfinite(v)]
    return math.fsum(xs) / len(xs) if xs else None


def per_case(cases: Sequence[ExperimentCase]) -> dict[str, CaseMeans]:
    """Cases grouped by ``case_id`` with each score and metric averaged over the trials."""
    groups: dict[str, list[ExperimentCase]] = {}
    for case in cases:
        groups.setdefault(case.case_id, []).append(case)
    out: dict[str, CaseMeans] = {}
    for case_id, trials in groups.items():
        out[case_id] = _one_trial(trials[0]) if len(trials) == 1 else _trials(trials)
    return out


def _one_trial(case: ExperimentCase) -> CaseMeans:
    """The common case of one trial: its values as they are (the mean of one value)."""
    means = CaseMeans(first=case, error=case.error)
    for name, value in case.scores.items():
        if value is not None and math.isfinite(value):
            means.scores[name] = float(value)
    for metric in METRICS:
        value = getattr(case, metric)
        if value is not None and math.isfinite(value):
            means.metrics[metric] = float(value)
    return means


def _trials(trials: list[ExperimentCase]) -> CaseMeans:
    trials.sort(key=lambda c: c.trial)
    error = next((c.error for c in trials if c.error is not None), None)
    means = CaseMeans(first=trials[0], error=error)
    names = dict.fromkeys(n for c in trials for n in c.scores)
    for name in names:
        value = _mean([c.scores.get(name) for c in trials])
        if value is not None:
            means.scores[name] = value
    for metric in METRICS:
        value = _mean([getattr(c, metric) for c in trials])
        if value is not None:
            means.metrics[metric] = value
    return means


Getter = Callable[[CaseMeans, str], float | None]
Columns = list[tuple[list[float], list[float]]]


def _columns(
    names: Sequence[str],
    shared: Sequence[str],
    exp: dict[str, CaseMeans],
    base: dict[str, CaseMeans],
    get: Getter,
) -> Columns:
    """Per name, the values of both experiments over the shared cases where both have one."""
    columns: Columns = []
    for name in names:
        a: list[float] = []
        b: list[float] = []
        for case_id in shared:
            x, y = get(exp[case_id], name), get(base[case_id], name)
            if x is not None and y is not None:
                a.append(x)
                b.append(y)
        columns.append((a, b))
    return columns


def _bootstrap(columns: Columns) -> list[Interval]:
    """``paired_bootstrap_many`` of the columns, from the cache when the same values (in the
    same order, which decides the resamples) were bootstrapped before."""
    digest = hashlib.blake2b(digest_size=16)
    for a, b in columns:
        digest.update(len(a).to_bytes(8, "little"))
        digest.update(array("d", a).tobytes())
        digest.update(array("d", b).tobytes())
    key = digest.digest()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return list(_cache[key])
    result = paired_bootstrap_many(columns, resamples=RESAMPLES, seed=SEED)
    with _cache_lock:
        _cache[key] = result
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return list(result)


def _summarise(
    names: Sequence[str],
    columns: Columns,
    intervals: Iterator[Interval],
    exp: dict[str, CaseMeans],
    base: dict[str, CaseMeans],
    get: Getter,
    *,
    lower_is_better: bool,
) -> list[ScorerComparison]:
    """One comparison per name; ``intervals`` yields the bootstrap of each non-empty column."""
    out = []
    for name, (a, b) in zip(names, columns, strict=True):
        item = ScorerComparison(name=name, n_pairs=len(a))
        if a:
            ci = next(intervals)
            changes = count_changes(a, b)
            up, down = changes.improved, changes.regressed
            if lower_is_better:
                up, down = down, up
            item = ScorerComparison(
                name=name,
                experiment_mean=math.fsum(a) / len(a),
                baseline_mean=math.fsum(b) / len(b),
                diff=ci.mean_diff,
                ci_low=ci.low,
                ci_high=ci.high,
                n_pairs=ci.n,
                improved=up,
                regressed=down,
                unchanged=changes.unchanged,
            )
        else:
            item.experiment_mean = _mean([get(exp[c], name) for c in exp])
            item.baseline_mean = _mean([get(base[c], name) for c in base])
        out.append(item)
    return out


def _case_diff(case_id: str, mine: CaseMeans, theirs: CaseMeans | None) -> CaseDiff:
    diffs: dict[str, ScoreDiff] = {}
    names = dict.fromkeys([*mine.scores, *(theirs.scores if theirs else {})])
    moved: list[float] = []
    for name in names:
        x = mine.scores.get(name)
        y = None if theirs is None else theirs.scores.get(name)
        d = None if x is None or y is None else x - y
        if d is not None:
            moved.append(d)
        diffs[name] = ScoreDiff(experiment=x, baseline=y, diff=d)
    status: Any
    if mine.error is not None:
        status = "errored"
    elif theirs is None:
        status = "new"
    else:
        total = math.fsum(moved) / len(moved) if moved else 0.0
        status = (
            "improved" if total > TOLERANCE else "regressed" if total < -TOLERANCE else "unchanged"
        )
    return CaseDiff(
        case_id=case_id,
        trace_id=mine.first.trace_id,
        baseline_trace_id=None if theirs is None else theirs.first.trace_id,
        input=mine.first.input,
        experiment_output=mine.first.output,
        baseline_output=None if theirs is None else theirs.first.output,
        expected=mine.first.expected,
        scores=diffs,
        status=status,
        error=mine.error,
    )


def compare(
    name: str,
    baseline: str,
    cases: Sequence[ExperimentCase],
    baseline_cases: Sequence[ExperimentCase],
    *,
    summary: tuple[Mapping[str, Any], Mapping[str, Any]] = ({}, {}),
    with_cases: bool = True,
) -> Comparison:
    """The comparison of experiment ``name`` (its ``cases``) with ``baseline``.

    Scorers are those of either experiment; pairs are the cases both have. Case diffs cover
    every case of the experiment, the ones that moved most first (none when ``with_cases``
    is false). ``summary`` holds the stored summary scores of both (``{name: {"value": ...}}``),
    compared value to value.
    """
    exp = per_case(cases)
    base = per_case(baseline_cases)
    shared = [c for c in exp if c in base]
    names = sorted({n for m in [*exp.values(), *base.values()] for n in m.scores})
    score_columns = _columns(names, shared, exp, base, _score)
    metric_columns = _columns(METRICS, shared, exp, base, _metric)
    # One call for scorers and metrics: columns with as many pairs share one index matrix,
    # which is most of the cost of the bootstrap. numpy lets go of the GIL while it resamples,
    # so the case diffs are built meanwhile.
    complete = [(a, b) for a, b in [*score_columns, *metric_columns] if a]
    bootstrap = _POOL.submit(_bootstrap, complete)
    diffs: list[CaseDiff] = []
    if with_cases:
        diffs = [_case_diff(c, exp[c], base.get(c)) for c in exp]
        diffs.sort(key=_worst_first)
    intervals = iter(bootstrap.result())
    scorers = _summarise(names, score_columns, intervals, exp, base, _score, lower_is_better=False)
    metrics = _summarise(
        METRICS, metric_columns, intervals, exp, base, _metric, lower_is_better=True
    )
    return Comparison(
        experiment=name,
        baseline=baseline,
        scorers=scorers,
        metrics=metrics,
        summary_scores=_compare_summary(*summary),
        cases=diffs,
    )


def _score(means: CaseMeans, name: str) -> float | None:
    return means.scores.get(name)


def _metric(means: CaseMeans, name: str) -> float | None:
    return means.metrics.get(name)


def _compare_summary(mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> list[ScorerComparison]:
    out = []
    for key in sorted({*mine, *theirs}):
        a = (mine.get(key) or {}).get("value")
        b = (theirs.get(key) or {}).get("value")
        diff = a - b if a is not None and b is not None else None
        out.append(ScorerComparison(name=key, experiment_mean=a, baseline_mean=b, diff=diff))
    return out


def _worst_first(diff: CaseDiff) -> tuple[int, float, str]:
    """Regressed (largest drop first), errored, improved, new, unchanged."""
    rank = {"regressed": 0, "errored": 1, "improved": 2, "new": 3, "unchanged": 4}[diff.status]
    moved = [s.diff for s in diff.scores.values() if s.diff is not None]
    mean = math.fsum(moved) / len(moved) if moved else 0.0
    return rank, mean if diff.status == "regressed" else -mean, diff.case_id
