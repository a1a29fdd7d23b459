"""Large runs keep memory flat: cases beyond the first few hundred live in a temporary file."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay import Eval
from assay.evals._cases import KEEP, CaseLog
from assay.scorers import exact_match


def _case(i: int, *, error: bool = False) -> dict[str, object]:
    case: dict[str, object] = {
        "case_id": f"c{i}",
        "trial": 0,
        "input": ("q", i),
        "output": f"answer {i}",
        "scores": {"exact": 1.0 if i % 2 else 0.0},
    }
    if error:
        case["error"] = {"type": "ValueError", "message": f"bad {i}", "traceback": "tb"}
    return case


def test_cases_past_the_kept_ones_read_back_from_disk_in_order() -> None:
    log = CaseLog(keep=3)
    for i in range(10):
        log.append(_case(i, error=i in (1, 7)))
    assert len(log) == 10
    assert [c.case_id for c in log] == [f"c{i}" for i in range(10)]
    assert log[0].input == ("q", 0)  # kept in memory: the original value
    assert log[8].input == ["q", 8]  # read back from the file: its JSON form
    assert log[-1].case_id == "c9" and log[5].output == "answer 5"
    assert [c.case_id for c in log[2:5]] == ["c2", "c3", "c4"]
    assert log.error_count == 2 and log[7].error is not None and log[7].error.message == "bad 7"
    assert log.score_values()["exact"] == [0.0, 1.0] * 5
    with pytest.raises(IndexError, match="out of range; the run has 10 cases"):
        log[10]


def test_scorer_errors_are_counted_without_values() -> None:
    log = CaseLog(keep=1)
    log.append({"case_id": "a", "scores": {}, "score_errors": {"judge": {"type": "E"}}})
    log.append({"case_id": "b", "scores": {"judge": 1.0}})
    assert log.score_error_counts() == {"judge": 1}
    assert log.score_values() == {"judge": [1.0]}


def test_a_run_longer_than_the_kept_cases_reports_every_case(tmp_path: Path) -> None:
    n = KEEP + 60
    data = [{"input": f"q{i}", "expected": f"Q{i}" if i % 4 else "nope"} for i in range(n)]

    def task(text: str) -> str:
        if text == "q5":
            raise RuntimeError("task failed on q5")
        return text.upper()

    result = Eval(
        "proj", data=data, task=task, scores=[exact_match()], local_dir=tmp_path, quiet=True
    )
    assert len(result.cases) == n
    assert sorted(c.input for c in result.cases) == sorted(f"q{i}" for i in range(n))
    assert result.error_count == 1
    failed = [c for c in result.cases if c.error is not None]
    assert failed[0].input == "q5" and "task failed on q5" in failed[0].error.message
    stats = result.summary["exact_match"]
    assert stats.count == n - 1
    assert stats.mean == pytest.approx(sum(1 for i in range(n) if i % 4 and i != 5) / (n - 1))
    last = result.cases[n - 1]
    assert last.output == str(last.input).upper() or last.error is not None
