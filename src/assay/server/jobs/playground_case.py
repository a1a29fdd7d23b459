"""One dataset record run through a playground variant: the case, its scores and its spans.

Every case is one trace of the experiment, shaped like the cases ``Eval`` writes: a root span of
kind ``eval`` (input, output, expected, tokens and cost) and, for a prompt variant, an ``llm``
child with the rendered messages; an agent variant's own spans join the root through the
``traceparent`` it is given. The ids are derived from the experiment, the record and the trial,
so a page run again writes the same trace again (a no-op) instead of a second one.

A model call that failed only because the provider is unreachable or rate limited (after
``assay.llm``'s own retries) is not the record's fault: such a run is reported as
``transient`` and the job tries the record again later; any other failure (a missing variable,
a refused request, an agent's exception) is the case's error.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from assay.errors import ProviderRateLimitError, ProviderUnavailableError
from assay.evals._scoring import normalize
from assay.schema import DatasetRecord, ErrorInfo, ExperimentCase, PlaygroundResult
from assay.scorers import Score
from assay.server.models import explain
from assay.server.playground import ResolvedVariant, run_variant
from assay.server.rule_scorers import RunnableScorer
from assay.store.base import Store
from assay.store.shapes import NewSpan


@dataclass(frozen=True, slots=True)
class CaseSpec:
    """What every case of one experiment shares.

    Attributes:
        project_id: The project.
        experiment_id: The experiment's id (its spans belong to it).
        experiment: The experiment's name (the root spans' name).
        resolved: The variant to run.
        scorers: The scorers to run on each output.
    """

    project_id: str
    experiment_id: str
    experiment: str
    resolved: ResolvedVariant
    scorers: list[RunnableScorer] = field(default_factory=list)


@dataclass(slots=True)
class CaseRun:
    """One record's run: the case and its spans, or why it must be tried again later."""

    case: ExperimentCase
    spans: list[NewSpan] = field(default_factory=list)
    transient: str | None = None


@dataclass(slots=True)
class _Outcome:
    result: PlaygroundResult | None = None
    error: str | None = None
    retryable: bool = False
    started: int = 0
    ended: int = 0


def case_ids(experiment_id: str, record_id: str, trial: int = 0) -> tuple[str, str, str]:
    """The trace id, root span id and llm span id of a record's case (stable across runs)."""
    digest = hashlib.sha256(f"{experiment_id}\x00{record_id}\x00{trial}".encode()).hexdigest()
    return digest[:32], digest[32:48], digest[48:64]


def variables_of(record: DatasetRecord) -> dict[str, Any]:
    """Template variables of a record: its input when that is an object, else ``{input}``."""
    if isinstance(record.input, dict):
        return dict(record.input)
    return {"input": record.input}


def _now() -> int:
    return time.time_ns() // 1000


async def _run(
    store: Store, spec: CaseSpec, record: DatasetRecord, traceparent: str | None
) -> _Outcome:
    outcome = _Outcome(started=_now())
    events = run_variant(
        store,
        spec.project_id,
        spec.resolved,
        variables=variables_of(record),
        input=record.input,
        traceparent=traceparent,
    )
    async for event in events:
        if event.kind == "done":
            outcome.result = event.result
        elif event.kind == "error":
            outcome.error = event.message or "the run failed without a message"
            outcome.retryable = event.retryable
    outcome.ended = _now()
    if outcome.result is None and outcome.error is None:
        outcome.error = "the run ended without an answer"
    return outcome


def _output(result: PlaygroundResult | None) -> Any:
    if result is None:
        return None
    if result.tool_calls:
        return {"content": result.output, "tool_calls": result.tool_calls}
    return result.output


def _error_info(exc: BaseException) -> ErrorInfo:
    """The scorer's failure, said in the project's terms: keys masked, the project's provider
    called by its name and its fix given as the providers API (:func:`models.explain`)."""
    tb = explain("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    return ErrorInfo(type=type(exc).__name__, message=explain(exc), traceback=tb)


async def _score_one(runner: RunnableScorer, record: DatasetRecord, output: Any) -> list[Score]:
    fn = runner.scorer
    kwargs = fn.kwargs(record.input, output, record.expected, record.metadata)
    result = await fn.fn(**kwargs) if fn.is_async else await asyncio.to_thread(fn.fn, **kwargs)
    return normalize(result, fn.name)


async def score_case(
    case: ExperimentCase, runners: list[RunnableScorer], record: DatasetRecord
) -> str | None:
    """Run the scorers on the case's output, writing scores and score errors onto it; returns
    a transient provider failure of a judge (then the case must run again), else None."""

    async def one(runner: RunnableScorer) -> str | None:
        if runner.needs_expected and record.expected is None:
            return None  # nothing to compare with: no score, as for production spans
        try:
            scores = await _score_one(runner, record, case.output)
        except (ProviderUnavailableError, ProviderRateLimitError) as exc:
            return f"scorer {runner.name!r}: {explain(exc)}"
        except Exception as exc:  # the scorer's failure is the case's, not the run's
            case.score_errors[runner.score_name] = _error_info(exc)
            return None
        for score in scores:
            name = score.name or runner.score_name
            case.scores[name] = score.value
            if score.metadata:
                case.score_metadata[name] = dict(score.metadata)
        return None

    found = await asyncio.gather(*(one(r) for r in runners))
    return next((f for f in found if f is not None), None)


def _llm_span(
    spec: CaseSpec, record: DatasetRecord, outcome: _Outcome, ids: tuple[str, str, str]
) -> NewSpan:
    resolved = spec.resolved
    result = outcome.result
    return NewSpan(
        trace_id=ids[0],
        span_id=ids[2],
        parent_id=ids[1],
        name="llm.chat",
        kind="llm",
        start_time=outcome.started,
        end_time=outcome.ended,
        status="error" if outcome.error else "ok",
        error=None if outcome.error is None else {"type": "Error", "message": outcome.error},
        input=_rendered(resolved, variables_of(record)),
        output=_output(result),
        metadata={"params": dict(resolved.params)},
        metrics=_metrics(result),
        model=(result.model if result is not None and result.model else resolved.model),
        experiment_id=spec.experiment_id,
    )


def _rendered(resolved: ResolvedVariant, variables: dict[str, Any]) -> list[dict[str, str]]:
    """The messages with the variables filled in (as templates when one cannot render)."""
    from assay.sdk._mustache import compile_template

    messages = []
    for message in resolved.messages:
        try:
            content = compile_template(message.content).render(variables)
        except Exception:  # a missing variable: the case's error says so already
            content = message.content
        messages.append({"role": message.role, "content": content})
    return messages


def _metrics(result: PlaygroundResult | None) -> dict[str, float]:
    if result is None:
        return {}
    metrics: dict[str, float] = {}
    prompt, completion = result.prompt_tokens, result.completion_tokens
    if prompt is not None:
        metrics["prompt_tokens"] = prompt
    if completion is not None:
        metrics["completion_tokens"] = completion
    if prompt is not None or completion is not None:
        metrics["total_tokens"] = (prompt or 0) + (completion or 0)
    if result.cost is not None:
        metrics["cost"] = result.cost
    if result.ttft_ms is not None:
        metrics["time_to_first_token"] = result.ttft_ms / 1000.0
    return metrics


def _case(
    spec: CaseSpec, record: DatasetRecord, outcome: _Outcome, ids: tuple[str, str, str]
) -> ExperimentCase:
    result = outcome.result
    tokens = _metrics(result)
    elapsed = (outcome.ended - outcome.started) / 1000.0
    return ExperimentCase(
        case_id=record.id,
        trace_id=ids[0],
        span_id=ids[1],
        input=record.input,
        output=_output(result),
        expected=record.expected,
        metadata=dict(record.metadata),
        error=None if outcome.error is None else ErrorInfo(type="Error", message=outcome.error),
        duration_ms=result.latency_ms if result is not None else elapsed,
        prompt_tokens=None if result is None else result.prompt_tokens,
        completion_tokens=None if result is None else result.completion_tokens,
        total_tokens=int(tokens["total_tokens"]) if "total_tokens" in tokens else None,
        cost=None if result is None else result.cost,
        dataset_record_id=record.id,
    )


def _root_span(
    spec: CaseSpec, case: ExperimentCase, outcome: _Outcome, ids: tuple[str, str, str]
) -> NewSpan:
    result = outcome.result
    return NewSpan(
        trace_id=ids[0],
        span_id=ids[1],
        parent_id=None,
        name=spec.experiment,
        kind="eval",
        start_time=outcome.started,
        end_time=max(outcome.ended, _now()),
        status="error" if case.error is not None else "ok",
        error=None if case.error is None else {"type": "Error", "message": case.error.message},
        input=case.input,
        output=case.output,
        expected=case.expected,
        metadata={**case.metadata, "dataset_record_id": case.dataset_record_id},
        tags=["playground"],
        metrics=_metrics(result),
        model=None if result is None else result.model,
        experiment_id=spec.experiment_id,
    )


async def run_record(store: Store, spec: CaseSpec, record: DatasetRecord) -> CaseRun:
    """Run the variant on one record, score the output, and make the case's spans."""
    ids = case_ids(spec.experiment_id, record.id)
    agent = spec.resolved.agent_url is not None
    traceparent = f"00-{ids[0]}-{ids[1]}-01" if agent else None
    outcome = await _run(store, spec, record, traceparent)
    case = _case(spec, record, outcome, ids)
    if outcome.error is not None and outcome.retryable:
        return CaseRun(case, transient=outcome.error)
    if outcome.error is None and spec.scorers:
        failed = await score_case(case, spec.scorers, record)
        if failed is not None:
            return CaseRun(case, transient=failed)
    spans = [_root_span(spec, case, outcome, ids)]
    if not agent:
        spans.append(_llm_span(spec, record, outcome, ids))
    return CaseRun(case, spans)
