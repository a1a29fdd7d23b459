""":func:`embed` and :func:`aembed`: vectors through the same routing, limit, retries, cache
and ``llm`` spans as chat calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assay.errors import UsageError
from assay.llm import _trace
from assay.llm._adapters import Adapter, adapter_for
from assay.llm._cache import DiskCache, active_cache, cache_key
from assay.llm._plan import remember
from assay.llm._route import Route, route
from assay.llm._run import run_async, run_sync
from assay.llm._types import Embeddings
from assay.sdk.wrappers._call import LLMCall


@dataclass(slots=True)
class _EmbedPlan:
    route: Route
    adapter: Adapter
    kwargs: dict[str, Any]
    store: DiskCache | None
    key: str


def _plan(
    texts: str | Sequence[str],
    model: str,
    provider: str | None,
    cache: bool | None,
    timeout: float | None,
    params: dict[str, Any],
) -> _EmbedPlan:
    where = route(model, provider)
    if where.provider.kind == "anthropic":
        raise UsageError(
            f"provider {where.provider.name!r} is an Anthropic provider, which has no "
            f"embeddings API (model {model!r}); embed with an OpenAI-compatible provider, "
            "e.g. model='text-embedding-3-small'"
        )
    items = [texts] if isinstance(texts, str) else list(texts)
    for i, text in enumerate(items):
        if not isinstance(text, str):
            raise UsageError(f"texts[{i}] is {text!r:.80}; embed takes strings")
    kwargs = {**params, "model": where.model, "input": items}
    if timeout is not None:
        kwargs["timeout"] = timeout
    store = active_cache(cache)
    key = ""
    if store is not None:
        key = cache_key(where.provider.kind, where.provider.base_url, "embed", kwargs)
    return _EmbedPlan(where, adapter_for(where.provider.kind), kwargs, store, key)


def _begin(plan: _EmbedPlan, params: dict[str, Any]) -> LLMCall | None:
    return _trace.begin(
        "embed",
        provider=plan.route.provider.name,
        model=plan.route.model,
        input=plan.kwargs["input"],
        params=params,
    )


def _cached(plan: _EmbedPlan) -> Embeddings | None:
    data = plan.store.get(plan.key) if plan.store is not None else None
    if data is None:
        return None
    try:
        vectors = [[float(x) for x in v] for v in data["vectors"]]
        return Embeddings(vectors, str(data["model"]), int(data["prompt_tokens"]))
    except (KeyError, TypeError, ValueError):
        return None


def _finish(plan: _EmbedPlan, call: LLMCall | None, result: Embeddings, attempts: int) -> None:
    if plan.store is not None and attempts:
        value = {
            "vectors": result.vectors,
            "model": result.model,
            "prompt_tokens": result.prompt_tokens,
        }
        remember(plan.store, plan.key, value)
    _trace.finish_embed(
        call,
        model=result.model,
        vectors=result.vectors,
        prompt_tokens=result.prompt_tokens,
        attempts=attempts,
        cached=attempts == 0,
    )


def embed(
    texts: str | Sequence[str],
    *,
    model: str,
    provider: str | None = None,
    cache: bool | None = None,
    timeout: float | None = None,
    **params: Any,
) -> list[list[float]]:
    """Embed texts, one vector per text, in order.

    Example::

        a, b = llm.embed(["refund policy", "how do I get my money back"],
                         model="text-embedding-3-small")

    Args:
        texts: The texts (a single string counts as one).
        model: The embedding model, routed like :func:`chat`'s (Anthropic has none).
        provider: The configured provider to call, whatever the model's name.
        cache: Answer an identical earlier call from the on-disk cache (default
            ``ASSAY_LLM_CACHE``).
        timeout: Seconds the request may take.
        **params: Passed through, e.g. ``dimensions``.

    Returns:
        The vectors; an empty list for no texts (no request is made).
    """
    plan = _plan(texts, model, provider, cache, timeout, params)
    if not plan.kwargs["input"]:
        return []
    call = _begin(plan, params)
    try:
        cached, attempts = _cached(plan), 0
        if cached is not None:
            result = cached
        else:
            adapter, kwargs = plan.adapter, plan.kwargs
            result, attempts = run_sync(
                plan.route, adapter, lambda client: adapter.embed(client, kwargs)
            )
        _finish(plan, call, result, attempts)
    except BaseException as exc:
        _trace.fail(call, exc)
        raise
    return result.vectors


async def aembed(
    texts: str | Sequence[str],
    *,
    model: str,
    provider: str | None = None,
    cache: bool | None = None,
    timeout: float | None = None,
    **params: Any,
) -> list[list[float]]:
    """Embed texts from async code; the arguments are those of :func:`embed`."""
    plan = _plan(texts, model, provider, cache, timeout, params)
    if not plan.kwargs["input"]:
        return []
    call = _begin(plan, params)
    try:
        cached, attempts = _cached(plan), 0
        if cached is not None:
            result = cached
        else:
            adapter, kwargs = plan.adapter, plan.kwargs
            result, attempts = await run_async(
                plan.route, adapter, lambda client: adapter.aembed(client, kwargs)
            )
        _finish(plan, call, result, attempts)
    except BaseException as exc:
        _trace.fail(call, exc)
        raise
    return result.vectors
