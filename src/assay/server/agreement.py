"""A judge against the humans: figures, disagreements, a weekly series and the diverging flag.

The store pairs the scores (:meth:`~assay.store.base.Store.judge_score_pairs`); the statistics
come from :func:`assay.scorers.agreement`, with the judge as ``a`` and the human as ``b``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from assay.schema import AgreementPoint, Disagreement, Estimate, Judge, JudgeAgreement
from assay.scorers import Agreement, agreement
from assay.scorers import Estimate as Figure
from assay.store.base import ScorePair

MIN_WEEK_PAIRS = 10
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TOLERANCE = 1e-9
#: What the warnings call the two sides.
SIDES = ("judge", "human scores")
Kind = Literal["categorical", "numeric"]


@dataclass(frozen=True, slots=True)
class AgreementOptions:
    """How to compare: ``on`` labels or values (auto: labels when every pair has both), how
    many disagreements to list, bootstrap resamples (0: no intervals), and the numeric
    difference that counts as a disagreement."""

    on: Literal["auto", "label", "value"] = "auto"
    limit: int = 100
    n_boot: int = 1000
    min_diff: float = 0.5


def judge_agreement(
    judge: Judge,
    pairs: Sequence[ScorePair],
    *,
    all_versions: bool,
    human: str,
    options: AgreementOptions,
) -> JudgeAgreement:
    """Everything ``GET .../judges/{name}/agreement`` answers, from the paired scores.

    Args:
        judge: The judge (at the version compared).
        pairs: Its scores paired with the human scores, most recently judged first.
        all_versions: Whether ``pairs`` span every version of the judge.
        human: Name of the human scores.
        options: What to compare and how.
    """
    kind = _kind(pairs, options.on)
    labels = _labels(judge, pairs) if kind == "categorical" else None
    overall = _compute(pairs, kind, labels, options.n_boot)
    found = overall.to_dict()
    metric = judge.threshold_metric
    series = _series(pairs, kind, labels, metric, options.n_boot)
    reasons = _diverging(judge, overall.metrics, overall.n, series)
    return JudgeAgreement(
        judge=judge.name,
        version=None if all_versions else judge.version,
        score_name=judge.score_name,
        human=human,
        kind=kind,
        n=overall.n,
        dropped=overall.dropped,
        threshold=judge.threshold,
        threshold_metric=metric,
        metrics={k: _estimate(v) for k, v in overall.metrics.items()},
        per_class=found["per_class"],
        labels=found["labels"],
        confusion=found["confusion"],
        warnings=_warnings(overall, metric, options.n_boot),
        disagreements=_disagreements(pairs, kind, options),
        series=series,
        diverging=bool(reasons),
        diverging_reasons=reasons,
    )


def _warnings(overall: Agreement, metric: str, n_boot: int) -> list[str]:
    notes = list(overall.warnings)
    if metric not in overall.metrics:
        notes.append(
            f"threshold_metric {metric!r} does not apply to {overall.kind} agreement (it has "
            f"{', '.join(overall.metrics)}); set another with PATCH on this judge"
        )
    if n_boot == 0:
        notes.append("n_boot=0: no confidence intervals, so no drop between weeks is tested")
    return notes


def _kind(pairs: Sequence[ScorePair], on: str) -> Kind:
    if on == "label":
        return "categorical"
    if on == "value":
        return "numeric"
    both = all(p.judge_label is not None and p.human_label is not None for p in pairs)
    return "categorical" if both else "numeric"


def _labels(judge: Judge, pairs: Sequence[ScorePair]) -> list[str]:
    """The judge's choices in order, then any other label seen, sorted."""
    seen = {p.judge_label for p in pairs} | {p.human_label for p in pairs}
    extra = sorted(label for label in seen if label is not None and label not in judge.choices)
    return [*judge.choices, *extra]


def _compute(
    pairs: Sequence[ScorePair], kind: Kind, labels: list[str] | None, n_boot: int
) -> Agreement:
    if kind == "categorical":
        a: list[Any] = [p.judge_label for p in pairs]
        b: list[Any] = [p.human_label for p in pairs]
    else:
        a = [p.judge_value for p in pairs]
        b = [p.human_value for p in pairs]
    return agreement(a, b, kind=kind, labels=labels, n_boot=n_boot, names=SIDES)


def _estimate(found: Figure) -> Estimate:
    return Estimate(
        value=_finite(found.value), ci_low=_finite(found.ci_low), ci_high=_finite(found.ci_high)
    )


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _disagreements(
    pairs: Sequence[ScorePair], kind: Kind, options: AgreementOptions
) -> list[Disagreement]:
    out: list[Disagreement] = []
    for p in pairs:
        if len(out) >= options.limit:
            break
        if kind == "categorical":
            differ = None not in (p.judge_label, p.human_label) and p.judge_label != p.human_label
        else:
            differ = (
                p.judge_value is not None
                and p.human_value is not None
                and abs(p.judge_value - p.human_value) >= options.min_diff - _TOLERANCE
            )
        if differ:
            out.append(
                Disagreement(
                    trace_id=p.trace_id,
                    span_id=p.span_id,
                    judge_value=p.judge_value,
                    judge_label=p.judge_label,
                    human_value=p.human_value,
                    human_label=p.human_label,
                    rationale=p.rationale,
                    author=p.author,
                    judged_at=to_datetime(p.judged_at),
                )
            )
    return out


def to_datetime(micros: int) -> datetime:
    """A UTC datetime from microseconds since the epoch."""
    return _EPOCH + timedelta(microseconds=micros)


def week_start(micros: int) -> date:
    """The Monday (UTC) of the ISO week a time falls in."""
    day = to_datetime(micros).date()
    return day - timedelta(days=day.weekday())


def _series(
    pairs: Sequence[ScorePair], kind: Kind, labels: list[str] | None, metric: str, n_boot: int
) -> list[AgreementPoint]:
    weeks: dict[date, list[ScorePair]] = defaultdict(list)
    for p in pairs:
        weeks[week_start(p.judged_at)].append(p)
    shown = [metric, "accuracy" if kind == "categorical" else "mae"]
    points = []
    for start in sorted(weeks):
        found = _compute(weeks[start], kind, labels, n_boot)
        metrics = {m: _estimate(found.metrics[m]) for m in shown if m in found.metrics}
        points.append(AgreementPoint(week_start=start, n=found.n, metrics=metrics))
    return points


def _worse(value: float, than: float, metric: str) -> bool:
    """Whether ``value`` is worse than ``than`` (mae: higher is worse; the rest: lower)."""
    return value > than if metric == "mae" else value < than


def _diverging(
    judge: Judge, overall: dict[str, Figure], n: int, series: list[AgreementPoint]
) -> list[str]:
    metric, threshold = judge.threshold_metric, judge.threshold
    side = "above" if metric == "mae" else "below"
    reasons = []
    total = _finite(overall[metric].value) if metric in overall else None
    if threshold is not None and total is not None and _worse(total, threshold, metric):
        reasons.append(
            f"{metric} {total:.2f} over all {n} pairs is {side} the threshold {threshold:g} set "
            "on this judge"
        )
    latest = series[-1] if series else None
    now = latest.metrics.get(metric) if latest else None
    if latest is None or now is None or now.value is None or latest.n < MIN_WEEK_PAIRS:
        return reasons
    if threshold is not None and _worse(now.value, threshold, metric):
        reasons.append(
            f"{metric} {now.value:.2f} in the week of {latest.week_start} is {side} the "
            f"threshold {threshold:g} set on this judge"
        )
    before = series[-2] if len(series) > 1 else None
    then = before.metrics.get(metric) if before else None
    if before is not None and then is not None and before.n >= MIN_WEEK_PAIRS:
        drop = _drop(then, now, metric)
        if drop:
            reasons.append(
                f"{metric} {'rose' if metric == 'mae' else 'fell'} from {drop[0]} in the week of "
                f"{before.week_start} to {drop[1]} in the week of {latest.week_start}; the 95 % "
                "intervals do not overlap"
            )
    return reasons


def _drop(then: Estimate, now: Estimate, metric: str) -> tuple[str, str] | None:
    """``then`` and ``now`` as text when ``now`` is significantly worse (intervals apart)."""
    then_low, then_high, now_low, now_high = then.ci_low, then.ci_high, now.ci_low, now.ci_high
    if then_low is None or then_high is None or now_low is None or now_high is None:
        return None
    apart = now_low > then_high if metric == "mae" else now_high < then_low
    return (_show(then), _show(now)) if apart else None


def _show(found: Estimate) -> str:
    return f"{found.value:.2f} [{found.ci_low:.2f}, {found.ci_high:.2f}]"
