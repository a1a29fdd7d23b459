"""Watching a provider's stream object without changing what the caller holds.

The stream the SDK returned stays the same object: its class is swapped for a subclass that
passes every item through to the caller and shows it to a :class:`Recorder` on the way. So
``isinstance`` checks, attributes, ``with`` blocks and helper methods keep working, and the
recorder learns when the stream is exhausted, fails, is closed, or is garbage collected.
"""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Iterator
from typing import Any, Protocol

from assay.sdk._util import internal_error

_ATTR = "_assay_recorder"
_sync_classes: dict[type, type] = {}
_async_classes: dict[type, type] = {}


class Recorder(Protocol):
    """What a stream reports to: each item, then exactly one end."""

    def item(self, item: Any) -> None:
        """See one item on its way to the caller."""

    def end(self, error: BaseException | None, *, closed_early: bool = False) -> None:
        """The stream ended (idempotent): exhausted, failed with ``error``, or closed early."""


def _item(recorder: Recorder, item: Any) -> None:
    try:
        recorder.item(item)
    except Exception as exc:
        internal_error(exc, "llm stream")


def _end(recorder: Recorder, error: BaseException | None, closed_early: bool = False) -> None:
    try:
        recorder.end(error, closed_early=closed_early)
    except Exception as exc:
        internal_error(exc, "llm stream")


def _recorder(stream: Any) -> Recorder:
    recorder: Recorder = stream.__dict__[_ATTR]
    return recorder


def _sync_class(base: type) -> type:
    cls = _sync_classes.get(base)
    if cls is not None:
        return cls

    class Traced(base):  # type: ignore[misc]
        def __iter__(self) -> Iterator[Any]:
            recorder = _recorder(self)
            try:
                for item in super().__iter__():
                    _item(recorder, item)
                    yield item
            except GeneratorExit:
                _end(recorder, None, closed_early=True)
                raise
            except BaseException as exc:
                _end(recorder, exc)
                raise
            _end(recorder, None)

        def __next__(self) -> Any:
            recorder = _recorder(self)
            try:
                item = super().__next__()
            except StopIteration:
                _end(recorder, None)
                raise
            except BaseException as exc:
                _end(recorder, exc)
                raise
            _item(recorder, item)
            return item

        def close(self) -> None:
            try:
                super().close()
            finally:
                _end(_recorder(self), None, closed_early=True)

    _name(Traced, base)
    _sync_classes[base] = Traced
    return Traced


def _async_class(base: type) -> type:
    cls = _async_classes.get(base)
    if cls is not None:
        return cls

    class Traced(base):  # type: ignore[misc]
        async def __aiter__(self) -> AsyncIterator[Any]:
            recorder = _recorder(self)
            try:
                async for item in super().__aiter__():
                    _item(recorder, item)
                    yield item
            except GeneratorExit:
                _end(recorder, None, closed_early=True)
                raise
            except BaseException as exc:
                _end(recorder, exc)
                raise
            _end(recorder, None)

        async def __anext__(self) -> Any:
            recorder = _recorder(self)
            try:
                item = await super().__anext__()
            except StopAsyncIteration:
                _end(recorder, None)
                raise
            except BaseException as exc:
                _end(recorder, exc)
                raise
            _item(recorder, item)
            return item

        async def close(self) -> None:
            try:
                await super().close()
            finally:
                _end(_recorder(self), None, closed_early=True)

    _name(Traced, base)
    _async_classes[base] = Traced
    return Traced


def _name(cls: type, base: type) -> None:
    cls.__name__ = base.__name__
    cls.__qualname__ = base.__qualname__
    cls.__module__ = base.__module__
    cls.__doc__ = base.__doc__


def watch(stream: Any, recorder: Recorder, *, is_async: bool) -> Any:
    """Make ``stream`` report to ``recorder``; returns the same object.

    Args:
        stream: A provider stream (``Stream``, ``AsyncStream``, ``MessageStream``, ...).
        recorder: Receives the items and the end.
        is_async: True for async iterators (``__anext__``/``async def close``).
    """
    base = type(stream)
    if base in _sync_classes.values() or base in _async_classes.values():
        return stream  # already watched
    stream.__dict__[_ATTR] = recorder
    stream.__class__ = _async_class(base) if is_async else _sync_class(base)
    weakref.finalize(stream, _end, recorder, None, True)
    return stream
