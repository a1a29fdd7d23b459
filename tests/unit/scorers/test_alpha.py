"""krippendorff_alpha() and fleiss_kappa() against the krippendorff package and statsmodels."""

from __future__ import annotations

import math
import re
import warnings
from typing import Any

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from assay.errors import UsageError
from assay.scorers import fleiss_kappa, krippendorff_alpha

PROPERTY = settings(max_examples=60, deadline=None)
NAMES = ["none", "low", "mid", "high", "top"]

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 3 coders, 15 units with
# missing values; and Hayes & Krippendorff (2007): 4 coders, 12 units. Both with their published
# alphas, as reproduced in the krippendorff package's documentation.
TEXTBOOK = [
    [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
    [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
    [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
]
HAYES = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
SCALE = ["very low", "low", "mid", "high", "very high"]


@st.composite
def tables(draw: st.DrawFn, low: int = 0) -> list[list[int | None]]:
    """A raters × items table of small integers with some missing ratings."""
    raters, items = draw(st.integers(2, 5)), draw(st.integers(1, 12))
    cell = st.none() | st.integers(low, low + 4)
    return [[draw(cell) for _ in range(items)] for _ in range(raters)]


def reference_alpha(table: list[list[int | None]], level: str) -> float:
    """The krippendorff package's alpha, NaN where it calls alpha undefined."""
    data = np.array([[np.nan if v is None else v for v in row] for row in table], dtype=float)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # 0/0 when no disagreement is possible
            return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
    except ValueError:  # one value in the domain, or no item with two ratings
        return math.nan


def close(ours: float | None, reference: float) -> bool:
    if math.isnan(reference):
        return ours is None
    return ours is not None and abs(ours - reference) <= 1e-9


@pytest.mark.parametrize(
    ("table", "level", "expected", "digits"),
    [
        (TEXTBOOK, "nominal", 0.691358, 6),
        (TEXTBOOK, "interval", 0.810845, 6),
        (HAYES, "ordinal", 0.815, 3),
        (HAYES, "ratio", 0.797, 3),
    ],
)
def test_published_examples(table: Any, level: str, expected: float, digits: int) -> None:
    result = krippendorff_alpha(table, level=level)  # type: ignore[arg-type]
    assert result is not None and round(result, digits) == expected
    assert close(result, reference_alpha(table, level))


def test_published_example_with_named_ordinal_labels() -> None:
    named = [[None if v is None else SCALE[v - 1] for v in row] for row in HAYES]
    result = krippendorff_alpha(named, level="ordinal", order=SCALE)
    assert result is not None and round(result, 3) == 0.815
    assert round(krippendorff_alpha(named), 3) == 0.743  # type: ignore[arg-type]


@PROPERTY
@given(tables(low=1), st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_alpha_matches_the_krippendorff_package(table: list[list[int | None]], level: str) -> None:
    assert close(krippendorff_alpha(table, level=level), reference_alpha(table, level))  # type: ignore[arg-type]


@PROPERTY
@given(tables())
def test_labels_may_be_strings_and_ordinal_labels_follow_the_order_given(
    table: list[list[int | None]],
) -> None:
    named = [[None if v is None else NAMES[v] for v in row] for row in table]
    assert close(krippendorff_alpha(named), reference_alpha(table, "nominal"))
    ordinal = krippendorff_alpha(named, level="ordinal", order=NAMES)
    assert close(ordinal, reference_alpha(table, "ordinal"))


def test_numpy_tables_with_nan_work_like_lists_with_none() -> None:
    array = np.array([[np.nan if v is None else v for v in row] for row in TEXTBOOK], dtype=float)
    assert krippendorff_alpha(array, level="interval") == krippendorff_alpha(
        TEXTBOOK, level="interval"
    )


def test_alpha_is_none_when_undefined() -> None:
    assert krippendorff_alpha([[1, None], [None, 2]]) is None  # no item has two ratings
    assert krippendorff_alpha([[3, 3], [3, 3], [None, 3]]) is None  # one value: no disagreement
    assert krippendorff_alpha([[1, 2, None], [2, 1, 7]]) == pytest.approx(-0.5)  # 7 is unpaired
    assert krippendorff_alpha([]) is None


def test_perfect_and_systematic_disagreement() -> None:
    assert krippendorff_alpha([["a", "b", "c"], ["a", "b", "c"]]) == 1.0
    assert krippendorff_alpha([[1, 2, 1, 2], [2, 1, 2, 1]]) < 0  # type: ignore[operator]


# --- Fleiss' kappa --------------------------------------------------------------------------


@st.composite
def full_tables(draw: st.DrawFn) -> list[list[str | None]]:
    """Raters × items, every item rated by every rater, plus some items nobody rated."""
    raters, items = draw(st.integers(2, 6)), draw(st.integers(1, 15))
    label = st.sampled_from(["a", "b", "c", "d"])
    columns = [[draw(label) for _ in range(raters)] for _ in range(items)]
    for position in draw(st.lists(st.integers(0, items), max_size=2)):
        columns.insert(position, [None] * raters)
    return [list(row) for row in zip(*columns, strict=True)]


def reference_fleiss(table: list[list[str | None]]) -> float:
    items = [column for column in zip(*table, strict=True) if column[0] is not None]
    counts, _ = aggregate_raters(np.array(items))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 0/0 when one label is used throughout
        return float(statsmodels_fleiss(counts, method="fleiss"))


@PROPERTY
@given(full_tables())
def test_fleiss_matches_statsmodels(table: list[list[str | None]]) -> None:
    assert close(fleiss_kappa(table), reference_fleiss(table))


def test_fleiss_textbook_example() -> None:
    # Fleiss (1971) as shown on Wikipedia: 10 subjects, 14 raters, 5 categories: kappa 0.210.
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    items = [[category for category, k in enumerate(row) for _ in range(k)] for row in counts]
    raters_by_items = [list(rater) for rater in zip(*items, strict=True)]
    assert round(fleiss_kappa(raters_by_items), 3) == 0.210  # type: ignore[arg-type]


def test_fleiss_is_none_when_undefined() -> None:
    assert fleiss_kappa([["a", "a"], ["a", "a"]]) is None  # one label throughout
    assert fleiss_kappa([["a", "b", "c"]]) is None  # one rating per item
    assert fleiss_kappa([[None, None], [None, None]]) is None


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: krippendorff_alpha([[1]], level="scale"), "level='scale'; use one of nominal"),  # type: ignore[arg-type]
        (lambda: krippendorff_alpha([[1, 2], [1]]), "rows of different lengths [1, 2]"),
        (lambda: krippendorff_alpha([1, 2, 3]), "takes a table, one row per rater"),
        (lambda: krippendorff_alpha(["ab", "ab"]), "got a list of strings"),
        (
            lambda: krippendorff_alpha([["a", "b"], ["a", "a"]], level="interval"),
            "level='interval' needs numbers; got 'a'",
        ),
        (
            lambda: krippendorff_alpha([["a", 1], [2, "a"]], level="ordinal"),
            "cannot sort the ratings",
        ),
        (
            lambda: krippendorff_alpha(
                [["low", "odd"], ["low", "low"]], level="ordinal", order=["low", "high"]
            ),
            "the rating 'odd', which is not in order=['low', 'high']",
        ),
        (
            lambda: krippendorff_alpha([[1, 2], [1, 2]], order=[1, 2]),
            "order only applies to level='ordinal'",
        ),
        (
            lambda: fleiss_kappa([["a", "b", "a"], ["a", None, "b"]]),
            "item 0 has 2 and item 1 has 1",
        ),
    ],
)
def test_bad_tables_get_an_error_that_says_what_to_do(call: Any, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        call()
