"""The async core of ``Eval``: bounded concurrency, one trace per case, scores, timeouts.

Hot path per case: one root span (kind ``eval``), one ``task`` span, one span per scorer; async
tasks and scorers are awaited on the loop (no thread hop), sync ones run in a thread pool sized
to ``max_concurrency``. Finished cases go to the reporter, which batches them off the loop.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import time
import traceback
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from assay.evals._cases import CaseLog
from assay.evals._data import Case, CaseIds, iter_data
from assay.evals._scoring import Scorer, is_async, normalize
from assay.sdk._span import Span, span

_TOKENS = ("prompt_tokens", "completion_tokens", "total_tokens", "cost")

#: Token and cost totals of the case whose task is running in this context.
case_totals: ContextVar[list[float] | None] = ContextVar("assay_eval_totals", default=None)


class TotalsSink:
    """Stands in front of the SDK client during a run: adds LLM usage to the running case."""

    __slots__ = ("inner",)

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def _submit(self, s: Span) -> None:
        metrics = s.metrics
        if metrics:
            acc = case_totals.get()
            if acc is not None:
                for i, key in enumerate(_TOKENS):
                    value = metrics.get(key)
                    if value:
                        acc[i] += value
        self.inner._submit(s)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@dataclass(slots=True)
class Hooks:
    """The second argument of a task that takes two: the case and its span.

    Attributes:
        input: The case's input.
        expected: The reference answer.
        metadata: The case's metadata (a task may add to it; it is stored with the case).
        span: The ``task`` span, to log extra data on it.
        trial: Which trial of the case this is (0-based).
    """

    input: Any
    expected: Any
    metadata: dict[str, Any]
    span: Span
    trial: int = 0


def error_info(exc: BaseException) -> dict[str, Any]:
    """Type, message and traceback of an exception, as stored on a case."""
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return {"type": type(exc).__name__, "message": str(exc), "traceback": tb}


def _wants_hooks(task: Callable[..., Any]) -> bool:
    try:
        params = list(inspect.signature(task).parameters.values())
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind is p.VAR_POSITIONAL for p in params)


@dataclass
class RunSpec:
    """What one run needs, resolved."""

    name: str
    experiment_id: str
    task: Callable[..., Any]
    scorers: list[Scorer]
    concurrency: int
    trial_count: int
    timeout: float | None
    on_case: Callable[[dict[str, Any]], None]
    from_dataset: bool = False
    cases: CaseLog = field(default_factory=CaseLog)


class Runner:
    """Runs every (case, trial) of a data source through the task and the scorers."""

    def __init__(self, spec: RunSpec) -> None:
        self.spec = spec
        self.pool = ThreadPoolExecutor(spec.concurrency, thread_name_prefix="assay-eval")
        self.task_async = is_async(spec.task)
        self.task_hooks = _wants_hooks(spec.task)

    async def run(self, data: Any) -> None:
        """Run every case; on cancellation the workers stop and finished cases are kept."""
        items = self._items(data)
        lock = asyncio.Lock()
        workers = [
            asyncio.create_task(self._worker(items, lock)) for _ in range(self.spec.concurrency)
        ]
        try:
            await asyncio.gather(*workers)
        except BaseException:
            for w in workers:
                w.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            raise
        finally:
            self.pool.shutdown(wait=False, cancel_futures=True)

    async def _items(self, data: Any) -> AsyncIterator[tuple[Case, str, int]]:
        ids = CaseIds()
        async for case in iter_data(data):
            case_id = ids(case)
            for trial in range(self.spec.trial_count):
                yield case, case_id, trial

    async def _worker(
        self, items: AsyncIterator[tuple[Case, str, int]], lock: asyncio.Lock
    ) -> None:
        while True:
            async with lock:
                item = await anext(items, None)
            if item is None:
                return
            result = await self._case(*item)
            self.spec.cases.append(result)
            self.spec.on_case(result)

    async def _case(self, case: Case, case_id: str, trial: int) -> dict[str, Any]:
        spec = self.spec
        result: dict[str, Any] = {
            "case_id": case_id,
            "trial": trial,
            "input": case.input,
            "expected": case.expected,
            "metadata": case.metadata,
            "scores": {},
        }
        if spec.from_dataset and case.id is not None:
            result["dataset_record_id"] = case.id
        root = span(
            spec.name,
            kind="eval",
            input=case.input,
            expected=case.expected,
            metadata=case.metadata or None,
            experiment_id=spec.experiment_id,
        )
        result["trace_id"], result["span_id"] = root.trace_id, root.span_id
        with root:
            try:
                if spec.timeout is None:
                    await self._body(root, case, trial, result)
                else:
                    async with asyncio.timeout(spec.timeout):
                        await self._body(root, case, trial, result)
            except TimeoutError as exc:
                exc.args = (f"the case took longer than timeout={spec.timeout:g}s",)
                result["error"] = error_info(exc)
                root.record_exception(exc)
        return result

    async def _body(self, root: Span, case: Case, trial: int, result: dict[str, Any]) -> None:
        totals = [0.0, 0.0, 0.0, 0.0]
        token = case_totals.set(totals)
        started = time.perf_counter()
        try:
            with span("task", kind="task", input=case.input) as ts:
                try:
                    output = await self._call_task(case, trial, ts)
                except Exception as exc:
                    ts.record_exception(exc)
                    result["error"] = error_info(exc)
                    root.record_exception(exc)
                    return
                ts.output = output
        finally:
            case_totals.reset(token)
            result["duration_ms"] = (time.perf_counter() - started) * 1000.0
            if any(totals):
                for key, value in zip(_TOKENS, totals, strict=True):
                    result[key] = value if key == "cost" else int(value)
        result["output"] = output
        root.output = output
        scorers = self.spec.scorers
        if len(scorers) == 1:
            await self._score(scorers[0], case, output, result)
        elif scorers:
            await asyncio.gather(*(self._score(s, case, output, result) for s in scorers))

    async def _call_task(self, case: Case, trial: int, ts: Span) -> Any:
        task = self.spec.task
        args: tuple[Any, ...] = (case.input,)
        if self.task_hooks:
            args = (case.input, Hooks(case.input, case.expected, case.metadata, ts, trial))
        if self.task_async:
            return await task(*args)
        ctx = contextvars.copy_context()
        loop = asyncio.get_running_loop()
        out = await loop.run_in_executor(self.pool, functools.partial(ctx.run, task, *args))
        if inspect.isawaitable(out):
            out = await out
        return out

    async def _score(self, sc: Scorer, case: Case, output: Any, result: dict[str, Any]) -> None:
        kwargs = sc.kwargs(case.input, output, case.expected, case.metadata)
        with span(sc.name, kind="score") as ss:
            try:
                if sc.is_async:
                    raw = await sc.fn(**kwargs)
                else:
                    ctx = contextvars.copy_context()
                    loop = asyncio.get_running_loop()
                    call = functools.partial(ctx.run, sc.fn, **kwargs)
                    raw = await loop.run_in_executor(self.pool, call)
                    if inspect.isawaitable(raw):
                        raw = await raw
                scores = normalize(raw, sc.name)
            except Exception as exc:
                ss.record_exception(exc)
                result.setdefault("score_errors", {})[sc.name] = error_info(exc)
                return
            if len(scores) == 1:
                ss.output = scores[0].value
            elif scores:
                ss.output = {s.name: s.value for s in scores}
            for s in scores:
                result["scores"][s.name] = s.value
                if s.metadata:
                    result.setdefault("score_metadata", {})[s.name] = s.metadata
