"""Streamed answers: :class:`ChatStream` (iterate) and :class:`AsyncChatStream` (``async for``).

A stream holds its provider's concurrency slot until it ends: exhausted, failed, closed
(``close()``, leaving a ``with`` block) or garbage collected. Its text arrives as
:class:`ChatChunk` deltas; the last chunk carries the whole :class:`ChatResponse`, also kept
on the stream's ``response`` attribute. Only the opening request is retried; a failure halfway
through is raised as a :class:`~assay.errors.ProviderError` at once.
"""

from __future__ import annotations

import contextlib
from types import TracebackType
from typing import Any, Self

from assay.llm import _trace
from assay.llm._plan import Plan, build_response
from assay.llm._retry import to_error
from assay.llm._types import ChatChunk, ChatResponse, assistant_message
from assay.sdk.wrappers._call import LLMCall


class _Core:
    """What both stream flavours share: the collector, the slot, the span."""

    def __init__(self, plan: Plan, call: LLMCall | None, attempts: int) -> None:
        self.plan = plan
        self.call = call
        self.attempts = attempts
        self.collector = plan.adapter.accumulator(plan.request)
        self.done = False
        self.response: ChatResponse | None = None

    def on_event(self, event: Any) -> ChatChunk | None:
        if self.call is not None:
            self.call.mark_item()
        text = self.collector.feed(event)
        return ChatChunk(delta=text) if text else None

    def finish(self) -> ChatChunk:
        self._end()
        response = build_response(self.plan, self.collector.reply(), cached=False)
        self.response = response
        _trace.finish_chat(self.call, response, attempts=self.attempts, stream=True)
        return ChatChunk(
            usage=response.usage, finish_reason=response.finish_reason, response=response
        )

    def fail(self, exc: Exception) -> BaseException:
        self._end()
        failure = self.plan.adapter.failure(exc)
        route = self.plan.route
        error: BaseException = exc
        if failure is not None:
            error = to_error(route.provider, route.model, failure, self.attempts)
        _trace.fail(self.call, error)
        return error

    def abandon(self) -> None:
        if self.done:
            return
        self._end()
        reply = self.collector.reply()
        _trace.closed_early(self.call, assistant_message(reply.content, reply.tool_calls))

    def _end(self) -> None:
        if not self.done:
            self.done = True
            self.plan.route.live.limiter.release()


class ChatStream:
    """A streamed answer of :func:`assay.llm.chat` (``stream=True``).

    Example::

        with llm.chat("Tell me a story", model="gpt-4o-mini", stream=True) as stream:
            for chunk in stream:
                print(chunk.delta, end="")
        print(stream.response.usage)
    """

    def __init__(self, raw: Any, core: _Core) -> None:
        self._raw = raw
        self._events = iter(raw)
        self._core = core

    @property
    def response(self) -> ChatResponse | None:
        """The whole answer once the stream is exhausted; None before."""
        return self._core.response

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> ChatChunk:
        core = self._core
        while not core.done:
            try:
                event = next(self._events)
            except StopIteration:
                return core.finish()
            except Exception as exc:
                error = core.fail(exc)
                if error is exc:
                    raise
                raise error from exc
            chunk = core.on_event(event)
            if chunk is not None:
                return chunk
        raise StopIteration

    def close(self) -> None:
        """Stop reading; the connection and the concurrency slot are given back."""
        self._core.abandon()
        self._raw.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # interpreter shutdown or a half-built stream
            self._core.abandon()


class AsyncChatStream:
    """A streamed answer of ``await assay.llm.achat(..., stream=True)``.

    Example::

        async with await llm.achat("Tell me a story", model="gpt-4o-mini", stream=True) as s:
            async for chunk in s:
                print(chunk.delta, end="")
    """

    def __init__(self, raw: Any, core: _Core) -> None:
        self._raw = raw
        self._events = raw.__aiter__()
        self._core = core

    @property
    def response(self) -> ChatResponse | None:
        """The whole answer once the stream is exhausted; None before."""
        return self._core.response

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> ChatChunk:
        core = self._core
        while not core.done:
            try:
                event = await self._events.__anext__()
            except StopAsyncIteration:
                return core.finish()
            except Exception as exc:
                error = core.fail(exc)
                if error is exc:
                    raise
                raise error from exc
            chunk = core.on_event(event)
            if chunk is not None:
                return chunk
        raise StopAsyncIteration

    async def aclose(self) -> None:
        """Stop reading; the connection and the concurrency slot are given back."""
        self._core.abandon()
        await self._raw.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._core.abandon()
