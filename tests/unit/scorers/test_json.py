"""valid_json, json_schema and json_diff."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.errors import UsageError
from assay.scorers import json_diff, json_schema, levenshtein, valid_json

PERSON = {
    "type": "object",
    "required": ["name", "age"],
    "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
}


@pytest.mark.parametrize("output", ['{"a": [1, 2.5, null]}', '"text"', b"[true]", {"a": (1, 2)}, 0])
def test_valid_json_accepts_json_text_and_json_values(output: object) -> None:
    assert valid_json()(output=output).value == 1.0


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ("{'a': 1}", "is not JSON: Expecting property name enclosed in double quotes"),
        ('{"a": NaN}', "is not JSON: NaN is not valid JSON"),
        ("", "is not JSON: Expecting value"),
        (None, "output is None"),
        ({"a": {1, 2}}, "output of type dict is not JSON: Object of type set"),
        (float("inf"), "output of type float is not JSON"),
        (b"\xff", "output bytes are not UTF-8"),
    ],
)
def test_valid_json_says_why_an_output_is_not_json(output: object, reason: str) -> None:
    result = valid_json()(output=output)
    assert result.value == 0.0
    assert reason in result.metadata["reason"]


def test_valid_json_with_a_schema_also_validates() -> None:
    score = valid_json(schema=PERSON)
    assert score(output='{"name": "Ada", "age": 36}').value == 1.0
    assert score(output='{"name": "Ada"}').metadata["errors"] == [
        {"path": "$", "message": "'age' is a required property"}
    ]


def test_json_schema_lists_the_first_errors_with_their_paths() -> None:
    score = json_schema({"type": "array", "items": PERSON})
    ok = score(output=[{"name": "Ada", "age": 36}])
    assert (ok.value, ok.metadata) == (1.0, {})
    bad = score(output='[{"name": 1, "age": -1}, {}, {}, {}]')
    assert bad.value == 0.0
    assert bad.metadata["error_count"] == 8
    assert len(bad.metadata["errors"]) == 5
    assert {"path": "$[0].name", "message": "1 is not of type 'string'"} in bad.metadata["errors"]
    assert {"path": "$[0].age", "message": "-1 is less than the minimum of 0"} in bad.metadata[
        "errors"
    ]
    assert score(output="not json").metadata["reason"].startswith("output 'not json' is not JSON")


def test_json_schema_reads_the_draft_and_refuses_an_invalid_schema() -> None:
    draft4 = {"$schema": "http://json-schema.org/draft-04/schema#", "exclusiveMinimum": True}
    with pytest.raises(UsageError, match="json_schema: the schema is not a valid JSON Schema"):
        json_schema({"type": "objekt"})
    with pytest.raises(UsageError, match="True is not of type 'number'"):
        json_schema({"exclusiveMinimum": True})  # valid in draft 4 only
    assert json_schema({**draft4, "minimum": 0})(output=1).value == 1.0
    with pytest.raises(UsageError, match="give a JSON Schema as a dict"):
        json_schema("{}")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="valid_json: the schema is not a valid JSON Schema"):
        valid_json(schema={"required": "name"})


def test_json_diff_gives_per_key_partial_credit_and_lists_the_paths() -> None:
    output = {"name": "Ada", "age": 36, "tags": ["a", "b", "c"], "address": {"city": "Paris"}}
    expected = '{"name": "Ada", "age": 40, "tags": ["a", "b"], "address": {"city": "Lyon"}, "x": 1}'
    result = json_diff()(output=output, expected=expected)
    # name 1, age 36/40 = 0.9, tags (1 + 1 + 0) / 3, address 0, x missing 0
    assert result.value == pytest.approx((1 + 0.9 + 2 / 3 + 0 + 0) / 5)
    assert result.metadata["difference_count"] == 4
    assert result.metadata["differences"] == [
        {"path": "$.age", "score": pytest.approx(0.9), "reason": "36 in output, 40 expected"},
        {"path": "$.tags[2]", "score": 0.0, "reason": "not in expected"},
        {"path": "$.address.city", "score": 0.0, "reason": '"Paris" in output, "Lyon" expected'},
        {"path": "$.x", "score": 0.0, "reason": "missing in output"},
    ]


def test_json_diff_types_tolerance_and_string_similarity() -> None:
    diff = json_diff()
    mixed = diff(output={"n": "1", "ok": 1, "v": None}, expected={"n": 1, "ok": True, "v": None})
    assert mixed.value == pytest.approx(1 / 3)
    reasons = [d["reason"] for d in mixed.metadata["differences"]]
    assert reasons == [
        "a string in output, a number expected",
        "a number in output, a boolean expected",
    ]
    assert json_diff(numeric_tolerance=0.1)(output=[1.05], expected=[1]).value == 1.0
    fuzzy = json_diff(string_scorer=levenshtein())
    assert fuzzy(output={"city": "Pariss"}, expected={"city": "Paris"}).value == pytest.approx(
        5 / 6
    )
    assert diff(output={"city": "Pariss"}, expected={"city": "Paris"}).value == 0.0


def test_json_diff_odd_inputs() -> None:
    diff = json_diff()
    assert diff(output="{}", expected={}).value == 1.0
    assert diff(output=[], expected=[]).value == 1.0
    assert diff(output={"a": 1}, expected=None) is None
    broken = diff(output="{oops", expected={"a": 1})
    assert broken.value == 0.0 and broken.metadata["reason"].startswith(
        "output '{oops' is not JSON"
    )
    assert diff(output=None, expected={"a": 1}).metadata == {"reason": "output is None"}
    assert diff(output="[1]", expected={"a": 1}).metadata["differences"][0]["reason"] == (
        "an array in output, an object expected"
    )
    with pytest.raises(ValueError, match="json_diff: expected 'x' is not JSON"):
        diff(output={}, expected="x")
    with pytest.raises(UsageError, match="numeric_tolerance is -1"):
        json_diff(numeric_tolerance=-1)


def test_json_diff_keeps_the_first_twenty_paths() -> None:
    result = json_diff()(output={}, expected={f"k{i}": i for i in range(30)})
    assert result.value == 0.0
    assert result.metadata["difference_count"] == 30
    assert len(result.metadata["differences"]) == 20
    assert result.metadata["differences"][0]["path"] == "$.k0"


def test_json_diff_quotes_keys_that_are_not_names() -> None:
    result = json_diff()(output={"a b": {"1": 0}}, expected={"a b": {"1": 2}})
    assert result.metadata["differences"][0]["path"] == '$["a b"]["1"]'


leaves = (
    st.none()
    | st.booleans()
    | st.integers(-1000, 1000)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.text(max_size=8)
)
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=15,
)


@given(values)
def test_json_diff_of_a_value_with_itself_is_one(value: Any) -> None:
    # Text is read as JSON, so a JSON value goes in as text or inside a container.
    result = json_diff()(output=json.dumps([value]), expected=[value])
    assert result.value == 1.0 and result.metadata["differences"] == []


@given(values, values)
def test_json_diff_stays_in_zero_one_and_counts_each_difference(a: Any, b: Any) -> None:
    result = json_diff(string_scorer=levenshtein())(output=json.dumps(a), expected=json.dumps(b))
    assert 0.0 <= result.value <= 1.0
    assert (result.metadata["difference_count"] == 0) == (result.value == 1.0)


def test_schema_scorers_name_the_install_command_when_jsonschema_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # what a missing package looks like
    with pytest.raises(UsageError, match=r"install it with `pip install 'assay\[llm\]'`"):
        json_schema(PERSON)
    assert valid_json()(output="[]").value == 1.0  # without a schema it is not needed
