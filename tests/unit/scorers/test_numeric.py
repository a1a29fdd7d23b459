"""numeric_diff and the number reading behind it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.errors import UsageError
from assay.scorers import numeric_diff


@pytest.mark.parametrize(
    ("output", "value"),
    [
        ("42", 42.0),
        (" -3.5\n", -3.5),
        ("1,234", 1234.0),
        ("1,234,567.25", 1234567.25),
        ("1e3", 1000.0),
        (Decimal("2.5"), 2.5),
        (7, 7.0),
    ],
)
def test_numbers_are_read_from_text_and_numeric_types(output: object, value: float) -> None:
    result = numeric_diff()(output=output, expected=value)
    assert result.value == 1.0
    assert result.metadata["output"] == value and result.metadata["difference"] == 0


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ("about 42", "output: 'about 42' is not a number"),
        ("12,34", "output: '12,34' is not a number"),
        ("nan", "output: 'nan' is not a finite number"),
        (None, "output: None is not a number"),
        (True, "output: True is not a number"),
        ([42], "output: a list is not a number"),
    ],
)
def test_outputs_that_are_not_numbers_score_zero_and_say_why(output: object, reason: str) -> None:
    result = numeric_diff()(output=output, expected=42)
    assert result.value == 0.0
    assert result.metadata == {"reason": reason}


def test_beyond_the_tolerance_the_score_decays_with_the_relative_difference() -> None:
    score = numeric_diff()
    assert score(output=90, expected=100).value == pytest.approx(0.9)
    assert score(output=-5, expected=5).value == 0.0  # a sign error
    assert score(output=0, expected=0).value == 1.0
    assert score(output=0.0, expected=1e-9).value == 0.0


def test_absolute_and_relative_tolerances() -> None:
    assert numeric_diff(tolerance=0.5)(output="3.4", expected=3).value == 1.0
    assert numeric_diff(tolerance=0.5)(output="3.6", expected=3).value == pytest.approx(
        1 - 0.6 / 3.6
    )
    within_1pct = numeric_diff(tolerance=0.01, relative=True)
    assert within_1pct(output=1009, expected=1000).value == 1.0
    assert within_1pct(output=1011, expected=1000).value < 1.0


def test_scale_sets_where_the_score_reaches_zero() -> None:
    score = numeric_diff(scale=10)
    assert score(output=1003, expected=1000).value == pytest.approx(0.7)
    assert score(output=1020, expected=1000).value == 0.0


def test_skipped_without_expected_and_an_error_for_a_bad_expected() -> None:
    assert numeric_diff()(output="1", expected=None) is None
    with pytest.raises(ValueError, match="expected: 'n/a' is not a number; give a number"):
        numeric_diff()(output="1", expected="n/a")


def test_bad_options_are_refused_when_built() -> None:
    with pytest.raises(UsageError, match="tolerance is -1; give a number >= 0"):
        numeric_diff(tolerance=-1)
    with pytest.raises(UsageError, match="scale is 0; give a positive number"):
        numeric_diff(scale=0)


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)


@given(finite, finite, st.floats(min_value=0, max_value=10), st.booleans())
def test_scores_stay_in_zero_one_and_are_symmetric(
    a: float, b: float, tolerance: float, relative: bool
) -> None:
    score = numeric_diff(tolerance=tolerance, relative=relative)
    value = score(output=a, expected=b).value
    assert 0.0 <= value <= 1.0
    assert value == score(output=b, expected=a).value
    assert score(output=str(a), expected=a).value == 1.0
