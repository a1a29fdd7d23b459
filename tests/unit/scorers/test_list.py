"""list_contains."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.errors import UsageError
from assay.scorers import levenshtein, list_contains


def test_partial_credit_is_the_fraction_of_expected_items_found() -> None:
    result = list_contains()(output=["paris", "rome", "oslo"], expected=["rome", "paris", "lima"])
    assert result.value == pytest.approx(2 / 3)
    assert result.metadata == {
        "matched": 2,
        "precision": pytest.approx(2 / 3),
        "recall": pytest.approx(2 / 3),
        "f1": pytest.approx(2 / 3),
        "missing": ["lima"],
        "extra": ["oslo"],
    }


def test_each_output_item_counts_once() -> None:
    result = list_contains()(output=["a"], expected=["a", "a"])
    assert result.value == 0.5
    assert result.metadata["precision"] == 1.0 and result.metadata["missing"] == ["a"]


def test_ordered_counts_the_longest_run_in_order() -> None:
    ordered = list_contains(ordered=True)
    assert ordered(output=["b", "a"], expected=["a", "b"]).value == 0.5
    assert ordered(output=["x", "a", "y", "b", "c"], expected=["a", "b", "c"]).value == 1.0
    assert list_contains()(output=["b", "a"], expected=["a", "b"]).value == 1.0


def test_fuzzy_items_match_by_a_similarity_and_threshold() -> None:
    fuzzy = list_contains(scorer=levenshtein(), threshold=0.8)
    result = fuzzy(output=["colour", "flavour", "cat"], expected=["color", "flavor", "dog"])
    assert result.value == pytest.approx(2 / 3)
    assert result.metadata["missing"] == ["dog"] and result.metadata["extra"] == ["cat"]
    # The best pairs are taken first: "abcd" goes to "abcd", leaving "abce" for "abcx".
    best = list_contains(scorer=levenshtein(), threshold=0.7)
    assert best(output=["abce", "abcd"], expected=["abcx", "abcd"]).value == 1.0
    assert (
        list_contains(scorer=levenshtein(), threshold=1.0)(
            output=["colour"], expected=["color"]
        ).value
        == 0.0
    )


def test_equal_items_of_any_json_shape_match() -> None:
    score = list_contains()
    assert score(output=[{"id": 1}, [1, 2], 3.0], expected=[[1, 2], {"id": 1}, 3]).value == 1.0
    assert score(output=[True], expected=[1]).value == 0.0  # a boolean is not a number
    assert score(output=("a", "b"), expected=["b"]).value == 1.0


def test_empty_lists() -> None:
    score = list_contains()
    both = score(output=[], expected=[])
    assert both.value == 1.0 and both.metadata["f1"] == 1.0
    nothing_asked = score(output=["a"], expected=[])
    assert nothing_asked.value == 1.0 and nothing_asked.metadata["precision"] == 0.0
    nothing_given = score(output=[], expected=["a"])
    assert nothing_given.value == 0.0 and nothing_given.metadata["f1"] == 0.0


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        (None, "output is None, not a list"),
        ("a, b", "output 'a, b' is not JSON"),
        ('{"a": 1}', "output is JSON text holding an object, not a list"),
        (42, "output is of type int, not a list"),
    ],
)
def test_outputs_that_are_not_lists_score_zero_and_say_why(output: object, reason: str) -> None:
    result = list_contains()(output=output, expected=["a"])
    assert result.value == 0.0
    assert result.metadata["reason"].startswith(reason)


def test_json_text_output_is_read_as_a_list() -> None:
    assert list_contains()(output='["a", "b"]', expected=["b"]).value == 1.0


def test_skipped_without_expected_and_errors_for_bad_input() -> None:
    assert list_contains()(output=["a"], expected=None) is None
    with pytest.raises(
        ValueError, match="expected is of type int, not a list; give a list in expected"
    ):
        list_contains()(output=["a"], expected=3)
    with pytest.raises(UsageError, match="threshold is 2; give a number in"):
        list_contains(threshold=2)
    with pytest.raises(UsageError, match="scorer is 'exact'; give a similarity"):
        list_contains(scorer="exact")  # type: ignore[arg-type]


items = st.lists(st.sampled_from(["a", "b", "c", "d", 1, 2.0]), max_size=6)


@given(items, items, st.booleans())
def test_score_is_recall_and_stays_in_zero_one(
    output: list[object], expected: list[object], ordered: bool
) -> None:
    result = list_contains(ordered=ordered)(output=output, expected=expected)
    meta = result.metadata
    assert 0.0 <= result.value <= 1.0 and result.value == meta["recall"]
    assert meta["matched"] + len(meta["missing"]) == len(expected)
    assert meta["matched"] + len(meta["extra"]) == len(output)
    assert list_contains(ordered=ordered)(output=expected, expected=expected).value == 1.0
