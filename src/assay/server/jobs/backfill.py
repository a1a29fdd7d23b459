"""Backfills: a rule run over a past time range, its estimate, and jobs of kind ``backfill``.

:func:`estimate` tells what a backfill would do before it starts: the spans that match, those the
rule's sample keeps (the same deterministic sampling as live traffic), those it scored already,
the judge calls left and their tokens and cost. :func:`start` enqueues the ``backfill`` job,
which pages through the matching spans (:data:`PAGE` at a time, the cursor in its payload),
enqueues ``score`` jobs for the sampled spans the rule has not scored, and queues itself again for
the next page until the last one. Cancelling the job stops it after the page in hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assay import prices
from assay.schema import BackfillEstimate, Job, Rule
from assay.scorers import LLMJudge
from assay.server.jobs.base import Handler, JobContext, Periodic
from assay.server.online import CHUNK, in_sample
from assay.server.rule_scorers import resolve
from assay.store.base import Store
from assay.store.rules import SpanKey, SpanRange
from assay.store.shapes import ClaimedJob, JobOutcome, NewJob

KIND = "backfill"
PAGE = 500
"""Spans a backfill job reads per run."""
EXACT_LIMIT = 200_000
"""Up to this many matching spans the estimate samples and checks every one."""
_ESTIMATE_PAGE = 5_000
_SIZE_SAMPLE = 200
_OUTPUT_TOKENS = 60
_CHARS_PER_TOKEN = 4


@dataclass(slots=True)
class _Counts:
    sampled: int = 0
    scored: int = 0
    seen: int = 0


def _count_sample(
    store: Store, project_id: str, rule: Rule, spans: SpanRange, *, upto: int
) -> tuple[_Counts, list[SpanKey]]:
    """Sample and check the first ``upto`` matching spans; also returns the first few keys."""
    counts = _Counts()
    first: list[SpanKey] = []
    cursor: str | None = None
    while counts.seen < upto:
        page = store.rule_span_keys(project_id, spans, after=cursor, limit=_ESTIMATE_PAGE)
        if not first:
            first = page.keys[:_SIZE_SAMPLE]
        sampled = [k for k in page.keys if in_sample(rule.id, k[0], k[1], rule.sample_rate)]
        counts.seen += len(page.keys)
        counts.sampled += len(sampled)
        counts.scored += len(store.scored_by_rule(project_id, rule.id, sampled))
        cursor = page.next_cursor
        if cursor is None:
            break
    return counts, first


def _tokens_and_cost(
    judges: list[LLMJudge], calls: int, sizes: list[int]
) -> tuple[int, float | None]:
    """Tokens of ``calls`` calls of each judge (prompt plus a mean span, and a short verdict)
    and their cost (None when a judge's model has no known price)."""
    mean_chars = sum(sizes) / len(sizes) if sizes else 0.0
    tokens, cost, priced = 0, 0.0, True
    for judge in judges:
        prompt = (len(judge.prompt) + mean_chars) / _CHARS_PER_TOKEN
        tokens += round(calls * (prompt + _OUTPUT_TOKENS))
        each = prices.cost(judge.model, calls * prompt, calls * _OUTPUT_TOKENS)
        if each is None:
            priced = False
        else:
            cost += each
    return tokens, (cost if priced or calls == 0 else None)


def estimate(store: Store, project_id: str, rule: Rule, spans: SpanRange) -> BackfillEstimate:
    """What a backfill of ``rule`` over ``spans`` would do (blocking: it reads the store)."""
    matching = store.count_rule_spans(project_id, spans)
    exact = matching <= EXACT_LIMIT
    counts, first = _count_sample(
        store, project_id, rule, spans, upto=matching if exact else _ESTIMATE_PAGE
    )
    if exact:
        sampled, scored = counts.sampled, counts.scored
    else:  # too many to walk here: the rate, and the scored share of the first spans
        sampled = round(rule.sample_rate * matching)
        scored = round(sampled * counts.scored / counts.sampled) if counts.sampled else 0
    runners, _ = resolve(store, project_id, rule.scorers)
    judges = [r.judge for r in runners if r.judge is not None]
    calls = max(sampled - scored, 0)
    sizes = store.span_body_sizes(project_id, first) if judges and first else []
    tokens, cost = _tokens_and_cost(judges, calls, sizes)
    return BackfillEstimate(
        matching_spans=matching,
        sampled_spans=sampled,
        already_scored=scored,
        judge_calls=calls * len(judges),
        estimated_cost=cost,
        estimated_tokens=tokens,
    )


def start(store: Store, project_id: str, rule: Rule, spans: SpanRange, *, matching: int) -> Job:
    """Enqueue the backfill job of ``rule`` over ``spans``; returns it."""
    payload = {"rule_id": rule.id, "start": spans.start, "end": spans.end, "cursor": None}
    job = NewJob(
        kind=KIND, payload=payload, project_id=project_id, rule_id=rule.id, progress_total=matching
    )
    job_id = store.enqueue_jobs([job])[0]
    assert job_id is not None  # no dedupe key: always enqueued
    found = store.get_job(job_id)
    assert found is not None
    return found


def _score_jobs(
    job: ClaimedJob, rule: Rule, keys: list[SpanKey], cursor: str | None
) -> list[NewJob]:
    page = cursor or "first"
    return [
        NewJob(
            kind="score",
            payload={
                "rule_id": rule.id,
                "spans": [list(k) for k in keys[i : i + CHUNK]],
                "backfill": job.id,
            },
            project_id=job.project_id,
            rule_id=rule.id,
            dedupe_key=f"backfill:{job.id}:{page}:{i // CHUNK}",
            progress_total=len(keys[i : i + CHUNK]),
        )
        for i in range(0, len(keys), CHUNK)
    ]


async def run_backfill(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
    """Enqueue the score jobs of one page of the backfill, then queue the next page."""
    state: dict[str, Any] = dict(job.payload)
    project_id = job.project_id
    rule = None
    if project_id is not None:
        rule = await ctx.run(ctx.store.rule_by_id, project_id, str(state.get("rule_id")))
    if project_id is None or rule is None:
        return JobOutcome(result={"skipped": "the rule was deleted"})
    spans = SpanRange(rule.filter, int(state["start"]), int(state["end"]))
    cursor = state.get("cursor")
    page = await ctx.run(ctx.store.rule_span_keys, project_id, spans, after=cursor, limit=PAGE)
    sampled = [k for k in page.keys if in_sample(rule.id, k[0], k[1], rule.sample_rate)]
    scored = await ctx.run(ctx.store.scored_by_rule, project_id, rule.id, sampled)
    todo = [k for k in sampled if k not in scored]
    done = job.progress_done + len(page.keys)
    state.update(
        cursor=page.next_cursor,
        pages=int(state.get("pages", 0)) + 1,
        enqueued=int(state.get("enqueued", 0)) + len(todo),
    )
    new_jobs = _score_jobs(job, rule, todo, cursor)
    if page.next_cursor is not None:
        return JobOutcome(jobs=new_jobs, progress_done=done, again=state)
    result = {"pages": state["pages"], "matching": done, "enqueued": state["enqueued"]}
    return JobOutcome(jobs=new_jobs, progress_done=done, progress_total=done, result=result)


HANDLERS: dict[str, Handler] = {KIND: run_backfill}
PERIODIC: list[Periodic] = []
