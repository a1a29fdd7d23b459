"""Summary scorers: figures over a whole run, such as a judge's kappa against human labels.

A summary scorer takes keyword arguments among ``inputs``, ``outputs``, ``expecteds``,
``metadatas`` (one entry per finished case, in the same order in every list, sorted by case id
and trial; ``None`` output for a case whose task failed) and ``scores`` (case score values by
name). It returns what a case scorer returns: a number, a :class:`~assay.scorers.Score`, a list
of them, or None. Unlike case scores, summary scores are not bounded to [0, 1] (a kappa can be
negative).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from assay.errors import UsageError
from assay.evals._scoring import is_async, normalize, scorer_name
from assay.schema.eval import ExperimentCase, SummaryScore

SUMMARY_ARGS = ("inputs", "outputs", "expecteds", "metadatas", "scores")


@dataclass(frozen=True, slots=True)
class SummaryScorer:
    """A summary scorer, prepared: its name, the arguments it takes, whether it is async."""

    name: str
    fn: Callable[..., Any]
    args: tuple[str, ...]
    is_async: bool


def prepare_summary(fn: Any) -> SummaryScorer:
    """Inspect a summary scorer once.

    Raises:
        UsageError: ``fn`` is not callable or requires an argument the runner cannot give.
    """
    if not callable(fn):
        raise UsageError(f"summary scorer {fn!r:.80} is not callable; pass a function")
    name = scorer_name(fn)
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return SummaryScorer(name, fn, SUMMARY_ARGS, is_async(fn))
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return SummaryScorer(name, fn, SUMMARY_ARGS, is_async(fn))
    args: list[str] = []
    for p in params:
        if p.name in SUMMARY_ARGS:
            args.append(p.name)
        elif p.default is inspect.Parameter.empty and p.kind is not p.VAR_POSITIONAL:
            raise UsageError(
                f"summary scorer {name!r} requires the argument {p.name!r}; a summary scorer "
                f"takes keyword arguments among {', '.join(SUMMARY_ARGS)}"
            )
    return SummaryScorer(name, fn, tuple(args), is_async(fn))


def _columns(cases: Sequence[ExperimentCase]) -> dict[str, Any]:
    ordered = sorted(cases, key=lambda c: (c.case_id, c.trial))
    names = sorted({n for c in ordered for n in c.scores})
    return {
        "inputs": [c.input for c in ordered],
        "outputs": [None if c.error is not None else c.output for c in ordered],
        "expecteds": [c.expected for c in ordered],
        "metadatas": [c.metadata for c in ordered],
        "scores": {n: [c.scores.get(n) for c in ordered] for n in names},
    }


async def _one(scorer: SummaryScorer, columns: dict[str, Any]) -> dict[str, SummaryScore]:
    kwargs = {a: columns[a] for a in scorer.args}
    try:
        if scorer.is_async:
            result = await scorer.fn(**kwargs)
        else:
            result = await asyncio.to_thread(scorer.fn, **kwargs)
        found = normalize(result, scorer.name)
    except Exception as exc:
        error = {"type": type(exc).__name__, "message": str(exc)[:2000]}
        return {scorer.name: SummaryScore(value=None, metadata={"error": error})}
    return {s.name: SummaryScore(value=s.value, metadata=dict(s.metadata)) for s in found}


async def run_summary(
    scorers: Sequence[SummaryScorer], cases: Sequence[ExperimentCase]
) -> dict[str, SummaryScore]:
    """Every summary scorer over the finished cases (sorted by case id and trial).

    A scorer that raises gives a score with no value and the error in its metadata.
    """
    if not scorers:
        return {}
    columns = await asyncio.to_thread(_columns, cases)
    out: dict[str, SummaryScore] = {}
    for found in await asyncio.gather(*(_one(s, columns) for s in scorers)):
        out.update(found)
    return dict(sorted(out.items()))
