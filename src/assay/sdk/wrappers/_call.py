"""What the OpenAI and Anthropic wrappers share: one traced call and its ``llm`` span.

A :class:`LLMCall` starts its span before the request goes out (not made current, so a stream
that outlives the calling frame is fine), and ends it exactly once: when the answer arrived,
when the request failed, or when a stream was exhausted, closed or garbage collected.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from assay import prices
from assay.sdk._prompt import PromptMessages
from assay.sdk._span import Span, start_span
from assay.sdk._util import internal_error, to_plain, warn_once

#: Request arguments that never go into ``metadata.params``: the input itself, and transport
#: options that may carry secrets (headers) or say nothing about the model call.
_NOT_PARAMS = frozenset({"messages", "system", "input", "extra_headers", "extra_query", "timeout"})


def omitted(value: Any) -> bool:
    """True for the providers' "argument not given" sentinels (``NOT_GIVEN``, ``omit``)."""
    return type(value).__name__ in ("NotGiven", "Omit")


def request_params(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Every request argument except the input, as plain JSON data (a class by its name)."""
    return {
        key: value.__name__ if isinstance(value, type) else to_plain(value)
        for key, value in kwargs.items()
        if key not in _NOT_PARAMS and not omitted(value)
    }


def usage_metrics(
    model: str | None,
    prompt_tokens: float | None,
    completion_tokens: float | None,
    total_tokens: float | None = None,
) -> dict[str, float]:
    """Token counts, their total and the cost (when the model's price is known)."""
    metrics: dict[str, float] = {}
    if prompt_tokens is not None:
        metrics["prompt_tokens"] = prompt_tokens
    if completion_tokens is not None:
        metrics["completion_tokens"] = completion_tokens
    if total_tokens is None and (prompt_tokens is not None or completion_tokens is not None):
        total_tokens = (prompt_tokens or 0) + (completion_tokens or 0)
    if total_tokens is not None:
        metrics["total_tokens"] = total_tokens
    try:
        cost = prices.cost(model, prompt_tokens, completion_tokens)
    except Exception as exc:  # a broken ASSAY_PRICES_FILE must not break the traced program
        warn_once("prices", "assay: no cost recorded on llm spans: %s", exc)
        cost = None
    if cost is not None:
        metrics["cost"] = cost
    return metrics


class LLMCall:
    """One provider call being traced.

    Args:
        name: Span name, e.g. ``openai.chat.completions``.
        provider: ``openai`` or ``anthropic``.
        model: The requested model (replaced by the one the answer names).
        input: The request's messages, already snapshotted.
        params: Every other request argument.
        messages: The messages as passed; when ``Prompt.build`` made them, the prompt's name
            and version go into ``metadata.prompt`` and ``metadata.prompt_version``.
    """

    __slots__ = ("done", "first_item_at", "span", "started")

    def __init__(
        self,
        name: str,
        *,
        provider: str,
        model: Any,
        input: Any,
        params: dict[str, Any],
        messages: Any = None,
    ) -> None:
        metadata: dict[str, Any] = {"provider": provider, "params": params}
        if type(messages) is PromptMessages:
            metadata["prompt"] = getattr(messages, "prompt_name", None)
            metadata["prompt_version"] = getattr(messages, "prompt_version", None)
        self.span: Span = start_span(
            name,
            kind="llm",
            model=model if isinstance(model, str) else None,
            input=input,
            metadata=metadata,
        )
        self.started = time.perf_counter()
        self.first_item_at: float | None = None
        self.done = False

    def mark_item(self) -> None:
        """Note the arrival of a stream item (the first one gives time to first token)."""
        if self.first_item_at is None:
            self.first_item_at = time.perf_counter()

    def finish(
        self,
        *,
        output: Any = None,
        model: str | None = None,
        metrics: dict[str, float] | None = None,
        metadata: dict[str, Any] | None = None,
        error: BaseException | None = None,
    ) -> None:
        """Record the outcome and end the span; later calls do nothing."""
        if self.done:
            return
        self.done = True
        try:
            all_metrics = dict(metrics or {})
            if self.first_item_at is not None:
                all_metrics["time_to_first_token"] = self.first_item_at - self.started
            self.span.log(
                output=output,
                model=model or None,
                metrics=all_metrics or None,
                metadata=metadata or None,
            )
            if error is not None:
                self.span.record_exception(error)
        finally:
            self.span.end()

    def fail(self, error: BaseException) -> None:
        """End the span as failed by ``error`` (which the caller re-raises)."""
        try:
            self.finish(error=error)
        except Exception as exc:
            internal_error(exc, "llm span")


Begin = Callable[[dict[str, Any]], LLMCall]
Finish = Callable[[LLMCall, Any], Any]


def traced_method(
    original: Callable[..., Any], is_async: bool, begin: Begin, finish: Finish
) -> Callable[..., Any]:
    """Wrap a provider method: start a span, call it, hand the result to ``finish``.

    ``begin`` builds the span from the keyword arguments (it may replace a one-shot iterable of
    messages by a list, which it also passes on). ``finish`` records the result and returns
    what the caller gets: the same object. An exception from the provider ends the span as
    failed and propagates unchanged; a failure of the tracing itself never reaches the caller.
    """
    if is_async:

        async def run_async(*args: Any, **kwargs: Any) -> Any:
            call = _begin(begin, kwargs)
            if call is None:
                return await original(*args, **kwargs)
            try:
                result = await original(*args, **kwargs)
            except BaseException as exc:
                call.fail(exc)
                raise
            return _finish(finish, call, result)

        return run_async

    def run(*args: Any, **kwargs: Any) -> Any:
        call = _begin(begin, kwargs)
        if call is None:
            return original(*args, **kwargs)
        try:
            result = original(*args, **kwargs)
        except BaseException as exc:
            call.fail(exc)
            raise
        if inspect.iscoroutine(result):  # an async method behind a plain-function decorator
            return _finish_later(finish, call, result)
        return _finish(finish, call, result)

    return run


async def _finish_later(finish: Finish, call: LLMCall, pending: Coroutine[Any, Any, Any]) -> Any:
    try:
        result = await pending
    except BaseException as exc:
        call.fail(exc)
        raise
    return _finish(finish, call, result)


def _begin(begin: Begin, kwargs: dict[str, Any]) -> LLMCall | None:
    try:
        return begin(kwargs)
    except Exception as exc:
        internal_error(exc, "llm span")
        return None


def _finish(finish: Finish, call: LLMCall, result: Any) -> Any:
    try:
        return finish(call, result)
    except Exception as exc:
        call.finish()
        internal_error(exc, "llm span")
        return result


def listed(kwargs: dict[str, Any], key: str) -> Any:
    """``kwargs[key]`` as a list when it is a one-shot iterable (passed on as that list)."""
    value = kwargs.get(key)
    if value is not None and not isinstance(value, list | tuple | str | dict):
        value = list(value)
        kwargs[key] = value
    return value
