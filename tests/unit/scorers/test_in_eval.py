"""Built-in scorers in a real local eval run, next to a user scorer registered the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assay import Eval
from assay.scorers import (
    REGISTRY,
    Score,
    contains,
    json_diff,
    json_schema,
    list_contains,
    numeric_diff,
    regex,
    scorer,
    valid_json,
)

SCHEMA = {"type": "object", "required": ["action", "amount"]}
REPLIES = {
    "I want my money back": '{"action": "refund", "amount": 20}',
    "Where is my parcel?": '{"action": "track"}',
    "Hello": "Hi! How can I help?",
}
ORDERS = [
    {"input": "I want my money back", "expected": {"action": "refund", "amount": 25}},
    {"input": "Where is my parcel?", "expected": {"action": "track", "amount": 0}},
    {"input": "Hello", "expected": {"action": "none", "amount": 0}},
]


@scorer
def shorter_than(limit: int):  # type: ignore[no-untyped-def]
    def score(*, output: Any, **_: Any) -> Score:
        size = len(str(output))
        return Score("", float(size < limit), {"length": size})

    return score


def run(tmp_path: Path, data: list[dict[str, Any]], task: Any, scores: list[Any]) -> Any:
    result = Eval("proj", data=data, task=task, scores=scores, local_dir=tmp_path, quiet=True)
    return result, {c.input: c for c in result.cases}


def test_json_and_text_scorers_in_an_eval_keep_scores_and_metadata(tmp_path: Path) -> None:
    scores = [
        valid_json(),
        json_schema(SCHEMA),
        json_diff(),
        contains("refund"),
        regex(r'"action": "(\w+)"'),
        shorter_than(30),
    ]
    result, case = run(tmp_path, ORDERS, REPLIES.__getitem__, scores)

    refund = case["I want my money back"]
    assert refund.scores == {
        "valid_json": 1.0,
        "json_schema": 1.0,
        "json_diff": pytest.approx(0.5 + 0.5 * 0.8),  # amount 20 against 25
        "contains": 1.0,
        "regex": 1.0,
        "shorter_than": 0.0,
    }
    assert refund.score_metadata["json_diff"]["differences"] == [
        {"path": "$.amount", "score": pytest.approx(0.8), "reason": "20 in output, 25 expected"}
    ]
    assert refund.score_metadata["regex"]["match"] == '"action": "refund"'
    assert refund.score_metadata["shorter_than"] == {"length": 34}

    track = case["Where is my parcel?"]
    assert track.scores["json_schema"] == 0.0 and track.scores["json_diff"] == 0.5
    assert track.score_metadata["json_schema"]["errors"] == [
        {"path": "$", "message": "'amount' is a required property"}
    ]

    chat = case["Hello"]
    assert chat.scores["valid_json"] == 0.0 and chat.scores["regex"] == 0.0
    assert chat.score_metadata["valid_json"]["reason"].startswith("output 'Hi! How can I help?'")
    assert result.summary["valid_json"].mean == pytest.approx(2 / 3)


def test_numeric_and_list_scorers_in_an_eval_record_bad_expected_values_as_errors(
    tmp_path: Path,
) -> None:
    data = [
        {"input": "total", "expected": 1000},
        {"input": "unknown", "expected": 7},
        {"input": "broken", "expected": "seven"},
    ]
    answers = {"total": "1,250", "unknown": "I don't know", "broken": "7"}
    result, case = run(tmp_path, data, answers.__getitem__, [numeric_diff(tolerance=1)])

    assert case["total"].scores["numeric_diff"] == pytest.approx(0.8)  # 1 - 250 / 1250
    assert case["total"].score_metadata["numeric_diff"]["difference"] == 250
    assert case["unknown"].score_metadata["numeric_diff"] == {
        "reason": 'output: "I don\'t know" is not a number'
    }
    assert case["broken"].score_errors["numeric_diff"].message == (
        "numeric_diff: expected: 'seven' is not a number; give a number in expected"
    )
    assert result.summary["numeric_diff"].count == 2
    assert result.summary["numeric_diff"].errors == 1

    lists = [{"input": "cities", "expected": ["Rome", "Lima"]}]
    _, case = run(tmp_path, lists, lambda _: '["Paris", "Rome"]', [list_contains()])
    assert case["cities"].scores["list_contains"] == 0.5
    assert case["cities"].score_metadata["list_contains"]["missing"] == ["Lima"]


def test_the_registry_holds_builtins_and_user_scorers_alike() -> None:
    assert REGISTRY["shorter_than"] is shorter_than
    for name in (
        "contains",
        "regex",
        "numeric_diff",
        "valid_json",
        "json_schema",
        "json_diff",
        "list_contains",
    ):
        assert REGISTRY[name].__name__ == name
        assert REGISTRY[name].scorer_name == name  # type: ignore[attr-defined]
    assert contains("x").name == "contains"  # type: ignore[attr-defined]
    assert shorter_than(3).name == "shorter_than"
