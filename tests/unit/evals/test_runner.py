"""The eval runner in local mode (no server): data shapes, concurrency, errors, timeouts, spans."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

import assay
from assay import Eval
from assay.errors import UsageError
from assay.evals import Case, Hooks, Score, run_eval
from assay.scorers import exact_match, levenshtein
from assay.testing import SpanCapture

DATA = [
    {"input": "a", "expected": "A"},
    {"input": "b", "expected": "B"},
    {"input": "c", "expected": "x"},
]


def upper(text: str) -> str:
    return text.upper()


def read_file(path: Path) -> dict[str, Any]:
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    return {
        "experiment": next(x["experiment"] for x in lines if x["type"] == "experiment"),
        "cases": [x["case"] for x in lines if x["type"] == "case"],
        "spans": [s for x in lines if x["type"] == "spans" for s in x["spans"]],
        "finish": [x for x in lines if x["type"] == "finish"],
    }


def run(tmp_path: Path, **kwargs: Any) -> assay.EvalResult:
    kwargs.setdefault("data", DATA)
    kwargs.setdefault("task", upper)
    kwargs.setdefault("scores", [exact_match()])
    return Eval("proj", local_dir=tmp_path, quiet=True, **kwargs)


def test_sync_task_results_summary_and_local_file(tmp_path: Path) -> None:
    result = run(tmp_path, scores=[exact_match(), levenshtein()], experiment_name="first")
    assert result.status == "finished"
    assert result.summary["exact_match"].mean == pytest.approx(2 / 3)
    assert result.summary["exact_match"].count == 3
    assert result.passed(fail_under={"exact_match": 0.6})
    failures = result.gate_failures(fail_under={"exact_match": 0.9})
    assert failures and "0.6667 is 0.2333 below the floor" in failures[0].message
    assert result.local_file == tmp_path / "first.jsonl"
    saved = read_file(result.local_file)
    assert saved["experiment"]["name"] == "first" and saved["experiment"]["project"] == "proj"
    assert len(saved["cases"]) == 3 and saved["finish"][0]["status"] == "finished"
    again = run(tmp_path, experiment_name="first")
    assert again.experiment_name == "first-2"


def test_every_case_is_a_trace_with_task_and_score_spans(tmp_path: Path) -> None:
    result = run(tmp_path, data=DATA[:1], scores=[exact_match(), levenshtein()])
    spans = read_file(result.local_file)["spans"]  # type: ignore[arg-type]
    root = next(s for s in spans if s["kind"] == "eval")
    assert root["name"] == result.experiment_name
    assert (root["input"], root["output"], root["expected"]) == ("a", "A", "A")
    assert root["experiment_id"] == result.experiment_id
    kids = {s["name"]: s for s in spans if s.get("parent_id") == root["span_id"]}
    assert kids["task"]["kind"] == "task" and kids["task"]["output"] == "A"
    assert kids["exact_match"]["kind"] == "score" and kids["exact_match"]["output"] == 1.0
    assert result.cases[0].trace_id == root["trace_id"]
    assert result.cases[0].span_id == root["span_id"]


def test_llm_spans_made_in_the_task_nest_under_it_and_count_tokens(tmp_path: Path) -> None:
    def task(text: str) -> str:
        with assay.span("llm", kind="llm") as s:
            s.log(metrics={"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15})
        return text

    result = run(tmp_path, data=DATA[:1], task=task)
    spans = read_file(result.local_file)["spans"]  # type: ignore[arg-type]
    llm = next(s for s in spans if s["name"] == "llm")
    task_span = next(s for s in spans if s["name"] == "task")
    assert llm["parent_id"] == task_span["span_id"]
    assert (result.cases[0].prompt_tokens, result.cases[0].total_tokens) == (10, 15)


async def _agen() -> AsyncIterator[dict[str, Any]]:
    for item in DATA:
        await asyncio.sleep(0)
        yield item


def _gen() -> Iterator[Case]:
    yield from (Case(input=d["input"], expected=d["expected"]) for d in DATA)


@pytest.mark.parametrize("kind", ["generator", "async", "callable", "jsonl", "csv", "cases"])
def test_every_kind_of_data(tmp_path: Path, kind: str) -> None:
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text("".join(json.dumps(d) + "\n" for d in DATA))
    csv = tmp_path / "d.csv"
    csv.write_text("input,expected\n" + "".join(f"{d['input']},{d['expected']}\n" for d in DATA))
    data: Any = {
        "generator": (d for d in DATA),
        "async": _agen(),
        "callable": lambda: DATA,
        "jsonl": str(jsonl),
        "csv": csv,
        "cases": _gen(),
    }[kind]
    result = run(tmp_path / "out", data=data)
    assert len(result.cases) == 3
    assert result.summary["exact_match"].mean == pytest.approx(2 / 3)


def test_concurrency_bound_is_honoured_for_async_and_sync_tasks(tmp_path: Path) -> None:
    active = peak = 0
    lock = threading.Lock()

    async def slow(text: str) -> str:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.01)
        active -= 1
        return text

    data = [{"input": str(i)} for i in range(40)]
    run(tmp_path, data=data, task=slow, max_concurrency=4, scores=[])
    assert peak == 4

    threads: set[str] = set()
    sync_active = sync_peak = 0

    def blocking(text: str) -> str:
        nonlocal sync_active, sync_peak
        with lock:
            sync_active += 1
            sync_peak = max(sync_peak, sync_active)
            threads.add(threading.current_thread().name)
        time.sleep(0.01)
        with lock:
            sync_active -= 1
        return text

    run(tmp_path, data=data, task=blocking, max_concurrency=8, scores=[])
    assert sync_peak == 8  # the pool is sized to max_concurrency, not to the CPU count
    assert all(t.startswith("assay-eval") for t in threads)


def test_errors_and_timeouts_are_recorded_and_never_abort(tmp_path: Path) -> None:
    async def task(text: str) -> str:
        if text == "a":
            raise ValueError("no 'a' allowed")
        if text == "b":
            await asyncio.sleep(5)
        return text

    def broken(output: str) -> float:
        raise RuntimeError("scorer broke")

    started = time.perf_counter()
    result = run(tmp_path, task=task, scores=[exact_match(), broken], timeout=0.2)
    assert time.perf_counter() - started < 3
    by_input = {c.input: c for c in result.cases}
    assert by_input["a"].error is not None and by_input["a"].error.type == "ValueError"
    assert "no 'a' allowed" in (by_input["a"].error.traceback or "")
    assert by_input["b"].error is not None and by_input["b"].error.type == "TimeoutError"
    assert "timeout=0.2s" in by_input["b"].error.message
    assert by_input["c"].error is None and by_input["c"].scores == {"exact_match": 0.0}
    assert by_input["c"].score_errors["broken"].message == "scorer broke"
    assert result.summary["broken"].errors == 1
    assert result.error_count == 2


def test_trials_hooks_and_scorer_shapes(tmp_path: Path) -> None:
    class AutoevalsLike:
        """Shaped like an autoevals scorer: callable, returns an object with name/score."""

        def __call__(self, output: Any, expected: Any = None, **kwargs: Any) -> Any:
            class Result:
                def __init__(self) -> None:
                    self.name = "Similar"
                    self.score = 0.5
                    self.metadata = {"why": "half"}

            return Result()

    async def several(*, output: str, expected: str) -> list[Score]:
        return [Score("len", float(len(output))), Score("same", float(output == expected))]

    def task(text: str, hooks: Hooks) -> str:
        hooks.metadata["trial"] = hooks.trial
        hooks.span.log(metadata={"seen": True})
        return text.upper()

    result = run(
        tmp_path,
        data=DATA[:2],
        task=task,
        trial_count=3,
        scores=[AutoevalsLike(), several, lambda output: True],
    )
    assert len(result.cases) == 6
    assert sorted(c.trial for c in result.cases) == [0, 0, 1, 1, 2, 2]
    assert len({c.case_id for c in result.cases}) == 2
    case = result.cases[0]
    assert case.scores["Similar"] == 0.5 and case.score_metadata["Similar"] == {"why": "half"}
    assert case.scores["same"] == 1.0 and case.scores["lambda"] == 1.0


def test_usage_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no 'input' key"):
        run(tmp_path, data=[{"question": "x"}])
    with pytest.raises(UsageError, match="trial_count"):
        run(tmp_path, trial_count=0)
    with pytest.raises(UsageError, match="requires the argument 'rubric'"):
        run(tmp_path, scores=[lambda output, rubric: 1.0])


def test_eval_works_inside_a_running_loop_and_run_eval_is_async(tmp_path: Path) -> None:
    async def main() -> tuple[int, int]:
        inner = run(tmp_path)  # blocking call from async code: runs on a worker thread
        outer = await run_eval("proj", data=DATA, task=upper, local_dir=tmp_path, quiet=True)
        return len(inner.cases), len(outer.cases)

    assert asyncio.run(main()) == (3, 3)


def test_cancellation_keeps_finished_cases_and_marks_interrupted(tmp_path: Path) -> None:
    async def task(text: str) -> str:
        if int(text) >= 5:
            await asyncio.sleep(10)
        return text

    async def main() -> None:
        job = asyncio.create_task(
            run_eval(
                "proj",
                data=[{"input": str(i)} for i in range(10)],
                task=task,
                max_concurrency=10,
                local_dir=tmp_path,
                experiment_name="stopped",
                quiet=True,
            )
        )
        await asyncio.sleep(0.3)
        job.cancel()
        with pytest.raises(asyncio.CancelledError):
            await job

    asyncio.run(main())
    saved = read_file(tmp_path / "stopped.jsonl")
    assert len(saved["cases"]) == 5
    assert saved["finish"][0]["status"] == "interrupted"


def test_a_run_stopped_by_bad_data_is_saved_as_interrupted(tmp_path: Path) -> None:
    def rows() -> Iterator[dict[str, Any]]:
        yield {"input": "a", "expected": "A"}
        yield {"expected": "no input here"}

    with pytest.raises(UsageError):
        Eval("proj", data=rows(), task=upper, local_dir=tmp_path, experiment_name="bad", quiet=True)
    saved = read_file(tmp_path / "bad.jsonl")
    assert [f["status"] for f in saved["finish"]] == ["interrupted"]


def test_two_runs_at_once_keep_their_spans_apart(tmp_path: Path) -> None:
    capture = SpanCapture()
    assay.init(project="around", exporter=capture)

    async def slow_upper(text: str) -> str:
        await asyncio.sleep(0.05 if text == "a" else 0.3)
        return text.upper()

    async def main() -> None:
        first, second = await asyncio.gather(
            run_eval("proj", data=DATA[:1], task=slow_upper, local_dir=tmp_path,
                     experiment_name="short", quiet=True),
            run_eval("proj", data=DATA[1:2], task=slow_upper, local_dir=tmp_path,
                     experiment_name="long", quiet=True),
        )  # fmt: skip
        assert first.status == second.status == "finished"

    try:
        asyncio.run(main())
        with assay.span("the program's own"):
            pass
        assay.flush()
    finally:
        assay.shutdown()
    for name in ("short", "long"):
        spans = read_file(tmp_path / f"{name}.jsonl")["spans"]
        assert {s["kind"] for s in spans} == {"eval", "task"}, name
    assert [s["name"] for s in capture.spans] == ["the program's own"]
