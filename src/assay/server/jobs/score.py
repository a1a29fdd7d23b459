"""Jobs of kind ``score``: run a rule's scorers on some spans (issue 9).

Payload: ``{"rule_id": ..., "spans": [[trace_id, span_id], ...]}``, where an entry may name the
scorers still to run as a third item (``[trace_id, span_id, ["judge:tone"]]``, after a partial
failure); a backfill's jobs add ``"backfill": <job id>``. The rule is read when the job runs: a
rule deleted since (or disabled since, for jobs of live traffic) ends the job with
``{"skipped": reason}``.

Each span is scored by each scorer, at most :data:`CONCURRENCY` calls at once. Judges write
``source="llm_judge"`` scores with their name, version, choice (as the label) and rationale;
built-in scorers write ``source="code"``. A score of the rule's route crossing its bound adds the
span (a root span: its trace) to the route's queue. When a model call fails after assay.llm's own
retries, the scores that did succeed are committed and the job is retried later with only the
(span, scorer) pairs that failed, so nothing is lost and nothing is scored twice.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field
from typing import Any

from assay.errors import ProviderError
from assay.evals._scoring import normalize
from assay.schema import QueueItemRef, Rule, RuleRoute, ScoreIn, Span
from assay.scorers import Score
from assay.server.jobs.base import Handler, JobContext, Periodic
from assay.server.models import explain
from assay.server.pressure import INGEST
from assay.server.rule_scorers import RunnableScorer, resolve
from assay.store.shapes import ClaimedJob, JobOutcome, JobRetry, QueueAdd

KIND = "score"
CONCURRENCY = 16
"""Most scorer calls of one job in flight at once."""
_MAX_ERRORS_SHOWN = 3


@dataclass(slots=True)
class Target:
    """A span to score, and which scorers (by key) are left to run on it (None: all)."""

    trace_id: str
    span_id: str
    keys: list[str] | None = None


@dataclass(slots=True)
class Tally:
    """What one run of the job did."""

    scores: list[ScoreIn] = field(default_factory=list)
    routed: list[QueueItemRef] = field(default_factory=list)
    failed: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    skipped: int = 0


def targets_of(payload: dict[str, Any]) -> list[Target]:
    """The spans a payload names."""
    found: list[Target] = []
    for entry in payload.get("spans") or []:
        keys = entry[2] if len(entry) > 2 else None
        found.append(Target(str(entry[0]), str(entry[1]), None if keys is None else list(keys)))
    return found


def _routed(route: RuleRoute | None, score: ScoreIn) -> bool:
    if route is None or score.name != route.score_name or score.value is None:
        return False
    below = route.below is not None and score.value < route.below
    return below or (route.above is not None and score.value > route.above)


def score_in(span: Span, runner: RunnableScorer, score: Score, rule: Rule) -> ScoreIn | None:
    """The score row of one result (None: no finite value to record)."""
    if score.value is None or not math.isfinite(score.value):
        return None
    meta = {**score.metadata, "rule": rule.name}
    judge = runner.judge
    rationale = meta.pop("rationale", None) if judge is not None else None
    choice = meta.get("choice") if judge is not None else None
    return ScoreIn.model_construct(
        trace_id=span.trace_id, span_id=span.span_id, name=score.name or runner.score_name,
        value=score.value, label=choice if isinstance(choice, str) else None,
        source="llm_judge" if judge is not None else "code", scorer=runner.name, author=None,
        rationale=rationale if isinstance(rationale, str) else None, metadata=meta,
        experiment_id=None, judge=judge.name if judge is not None else None,
        judge_version=judge.version if runner.server_judge and judge is not None else None,
        created_at=None,
    )  # fmt: skip


async def _call(runner: RunnableScorer, span: Span) -> list[Score]:
    fn = runner.scorer
    kwargs = fn.kwargs(span.input, span.output, span.expected, span.metadata)
    result = await fn.fn(**kwargs) if fn.is_async else fn.fn(**kwargs)
    return normalize(result, fn.name)


async def _score_one(
    gate: asyncio.Semaphore, runner: RunnableScorer, span: Span, rule: Rule, tally: Tally
) -> None:
    if runner.needs_expected and span.expected is None:
        tally.skipped += 1
        return
    async with gate:
        await INGEST.wait_turn()  # ingest in this process goes first
        try:
            results = await _call(runner, span)
        except Exception as exc:  # a scorer's failure is the span's, never the whole job's;
            # anything but a provider failure (a judge's unusable answer, a scorer's bug) would
            # fail again the same way, so it is reported in the result, not retried
            # explain: the project's provider by its name, its fix as the providers API
            message = f"{runner.name} on span {span.span_id}: {type(exc).__name__}: {explain(exc)}"
            tally.errors.append(message)
            if isinstance(exc, ProviderError):  # the provider failed: try again later
                tally.failed.setdefault((span.trace_id, span.span_id), []).append(runner.key)
            return
    for result in results:
        made = score_in(span, runner, result, rule)
        if made is None:
            continue
        if _routed(rule.route, made):
            made.metadata["routed"] = rule.route.queue if rule.route else None
            tally.routed.append(
                QueueItemRef(
                    trace_id=span.trace_id, span_id=None if span.parent_id is None else span.span_id
                )
            )
        tally.scores.append(made)


async def score_spans(
    rule: Rule, runners: list[RunnableScorer], work: list[tuple[Span, Target]]
) -> Tally:
    """Run the scorers on the spans (each span only the scorers its target names)."""
    tally = Tally()
    gate = asyncio.Semaphore(CONCURRENCY)
    calls = [
        _score_one(gate, runner, span, rule, tally)
        for span, target in work
        for runner in runners
        if target.keys is None or runner.key in target.keys
    ]
    await asyncio.gather(*calls)
    return tally


def _load(ctx: JobContext, project_id: str, targets: list[Target]) -> list[tuple[Span, Target]]:
    by_key = {(t.trace_id, t.span_id): t for t in targets}
    found = ctx.store.spans_to_score(project_id, list(by_key))
    return [(span, by_key[(span.trace_id, span.span_id)]) for span in found]


def _outcome(
    job: ClaimedJob, rule: Rule, tally: Tally, *, targets: int, work: int, notes: list[str]
) -> JobOutcome:
    result: dict[str, Any] = {
        "spans": work,
        "scores": len(tally.scores),
        "routed": len(tally.routed),
    }
    if tally.skipped:
        result["skipped_calls"] = tally.skipped
    if tally.errors or notes:
        result["errors"] = [*notes, *tally.errors][:_MAX_ERRORS_SHOWN]
    queue_items = []
    if tally.routed and rule.route is not None:
        queue_items = [QueueAdd(queue=rule.route.queue, items=tally.routed)]
    retry = None
    if tally.failed:
        left = [[t, s, keys] for (t, s), keys in tally.failed.items()]
        payload = {**job.payload, "spans": left}
        error = f"{len(left)} span(s) failed to score; first: {tally.errors[0]}"
        retry = JobRetry(payload=payload, error=error)
    done = targets - len(tally.failed)  # spans gone since (never found) count as done
    return JobOutcome(
        scores=tally.scores,
        queue_items=queue_items,
        result=result,
        progress_done=job.progress_done + done,
        retry=retry,
    )


async def run_score(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
    """Score the spans of the payload with the rule's scorers."""
    project_id = job.project_id
    rule_id = str(job.payload.get("rule_id") or job.rule_id or "")
    if project_id is None or not rule_id:
        return JobOutcome(result={"skipped": "the job names no project or rule"})
    rule = await ctx.run(ctx.store.rule_by_id, project_id, rule_id)
    if rule is None:
        return JobOutcome(result={"skipped": "the rule was deleted"})
    if not rule.enabled and not job.payload.get("backfill"):
        return JobOutcome(result={"skipped": "the rule is disabled"})
    runners, notes = await ctx.run(resolve, ctx.store, project_id, rule.scorers)
    targets = targets_of(job.payload)
    work = await ctx.run(_load, ctx, project_id, targets)
    tally = await score_spans(rule, runners, work)  # the worker keeps the lease meanwhile
    return _outcome(job, rule, tally, targets=len(targets), work=len(work), notes=notes)


HANDLERS: dict[str, Handler] = {KIND: run_score}
PERIODIC: list[Periodic] = []
