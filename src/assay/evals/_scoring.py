"""Scorers as the runner calls them: named once, their signature inspected once.

A scorer is any callable taking keyword arguments among ``input``, ``output``, ``expected`` and
``metadata`` (or ``**kwargs``), sync or async. It returns a number (bool included), a
:class:`~assay.scorers.Score`, a list of them, None (skipped), or an object with ``score`` and
``name`` attributes (the shape of the widely used autoevals scorers).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assay.errors import UsageError
from assay.scorers import Score

ARGS = ("input", "output", "expected", "metadata")


@dataclass(frozen=True, slots=True)
class Scorer:
    """A user's scorer, prepared: its name, which arguments it takes, whether it is async."""

    name: str
    fn: Callable[..., Any]
    args: tuple[str, ...]
    is_async: bool

    def kwargs(self, input: Any, output: Any, expected: Any, metadata: Any) -> dict[str, Any]:
        """The keyword arguments this scorer takes."""
        values = {"input": input, "output": output, "expected": expected, "metadata": metadata}
        return {a: values[a] for a in self.args}


def scorer_name(fn: Any) -> str:
    """The scorer's ``name`` attribute, else its function or class name."""
    name = getattr(fn, "name", None)
    if isinstance(name, str) and name:
        return name
    for attr in ("__name__",):
        value = getattr(fn, attr, None)
        if isinstance(value, str) and value and value != "<lambda>":
            return value
    inner = getattr(fn, "func", None)  # functools.partial
    if inner is not None:
        return scorer_name(inner)
    if getattr(fn, "__name__", None) == "<lambda>":
        return "lambda"
    return type(fn).__name__


def is_async(fn: Any) -> bool:
    """Whether calling ``fn`` gives a coroutine: an async function or an async ``__call__``."""
    if inspect.iscoroutinefunction(fn):
        return True
    call = getattr(fn, "__call__", None)  # noqa: B004 - objects with an async __call__
    return call is not None and inspect.iscoroutinefunction(call)


def prepare(fn: Any) -> Scorer:
    """Inspect a scorer once.

    Raises:
        UsageError: ``fn`` is not callable or requires an argument the runner cannot give.
    """
    if not callable(fn):
        raise UsageError(f"scorer {fn!r:.80} is not callable; pass functions or scorer objects")
    name = scorer_name(fn)
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return Scorer(name, fn, ARGS, is_async(fn))
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return Scorer(name, fn, ARGS, is_async(fn))
    args: list[str] = []
    for p in params:
        if p.name in ARGS and p.kind is not inspect.Parameter.POSITIONAL_ONLY:
            args.append(p.name)
        elif p.default is inspect.Parameter.empty and p.kind not in (
            inspect.Parameter.VAR_POSITIONAL,
        ):
            raise UsageError(
                f"scorer {name!r} requires the argument {p.name!r}; a scorer takes keyword "
                f"arguments among {', '.join(ARGS)} (give others a default)"
            )
    return Scorer(name, fn, tuple(args), is_async(fn))


def _number(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        number = float(value)
        if math.isnan(number):
            return None
        return number
    raise TypeError(f"scorer {name!r} gave the score {value!r:.60}; a score must be a number")


def normalize(result: Any, name: str) -> list[Score]:
    """Turn what a scorer returned into a list of scores (empty when it returned None).

    Raises:
        TypeError: The result has an unsupported shape (recorded as the scorer's error).
    """
    if result is None:
        return []
    if isinstance(result, Score):
        value = _number(result.value, result.name or name)
        return [Score(result.name or name, value, dict(result.metadata or {}))]
    if isinstance(result, bool | int | float):
        return [Score(name, _number(result, name))]
    if isinstance(result, list | tuple):
        out: list[Score] = []
        for item in result:
            out.extend(normalize(item, name))
        return out
    if isinstance(result, dict) and "score" in result:
        meta = result.get("metadata") or {}
        return [Score(str(result.get("name") or name), _number(result["score"], name), meta)]
    if hasattr(result, "score"):  # autoevals-shaped result objects
        own = getattr(result, "name", None)
        meta = getattr(result, "metadata", None) or {}
        return [
            Score(
                own if isinstance(own, str) and own else name,
                _number(result.score, name),
                dict(meta),
            )
        ]
    raise TypeError(
        f"scorer {name!r} returned a {type(result).__name__}; return a number, a Score, a "
        "list of them, or None"
    )
