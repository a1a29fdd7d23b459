""":func:`chat` and :func:`achat`: cache, then concurrency limit and retries, then the adapter,
all inside one ``llm`` span."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, overload

from pydantic import BaseModel

from assay.llm import _trace
from assay.llm._cache import active_cache
from assay.llm._plan import Plan, build_response, cached_reply, make_plan, remember
from assay.llm._run import run_async, run_sync
from assay.llm._stream import AsyncChatStream, ChatStream, _Core
from assay.llm._types import ChatResponse
from assay.sdk.wrappers._call import LLMCall

Messages = str | Sequence[Mapping[str, Any]]
Tools = Sequence[Mapping[str, Any]] | None
ToolChoice = str | Mapping[str, Any] | None
ResponseFormat = type[BaseModel] | Mapping[str, Any] | None


@overload
def chat(
    messages: Messages,
    *,
    model: str,
    provider: str | None = None,
    tools: Tools = None,
    tool_choice: ToolChoice = None,
    response_format: ResponseFormat = None,
    stream: Literal[False] = False,
    cache: bool | None = None,
    timeout: float | None = None,
    **params: Any,
) -> ChatResponse: ...
@overload
def chat(
    messages: Messages,
    *,
    model: str,
    provider: str | None = None,
    tools: Tools = None,
    tool_choice: ToolChoice = None,
    response_format: ResponseFormat = None,
    stream: Literal[True],
    cache: bool | None = None,
    timeout: float | None = None,
    **params: Any,
) -> ChatStream: ...
def chat(
    messages: Messages,
    *,
    model: str,
    provider: str | None = None,
    tools: Tools = None,
    tool_choice: ToolChoice = None,
    response_format: ResponseFormat = None,
    stream: bool = False,
    cache: bool | None = None,
    timeout: float | None = None,
    **params: Any,
) -> ChatResponse | ChatStream:
    """Call a chat model and wait for its answer.

    Example::

        resp = llm.chat("Capital of France?", model="gpt-4o-mini", temperature=0)
        resp.content        # "Paris"

    Args:
        messages: One user message as a string, or OpenAI-style message dicts
            (``system``, ``user``, ``assistant`` with ``tool_calls``, ``tool``).
        model: The model; a ``name/`` prefix picks a configured provider (``vllm/llama3``),
            ``claude*`` goes to ``anthropic``, anything else to ``openai``.
        provider: The configured provider to call, whatever the model's name.
        tools: Functions the model may call: ``{"name", "description", "parameters"}`` or
            the OpenAI form ``{"type": "function", "function": {...}}``.
        tool_choice: ``"auto"``, ``"required"`` (some tool), ``"none"`` or
            ``{"name": "tool_name"}`` (that tool).
        response_format: A pydantic model class or a JSON schema dict; the answer is then
            JSON of that shape, validated into ``resp.parsed``.
        stream: True returns a :class:`ChatStream` of :class:`ChatChunk` instead.
        cache: Answer an identical earlier call from the on-disk cache (default
            ``ASSAY_LLM_CACHE``). Streams are never cached.
        timeout: Seconds one request may take.
        **params: Passed through: ``temperature``, ``max_tokens``, ``top_p``, ``seed``,
            ``stop``, ... (Anthropic defaults ``max_tokens`` to 1024 and ignores ``seed``).

    Returns:
        The :class:`ChatResponse`, or a :class:`ChatStream` with ``stream=True``.

    Raises:
        UsageError: An argument cannot be used, or no provider matches.
        ConfigError: The provider has no API key.
        ProviderError: The provider refused or failed the call (after retries where useful).
    """
    plan = make_plan(
        messages,
        model=model,
        provider=provider,
        tools=tools,
        tool_choice=tool_choice,
        response_format=response_format,
        timeout=timeout,
        params=params,
    )
    call = _begin(plan)
    try:
        if stream:
            return _open_stream(plan, call)
        return _answer_sync(plan, call, cache)
    except BaseException as exc:
        _trace.fail(call, exc)
        raise


@overload
async def achat(
    messages: Messages,
    *,
    model: str,
    provider: str | None = None,
    tools: Tools = None,
    tool_choice: ToolChoice = None,
    response_format: ResponseFormat = None,
    stream: Literal[False] = False,
    cache: bool | None = None,
    timeout: float | None = None,
    **params: Any,
) -> ChatResponse: ...
@overload
async def achat(
    messages: Messages,
    *,
    model: str,
    provider: str | None = None,
    tools: Tools = None,
    tool_choice: ToolChoice = None,
    response_format: ResponseFormat = None,
    stream: Literal[True],
    cache: bool | None = None,
    timeout: float | None = None,
    **params: Any,
) -> AsyncChatStream: ...
async def achat(
    messages: Messages,
    *,
    model: str,
    provider: str | None = None,
    tools: Tools = None,
    tool_choice: ToolChoice = None,
    response_format: ResponseFormat = None,
    stream: bool = False,
    cache: bool | None = None,
    timeout: float | None = None,
    **params: Any,
) -> ChatResponse | AsyncChatStream:
    """Call a chat model from async code; the arguments are those of :func:`chat`.

    Example::

        resp = await llm.achat("Capital of France?", model="claude-3-5-haiku-latest")

        async for chunk in await llm.achat("Tell me a story", model="gpt-4o", stream=True):
            print(chunk.delta, end="")

    Waiting for a concurrency slot or a retry never blocks the event loop. Each event loop
    gets its own async client, so calls from several loops (or threads running loops) work.

    Returns:
        The :class:`ChatResponse`, or an :class:`AsyncChatStream` with ``stream=True``.
    """
    plan = make_plan(
        messages,
        model=model,
        provider=provider,
        tools=tools,
        tool_choice=tool_choice,
        response_format=response_format,
        timeout=timeout,
        params=params,
    )
    call = _begin(plan)
    try:
        if stream:
            return await _open_async_stream(plan, call)
        return await _answer_async(plan, call, cache)
    except BaseException as exc:
        _trace.fail(call, exc)
        raise


def _begin(plan: Plan) -> LLMCall | None:
    return _trace.begin(
        "chat",
        provider=plan.route.provider.name,
        model=plan.route.model,
        input=plan.request.messages,
        params=plan.span_params,
    )


def _answer_sync(plan: Plan, call: LLMCall | None, cache: bool | None) -> ChatResponse:
    store = active_cache(cache)
    key = plan.cache_key() if store is not None else ""
    reply = cached_reply(store, key) if store is not None else None
    attempts = 0
    if reply is None:
        adapter, kwargs = plan.adapter, plan.kwargs
        raw, attempts = run_sync(
            plan.route, adapter, lambda client: adapter.create(client, kwargs, stream=False)
        )
        reply = adapter.parse(raw, plan.request)
        if store is not None:
            remember(store, key, reply.to_json())
    response = build_response(plan, reply, cached=attempts == 0)
    _trace.finish_chat(call, response, attempts=attempts)
    return response


async def _answer_async(plan: Plan, call: LLMCall | None, cache: bool | None) -> ChatResponse:
    store = active_cache(cache)
    key = plan.cache_key() if store is not None else ""
    reply = cached_reply(store, key) if store is not None else None
    attempts = 0
    if reply is None:
        adapter, kwargs = plan.adapter, plan.kwargs
        raw, attempts = await run_async(
            plan.route, adapter, lambda client: adapter.acreate(client, kwargs, stream=False)
        )
        reply = adapter.parse(raw, plan.request)
        if store is not None:
            remember(store, key, reply.to_json())
    response = build_response(plan, reply, cached=attempts == 0)
    _trace.finish_chat(call, response, attempts=attempts)
    return response


def _open_stream(plan: Plan, call: LLMCall | None) -> ChatStream:
    adapter, kwargs = plan.adapter, plan.kwargs
    raw, attempts = run_sync(
        plan.route,
        adapter,
        lambda client: adapter.create(client, kwargs, stream=True),
        keep_slot=True,
    )
    return ChatStream(raw, _Core(plan, call, attempts))


async def _open_async_stream(plan: Plan, call: LLMCall | None) -> AsyncChatStream:
    adapter, kwargs = plan.adapter, plan.kwargs
    raw, attempts = await run_async(
        plan.route,
        adapter,
        lambda client: adapter.acreate(client, kwargs, stream=True),
        keep_slot=True,
    )
    return AsyncChatStream(raw, _Core(plan, call, attempts))
