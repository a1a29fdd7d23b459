"""Experiments in the store: name suffixes, idempotent cases, summaries, comparison, baselines."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from assay.errors import NotFoundError
from assay.schema import ErrorInfo, ExperimentCase, ExperimentIn
from assay.store import Store

T = datetime(2025, 1, 1, tzinfo=UTC)


def _exp(store: Store, pid: str, name: str, minutes: int, **kw: object) -> str:
    body = ExperimentIn(name=name, started_at=T + timedelta(minutes=minutes), **kw)  # type: ignore[arg-type]
    return store.create_experiment(pid, body).name


def _case(i: int, trial: int = 0, **kw: object) -> ExperimentCase:
    fields: dict[str, object] = {
        "case_id": f"c{i}",
        "trial": trial,
        "trace_id": f"{i:032x}",
        "span_id": f"{i + 1:016x}",
        "input": {"q": i},
        "output": i,
    }
    fields.update(kw)
    return ExperimentCase.model_validate(fields)


def test_taken_names_get_a_suffix(store: Store, pid: str) -> None:
    names = [_exp(store, pid, "run", i) for i in range(3)]
    assert names == ["run", "run-2", "run-3"]
    assert [e.name for e in store.list_experiments(pid)] == ["run-3", "run-2", "run"]


def test_finishing_a_running_experiment_never_overwrites_a_cancel(store: Store, pid: str) -> None:
    _exp(store, pid, "run", 0)
    store.finish_experiment(pid, "run", status="interrupted")  # cancelled by a user
    assert store.finish_running_experiment(pid, "run", status="finished") is False
    cancelled = store.get_experiment(pid, "run")
    assert cancelled is not None and cancelled.status == "interrupted"

    _exp(store, pid, "other", 1)
    assert store.finish_running_experiment(pid, "other", status="finished") is True
    done = store.get_experiment(pid, "other")
    assert done is not None and done.status == "finished" and done.ended_at is not None
    assert store.finish_running_experiment(pid, "missing", status="finished") is False


def test_cases_are_idempotent_and_summaries_add_up(store: Store, pid: str) -> None:
    _exp(store, pid, "run", 0)
    cases = [
        _case(0, scores={"em": 1.0, "lev": 0.5}, duration_ms=10.0, total_tokens=7, cost=0.5),
        _case(1, scores={"em": 0.0, "lev": None}, duration_ms=30.0, total_tokens=3, cost=0.25,
              score_errors={"lev": ErrorInfo(type="ValueError", message="boom")}),
        _case(2, error=ErrorInfo(type="TimeoutError", message="slow"), scores={}),
    ]  # fmt: skip
    assert store.add_experiment_cases(pid, "run", cases) == 3
    assert store.add_experiment_cases(pid, "run", cases) == 0  # resent: no change
    exp = store.finish_experiment(pid, "run", status="finished")
    assert (exp.status, exp.case_count, exp.error_count) == ("finished", 3, 1)
    assert exp.summary["em"].mean == 0.5 and exp.summary["em"].count == 2
    assert exp.summary["em"].stdev == pytest.approx(statistics.stdev([1.0, 0.0]))
    assert (exp.summary["lev"].mean, exp.summary["lev"].count, exp.summary["lev"].errors) == (
        0.5,
        1,
        1,
    )
    assert exp.totals.duration_ms_mean == 20.0
    assert (exp.totals.total_tokens, exp.totals.cost) == (10, 0.75)
    # each numeric score became one score row on the case's root span, once
    scores = store.list_trace_scores(pid, f"{0:032x}")
    assert [(s.name, s.value, s.source, s.span_id) for s in scores] == [
        ("em", 1.0, "code", f"{1:016x}"), ("lev", 0.5, "code", f"{1:016x}"),
    ]  # fmt: skip
    page = store.list_experiment_cases(pid, "run", limit=2)
    rest = store.list_experiment_cases(pid, "run", limit=2, cursor=page.next_cursor)
    assert [c.case_id for c in page.items + rest.items] == ["c0", "c1", "c2"]
    assert page.items[0].input == {"q": 0} and rest.next_cursor is None


def test_comparison_matches_an_independent_numpy_computation(store: Store, pid: str) -> None:
    rng = random.Random(3)
    _exp(store, pid, "base", 0)
    _exp(store, pid, "new", 1)
    base, new = {}, {}
    for i in range(60):
        for trial in range(2):
            b, n = rng.random(), rng.random()
            base[(i, trial)], new[(i, trial)] = b, n
    store.add_experiment_cases(
        pid,
        "base",
        [_case(i, t, scores={"s": v}, duration_ms=10.0 + i) for (i, t), v in base.items()],
    )
    store.add_experiment_cases(pid, "new", [_case(i, t, scores={"s": v}, duration_ms=5.0 + i)
                                            for (i, t), v in new.items() if i < 50])  # fmt: skip
    cmp = store.compare_experiments(pid, "new")  # default baseline: the earlier experiment
    assert cmp.baseline == "base"
    order = sorted(range(50), key=lambda i: f"c{i}")  # pairs are taken in case_id order
    a = np.array([(new[(i, 0)] + new[(i, 1)]) / 2 for i in order])
    b = np.array([(base[(i, 0)] + base[(i, 1)]) / 2 for i in order])
    d = a - b
    gen = np.random.default_rng(0)
    means = d[gen.integers(0, 50, size=(10_000, 50))].mean(axis=1)
    (s,) = cmp.scorers
    assert s.n_pairs == 50
    assert s.experiment_mean == pytest.approx(a.mean()) and s.baseline_mean == pytest.approx(
        b.mean()
    )
    assert s.diff == pytest.approx(d.mean())
    assert s.ci_low == pytest.approx(np.quantile(means, 0.025))
    assert s.ci_high == pytest.approx(np.quantile(means, 0.975))
    assert (s.improved, s.regressed, s.unchanged) == ((d > 1e-9).sum(), (d < -1e-9).sum(), 0)
    duration = cmp.metrics[0]
    assert duration.name == "duration_ms" and duration.diff == pytest.approx(-5.0)
    assert duration.improved == 50  # lower latency is better
    assert len(cmp.cases) == 50
    worst = order[int(np.argmin(d))]
    assert cmp.cases[0].case_id == f"c{worst}" and cmp.cases[0].status == "regressed"


def test_default_baseline_is_the_latest_earlier_one_on_the_same_dataset(
    store: Store, pid: str
) -> None:
    _exp(store, pid, "a", 0, dataset={"name": "golden", "version": 1})
    _exp(store, pid, "other", 1, dataset={"name": "other", "version": 1})
    _exp(store, pid, "b", 2, dataset={"name": "golden", "version": 1})
    _exp(store, pid, "c", 3, dataset={"name": "golden", "version": 2})
    _exp(store, pid, "d", 4, dataset={"name": "golden"}, baseline="a")
    assert store.compare_experiments(pid, "c").baseline == "b"
    assert store.compare_experiments(pid, "b").baseline == "a"
    assert store.compare_experiments(pid, "d").baseline == "a"  # explicit wins
    assert store.compare_experiments(pid, "c", baseline="a").baseline == "a"
    with pytest.raises(NotFoundError, match="no baseline"):
        store.compare_experiments(pid, "a")
    with pytest.raises(NotFoundError, match="'zzz'"):
        store.compare_experiments(pid, "c", baseline="zzz")


def test_case_diffs_name_the_traces_of_both_runs_and_the_error(store: Store, pid: str) -> None:
    _exp(store, pid, "base", 0)
    _exp(store, pid, "new", 1)
    store.add_experiment_cases(pid, "base", [_case(0, scores={"s": 1.0}), _case(1)])
    boom = ErrorInfo(type="TimeoutError", message="slow")
    store.add_experiment_cases(
        pid,
        "new",
        [
            _case(0, scores={"s": 0.0}, trace_id=f"{100:032x}"),
            _case(1, trace_id=None, span_id=None, error=boom),
            _case(2, trace_id=f"{102:032x}"),
        ],
    )
    cases = {c.case_id: c for c in store.compare_experiments(pid, "new").cases}
    assert (cases["c0"].trace_id, cases["c0"].baseline_trace_id) == (f"{100:032x}", f"{0:032x}")
    assert cases["c0"].status == "regressed" and cases["c0"].error is None
    assert (cases["c1"].trace_id, cases["c1"].baseline_trace_id) == (None, f"{1:032x}")
    assert cases["c1"].status == "errored" and cases["c1"].error == boom
    assert (cases["c2"].trace_id, cases["c2"].baseline_trace_id) == (f"{102:032x}", None)
    assert cases["c2"].status == "new"


def test_asking_again_gives_the_same_comparison_and_new_cases_count(store: Store, pid: str) -> None:
    rng = random.Random(5)
    _exp(store, pid, "base", 0)
    _exp(store, pid, "new", 1)
    store.add_experiment_cases(
        pid, "base", [_case(i, scores={"s": rng.random()}) for i in range(30)]
    )
    store.add_experiment_cases(
        pid, "new", [_case(i, scores={"s": rng.random()}) for i in range(20)]
    )
    first = store.compare_experiments(pid, "new")
    assert store.compare_experiments(pid, "new") == first  # the remembered bootstrap
    assert store.compare_experiments(pid, "new", cases=False).scorers == first.scorers
    store.add_experiment_cases(
        pid, "new", [_case(i, scores={"s": rng.random()}) for i in range(20, 30)]
    )
    again = store.compare_experiments(pid, "new")
    assert again.scorers[0].n_pairs == 30 and again.scorers[0].ci_low != first.scorers[0].ci_low
