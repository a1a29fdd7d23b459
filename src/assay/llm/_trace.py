"""The ``llm`` span of each call, recorded the way the OpenAI/Anthropic wrappers record theirs.

The span is a child of the current span and is never made current itself. It holds the input
messages (OpenAI form), the assistant message, the model, the call's parameters in
``metadata.params``, the provider's name, token counts and cost in ``metrics`` (plus time to
first token for streams) and the error of a failed call. A cache hit spends nothing, so its span
has ``metadata.cached = true`` and no token or cost metrics. Failures of the tracing itself never
reach the caller.
"""

from __future__ import annotations

from typing import Any

from assay.llm._types import ChatResponse
from assay.sdk._util import internal_error
from assay.sdk.wrappers._call import LLMCall, request_params, usage_metrics


def begin(
    operation: str, *, provider: str, model: str, input: Any, params: dict[str, Any]
) -> LLMCall | None:
    """Start the span of one call (``operation`` is ``chat`` or ``embed``)."""
    try:
        return LLMCall(
            f"llm.{operation}",
            provider=provider,
            model=model,
            input=input,
            params=request_params(params),
        )
    except Exception as exc:
        internal_error(exc, "llm span")
        return None


def finish_chat(
    call: LLMCall | None, response: ChatResponse, *, attempts: int, stream: bool = False
) -> None:
    """End a chat span with the answer."""
    if call is None:
        return
    try:
        metadata: dict[str, Any] = {"finish_reason": response.finish_reason}
        if response.cached:
            metadata["cached"] = True
        if attempts > 1:
            metadata["attempts"] = attempts
        if stream:
            metadata["stream"] = True
        if response.parse_error:
            metadata["parse_error"] = response.parse_error
        usage = response.usage
        metrics = (
            {}
            if response.cached
            else usage_metrics(
                response.model, usage.prompt_tokens, usage.completion_tokens, usage.total_tokens
            )
        )
        call.finish(
            output=response.message, model=response.model, metrics=metrics, metadata=metadata
        )
    except Exception as exc:
        call.finish()
        internal_error(exc, "llm span")


def finish_embed(
    call: LLMCall | None,
    *,
    model: str,
    vectors: list[list[float]],
    prompt_tokens: int | None,
    attempts: int,
    cached: bool,
) -> None:
    """End an embedding span: how many vectors of which size, and the tokens."""
    if call is None:
        return
    try:
        metadata: dict[str, Any] = {"cached": True} if cached else {}
        if attempts > 1:
            metadata["attempts"] = attempts
        output = {"embeddings": len(vectors), "dimensions": len(vectors[0]) if vectors else 0}
        metrics = {} if cached else usage_metrics(model, prompt_tokens, None, prompt_tokens)
        call.finish(output=output, model=model, metrics=metrics, metadata=metadata)
    except Exception as exc:
        call.finish()
        internal_error(exc, "llm span")


def closed_early(call: LLMCall | None, partial: dict[str, Any]) -> None:
    """End the span of a stream that was closed before its end."""
    if call is not None:
        try:
            call.finish(output=partial, metadata={"stream": True, "closed_early": True})
        except Exception as exc:
            internal_error(exc, "llm span")


def fail(call: LLMCall | None, error: BaseException) -> None:
    """End the span as failed by ``error``."""
    if call is not None:
        call.fail(error)
