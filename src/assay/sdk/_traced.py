"""``@traced``: a span around every call of a function, method or generator."""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any, TypeVar, overload

from assay.sdk._span import Span, activate, restore, span
from assay.sdk._util import internal_error

F = TypeVar("F", bound=Callable[..., Any])

_SKIP = frozenset({"self", "cls"})


def _default_name(fn: Callable[..., Any]) -> str:
    """``Class.method`` or ``function``, without the ``outer.<locals>.`` of nested definitions."""
    qualname = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    return str(qualname).rpartition("<locals>.")[2] if qualname else repr(fn)


class _Call:
    """What a wrapper needs to open a span for one function: name, kind, bound arguments."""

    __slots__ = ("capture_input", "capture_output", "kind", "name", "positional", "signature")

    def __init__(self, fn: Callable[..., Any], name: str | None, kind: str, cin: bool, cout: bool):
        self.name = name or _default_name(fn)
        self.kind = kind
        self.capture_input = cin
        self.capture_output = cout
        self.signature: inspect.Signature | None = None
        self.positional: tuple[str, ...] | None = None
        if cin:
            try:
                self.signature = inspect.signature(fn)
            except (TypeError, ValueError):
                self.signature = None
        if self.signature is not None:
            params = self.signature.parameters.values()
            simple = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
            if all(p.kind in simple for p in params):
                self.positional = tuple(self.signature.parameters)

    def inputs(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if not self.capture_input:
            return None
        try:
            if self.signature is None:
                return {"args": list(args), "kwargs": kwargs} if kwargs else list(args)
            names = self.positional
            if names is not None and not kwargs and len(args) == len(names):
                # every argument given by position: what bind() would say, without its cost
                return {n: a for n, a in zip(names, args, strict=True) if n not in _SKIP}
            bound = self.signature.bind(*args, **kwargs)
            return {k: v for k, v in bound.arguments.items() if k not in _SKIP}
        except TypeError:
            return {"args": list(args), "kwargs": kwargs}
        except Exception as exc:
            internal_error(exc, "traced input")
            return None

    def open(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Span:
        return span(self.name, kind=self.kind, input=self.inputs(args, kwargs))


def _wrap(fn: Callable[..., Any], call: _Call) -> Callable[..., Any]:
    if inspect.isasyncgenfunction(fn):
        return _wrap_async_gen(fn, call)
    if inspect.isgeneratorfunction(fn):
        return _wrap_gen(fn, call)
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            with call.open(args, kwargs) as s:
                result = await fn(*args, **kwargs)
                if call.capture_output:
                    s.output = result
                return result

        return run_async

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with call.open(args, kwargs) as s:
            result = fn(*args, **kwargs)
            if call.capture_output:
                s.output = result
            return result

    return run


def _wrap_gen(fn: Callable[..., Any], call: _Call) -> Callable[..., Any]:
    @functools.wraps(fn)
    def run_gen(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
        s = call.open(args, kwargs)
        items: list[Any] = []
        try:
            token = activate(s)
            try:
                gen = fn(*args, **kwargs)
                item = next(gen)
            finally:
                restore(token)
            while True:
                if call.capture_output:
                    items.append(item)
                try:
                    sent = yield item
                except GeneratorExit:
                    gen.close()
                    raise
                except BaseException as thrown:
                    token = activate(s)
                    try:
                        item = gen.throw(thrown)
                    finally:
                        restore(token)
                    continue
                token = activate(s)
                try:
                    item = gen.send(sent)
                finally:
                    restore(token)
        except StopIteration as stop:
            if call.capture_output:
                s.output = items
            return stop.value
        except GeneratorExit:
            if call.capture_output:
                s.output = items
            raise
        except BaseException as exc:
            s.record_exception(exc)
            if call.capture_output:
                s.output = items
            raise
        finally:
            s.end()

    return run_gen


def _wrap_async_gen(fn: Callable[..., Any], call: _Call) -> Callable[..., Any]:
    @functools.wraps(fn)
    async def run_agen(*args: Any, **kwargs: Any) -> AsyncGenerator[Any, Any]:
        s = call.open(args, kwargs)
        items: list[Any] = []
        agen = fn(*args, **kwargs)
        sent: Any = None
        thrown: BaseException | None = None
        try:
            while True:
                token = activate(s)
                try:
                    if thrown is None:
                        item = await agen.asend(sent)
                    else:  # passed on as the sync wrapper does with gen.throw()
                        item, thrown = await agen.athrow(thrown), None
                except StopAsyncIteration:
                    break
                finally:
                    restore(token)
                if call.capture_output:
                    items.append(item)
                try:
                    sent = yield item
                except GeneratorExit:
                    await agen.aclose()
                    raise
                except BaseException as exc:
                    thrown, sent = exc, None
        except GeneratorExit:
            raise
        except BaseException as exc:
            s.record_exception(exc)
            await agen.aclose()
            raise
        finally:
            if call.capture_output:
                s.output = items
            s.end()

    return run_agen


@overload
def traced(fn: F, /) -> F: ...


@overload
def traced(
    name: str | None = None,
    *,
    kind: str = "function",
    capture_input: bool = True,
    capture_output: bool = True,
) -> Callable[[F], F]: ...


def traced(
    name: Any = None,
    *,
    kind: str = "function",
    capture_input: bool = True,
    capture_output: bool = True,
) -> Any:
    """Record a span for every call of the decorated function.

    Works as ``@traced`` and ``@traced(...)`` on functions, methods, coroutines and
    (async) generators. The input is a dict of the bound arguments (without ``self`` and
    ``cls``), the output the return value (for generators, the list of yielded items). An
    exception is recorded on the span and re-raised unchanged.

    Example::

        @assay.traced(kind="tool")
        def search_orders(customer_id: str) -> list[dict]: ...

    Args:
        name: Span name; the function's qualified name when omitted.
        kind: Span kind, e.g. ``tool``, ``agent``, ``retrieval``.
        capture_input: Record the arguments as input.
        capture_output: Record the return value as output.
    """
    if callable(name):
        fn = name
        return _wrap(fn, _Call(fn, None, kind, capture_input, capture_output))

    def decorate(fn: F) -> F:
        wrapper: Any = _wrap(fn, _Call(fn, name, kind, capture_input, capture_output))
        return wrapper  # type: ignore[no-any-return]

    return decorate
