"""What an eval run gives back: :class:`EvalResult`, its per-scorer summary and the CI gates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assay.evals._cases import CaseLog
from assay.evals._stats import summarize
from assay.schema.eval import Comparison, ExperimentCase, ScorerComparison, SummaryScore


@dataclass(frozen=True, slots=True)
class ScorerStats:
    """One scorer over the run: mean of its numeric values, how many, how many failed."""

    mean: float | None
    count: int
    errors: int
    stdev: float | None = None


@dataclass(frozen=True, slots=True)
class GateFailure:
    """A gate that failed, with the message the CLI prints."""

    gate: str
    scorer: str
    message: str


def summary_from(
    values: Mapping[str, Sequence[float | None]], errors: Mapping[str, int]
) -> dict[str, ScorerStats]:
    """Per scorer (sorted by name): stats of its values and its error count."""
    out: dict[str, ScorerStats] = {}
    for name in sorted(values):
        s = summarize(values[name])
        out[name] = ScorerStats(
            mean=s.mean, count=s.count, errors=errors.get(name, 0), stdev=s.stdev
        )
    return out


@dataclass
class EvalResult:
    """The outcome of one ``Eval``.

    Attributes:
        project: Project name.
        experiment_name: The experiment's name (the server may have added ``-2``…).
        experiment_id: Its id (made locally when no server was used).
        url: Where the experiment can be read on the server, or None.
        local_file: The JSONL file the run was written to when no server was used.
        status: ``finished`` or ``interrupted``.
        summary: Per scorer: mean, count, errors.
        summary_scores: Scores of the whole run, from the summary scorers, by name.
        cases: Every finished case (one per trial), in the order they finished. After a run
            this is a :class:`~assay.evals._cases.CaseLog`: a read-only sequence that holds the
            first 200 cases in memory and reads later ones back from a temporary file on
            demand, so memory stays flat however many cases the run has (cases read back from
            the file carry JSON values: tuples become lists, other objects their text).
        comparison: The comparison with the baseline, or None.
        duration_s: Wall time of the run.
    """

    project: str
    experiment_name: str
    experiment_id: str
    url: str | None = None
    local_file: Path | None = None
    status: str = "finished"
    summary: dict[str, ScorerStats] = field(default_factory=dict)
    summary_scores: dict[str, SummaryScore] = field(default_factory=dict)
    cases: Sequence[ExperimentCase] = field(default_factory=list)
    comparison: Comparison | None = None
    duration_s: float = 0.0

    @property
    def error_count(self) -> int:
        """Cases whose task failed or timed out."""
        if isinstance(self.cases, CaseLog):
            return self.cases.error_count
        return sum(1 for c in self.cases if c.error is not None)

    @property
    def interrupted(self) -> bool:
        """True when the run was stopped before every case finished."""
        return self.status == "interrupted"

    def scorer_comparison(self, name: str) -> ScorerComparison | None:
        """The comparison of one scorer with the baseline, or None."""
        if self.comparison is None:
            return None
        return next((s for s in self.comparison.scorers if s.name == name), None)

    def summary_comparison(self, name: str) -> ScorerComparison | None:
        """The comparison of one summary score with the baseline's, or None."""
        if self.comparison is None:
            return None
        return next((s for s in self.comparison.summary_scores if s.name == name), None)

    def _value_of(self, name: str) -> float | None:
        stats = self.summary.get(name)
        if stats is not None:
            return stats.mean
        found = self.summary_scores.get(name)
        return None if found is None else found.value

    def gate_failures(
        self,
        *,
        fail_under: Mapping[str, float] | None = None,
        fail_on_regression: Sequence[str] = (),
    ) -> list[GateFailure]:
        """The gates that fail, each with a message saying which and by how much.

        ``fail_under={"exact_match": 0.8}`` fails when that scorer's mean (or the summary score
        of that name) is below 0.8 (or it has no value at all);
        ``fail_on_regression=["exact_match"]`` fails when the 95 % confidence interval of the
        difference with the baseline lies entirely below zero.
        Without a baseline a regression gate cannot fail.
        """
        out: list[GateFailure] = []
        for name, floor in (fail_under or {}).items():
            value = self._value_of(name)
            if value is None:
                known = ", ".join(sorted({*self.summary, *self.summary_scores})) or "none"
                msg = f"--fail-under {name}={floor:g}: no score named {name!r} (scores: {known})"
                out.append(GateFailure("fail_under", name, msg))
            elif value < floor:
                what = "mean" if name in self.summary else "value"
                msg = (
                    f"--fail-under {name}={floor:g}: {what} {value:.4f} is "
                    f"{floor - value:.4f} below the floor"
                )
                out.append(GateFailure("fail_under", name, msg))
        for name in fail_on_regression:
            cmp = self.scorer_comparison(name)
            if cmp is None or cmp.ci_high is None or cmp.diff is None:
                continue
            if cmp.ci_high < 0:
                base = self.comparison.baseline if self.comparison else "?"
                msg = (
                    f"--fail-on-regression {name}: mean fell by {-cmp.diff:.4f} against "
                    f"baseline {base!r} (95% CI {cmp.ci_low:+.4f} to {cmp.ci_high:+.4f}, "
                    f"{cmp.regressed} cases regressed)"
                )
                out.append(GateFailure("fail_on_regression", name, msg))
        return out

    def passed(
        self,
        *,
        fail_under: Mapping[str, float] | None = None,
        fail_on_regression: Sequence[str] = (),
    ) -> bool:
        """True when no gate fails (see :meth:`gate_failures`)."""
        return not self.gate_failures(fail_under=fail_under, fail_on_regression=fail_on_regression)

    def __repr__(self) -> str:
        means = ", ".join(
            f"{k}={v.mean:.3f}" if v.mean is not None else f"{k}=n/a"
            for k, v in self.summary.items()
        )
        return (
            f"<EvalResult {self.experiment_name!r} {self.status} cases={len(self.cases)} "
            f"errors={self.error_count} {means}>"
        )
