"""An experiment against its baseline: paired per case (trials averaged), bootstrap intervals.

Pure Python over the cases of both experiments (no SQL here). Scores are "higher is better";
the metrics (``duration_ms``, ``total_tokens``, ``cost``) are "lower is better", so a case whose
latency went down counts as improved.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assay.evals._stats import TOLERANCE, count_changes, paired_bootstrap_many
from assay.schema.eval import CaseDiff, Comparison, ExperimentCase, ScoreDiff, ScorerComparison

METRICS = ("duration_ms", "total_tokens", "cost")
RESAMPLES = 10_000
SEED = 0


@dataclass(slots=True)
class CaseMeans:
    """One case of one experiment with its trials averaged."""

    first: ExperimentCase
    errored: bool = False
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
        trials.sort(key=lambda c: c.trial)
        means = CaseMeans(first=trials[0], errored=any(c.error is not None for c in trials))
        names = dict.fromkeys(n for c in trials for n in c.scores)
        for name in names:
            value = _mean([c.scores.get(name) for c in trials])
            if value is not None:
                means.scores[name] = value
        for metric in METRICS:
            value = _mean([getattr(c, metric) for c in trials])
            if value is not None:
                means.metrics[metric] = value
        out[case_id] = means
    return out


def _compare(
    names: Sequence[str],
    shared: Sequence[str],
    exp: dict[str, CaseMeans],
    base: dict[str, CaseMeans],
    get: Callable[[CaseMeans, str], float | None],
    *,
    lower_is_better: bool,
) -> list[ScorerComparison]:
    columns: list[tuple[list[float], list[float]]] = []
    for name in names:
        a: list[float] = []
        b: list[float] = []
        for case_id in shared:
            x, y = get(exp[case_id], name), get(base[case_id], name)
            if x is not None and y is not None:
                a.append(x)
                b.append(y)
        columns.append((a, b))
    complete = [(a, b) for a, b in columns if a]
    intervals = iter(paired_bootstrap_many(complete, resamples=RESAMPLES, seed=SEED))
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
    if mine.errored:
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
        input=mine.first.input,
        experiment_output=mine.first.output,
        baseline_output=None if theirs is None else theirs.first.output,
        expected=mine.first.expected,
        scores=diffs,
        status=status,
    )


def compare(
    name: str,
    baseline: str,
    cases: Sequence[ExperimentCase],
    baseline_cases: Sequence[ExperimentCase],
    *,
    summary: tuple[Mapping[str, Any], Mapping[str, Any]] = ({}, {}),
) -> Comparison:
    """The comparison of experiment ``name`` (its ``cases``) with ``baseline``.

    Scorers are those of either experiment; pairs are the cases both have. Case diffs cover
    every case of the experiment, the ones that moved most first. ``summary`` holds the stored
    summary scores of both (``{name: {"value": ...}}``), compared value to value.
    """
    exp = per_case(cases)
    base = per_case(baseline_cases)
    shared = [c for c in exp if c in base]
    names = sorted({n for m in [*exp.values(), *base.values()] for n in m.scores})
    scorers = _compare(
        names, shared, exp, base, lambda m, n: m.scores.get(n), lower_is_better=False
    )
    metrics = _compare(
        METRICS, shared, exp, base, lambda m, n: m.metrics.get(n), lower_is_better=True
    )
    diffs = [_case_diff(c, exp[c], base.get(c)) for c in exp]
    diffs.sort(key=_worst_first)
    return Comparison(
        experiment=name,
        baseline=baseline,
        scorers=scorers,
        metrics=metrics,
        summary_scores=_compare_summary(*summary),
        cases=diffs,
    )


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
