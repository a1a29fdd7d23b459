"""What a scorer returns: :class:`Score`, and the ``@scorer`` decorator that names scorers."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar, overload

P = ParamSpec("P")
F = TypeVar("F", bound=Callable[..., Any])

#: Scorer factories registered with :func:`scorer`, by name.
REGISTRY: dict[str, Callable[..., Any]] = {}


@dataclass(slots=True)
class Score:
    """A named score of one case.

    Args:
        name: The score's name (gates and the UI use it); empty means the scorer's name.
        value: A number, usually in [0, 1]; None records that the scorer had nothing to say.
        metadata: Anything worth keeping next to the value (a rationale, the raw answer, …).
    """

    name: str
    value: float | None
    metadata: dict[str, Any] = field(default_factory=dict)


def _named(fn: Any, name: str) -> Any:
    """Give a scorer a ``name`` attribute, wrapping it when it cannot take one.

    A scorer object that names itself (an LLM judge) keeps its own name.
    """
    own = getattr(fn, "name", None)
    if isinstance(own, str) and own and not inspect.isfunction(fn):
        return fn
    try:
        fn.name = name
        return fn
    except (AttributeError, TypeError):

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return fn(*args, **kwargs)

        wrapper.name = name  # type: ignore[attr-defined]
        return wrapper


@overload
def scorer(factory: Callable[P, F], /) -> Callable[P, F]: ...
@overload
def scorer(*, name: str | None = None) -> Callable[[Callable[P, F]], Callable[P, F]]: ...
def scorer(factory: Any = None, /, *, name: str | None = None) -> Any:
    """Register a scorer factory; the scorers it makes are named after it.

    A factory takes the scorer's options and returns the scorer: a callable that takes keyword
    arguments among ``input``, ``output``, ``expected`` and ``metadata`` and returns a number,
    a :class:`Score`, a list of them, or None. The built-ins are written this way::

        @scorer
        def contains(word: str, *, case_sensitive: bool = False):
            def score(*, output: str, **_: object) -> float:
                text = output if case_sensitive else output.lower()
                return float((word if case_sensitive else word.lower()) in text)
            return score

        Eval("bot", data=..., task=..., scores=[contains("refund")])   # score named "contains"

    Args:
        factory: The factory (when used as ``@scorer``).
        name: Name of the scores instead of the factory's name (``@scorer(name="...")``).

    Returns:
        The factory, whose scorers carry a ``name`` attribute.
    """

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        label = name or fn.__name__

        @functools.wraps(fn)
        def make(*args: Any, **kwargs: Any) -> Any:
            return _named(fn(*args, **kwargs), label)

        make.scorer_name = label  # type: ignore[attr-defined]
        REGISTRY[label] = make
        return make

    return register(factory) if factory is not None else register
