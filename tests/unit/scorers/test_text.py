"""contains and regex."""

from __future__ import annotations

import re

import pytest

from assay.errors import UsageError
from assay.scorers import Score, contains, regex


def test_contains_one_text_ignores_case_by_default() -> None:
    score = contains("refund")
    assert score(output="We will issue a REFUND today").value == 1.0
    assert score(output="We cannot help").value == 0.0
    assert contains("refund", case_sensitive=True)(output="REFUND").value == 0.0


def test_contains_all_gives_the_fraction_found_and_says_which() -> None:
    result = contains(["refund", "sorry", "order #"])(output="Sorry, your refund is on its way")
    assert result.value == pytest.approx(2 / 3)
    assert result.metadata == {"found": ["refund", "sorry"], "missing": ["order #"]}


def test_contains_any_needs_one() -> None:
    score = contains(["refund", "credit"], mode="any")
    assert score(output="store credit it is").value == 1.0
    assert score(output="nothing").value == 0.0


def test_contains_without_a_value_looks_for_the_expected_text_or_texts() -> None:
    score = contains()
    assert score(output="The capital is Paris.", expected="paris").value == 1.0
    assert score(output="Lyon", expected=["Paris", "Lyon"]).value == 0.5
    assert score(output="anything", expected=None) is None


def test_contains_handles_unicode_and_non_text_outputs() -> None:
    assert contains("straße")(output="STRASSE 5").value == 1.0  # case folding
    assert contains("42")(output=[41, 42]).value == 1.0  # looked at as text
    assert contains("None")(output=None).value == 0.0  # no output contains nothing


def test_contains_refuses_nothing_to_look_for() -> None:
    with pytest.raises(UsageError, match=r"contains: value is ''"):
        contains("")
    with pytest.raises(UsageError, match=r"value is \[\]"):
        contains([])
    with pytest.raises(UsageError, match="mode is 'some'"):
        contains("x", mode="some")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"expected is \[\]"):
        contains()(output="x", expected=[])


def test_regex_searches_by_default_and_reports_the_match() -> None:
    score = regex(r"order #(\d+)")
    result = score(output="Your order #123 shipped")
    assert result == Score("", 1.0, {"match": "order #123", "span": [5, 15]})
    assert score(output="no order here").value == 0.0


def test_regex_full_match_and_flags() -> None:
    assert regex(r"\d{3}", full=True)(output="123").value == 1.0
    assert regex(r"\d{3}", full=True)(output="1234").value == 0.0
    assert regex("^yes$", flags=re.IGNORECASE | re.MULTILINE)(output="no\nYES").value == 1.0
    assert regex(re.compile("é+"))(output="café").value == 1.0


def test_regex_outputs_that_are_not_text() -> None:
    assert regex(r"^\d+$")(output=12345).value == 1.0
    none = regex(".*")(output=None)
    assert none.value == 0.0 and none.metadata == {"reason": "output is None"}


def test_regex_rejects_a_bad_pattern_when_built() -> None:
    with pytest.raises(UsageError, match=r"the pattern '\(unclosed' does not compile \(missing \)"):
        regex("(unclosed")
    with pytest.raises(
        UsageError, match=r"flags=re\.IGNORECASE given with the compiled pattern 'x'"
    ):
        regex(re.compile("x"), flags=re.IGNORECASE)
