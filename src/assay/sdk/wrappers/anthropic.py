"""``wrap_anthropic``: Anthropic Messages API calls as ``llm`` spans.

Traced: ``messages.create`` (plain and ``stream=True``), the ``messages.stream(...)`` helper and
``messages.parse`` where the SDK has it, on ``anthropic.Anthropic`` and
``anthropic.AsyncAnthropic``. The span's input is the chat in OpenAI form: the system prompt
first as a ``{"role": "system"}`` message, then the messages as sent. The output is one
assistant message whose ``tool_calls`` use the OpenAI shape, so both providers read alike.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from assay.sdk._util import internal_error, to_plain
from assay.sdk.wrappers._call import (
    LLMCall,
    listed,
    request_params,
    traced_method,
    usage_metrics,
)
from assay.sdk.wrappers._patch import Tracer, wrap_client
from assay.sdk.wrappers._stream import watch

__all__ = ["wrap_anthropic"]

C = TypeVar("C")
_BEGIN = "_assay_begin"


def wrap_anthropic(client: C) -> C:
    """Trace an Anthropic client's ``messages`` calls as ``llm`` spans.

    Returns a copy of ``client`` of the same class that behaves the same (same return types,
    same exceptions, same stream objects); the client passed in is left untouched. Each call
    becomes a span with the model, the system prompt and messages, the assistant message (text
    and tool uses), every other request parameter in ``metadata.params``, token counts, cost
    and, for streams, time to first token.

    Example::

        client = assay.wrap_anthropic(anthropic.Anthropic())
        client.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=[...])

    Args:
        client: An ``anthropic.Anthropic`` or ``anthropic.AsyncAnthropic``.

    Returns:
        The traced copy.
    """
    return wrap_client(client, _TARGETS)


def _begin(kwargs: dict[str, Any]) -> LLMCall:
    given = listed(kwargs, "messages")
    messages = to_plain(given) or []
    system = kwargs.get("system")
    if system is not None and type(system).__name__ not in ("NotGiven", "Omit"):
        messages = [{"role": "system", "content": to_plain(system)}, *messages]
    return LLMCall(
        "anthropic.messages",
        provider="anthropic",
        model=kwargs.get("model"),
        input=messages,
        params=request_params(kwargs),
        messages=given,
    )


def _finish(call: LLMCall, result: Any) -> Any:
    from anthropic import AsyncStream, Stream

    if isinstance(result, Stream | AsyncStream):
        return watch(result, _EventRecorder(call), is_async=isinstance(result, AsyncStream))
    content = getattr(result, "content", None)
    if content is None:  # e.g. a raw response from `with_raw_response`
        call.finish()
        return result
    blocks = [to_plain(block) for block in content]
    model = getattr(result, "model", None)
    call.finish(
        output=_assistant(blocks),
        model=model,
        metrics=_usage(model or call.span.model, getattr(result, "usage", None)),
        metadata={"response_id": getattr(result, "id", None), "stop_reason": result.stop_reason},
    )
    return result


def _assistant(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """One assistant message in OpenAI form from Anthropic content blocks."""
    text = [b.get("text") or "" for b in blocks if b.get("type") == "text"]
    message: dict[str, Any] = {"role": "assistant", "content": "".join(text) if text else None}
    tools = [
        {
            "id": b.get("id"),
            "type": "function",
            "function": {"name": b.get("name"), "arguments": json.dumps(b.get("input"))},
        }
        for b in blocks
        if b.get("type") == "tool_use"
    ]
    if tools:
        message["tool_calls"] = tools
    thinking = [b.get("thinking") or "" for b in blocks if b.get("type") == "thinking"]
    if thinking:
        message["reasoning"] = "".join(thinking)
    return message


def _usage(model: str | None, usage: Any) -> dict[str, float]:
    if usage is None:
        return {}
    cache_read = getattr(usage, "cache_read_input_tokens", None) or 0
    cache_write = getattr(usage, "cache_creation_input_tokens", None) or 0
    prompt = (getattr(usage, "input_tokens", None) or 0) + cache_read + cache_write
    metrics = usage_metrics(model, prompt, getattr(usage, "output_tokens", None))
    if cache_read:
        metrics["cache_read_tokens"] = cache_read
    if cache_write:
        metrics["cache_write_tokens"] = cache_write
    return metrics


class _EventRecorder:
    """Accumulates Messages API stream events into one assistant message.

    Works on the raw events of ``create(stream=True)`` and on the events of the
    ``messages.stream()`` helper (which passes the raw events through, plus its own).
    """

    def __init__(self, call: LLMCall) -> None:
        self.call = call
        self.blocks: dict[int, dict[str, Any]] = {}
        self.json: dict[int, list[str]] = {}
        self.usage: dict[str, int] = {}
        self.model: str | None = None
        self.response_id: str | None = None
        self.stop_reason: str | None = None

    def item(self, event: Any) -> None:
        self.call.mark_item()
        kind = getattr(event, "type", None)
        if kind == "message_start":
            self.model = event.message.model
            self.response_id = event.message.id
            self._add_usage(event.message.usage)
        elif kind == "content_block_start":
            self.blocks[event.index] = to_plain(event.content_block)
        elif kind == "content_block_delta":
            self._delta(event.index, event.delta)
        elif kind == "message_delta":
            self.stop_reason = event.delta.stop_reason or self.stop_reason
            self._add_usage(event.usage)

    def _delta(self, index: int, delta: Any) -> None:
        block = self.blocks.setdefault(index, {"type": "text", "text": ""})
        kind = getattr(delta, "type", None)
        if kind == "text_delta":
            block["text"] = (block.get("text") or "") + delta.text
        elif kind == "input_json_delta":
            self.json.setdefault(index, []).append(delta.partial_json)
        elif kind == "thinking_delta":
            block["thinking"] = (block.get("thinking") or "") + delta.thinking

    def _add_usage(self, usage: Any) -> None:
        for key in ("input_tokens", "output_tokens", "cache_read_input_tokens"):
            value = getattr(usage, key, None)
            if value is not None:
                self.usage[key] = value
        value = getattr(usage, "cache_creation_input_tokens", None)
        if value is not None:
            self.usage["cache_creation_input_tokens"] = value

    def _blocks(self) -> list[dict[str, Any]]:
        blocks = []
        for index in sorted(self.blocks):
            block = self.blocks[index]
            if index in self.json:
                raw = "".join(self.json[index])
                try:
                    block["input"] = json.loads(raw) if raw else {}
                except ValueError:
                    block["input"] = raw
            blocks.append(block)
        return blocks

    def end(self, error: BaseException | None, *, closed_early: bool = False) -> None:
        if self.call.done:
            return
        metadata: dict[str, Any] = {"response_id": self.response_id, "stream": True}
        if self.stop_reason:
            metadata["stop_reason"] = self.stop_reason
        if closed_early and self.stop_reason is None:
            metadata["closed_early"] = True
        usage = _Usage(self.usage) if self.usage else None
        self.call.finish(
            output=_assistant(self._blocks()),
            model=self.model,
            metrics=_usage(self.model or self.call.span.model, usage),
            metadata=metadata,
            error=error,
        )


class _Usage:
    def __init__(self, values: dict[str, int]) -> None:
        self.__dict__.update(values)


def _tracer(original: Any, is_async: bool) -> Any:
    return traced_method(original, is_async, _begin, _finish)


# ------------------------------------------------------------------ the messages.stream helper


def _stream_tracer(original: Any, is_async: bool) -> Any:
    def stream(*args: Any, **kwargs: Any) -> Any:
        return _watch_manager(original(*args, **kwargs), kwargs)

    return stream


def _watch_manager(manager: Any, kwargs: dict[str, Any]) -> Any:
    try:
        manager.__dict__[_BEGIN] = lambda: _begin(kwargs)
        manager.__class__ = _manager_class(type(manager))
    except Exception as exc:
        internal_error(exc, "wrap_anthropic messages.stream")
    return manager


_manager_classes: dict[type, type] = {}


def _manager_class(base: type) -> type:
    """A subclass of the stream manager whose ``__enter__`` opens the span and watches."""
    if base in _manager_classes.values():
        return base
    cls = _manager_classes.get(base)
    if cls is not None:
        return cls
    methods: dict[str, Any] = {
        "__doc__": base.__doc__,
        "__qualname__": base.__qualname__,
        "__module__": base.__module__,
    }
    if hasattr(base, "__enter__"):
        methods["__enter__"] = _enter
    if hasattr(base, "__aenter__"):
        methods["__aenter__"] = _aenter
    cls = type(base.__name__, (base,), methods)
    _manager_classes[base] = cls
    return cls


def _enter(self: Any) -> Any:
    base_enter = super(type(self), self).__enter__
    call = _start(self)
    if call is None:
        return base_enter()
    try:
        stream = base_enter()
    except BaseException as exc:
        call.fail(exc)
        raise
    return watch(stream, _EventRecorder(call), is_async=False)


async def _aenter(self: Any) -> Any:
    base_enter = super(type(self), self).__aenter__
    call = _start(self)
    if call is None:
        return await base_enter()
    try:
        stream = await base_enter()
    except BaseException as exc:
        call.fail(exc)
        raise
    return watch(stream, _EventRecorder(call), is_async=True)


def _start(manager: Any) -> LLMCall | None:
    try:
        call: LLMCall = manager.__dict__[_BEGIN]()
    except Exception as exc:
        internal_error(exc, "llm span")
        return None
    return call


_TARGETS: dict[str, Tracer] = {
    "messages.create": _tracer,
    "messages.parse": _tracer,
    "messages.stream": _stream_tracer,
}
