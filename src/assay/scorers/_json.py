"""Scorers of JSON outputs: :func:`valid_json`, :func:`json_schema` and :func:`json_diff`."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assay.errors import UsageError
from assay.scorers._score import Score, scorer
from assay.scorers._values import (
    SHOWN,
    Similarity,
    closeness,
    is_number,
    json_kind,
    parse_json,
    similarity,
)

ScoreFn = Callable[..., Score | None]

#: How many validation errors the metadata of a schema check keeps.
SHOWN_ERRORS = 5


def _validator(schema: Any, owner: str) -> Any:
    """A jsonschema validator of ``schema`` (its draft read from ``$schema``, else the latest).

    Raises:
        UsageError: jsonschema is not installed, or the schema is not a valid JSON Schema.
    """
    try:
        import jsonschema
    except ImportError:
        raise UsageError(
            f"{owner} needs the jsonschema package; install it with `pip install 'assay[llm]'`"
        ) from None
    if not isinstance(schema, Mapping | bool):
        raise UsageError(f"{owner}: the schema is {schema!r:.80}; give a JSON Schema as a dict")
    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        where = _path(exc.path)
        raise UsageError(
            f"{owner}: the schema is not a valid JSON Schema ({exc.message} at {where}); fix it"
        ) from None
    return cls(schema)


def _path(parts: Any) -> str:
    """A JSON path such as ``$.items[0].name`` from a sequence of keys and indexes."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.isidentifier():
            out += f".{part}"
        else:
            out += f"[{json.dumps(str(part))}]"
    return out


def _schema_score(validator: Any, value: Any) -> Score:
    errors = sorted(validator.iter_errors(value), key=lambda e: [str(p) for p in e.path])
    if not errors:
        return Score("", 1.0)
    shown = [{"path": _path(e.path), "message": e.message} for e in errors[:SHOWN_ERRORS]]
    return Score("", 0.0, {"errors": shown, "error_count": len(errors)})


@scorer
def valid_json(*, schema: Mapping[str, Any] | bool | None = None) -> ScoreFn:
    """1.0 when the output is JSON, else 0.0 with the reason in the metadata.

    A str (or bytes) output must parse as strict JSON (no NaN); any other output must be a
    value JSON can hold (dicts, lists, text, numbers, booleans). A None output scores 0.0.

    Args:
        schema: A JSON Schema the value must also satisfy (as :func:`json_schema` checks it).

    Returns:
        The scorer, named ``valid_json``.

    Raises:
        UsageError: The schema is not a valid JSON Schema, or jsonschema is not installed.
    """
    validator = None if schema is None else _validator(schema, "valid_json")

    def score(*, output: Any, **_: Any) -> Score:
        parsed = parse_json(output)
        if not parsed.ok:
            return Score("", 0.0, {"reason": parsed.error})
        if validator is None:
            return Score("", 1.0)
        return _schema_score(validator, parsed.value)

    return score


@scorer
def json_schema(schema: Mapping[str, Any] | bool) -> ScoreFn:
    """1.0 when the output validates against a JSON Schema, else 0.0.

    A str output is parsed as JSON first. The metadata of a failure holds the first few
    ``errors`` (each a JSON ``path`` and a ``message``) and the ``error_count``; an output
    that is not JSON scores 0.0 with the ``reason``. The draft is read from the schema's
    ``$schema`` (the latest draft without one); ``format`` is an annotation, not checked.

    Args:
        schema: The JSON Schema, as a dict.

    Returns:
        The scorer, named ``json_schema``.

    Raises:
        UsageError: The schema is not a valid JSON Schema, or jsonschema is not installed
            (``pip install 'assay[llm]'``).
    """
    validator = _validator(schema, "json_schema")

    def score(*, output: Any, **_: Any) -> Score:
        parsed = parse_json(output)
        if not parsed.ok:
            return Score("", 0.0, {"reason": parsed.error})
        return _schema_score(validator, parsed.value)

    return score


_MISSING = object()
JsonPath = tuple[str | int, ...]


@dataclass
class _Diff:
    """A recursive comparison of two JSON values that collects the paths that differ."""

    numeric_tolerance: float
    string_scorer: Similarity | None
    differences: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0

    def note(self, path: JsonPath, value: float, reason: str) -> float:
        self.count += 1
        if len(self.differences) < SHOWN:
            self.differences.append({"path": _path(path), "score": value, "reason": reason})
        return value

    def compare(self, a: Any, b: Any, path: JsonPath = ()) -> float:
        if isinstance(a, dict) and isinstance(b, dict):
            keys = list(b) + [k for k in a if k not in b]
            return self.mean(path, [(k, a.get(k, _MISSING), b.get(k, _MISSING)) for k in keys])
        if isinstance(a, list) and isinstance(b, list):
            n = max(len(a), len(b))
            pad_a, pad_b = a + [_MISSING] * (n - len(a)), b + [_MISSING] * (n - len(b))
            return self.mean(path, list(zip(range(n), pad_a, pad_b, strict=True)))
        return self.leaf(a, b, path)

    def mean(self, path: JsonPath, items: list[tuple[str | int, Any, Any]]) -> float:
        if not items:
            return 1.0
        total = 0.0
        for key, a, b in items:
            if a is _MISSING:
                total += self.note((*path, key), 0.0, "missing in output")
            elif b is _MISSING:
                total += self.note((*path, key), 0.0, "not in expected")
            else:
                total += self.compare(a, b, (*path, key))
        return total / len(items)

    def leaf(self, a: Any, b: Any, path: JsonPath) -> float:
        if is_number(a) and is_number(b):
            near = abs(a - b) <= self.numeric_tolerance
            value = 1.0 if near else closeness(float(a), float(b))
        elif json_kind(a) != json_kind(b):
            return self.note(path, 0.0, f"{json_kind(a)} in output, {json_kind(b)} expected")
        elif isinstance(a, str) and self.string_scorer is not None and a != b:
            value = similarity(self.string_scorer, a, b)
        else:
            value = 1.0 if a == b else 0.0
        if value < 1.0:
            self.note(path, value, f"{json.dumps(a)[:40]} in output, {json.dumps(b)[:40]} expected")
        return value


@scorer
def json_diff(
    *, numeric_tolerance: float = 0.0, string_scorer: Similarity | None = None
) -> ScoreFn:
    """Structural similarity of a JSON output to the expected JSON, with partial credit.

    Objects score the mean over the union of their keys (a key missing on either side scores
    0), arrays the mean position by position over the longer one, numbers their closeness
    1 − |a − b| / max(|a|, |b|), strings 1 when equal (or ``string_scorer``'s similarity),
    and anything else 1 when equal; a value of another type scores 0. Every level weighs its
    keys equally, however deep they go. Text (output or expected) is parsed as JSON first;
    an output that is not JSON scores 0.0 with the ``reason``. The metadata lists up to 20
    ``differences`` (``path``, ``score``, ``reason``) and their ``difference_count``.
    Skipped without ``expected``.

    Args:
        numeric_tolerance: Numbers at most this far apart count as equal.
        string_scorer: A similarity for strings that differ, called as
            ``string_scorer(output=a, expected=b)`` and giving a number in [0, 1], for
            instance ``levenshtein()``; None requires equal strings.

    Returns:
        The scorer, named ``json_diff``.

    Raises:
        UsageError: ``numeric_tolerance`` is negative or ``string_scorer`` is not callable.
    """
    if not (is_number(numeric_tolerance) and numeric_tolerance >= 0):
        raise UsageError(
            f"json_diff: numeric_tolerance is {numeric_tolerance!r}; give a number >= 0"
        )
    if string_scorer is not None and not callable(string_scorer):
        raise UsageError(
            f"json_diff: string_scorer is {string_scorer!r:.60}; give a scorer such as "
            "levenshtein(), or None for exact strings"
        )

    def score(*, output: Any, expected: Any, **_: Any) -> Score | None:
        if expected is None:
            return None
        want = parse_json(expected, "expected")
        if not want.ok:
            raise ValueError(f"json_diff: {want.error}; give JSON in expected")
        got = parse_json(output)
        if not got.ok:
            return Score("", 0.0, {"reason": got.error})
        diff = _Diff(float(numeric_tolerance), string_scorer)
        value = diff.compare(got.value, want.value)
        return Score("", value, {"differences": diff.differences, "difference_count": diff.count})

    return score
