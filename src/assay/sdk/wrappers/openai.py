"""``wrap_openai``: OpenAI chat completions and embeddings as ``llm`` spans.

Traced: ``chat.completions.create`` (plain and ``stream=True``), ``chat.completions.parse``,
``beta.chat.completions.parse`` where the SDK still has it, and ``embeddings.create``, on
``openai.OpenAI`` and ``openai.AsyncOpenAI`` (and subclasses such as ``AzureOpenAI``).
"""

from __future__ import annotations

from typing import Any, TypeVar

from assay.sdk._util import to_plain
from assay.sdk.wrappers._call import (
    LLMCall,
    listed,
    request_params,
    traced_method,
    usage_metrics,
)
from assay.sdk.wrappers._patch import Tracer, wrap_client
from assay.sdk.wrappers._stream import watch

__all__ = ["wrap_openai"]

C = TypeVar("C")


def wrap_openai(client: C) -> C:
    """Trace an OpenAI client's chat completions and embeddings as ``llm`` spans.

    Returns a copy of ``client`` of the same class that behaves the same (same return types,
    same exceptions, streams stay the SDK's own ``Stream`` objects); the client passed in is
    left untouched. Each call becomes a span with the model, the input messages, the
    assistant message (with tool calls), every other request parameter in
    ``metadata.params``, token counts, cost and, for streams, time to first token.

    Example::

        client = assay.wrap_openai(openai.OpenAI())
        client.chat.completions.create(model="gpt-4o-mini", messages=[...])

    Args:
        client: An ``openai.OpenAI`` or ``openai.AsyncOpenAI``.

    Returns:
        The traced copy.
    """
    return wrap_client(client, _TARGETS)


# ------------------------------------------------------------------------------------ chat


def _begin_chat(kwargs: dict[str, Any]) -> LLMCall:
    messages = listed(kwargs, "messages")
    return LLMCall(
        "openai.chat.completions",
        provider="openai",
        model=kwargs.get("model"),
        input=to_plain(messages),
        params=request_params(kwargs),
        messages=messages,
    )


def _finish_chat(call: LLMCall, result: Any) -> Any:
    from openai import AsyncStream, Stream

    if isinstance(result, Stream | AsyncStream):
        return watch(result, _ChunkRecorder(call), is_async=isinstance(result, AsyncStream))
    choices = getattr(result, "choices", None)
    if choices is None:  # e.g. a raw response from `with_raw_response`
        call.finish()
        return result
    messages = [_message(choice.message) for choice in choices]
    usage = getattr(result, "usage", None)
    metadata: dict[str, Any] = {"response_id": getattr(result, "id", None)}
    if choices:
        metadata["finish_reason"] = choices[0].finish_reason
    call.finish(
        output=messages[0] if len(messages) == 1 else messages,
        model=getattr(result, "model", None),
        metrics=_usage(getattr(result, "model", None) or call.span.model, usage),
        metadata=metadata,
    )
    return result


def _message(message: Any) -> dict[str, Any]:
    data: dict[str, Any] = message.model_dump(
        exclude_none=True, mode="json", exclude={"parsed"}, warnings=False
    )
    out = {k: v for k, v in data.items() if v != []}
    out.setdefault("role", "assistant")
    out.setdefault("content", None)
    return out


def _usage(model: str | None, usage: Any) -> dict[str, float]:
    if usage is None:
        return {}
    metrics = usage_metrics(
        model,
        getattr(usage, "prompt_tokens", None),
        getattr(usage, "completion_tokens", None),
        getattr(usage, "total_tokens", None),
    )
    cached = getattr(getattr(usage, "prompt_tokens_details", None), "cached_tokens", None)
    if cached:
        metrics["cached_tokens"] = cached
    reasoning = getattr(getattr(usage, "completion_tokens_details", None), "reasoning_tokens", None)
    if reasoning:
        metrics["reasoning_tokens"] = reasoning
    return metrics


class _ChunkRecorder:
    """Accumulates ``ChatCompletionChunk`` items into one assistant message."""

    def __init__(self, call: LLMCall) -> None:
        self.call = call
        self.text: list[str] = []
        self.tool_calls: dict[int, dict[str, Any]] = {}
        self.usage: Any = None
        self.model: str | None = None
        self.finish_reason: str | None = None
        self.response_id: str | None = None

    def item(self, chunk: Any) -> None:
        self.call.mark_item()
        self.model = getattr(chunk, "model", None) or self.model
        self.response_id = getattr(chunk, "id", None) or self.response_id
        if getattr(chunk, "usage", None) is not None:
            self.usage = chunk.usage
        for choice in getattr(chunk, "choices", None) or ():
            if choice.index != 0:
                continue
            delta = choice.delta
            if delta is not None and delta.content:
                self.text.append(delta.content)
            for tool in (delta.tool_calls if delta is not None else None) or ():
                self._tool_delta(tool)
            if choice.finish_reason:
                self.finish_reason = choice.finish_reason

    def _tool_delta(self, tool: Any) -> None:
        slot = self.tool_calls.setdefault(
            tool.index, {"id": None, "type": "function", "function": {"name": "", "arguments": ""}}
        )
        if tool.id:
            slot["id"] = tool.id
        function = tool.function
        if function is not None:
            slot["function"]["name"] += function.name or ""
            slot["function"]["arguments"] += function.arguments or ""

    def end(self, error: BaseException | None, *, closed_early: bool = False) -> None:
        if self.call.done:
            return
        output: dict[str, Any] = {"role": "assistant", "content": "".join(self.text) or None}
        if self.tool_calls:
            output["tool_calls"] = [self.tool_calls[i] for i in sorted(self.tool_calls)]
        metadata: dict[str, Any] = {"response_id": self.response_id, "stream": True}
        if self.finish_reason:
            metadata["finish_reason"] = self.finish_reason
        if closed_early and self.finish_reason is None:
            metadata["closed_early"] = True
        self.call.finish(
            output=output,
            model=self.model,
            metrics=_usage(self.model or self.call.span.model, self.usage),
            metadata=metadata,
            error=error,
        )


def _chat_tracer(original: Any, is_async: bool) -> Any:
    return traced_method(original, is_async, _begin_chat, _finish_chat)


# ------------------------------------------------------------------------------ embeddings


def _begin_embeddings(kwargs: dict[str, Any]) -> LLMCall:
    return LLMCall(
        "openai.embeddings",
        provider="openai",
        model=kwargs.get("model"),
        input=to_plain(listed(kwargs, "input")),
        params=request_params(kwargs),
    )


def _finish_embeddings(call: LLMCall, result: Any) -> Any:
    data = getattr(result, "data", None)
    if data is None:
        call.finish()
        return result
    first = data[0].embedding if data else []
    usage = getattr(result, "usage", None)
    model = getattr(result, "model", None)
    metrics = usage_metrics(
        model or call.span.model,
        getattr(usage, "prompt_tokens", None),
        None,
        getattr(usage, "total_tokens", None),
    )
    output = {
        "embeddings": len(data),
        "dimensions": len(first) if isinstance(first, list) else None,
    }
    call.finish(output=output, model=model, metrics=metrics)
    return result


def _embeddings_tracer(original: Any, is_async: bool) -> Any:
    return traced_method(original, is_async, _begin_embeddings, _finish_embeddings)


_TARGETS: dict[str, Tracer] = {
    "chat.completions.create": _chat_tracer,
    "chat.completions.parse": _chat_tracer,
    "beta.chat.completions.parse": _chat_tracer,
    "embeddings.create": _embeddings_tracer,
}
