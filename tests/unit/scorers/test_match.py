"""exact_match's normalisation options."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.scorers import exact_match


def test_defaults_are_unchanged_strict_case_with_stripping() -> None:
    score = exact_match()
    assert score(output="  Paris ", expected="Paris") == 1.0
    assert score(output="paris", expected="Paris") == 0.0
    assert score(output="New  York", expected="New York") == 0.0
    assert score(output="Paris.", expected="Paris") == 0.0


def test_normalize_whitespace_collapses_runs_of_any_whitespace() -> None:
    score = exact_match(normalize_whitespace=True)
    assert score(output="New \t York\n\ncity", expected="New York city") == 1.0
    assert score(output="NewYork", expected="New York") == 0.0


def test_ignore_punctuation_drops_unicode_punctuation() -> None:
    score = exact_match(ignore_punctuation=True, case_sensitive=False)
    assert score(output="«Yes!», she said.", expected="yes she said") == 1.0
    assert score(output="it's", expected="its") == 1.0
    assert score(output="¿Qué?", expected="Qué") == 1.0
    assert score(output="a+b", expected="ab") == 0.0  # '+' is a symbol, not punctuation


def test_normalize_unicode_applies_nfkc() -> None:
    score = exact_match(normalize_unicode=True)
    assert score(output="e\u0301te\u0301", expected="été") == 1.0  # combining accents
    assert score(output="ﬁle", expected="file") == 1.0
    assert score(output="ＡＢＣ１２", expected="ABC12") == 1.0
    assert exact_match()(output="ﬁle", expected="file") == 0.0


def test_options_combine_in_a_documented_order() -> None:
    # Punctuation goes before whitespace is collapsed and the ends are stripped.
    score = exact_match(ignore_punctuation=True, normalize_whitespace=True)
    assert score(output="Hello , world !", expected="Hello world") == 1.0
    # Case folding handles more than lower(): ß folds to ss.
    assert exact_match(case_sensitive=False)(output="STRASSE", expected="straße") == 1.0


def test_none_output_never_matches_an_answer() -> None:
    assert exact_match()(output=None, expected="None") == 0.0
    assert exact_match()(output=None, expected="") == 0.0


@pytest.mark.parametrize("output", [None, "None", 0, ""])
def test_cases_without_expected_are_skipped(output: object) -> None:
    assert exact_match()(output=output, expected=None) is None


def test_non_text_values_compare_as_values_then_as_text() -> None:
    score = exact_match()
    assert score(output=[1, 2], expected=[1, 2]) == 1.0
    assert score(output=3.0, expected=3) == 1.0
    assert score(output=42, expected=" 42 ") == 1.0
    assert score(output=[1, 2], expected=[2, 1]) == 0.0


@given(st.text(max_size=30))
def test_padding_whitespace_and_punctuation_never_change_a_normalised_match(text: str) -> None:
    loose = exact_match(normalize_whitespace=True, ignore_punctuation=True)
    noisy = "  " + text.replace(" ", " \t\n ") + "?!. "
    assert loose(output=noisy, expected=text) == 1.0
    assert exact_match()(output=noisy + "x", expected=text) == 0.0
