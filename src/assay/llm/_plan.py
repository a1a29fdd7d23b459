"""A chat call made ready to send: routed, checked, translated; and the response built after."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from assay import prices
from assay.errors import ConfigError, UsageError
from assay.llm._adapters import Adapter, adapter_for
from assay.llm._cache import DiskCache, cache_key
from assay.llm._request import ChatRequest, build_request, parse_structured
from assay.llm._route import Route, route
from assay.llm._types import ChatResponse, Reply
from assay.sdk._util import warn_once


@dataclass(slots=True)
class Plan:
    """Everything a chat call needs once its arguments are checked."""

    route: Route
    adapter: Adapter
    request: ChatRequest
    kwargs: dict[str, Any]
    span_params: dict[str, Any]
    started: float

    def cache_key(self) -> str:
        """The key of this call in the on-disk cache."""
        provider = self.route.provider
        return cache_key(provider.kind, provider.base_url, "chat", self.kwargs)


def make_plan(
    messages: str | Sequence[Mapping[str, Any]],
    *,
    model: str,
    provider: str | None,
    tools: Sequence[Mapping[str, Any]] | None,
    tool_choice: str | Mapping[str, Any] | None,
    response_format: type[BaseModel] | Mapping[str, Any] | None,
    timeout: float | None,
    params: dict[str, Any],
) -> Plan:
    """Route and check a call, and build the provider's request.

    Raises:
        UsageError: An argument cannot be used, or the provider is unknown.
    """
    started = time.perf_counter()
    where = route(model, provider)
    if tools and not where.provider.tools:
        raise UsageError(
            f"provider {where.provider.name!r} is configured with tools=False, but tools were "
            "passed; drop them, or configure_provider(..., tools=True) if it supports tools"
        )
    request = build_request(
        messages,
        model=where.model,
        tools=tools,
        tool_choice=tool_choice,
        response_format=response_format,
        timeout=timeout,
        params=params,
    )
    adapter = adapter_for(where.provider.kind)
    span_params = {
        **params,
        "tools": list(tools) if tools else None,
        "tool_choice": tool_choice,
        "response_format": response_format,
    }
    return Plan(
        route=where,
        adapter=adapter,
        request=request,
        kwargs=adapter.prepare(request),
        span_params={k: v for k, v in span_params.items() if v is not None},
        started=started,
    )


def build_response(plan: Plan, reply: Reply, *, cached: bool) -> ChatResponse:
    """The caller's :class:`ChatResponse` from a reply (fresh or cached)."""
    parsed: Any = None
    parse_error: str | None = None
    spec = plan.request.structured
    if spec is not None:
        if reply.refusal:
            parse_error = f"the model refused to answer: {reply.refusal}"
        else:
            parsed, parse_error = parse_structured(spec, reply.content)
    model = reply.model or plan.route.model
    usage = reply.usage
    return ChatResponse(
        content=reply.content,
        tool_calls=list(reply.tool_calls),
        parsed=parsed,
        model=model,
        provider=plan.route.provider.name,
        usage=usage,
        cost=cost(model, usage.prompt_tokens, usage.completion_tokens),
        finish_reason=reply.finish_reason,
        cached=cached,
        latency_ms=(time.perf_counter() - plan.started) * 1000,
        parse_error=parse_error,
    )


def cost(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """USD from the price table; None (and one warning) when the table cannot be read."""
    try:
        return prices.cost(model, prompt_tokens, completion_tokens)
    except ConfigError as exc:
        warn_once("llm-prices", "assay: no cost recorded for model calls: %s", exc)
        return None


def cached_reply(store: DiskCache, key: str) -> Reply | None:
    """The cached reply of ``key``; None when absent or unreadable."""
    data = store.get(key)
    if data is None:
        return None
    try:
        return Reply.from_json(data)
    except (KeyError, TypeError, ValueError):
        return None


def remember(store: DiskCache, key: str, value: dict[str, Any]) -> None:
    """Store an answer; a cache that cannot be written costs a warning, never the answer."""
    try:
        store.put(key, value)
    except OSError as exc:
        warn_once(
            "llm-cache", "assay: cannot write the model-call cache in %s: %s", store.folder, exc
        )
