"""Agreement as the score of a run: evaluate a judge the way an agent is evaluated.

```python
judge = assay.judge("support-bot", "tone")

async def verdict(item):                      # the judge is the task; its output is its choice
    score = await judge(input=item["question"], output=item["answer"])
    return score.metadata["choice"]

Eval("support-bot", data=human_labelled, task=verdict,
     scores=[exact_match()], summary_scores=[agreement_scores()])
```

The outputs (the judge's labels or scores) are compared with the expected values (the human
labels) by :func:`~assay.scorers.agreement`; each chosen figure becomes one summary score with
its confidence interval, the number of pairs and any warning in its metadata.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from assay.errors import UsageError
from assay.scorers._agreement import CATEGORICAL_METRICS, Kind, agreement
from assay.scorers._score import Score

#: What :func:`agreement_scores` reports when no metrics are named.
DEFAULT_METRICS = {
    "categorical": ("cohen_kappa", "accuracy", "macro_f1"),
    "numeric": ("pearson", "spearman", "mae"),
}


def agreement_scores(
    metrics: Sequence[str] | None = None,
    *,
    kind: Kind = "auto",
    labels: Sequence[Any] | None = None,
    positive: Any = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> Callable[..., list[Score]]:
    """A summary scorer: the agreement of the run's outputs with its expected values.

    Args:
        metrics: Figures to report (default: cohen_kappa, accuracy and macro_f1 for labels;
            pearson, spearman and mae for numbers); also ``precision``, ``recall``, ``f1``
            with ``positive``.
        kind: ``"categorical"``, ``"numeric"`` or ``"auto"`` (see :func:`agreement`).
        labels: Every label, in the order to report them.
        positive: The class whose precision, recall and F1 are reported.
        n_boot: Bootstrap resamples of the intervals (0: none).
        seed: Seed of the resampling.

    Returns:
        The summary scorer, named ``agreement``, for ``Eval(summary_scores=[...])``.

    Raises:
        UsageError: A metric name agreement does not compute.
    """
    known = {*CATEGORICAL_METRICS, "pearson", "spearman", "mae", "precision", "recall", "f1"}
    for name in metrics or ():
        if name not in known:
            choose = ", ".join(sorted(known))
            raise UsageError(f"agreement_scores: unknown metric {name!r}; choose among {choose}")

    def score(*, outputs: Sequence[Any], expecteds: Sequence[Any]) -> list[Score]:
        found = agreement(
            outputs,
            expecteds,
            kind=kind,
            labels=labels,
            positive=positive,
            n_boot=n_boot,
            seed=seed,
        )
        chosen = metrics or DEFAULT_METRICS[found.kind]
        common: dict[str, Any] = {"n": found.n, "dropped": found.dropped}
        if found.warnings:
            common["warnings"] = list(found.warnings)
        out = []
        for name in chosen:
            estimate = found.metrics.get(name)
            if estimate is None:
                raise UsageError(
                    f"agreement_scores: {name!r} does not apply to {found.kind} values "
                    f"(available: {', '.join(found.metrics)})"
                )
            meta = {**common, "ci_low": estimate.ci_low, "ci_high": estimate.ci_high}
            out.append(Score(name, estimate.value, meta))
        if found.kind == "categorical" and out:
            out[0].metadata.update(labels=list(found.labels), confusion=found.confusion)
        return out

    score.name = "agreement"  # type: ignore[attr-defined]
    return score
