"""The adapter of OpenAI-compatible providers, over the official ``openai`` client.

Messages and tools already are in OpenAI form; a forced tool becomes
``{"type": "function", "function": {"name": ...}}`` and structured output a ``json_schema``
``response_format``. Streams ask for ``stream_options.include_usage`` so the last event carries
the token counts.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from assay.errors import ConfigError
from assay.llm._adapters import missing_sdk, split_params
from assay.llm._request import ChatRequest
from assay.llm._retry import Failure, describe
from assay.llm._route import Provider
from assay.llm._types import Embeddings, Reply, ToolCall, Usage, parse_arguments


def _sdk() -> Any:
    try:
        import openai
    except ImportError:
        raise missing_sdk("openai") from None
    return openai


@functools.cache
def _accepted(kind: str) -> frozenset[str]:
    """Keyword arguments the installed client's create call takes."""
    openai = _sdk()
    method = openai.resources.chat.Completions.create
    if kind == "embeddings":
        method = openai.resources.Embeddings.create
    return frozenset(inspect.signature(method).parameters) - {"self"}


class OpenAIAdapter:
    """Chat completions and embeddings of any OpenAI-compatible server."""

    kind = "openai"

    def make_client(self, provider: Provider, *, is_async: bool) -> Any:
        openai = _sdk()
        api_key = provider.api_key
        if api_key is None:
            if provider.name == "openai":
                raise ConfigError(
                    f"no API key for provider 'openai' (base_url {provider.base_url}); set "
                    "OPENAI_API_KEY or configure_provider('openai', api_key=...)"
                )
            api_key = "none"  # local servers (vLLM, Ollama) need no key, the client wants one
        cls = openai.AsyncOpenAI if is_async else openai.OpenAI
        return cls(base_url=provider.base_url, api_key=api_key, max_retries=0)

    def is_async_client(self, client: Any) -> bool:
        return isinstance(client, _sdk().AsyncOpenAI)

    def prepare(self, request: ChatRequest) -> dict[str, Any]:
        kwargs = split_params(request.params, _accepted("chat"))
        kwargs["model"] = request.model
        kwargs["messages"] = request.messages
        if request.tools:
            kwargs["tools"] = [{"type": "function", "function": t} for t in request.tools]
        choice = request.tool_choice
        if isinstance(choice, dict):
            kwargs["tool_choice"] = {"type": "function", "function": {"name": choice["name"]}}
        elif choice is not None:
            kwargs["tool_choice"] = choice
        spec = request.structured
        if spec is not None:
            kwargs["response_format"] = spec.openai_format or {
                "type": "json_schema",
                "json_schema": {"name": spec.name, "schema": spec.schema, "strict": spec.strict},
            }
        if request.timeout is not None:
            kwargs["timeout"] = request.timeout
        return kwargs

    def create(self, client: Any, kwargs: dict[str, Any], *, stream: bool) -> Any:
        if stream:
            return client.chat.completions.create(**kwargs, **_STREAM)
        return client.chat.completions.create(**kwargs)

    async def acreate(self, client: Any, kwargs: dict[str, Any], *, stream: bool) -> Any:
        if stream:
            return await client.chat.completions.create(**kwargs, **_STREAM)
        return await client.chat.completions.create(**kwargs)

    def parse(self, raw: Any, request: ChatRequest) -> Reply:
        choices = getattr(raw, "choices", None) or []
        message = choices[0].message if choices else None
        calls = [
            _tool_call(c.id, c.function.name, c.function.arguments)
            for c in (getattr(message, "tool_calls", None) or [])
            if getattr(c, "function", None) is not None
        ]
        return Reply(
            content=getattr(message, "content", None),
            tool_calls=calls,
            model=getattr(raw, "model", None) or request.model,
            usage=_usage(getattr(raw, "usage", None)),
            finish_reason=choices[0].finish_reason if choices else None,
            refusal=getattr(message, "refusal", None),
        )

    def accumulator(self, request: ChatRequest) -> _Chunks:
        return _Chunks(request.model)

    def failure(self, exc: BaseException) -> Failure | None:
        openai = _sdk()
        return describe(
            exc,
            status_error=openai.APIStatusError,
            connection_error=openai.APIConnectionError,
            api_error=openai.APIError,
        )

    def embed(self, client: Any, kwargs: dict[str, Any]) -> Embeddings:
        return _embeddings(client.embeddings.create(**_embed_kwargs(kwargs)), kwargs["model"])

    async def aembed(self, client: Any, kwargs: dict[str, Any]) -> Embeddings:
        raw = await client.embeddings.create(**_embed_kwargs(kwargs))
        return _embeddings(raw, kwargs["model"])


_STREAM: dict[str, Any] = {"stream": True, "stream_options": {"include_usage": True}}


def _tool_call(call_id: Any, name: Any, arguments: Any) -> ToolCall:
    raw = arguments if isinstance(arguments, str) else ""
    return ToolCall(str(call_id or ""), str(name or ""), parse_arguments(raw), raw)


def _usage(usage: Any) -> Usage:
    if usage is None:
        return Usage()
    prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
    completion = int(getattr(usage, "completion_tokens", 0) or 0)
    total = int(getattr(usage, "total_tokens", 0) or 0) or prompt + completion
    return Usage(prompt, completion, total)


class _Chunks:
    """Collects ``ChatCompletionChunk`` events (choice 0) into one reply."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.text: list[str] = []
        self.calls: dict[int, list[str]] = {}  # index -> [id, name, arguments]
        self.usage = Usage()
        self.finish_reason: str | None = None
        self.refusal: list[str] = []

    def feed(self, event: Any) -> str | None:
        self.model = getattr(event, "model", None) or self.model
        if getattr(event, "usage", None) is not None:
            self.usage = _usage(event.usage)
        added: str | None = None
        for choice in getattr(event, "choices", None) or ():
            if choice.index != 0:
                continue
            delta = choice.delta
            if delta is not None:
                if delta.content:
                    self.text.append(delta.content)
                    added = delta.content
                if getattr(delta, "refusal", None):
                    self.refusal.append(delta.refusal)
                for tool in delta.tool_calls or ():
                    self._tool(tool)
            if choice.finish_reason:
                self.finish_reason = choice.finish_reason
        return added

    def _tool(self, tool: Any) -> None:
        slot = self.calls.setdefault(tool.index, ["", "", ""])
        if tool.id:
            slot[0] = tool.id
        if tool.function is not None:
            slot[1] += tool.function.name or ""
            slot[2] += tool.function.arguments or ""

    def reply(self) -> Reply:
        calls = [_tool_call(*self.calls[i]) for i in sorted(self.calls)]
        return Reply(
            content="".join(self.text) if self.text or not calls else None,
            tool_calls=calls,
            model=self.model,
            usage=self.usage,
            finish_reason=self.finish_reason,
            refusal="".join(self.refusal) or None,
        )


def _embed_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    params = {k: v for k, v in kwargs.items() if k not in ("model", "input")}
    out = split_params(params, _accepted("embeddings"))
    out["model"] = kwargs["model"]
    out["input"] = kwargs["input"]
    return out


def _embeddings(raw: Any, model: str) -> Embeddings:
    data = sorted(raw.data, key=lambda item: item.index)
    usage = getattr(raw, "usage", None)
    return Embeddings(
        vectors=[[float(x) for x in item.embedding] for item in data],
        model=getattr(raw, "model", None) or model,
        prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
    )


ADAPTER = OpenAIAdapter()
