"""Summary scorers: figures over the whole run, kept with the experiment and gated like scores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assay import Eval
from assay.errors import UsageError
from assay.scorers import Score, agreement_scores, exact_match

HUMAN = ["yes", "yes", "no", "no", "yes", "no", "yes", "no"]
JUDGE = ["yes", "yes", "no", "yes", "yes", "no", "yes", "no"]  # one disagreement (index 3)
DATA = [{"input": i, "expected": h} for i, h in enumerate(HUMAN)]


def judge_task(i: int) -> str:
    return JUDGE[i]


def finish_line(path: Path) -> dict[str, Any]:
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    return next(x for x in lines if x["type"] == "finish")


def test_agreement_is_the_score_of_a_run_of_a_judge(tmp_path: Path) -> None:
    result = Eval(
        "proj", data=DATA, task=judge_task, scores=[exact_match()],
        summary_scores=[agreement_scores(n_boot=200)], local_dir=tmp_path, quiet=True,
    )  # fmt: skip
    kappa = result.summary_scores["cohen_kappa"]
    # 7 of 8 agree; humans 4 yes / 4 no, judge 5 yes / 3 no: p_e = (4*5 + 4*3) / 64 = 0.5
    assert result.summary_scores["accuracy"].value == pytest.approx(7 / 8)
    assert kappa.value == pytest.approx((7 / 8 - 0.5) / 0.5)
    assert kappa.metadata["n"] == 8 and kappa.metadata["ci_low"] <= kappa.value
    assert kappa.metadata["labels"] == ["no", "yes"]
    assert kappa.metadata["confusion"] == [[3, 1], [0, 4]]  # rows human, columns judge
    assert "too few" in " ".join(kappa.metadata["warnings"])
    assert list(result.summary_scores) == ["accuracy", "cohen_kappa", "macro_f1"]
    assert result.summary["exact_match"].mean == pytest.approx(7 / 8)
    stored = finish_line(result.local_file)["summary_scores"]  # type: ignore[arg-type]
    assert stored["cohen_kappa"]["value"] == pytest.approx(0.75)
    assert result.passed(fail_under={"cohen_kappa": 0.7})
    (gate,) = result.gate_failures(fail_under={"cohen_kappa": 0.8})
    assert "value 0.7500 is 0.0500 below the floor" in gate.message


def test_summary_scorers_take_the_columns_they_name_and_errors_are_kept(tmp_path: Path) -> None:
    seen: dict[str, Any] = {}

    def spread(
        *, inputs: list[Any], outputs: list[Any], scores: dict[str, list[float | None]]
    ) -> Score:
        seen["pairs"] = list(zip(inputs, outputs, scores["exact_match"], strict=True))
        done = [o for o in outputs if o is not None]
        return Score("spread", max(done) - min(done), {"why": "range"})

    async def broken(*, inputs: list[Any]) -> float:
        raise ValueError(f"cannot score {len(inputs)} inputs")

    def doubled(x: int) -> int:
        if x == 2:
            raise RuntimeError("task failed")
        return 2 * x

    result = Eval(
        "proj", data=[{"input": i, "expected": 2 * i} for i in range(4)], task=doubled,
        scores=[exact_match()], summary_scores=[spread, broken], local_dir=tmp_path, quiet=True,
    )  # fmt: skip
    # one entry per case, aligned across the lists; the failed case has no output nor score
    assert sorted(seen["pairs"], key=lambda p: p[0]) == [
        (0, 0, 1.0), (1, 2, 1.0), (2, None, None), (3, 6, 1.0)
    ]  # fmt: skip
    assert result.summary_scores["spread"].value == 6.0  # not bounded to [0, 1]
    assert result.summary_scores["spread"].metadata == {"why": "range"}
    assert result.summary_scores["broken"].value is None
    assert result.summary_scores["broken"].metadata["error"] == {
        "type": "ValueError", "message": "cannot score 4 inputs"
    }  # fmt: skip


def test_a_summary_scorer_with_an_unknown_argument_is_refused(tmp_path: Path) -> None:
    def wants(*, outputs: list[Any], everything: Any) -> float:
        return 0.0

    with pytest.raises(UsageError, match="requires the argument 'everything'"):
        Eval("proj", data=DATA, task=judge_task, summary_scores=[wants], local_dir=tmp_path)
    with pytest.raises(UsageError, match="unknown metric 'kapa'"):
        agreement_scores(["kapa"])
