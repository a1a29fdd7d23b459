"""What every provider adapter offers, and the adapter of each provider kind.

An adapter turns a neutral :class:`~assay.llm._request.ChatRequest` into the keyword arguments
of its official client, makes the call, and turns the answer (or a stream of events, or an
exception) back into neutral form. The client libraries are imported on first use only.
"""

from __future__ import annotations

from typing import Any, Protocol

from assay.errors import UsageError
from assay.llm._request import ChatRequest
from assay.llm._retry import Failure
from assay.llm._route import Provider
from assay.llm._types import Embeddings, Reply


class Accumulator(Protocol):
    """Collects a stream's events into one :class:`Reply`."""

    def feed(self, event: Any) -> str | None:
        """Take one event; return the text it adds, if any."""
        ...

    def reply(self) -> Reply:
        """The whole answer so far."""
        ...


class Adapter(Protocol):
    """One provider kind's translation layer."""

    kind: str

    def make_client(self, provider: Provider, *, is_async: bool) -> Any:
        """A new official client for ``provider`` with the client's own retries off."""
        ...

    def is_async_client(self, client: Any) -> bool:
        """Whether ``client`` is the async flavour."""
        ...

    def prepare(self, request: ChatRequest) -> dict[str, Any]:
        """The keyword arguments of the client's create call (``stream`` aside)."""
        ...

    def create(self, client: Any, kwargs: dict[str, Any], *, stream: bool) -> Any:
        """Send the request with a blocking client."""
        ...

    async def acreate(self, client: Any, kwargs: dict[str, Any], *, stream: bool) -> Any:
        """Send the request with an async client."""
        ...

    def parse(self, raw: Any, request: ChatRequest) -> Reply:
        """The neutral form of a complete answer."""
        ...

    def accumulator(self, request: ChatRequest) -> Accumulator:
        """A collector for the events of a streamed answer."""
        ...

    def failure(self, exc: BaseException) -> Failure | None:
        """What went wrong, when ``exc`` is the client library's error; else None."""
        ...

    def embed(self, client: Any, kwargs: dict[str, Any]) -> Embeddings:
        """Embed with a blocking client."""
        ...

    async def aembed(self, client: Any, kwargs: dict[str, Any]) -> Embeddings:
        """Embed with an async client."""
        ...


def adapter_for(kind: str) -> Adapter:
    """The adapter of provider kind ``openai`` or ``anthropic``."""
    if kind == "openai":
        from assay.llm._openai import ADAPTER as openai_adapter

        return openai_adapter
    if kind == "anthropic":
        from assay.llm._anthropic import ADAPTER as anthropic_adapter

        return anthropic_adapter
    raise UsageError(f"provider kind {kind!r} is not supported; use 'openai' or 'anthropic'")


def split_params(params: dict[str, Any], accepted: frozenset[str]) -> dict[str, Any]:
    """Keyword arguments for a client call: what it accepts as is, the rest in ``extra_body``.

    Sending unknown parameters through ``extra_body`` lets OpenAI-compatible servers receive
    their own options (vLLM's ``top_k``, ...) and keeps working when a client release drops a
    keyword the API still takes.
    """
    kwargs: dict[str, Any] = {}
    extra: dict[str, Any] = dict(params.get("extra_body") or {})
    for key, value in params.items():
        if key == "extra_body":
            continue
        if key in accepted:
            kwargs[key] = value
        else:
            extra[key] = value
    if extra:
        kwargs["extra_body"] = extra
    return kwargs


def missing_sdk(package: str) -> UsageError:
    """The error for a provider kind whose client library is not installed."""
    return UsageError(
        f"assay.llm needs the {package!r} package to call {package} providers; "
        "pip install 'assay[llm]'"
    )
