"""The task behind ``serve_agent``: what it accepts, how one request's input binds to it, and how
a run of any kind (sync, async, generator, async generator) is driven to its output.

Kept apart from the HTTP side (:mod:`assay.sdk._agent`) so each stays one idea.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from assay.errors import UsageError
from assay.sdk._util import to_plain

#: The parameter every agent accepts: prompt name → label (str) or version (int).
PROMPTS = "prompts"

_NAMED = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
_NOTHING: Any = object()


class BadRequest(Exception):
    """A request the agent refuses (400); the message says what to send instead."""


class CallerGone(Exception):
    """The caller closed the connection while the task was streaming."""


def json_type(value: Any) -> str:
    """The JSON type of a plain value: string, number, integer, boolean, object, array or null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "string"


def _task_name(fn: Callable[..., Any]) -> str:
    qualname = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn)
    return str(qualname).rpartition("<locals>.")[2]


def _check_prompts(value: Any, where: str) -> dict[str, str | int]:
    """``value`` as a ``prompts`` parameter, or ``ValueError`` saying what is wrong."""
    if not isinstance(value, dict):
        raise ValueError(
            f"{where} 'prompts' is {value!r:.80}; give an object of prompt name to label or "
            'version, e.g. {"answer": "staging"} or {"answer": 3}'
        )
    for name, pin in value.items():
        if isinstance(pin, bool) or not isinstance(pin, str | int) or pin == "":
            raise ValueError(
                f"{where} 'prompts.{name}' is {pin!r:.80}; give a label (a string such as "
                '"staging") or a version number (such as 3)'
            )
    return dict(value)


@dataclass(slots=True)
class AgentTask:
    """A task function prepared for serving.

    Attributes:
        fn: The task function.
        name: Its name (``__qualname__`` without ``<locals>`` prefixes).
        defaults: The declared parameters with their defaults (plain JSON values).
    """

    fn: Callable[..., Any]
    name: str
    defaults: dict[str, Any]
    _signature: inspect.Signature | None = None
    _named: frozenset[str] = field(default_factory=frozenset)
    _takes_parameters: bool = False
    _takes_input: bool = True

    @classmethod
    def of(cls, fn: Callable[..., Any], parameters: Mapping[str, Any] | None) -> AgentTask:
        """Prepare ``fn``; UsageError when it cannot be served with these parameters."""
        if not callable(fn):
            raise UsageError(f"serve_agent needs a function to serve; got {fn!r:.80}")
        defaults = _check_defaults(parameters)
        try:
            signature: inspect.Signature | None = inspect.signature(fn)
        except (TypeError, ValueError):
            signature = None
        task = cls(fn=fn, name=_task_name(fn), defaults=defaults, _signature=signature)
        if signature is not None:
            params = signature.parameters
            found = params.get("parameters")
            task._takes_parameters = found is not None and found.kind in _NAMED
            task._named = frozenset(
                n for n, p in params.items() if p.kind in _NAMED and n != "parameters"
            )
            task._takes_input = any(n != "parameters" for n in params)
        return task

    def info(self, version: str) -> dict[str, Any]:
        """What ``GET /`` answers (the shape of ``assay.schema.AgentInfo``)."""
        parameters = [
            {"name": name, "default": value, "type": json_type(value)}
            for name, value in self.defaults.items()
        ]
        return {"task": self.name, "parameters": parameters, "assay_version": version}

    def merge(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        """The defaults with ``overrides`` over them (``prompts`` merged name by name).

        Raises:
            BadRequest: An unknown parameter name, or a malformed ``prompts``.
        """
        known = set(self.defaults) | {PROMPTS}
        unknown = sorted(str(k) for k in overrides if k not in known)
        if unknown:
            listed = ", ".join(sorted(known))
            raise BadRequest(
                f"unknown parameter(s) {', '.join(map(repr, unknown))} for agent {self.name!r}; "
                f"it accepts: {listed} (GET / lists them with their defaults)"
            )
        merged = {**self.defaults, **overrides}
        if PROMPTS in overrides:
            try:
                pins = _check_prompts(overrides[PROMPTS], "parameter")
            except ValueError as exc:
                raise BadRequest(str(exc)) from None
            merged[PROMPTS] = {**self.defaults.get(PROMPTS, {}), **pins}
        return merged

    def arguments(
        self, input: Any, parameters: dict[str, Any]
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """How to call the task: a dict input whose keys the function names goes as keyword
        arguments, any other input as one positional argument; ``parameters=`` when accepted."""
        extra: dict[str, Any] = {"parameters": parameters} if self._takes_parameters else {}
        if not self._takes_input:
            return (), extra
        if (
            isinstance(input, dict)
            and input
            and self._signature is not None
            and all(isinstance(k, str) and k in self._named for k in input)
        ):
            try:
                self._signature.bind(**input, **extra)
            except TypeError:
                pass
            else:
                return (), {**input, **extra}
        return (input,), extra

    def run(self, input: Any, parameters: dict[str, Any], on_text: Callable[[str], None]) -> Any:
        """Call the task and drive it to its output, passing each streamed text piece to
        ``on_text``. A generator's output is its joined text, or its last non-text value."""
        args, kwargs = self.arguments(input, parameters)
        result = self.fn(*args, **kwargs)
        if inspect.isasyncgen(result):
            return asyncio.run(_collect_async(result, on_text))
        if inspect.isawaitable(result):
            return asyncio.run(_wait(result))
        if inspect.isgenerator(result):
            return _collect(result, on_text)
        return result


def _check_defaults(parameters: Mapping[str, Any] | None) -> dict[str, Any]:
    if parameters is None:
        return {}
    if not isinstance(parameters, Mapping):
        raise UsageError(
            f"serve_agent(parameters=…) takes a dict of name to default; got {parameters!r:.80}"
        )
    bad = [k for k in parameters if not isinstance(k, str) or not k]
    if bad:
        raise UsageError(f"serve_agent parameter names must be non-empty strings; got {bad!r:.80}")
    defaults = {k: to_plain(v) for k, v in parameters.items()}
    if PROMPTS in defaults:
        try:
            defaults[PROMPTS] = _check_prompts(defaults[PROMPTS], "serve_agent default")
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return defaults


async def _wait(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


def _collect(gen: Iterator[Any], on_text: Callable[[str], None]) -> Any:
    pieces: list[str] = []
    last: Any = _NOTHING
    try:
        for item in gen:
            if isinstance(item, str):
                pieces.append(item)
                on_text(item)
            else:
                last = item
    finally:
        close = getattr(gen, "close", None)
        if close is not None:
            close()
    return "".join(pieces) if last is _NOTHING else last


async def _collect_async(gen: AsyncIterator[Any], on_text: Callable[[str], None]) -> Any:
    pieces: list[str] = []
    last: Any = _NOTHING
    try:
        async for item in gen:
            if isinstance(item, str):
                pieces.append(item)
                on_text(item)
            else:
                last = item
    finally:
        aclose = getattr(gen, "aclose", None)
        if aclose is not None:
            await aclose()
    return "".join(pieces) if last is _NOTHING else last
