"""Configured providers, and which one a model name goes to.

Two providers exist from the start: ``openai`` and ``anthropic``, reading the official clients'
variables (``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``ANTHROPIC_API_KEY``,
``ANTHROPIC_BASE_URL``). :func:`configure_provider` adds more or replaces these. Each provider
keeps its clients (one sync client, one async client per running event loop) and its
concurrency limit, shared by every call of the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import weakref
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from assay import config
from assay.errors import ConfigError, UsageError
from assay.llm._limit import Limiter

Kind = Literal["openai", "anthropic"]
KINDS: tuple[str, ...] = ("openai", "anthropic")
BUILTIN: tuple[str, ...] = ("anthropic", "openai")

_KEY_ENV = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
_URL_ENV = {"openai": "OPENAI_BASE_URL", "anthropic": "ANTHROPIC_BASE_URL"}
_DEFAULT_URL = {"openai": "https://api.openai.com/v1", "anthropic": "https://api.anthropic.com"}


@dataclass(frozen=True, slots=True)
class Provider:
    """A configured model provider.

    Attributes:
        name: What calls name it by (``provider=`` or a ``name/`` model prefix).
        kind: The wire format: ``openai`` (any OpenAI-compatible server) or ``anthropic``.
        base_url: Where requests go.
        api_key: The key sent (never shown in messages or ``repr``).
        concurrency: Most calls in flight at once, across the process.
        max_retries: Retries on 429, 5xx, timeouts and connection errors.
        tools: Whether the provider supports tool calls (judges fall back to structured
            output when it does not).
        backoff_base: First retry waits up to this many seconds; each retry doubles it.
        backoff_cap: Longest wait between retries, in seconds (Retry-After aside).
    """

    name: str
    kind: Kind
    base_url: str
    api_key: str | None = field(repr=False)
    concurrency: int
    max_retries: int
    tools: bool = True
    backoff_base: float = 0.5
    backoff_cap: float = 30.0


class Live:
    """A provider in use: its settings, concurrency limit and lazily made clients."""

    def __init__(self, provider: Provider, client: Any = None) -> None:
        self.provider = provider
        self.limiter = Limiter(provider.concurrency)
        self._given = client
        self._given_copy: Any = None
        self._sync: Any = None
        self._async: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[Any, AsyncGenerator[None, None]]
        ] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def sync_client(self) -> Any:
        """The provider's blocking client, made on first use."""
        client = self._sync
        if client is None:
            with self._lock:
                if self._sync is None:
                    self._sync = self._make(is_async=False)
                client = self._sync
        return client

    def async_client(self) -> Any:
        """The provider's async client for the running event loop, made on first use there."""
        loop = asyncio.get_running_loop()
        entry = self._async.get(loop)
        if entry is None:
            with self._lock:
                entry = self._async.get(loop)
                if entry is None:
                    client = self._make(is_async=True)
                    owned = client is not self._given_copy
                    entry = (client, _closer(client, owned=owned, forget=self._forget))
                    self._async[loop] = entry
        return entry[0]

    def _forget(self) -> None:
        """Drop the running loop's client (its loop is shutting down)."""
        with self._lock:
            self._async.pop(asyncio.get_running_loop(), None)

    def _make(self, *, is_async: bool) -> Any:
        from assay.llm._adapters import adapter_for

        adapter = adapter_for(self.provider.kind)
        given = self._given
        if given is not None and adapter.is_async_client(given) == is_async:
            self._given_copy = given.with_options(max_retries=0)
            return self._given_copy
        return adapter.make_client(self.provider, is_async=is_async)


def _closer(client: Any, *, owned: bool, forget: Callable[[], None]) -> AsyncGenerator[None, None]:
    """A started async generator that closes ``client`` when its event loop shuts down.

    ``asyncio.run`` closes the async generators of its loop before closing the loop, inside
    it: the client's connections are closed there, instead of by the client's ``__del__``
    in some later loop, where closing them fails with "Event loop is closed".
    """

    async def close_with_loop() -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            forget()
            if owned:  # a client made from the user's one shares its connections: leave it
                await client.close()

    gen = close_with_loop()
    with contextlib.suppress(StopIteration):
        gen.asend(None).send(None)  # run to the first `yield`: the loop now tracks it
    return gen


class _Registry:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.live: dict[str, Live] = {}

    def get(self, name: str) -> Live | None:
        live = self.live.get(name)
        if live is None and name in BUILTIN:
            with self.lock:
                live = self.live.get(name)
                if live is None:
                    live = Live(_provider(name, kind=name))  # type: ignore[arg-type]
                    self.live[name] = live
        return live

    def names(self) -> list[str]:
        return sorted({*self.live, *BUILTIN})


_registry = _Registry()


def _provider(
    name: str,
    *,
    kind: Kind,
    base_url: str | None = None,
    api_key: str | None = None,
    concurrency: int | None = None,
    max_retries: int | None = None,
    tools: bool = True,
    backoff_base: float = 0.5,
    backoff_cap: float = 30.0,
) -> Provider:
    builtin = name in BUILTIN and name == kind
    if base_url is None:
        base_url = (os.environ.get(_URL_ENV[kind]) if builtin else None) or _DEFAULT_URL[kind]
    if api_key is None and (builtin or base_url == _DEFAULT_URL[kind]):
        api_key = os.environ.get(_KEY_ENV[kind]) or None
    if concurrency is None:
        concurrency = int(config.get("llm_concurrency"))
    if max_retries is None:
        max_retries = int(config.get("llm_max_retries"))
    if concurrency < 1:
        raise ConfigError(
            f"concurrency of provider {name!r} is {concurrency}; use 1 or more "
            "(configure_provider(..., concurrency=N) or ASSAY_LLM_CONCURRENCY)"
        )
    if max_retries < 0:
        raise ConfigError(
            f"max_retries of provider {name!r} is {max_retries}; use 0 or more "
            "(configure_provider(..., max_retries=N) or ASSAY_LLM_MAX_RETRIES)"
        )
    return Provider(
        name=name,
        kind=kind,
        base_url=base_url.rstrip("/"),
        api_key=api_key,
        concurrency=concurrency,
        max_retries=max_retries,
        tools=tools,
        backoff_base=backoff_base,
        backoff_cap=backoff_cap,
    )


def configure_provider(
    name: str,
    *,
    kind: Kind | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    concurrency: int | None = None,
    max_retries: int | None = None,
    tools: bool = True,
    client: Any = None,
    backoff_base: float = 0.5,
    backoff_cap: float = 30.0,
) -> Provider:
    """Add a provider, or replace one (``openai`` and ``anthropic`` included).

    Example::

        llm.configure_provider("vllm", base_url="http://gpu-box:8000/v1", concurrency=64)
        llm.chat("hi", model="vllm/llama-3.1-8b")

    Args:
        name: How calls name it: ``provider="vllm"`` or the model prefix ``vllm/``.
        kind: ``openai`` for any OpenAI-compatible server (OpenAI, Azure OpenAI, vLLM, Ollama,
            OpenRouter, ...) or ``anthropic``. Default: the kind of ``client``, else
            ``anthropic`` for the name ``anthropic``, else ``openai``.
        base_url: Where requests go. For ``openai`` and ``anthropic`` the default follows the
            official clients (``OPENAI_BASE_URL``, ``ANTHROPIC_BASE_URL``).
        api_key: The key to send. ``openai`` and ``anthropic`` default to ``OPENAI_API_KEY``
            and ``ANTHROPIC_API_KEY``; another provider gets no key from the environment
            (so yours is never sent to a server you did not mean) unless its ``base_url`` is
            the official API's, only this argument.
        concurrency: Most calls in flight at once (default ``ASSAY_LLM_CONCURRENCY``, 16).
        max_retries: Retries on 429, 5xx, timeouts and connection errors (default
            ``ASSAY_LLM_MAX_RETRIES``, 4).
        tools: False when the provider cannot call tools; judges then ask for structured
            output instead.
        client: A ready-made official client (``openai.OpenAI``, ``openai.AsyncOpenAI``,
            ``anthropic.Anthropic`` or ``anthropic.AsyncAnthropic``) to use, with its own
            retries turned off; its ``base_url`` and ``api_key`` are the defaults of the
            clients made for the other mode. An async client serves one event loop only.
        backoff_base: The first retry waits a random time up to this many seconds; each
            further retry doubles the bound.
        backoff_cap: The longest wait between two retries (a ``Retry-After`` aside).

    Returns:
        The provider's settings.

    Raises:
        UsageError: The name or kind cannot be used.
        ConfigError: ``concurrency`` or ``max_retries`` is out of range.
    """
    if not name or "/" in name:
        raise UsageError(
            f"provider name {name!r} cannot be used; give a non-empty name without '/', e.g. 'vllm'"
        )
    if kind is None:
        kind = (
            _kind_of(client)
            if client is not None
            else "anthropic"
            if name == "anthropic"
            else "openai"
        )
    if kind not in KINDS:
        raise UsageError(
            f"provider kind {kind!r} is not supported; use 'openai' (any OpenAI-compatible "
            "server) or 'anthropic'"
        )
    if client is not None:
        base_url = base_url or str(client.base_url)
        api_key = api_key or getattr(client, "api_key", None)
    provider = _provider(
        name,
        kind=kind,
        base_url=base_url,
        api_key=api_key,
        concurrency=concurrency,
        max_retries=max_retries,
        tools=tools,
        backoff_base=backoff_base,
        backoff_cap=backoff_cap,
    )
    with _registry.lock:
        _registry.live[name] = Live(provider, client)
    return provider


def _kind_of(client: Any) -> Kind:
    module = type(client).__module__.split(".")[0]
    if module in KINDS:
        return module  # type: ignore[return-value]
    raise UsageError(
        f"client {type(client).__name__} from {module!r} is not an official openai or "
        "anthropic client; pass one of those, or base_url= and api_key= instead"
    )


def reset_providers() -> None:
    """Forget every configured provider and client; ``openai`` and ``anthropic`` start over."""
    with _registry.lock:
        _registry.live.clear()


def get_provider(name: str) -> Provider:
    """The settings of the provider called ``name``.

    Raises:
        UsageError: No provider has that name.
    """
    return _live(name).provider


def _live(name: str) -> Live:
    live = _registry.get(name)
    if live is None:
        raise UsageError(
            f"provider {name!r} is not configured; configured: {', '.join(_registry.names())}. "
            f"Add it with assay.llm.configure_provider({name!r}, base_url=..., api_key=...)"
        )
    return live


@dataclass(frozen=True, slots=True)
class Route:
    """Where a call goes: the provider and the model name as sent to it."""

    live: Live
    model: str

    @property
    def provider(self) -> Provider:
        """The provider's settings."""
        return self.live.provider


def route(model: str, provider: str | None = None) -> Route:
    """Pick the provider of a call.

    ``provider=`` wins; else a ``name/`` prefix naming a configured provider (dropped from the
    model name); else ``claude*`` models go to ``anthropic`` and the rest to ``openai``. A model
    name with another ``/`` (``meta-llama/llama-3``) needs ``provider=`` or a provider prefix.

    Raises:
        UsageError: The provider or the model's prefix names no configured provider.
    """
    if not model or not isinstance(model, str):
        raise UsageError(f"model is {model!r}; name a model, e.g. model='gpt-4o-mini'")
    if provider is not None:
        live = _live(provider)
        prefix, _, rest = model.partition("/")
        return Route(live, rest if prefix == provider and rest else model)
    prefix, slash, rest = model.partition("/")
    if slash:
        live_or_none = _registry.get(prefix)
        if live_or_none is None or not rest:
            raise UsageError(
                f"model {model!r} starts with {prefix + '/'!r}, which names no configured "
                f"provider (configured: {', '.join(_registry.names())}); pass provider=... to "
                f"send a name containing '/' as it is, or configure_provider({prefix!r}, ...)"
            )
        return Route(live_or_none, rest)
    return Route(_live("anthropic" if model.startswith("claude") else "openai"), model)


def supports_tools(model: str, *, provider: str | None = None) -> bool:
    """Whether the provider a call to ``model`` goes to can call tools.

    Args:
        model: The model, routed as :func:`route` does.
        provider: The configured provider, if named.

    Raises:
        UsageError: No configured provider matches.
    """
    return route(model, provider).provider.tools
