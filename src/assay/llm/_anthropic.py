"""The adapter of Anthropic providers, over the official ``anthropic`` client.

OpenAI-style messages are translated: system messages join into ``system=``, an assistant's
``tool_calls`` become ``tool_use`` blocks, ``tool`` messages become ``tool_result`` blocks of a
user turn, consecutive turns of one role are merged, and ``image_url`` parts become image
blocks. Tools get an ``input_schema``; ``required`` is Anthropic's ``any``. Structured output is
a forced tool whose input is the answer. ``max_tokens`` defaults to 1024, ``stop`` is sent as
``stop_sequences`` and ``seed`` (which Anthropic lacks) is dropped.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
from typing import Any

from assay.errors import ConfigError, UsageError
from assay.llm._adapters import missing_sdk, split_params
from assay.llm._request import ChatRequest
from assay.llm._retry import Failure, describe
from assay.llm._route import Provider
from assay.llm._types import Embeddings, Reply, ToolCall, Usage, parse_arguments

#: ``max_tokens`` when the call sets none (Anthropic requires it).
DEFAULT_MAX_TOKENS = 1024

_DROPPED = frozenset({"seed"})


def _sdk() -> Any:
    try:
        import anthropic
    except ImportError:
        raise missing_sdk("anthropic") from None
    return anthropic


@functools.cache
def _accepted() -> frozenset[str]:
    method = _sdk().resources.Messages.create
    return frozenset(inspect.signature(method).parameters) - {"self"}


class AnthropicAdapter:
    """The Messages API."""

    kind = "anthropic"

    def make_client(self, provider: Provider, *, is_async: bool) -> Any:
        anthropic = _sdk()
        api_key = provider.api_key
        if api_key is None and provider.name == "anthropic":
            if not os.environ.get("ANTHROPIC_AUTH_TOKEN"):
                raise ConfigError(
                    f"no API key for provider 'anthropic' (base_url {provider.base_url}); set "
                    "ANTHROPIC_API_KEY or configure_provider('anthropic', api_key=...)"
                )
        elif api_key is None:
            api_key = "none"
        cls = anthropic.AsyncAnthropic if is_async else anthropic.Anthropic
        return cls(base_url=provider.base_url, api_key=api_key, max_retries=0)

    def is_async_client(self, client: Any) -> bool:
        return isinstance(client, _sdk().AsyncAnthropic)

    def prepare(self, request: ChatRequest) -> dict[str, Any]:
        params = {k: v for k, v in request.params.items() if k not in _DROPPED}
        max_tokens = params.pop("max_tokens", None) or params.pop("max_completion_tokens", None)
        stop = params.pop("stop", None)
        if stop is not None:
            params["stop_sequences"] = [stop] if isinstance(stop, str) else list(stop)
        kwargs = split_params(params, _accepted())
        system, messages = translate_messages(request.messages)
        kwargs.update(model=request.model, messages=messages)
        kwargs["max_tokens"] = max_tokens or DEFAULT_MAX_TOKENS
        if system:
            kwargs["system"] = system
        kwargs.update(_tools(request))
        if request.timeout is not None:
            kwargs["timeout"] = request.timeout
        return kwargs

    def create(self, client: Any, kwargs: dict[str, Any], *, stream: bool) -> Any:
        if stream:
            return client.messages.create(**kwargs, stream=True)
        return client.messages.create(**kwargs)

    async def acreate(self, client: Any, kwargs: dict[str, Any], *, stream: bool) -> Any:
        if stream:
            return await client.messages.create(**kwargs, stream=True)
        return await client.messages.create(**kwargs)

    def parse(self, raw: Any, request: ChatRequest) -> Reply:
        text: list[str] = []
        calls: list[ToolCall] = []
        for block in getattr(raw, "content", None) or []:
            if block.type == "text":
                text.append(block.text)
            elif block.type == "tool_use":
                calls.append(_tool_call(block.id, block.name, json.dumps(block.input)))
        reply = Reply(
            content="".join(text) if text else None,
            tool_calls=calls,
            model=getattr(raw, "model", None) or request.model,
            usage=_usage(getattr(raw, "usage", None)),
            finish_reason=getattr(raw, "stop_reason", None),
        )
        return _unwrap_structured(reply, request)

    def accumulator(self, request: ChatRequest) -> _Events:
        return _Events(request)

    def failure(self, exc: BaseException) -> Failure | None:
        anthropic = _sdk()
        return describe(
            exc,
            status_error=anthropic.APIStatusError,
            connection_error=anthropic.APIConnectionError,
            api_error=anthropic.APIError,
        )

    def embed(self, client: Any, kwargs: dict[str, Any]) -> Embeddings:
        raise _no_embeddings(kwargs["model"])

    async def aembed(self, client: Any, kwargs: dict[str, Any]) -> Embeddings:
        raise _no_embeddings(kwargs["model"])


def _no_embeddings(model: str) -> UsageError:
    return UsageError(
        f"Anthropic has no embeddings API (model {model!r}); embed with an OpenAI-compatible "
        "provider, e.g. model='text-embedding-3-small'"
    )


# ------------------------------------------------------------------------------- requests


def _tools(request: ChatRequest) -> dict[str, Any]:
    spec = request.structured
    if spec is not None:
        if request.tools:
            raise UsageError(
                "response_format and tools cannot be combined on an Anthropic provider "
                "(the answer itself is a forced tool call); drop one of them"
            )
        tool = {
            "name": spec.name,
            "description": "Give your answer by calling this tool; its input is the answer.",
            "input_schema": spec.schema,
        }
        return {"tools": [tool], "tool_choice": {"type": "tool", "name": spec.name}}
    out: dict[str, Any] = {}
    if request.tools:
        out["tools"] = [
            {
                "name": t["name"],
                **({"description": t["description"]} if "description" in t else {}),
                "input_schema": t["parameters"],
            }
            for t in request.tools
        ]
    choice = request.tool_choice
    if isinstance(choice, dict):
        out["tool_choice"] = {"type": "tool", "name": choice["name"]}
    elif choice is not None:
        out["tool_choice"] = {"type": "any" if choice == "required" else choice}
    return out


def translate_messages(messages: list[dict[str, Any]]) -> tuple[str | None, list[dict[str, Any]]]:
    """``(system, messages)`` in Anthropic form from OpenAI-style messages."""
    system: list[str] = []
    turns: list[dict[str, Any]] = []
    for message in messages:
        role = message["role"]
        if role in ("system", "developer"):
            system.append(_text(message.get("content")))
        elif role == "tool":
            result = {
                "type": "tool_result",
                "tool_use_id": str(message.get("tool_call_id") or ""),
                "content": _text(message.get("content")),
            }
            _append(turns, "user", [result])
        elif role == "assistant":
            blocks = _blocks(message.get("content"))
            blocks += [_tool_use(call) for call in message.get("tool_calls") or []]
            _append(turns, "assistant", blocks)
        elif role == "user":
            _append(turns, "user", _blocks(message.get("content")))
        else:
            raise UsageError(
                f"message role {role!r} has no Anthropic equivalent; use system, user, "
                "assistant or tool"
            )
    for turn in turns:  # a lone text block reads better (and is sent) as a plain string
        content = turn["content"]
        if len(content) == 1 and content[0].get("type") == "text" and len(content[0]) == 2:
            turn["content"] = content[0]["text"]
    return "\n\n".join(s for s in system if s) or None, turns


def _append(turns: list[dict[str, Any]], role: str, blocks: list[dict[str, Any]]) -> None:
    if turns and turns[-1]["role"] == role:
        turns[-1]["content"].extend(blocks)
    else:
        turns.append({"role": role, "content": blocks})


def _text(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(p.get("text", "")) for p in content if isinstance(p, dict) and "text" in p
        )
    return json.dumps(content)


def _blocks(content: Any) -> list[dict[str, Any]]:
    if content is None or content == "":
        return []
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    if not isinstance(content, list):
        return [{"type": "text", "text": _text(content)}]
    blocks = []
    for part in content:
        if isinstance(part, str):
            blocks.append({"type": "text", "text": part})
        elif isinstance(part, dict) and part.get("type") == "image_url":
            blocks.append(_image(part))
        elif isinstance(part, dict) and not (part.get("type") == "text" and not part.get("text")):
            blocks.append(dict(part))
    return blocks


def _image(part: dict[str, Any]) -> dict[str, Any]:
    image = part.get("image_url")
    url = str(image.get("url", "") if isinstance(image, dict) else image or "")
    if url.startswith("data:") and ";base64," in url:
        media_type, data = url[5:].split(";base64,", 1)
        return {
            "type": "image",
            "source": {"type": "base64", "media_type": media_type, "data": data},
        }
    return {"type": "image", "source": {"type": "url", "url": url}}


def _tool_use(call: dict[str, Any]) -> dict[str, Any]:
    function = call.get("function") or {}
    arguments = function.get("arguments")
    parsed = arguments if isinstance(arguments, dict) else parse_arguments(arguments or "")
    return {
        "type": "tool_use",
        "id": str(call.get("id") or ""),
        "name": str(function.get("name") or ""),
        "input": parsed or {},
    }


# ------------------------------------------------------------------------------ responses


def _tool_call(call_id: Any, name: Any, raw: str) -> ToolCall:
    return ToolCall(str(call_id or ""), str(name or ""), parse_arguments(raw), raw)


def _usage(usage: Any) -> Usage:
    if usage is None:
        return Usage()
    prompt = sum(
        int(getattr(usage, name, 0) or 0)
        for name in ("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")
    )
    completion = int(getattr(usage, "output_tokens", 0) or 0)
    return Usage(prompt, completion, prompt + completion)


def _unwrap_structured(reply: Reply, request: ChatRequest) -> Reply:
    """With structured output, the forced tool's input becomes the content."""
    spec = request.structured
    if spec is None or not reply.tool_calls:
        return reply
    answer = next((c for c in reply.tool_calls if c.name == spec.name), reply.tool_calls[0])
    reply.content = answer.raw_arguments
    reply.tool_calls = [c for c in reply.tool_calls if c is not answer]
    return reply


class _Events:
    """Collects raw Messages stream events into one reply."""

    def __init__(self, request: ChatRequest) -> None:
        self.request = request
        self.model = request.model
        self.text: list[str] = []
        self.calls: dict[int, list[str]] = {}  # block index -> [id, name, partial json]
        self.prompt = 0
        self.completion = 0
        self.stop_reason: str | None = None

    def feed(self, event: Any) -> str | None:
        kind = getattr(event, "type", None)
        if kind == "content_block_delta":
            delta = event.delta
            if delta.type == "text_delta":
                self.text.append(delta.text)
                return str(delta.text)
            if delta.type == "input_json_delta" and event.index in self.calls:
                self.calls[event.index][2] += delta.partial_json
        elif kind == "content_block_start" and event.content_block.type == "tool_use":
            block = event.content_block
            self.calls[event.index] = [block.id, block.name, ""]
        elif kind == "message_start":
            self.model = event.message.model or self.model
            usage = _usage(event.message.usage)
            self.prompt, self.completion = usage.prompt_tokens, usage.completion_tokens
        elif kind == "message_delta":
            self.stop_reason = event.delta.stop_reason or self.stop_reason
            usage = _usage(event.usage)
            self.prompt = usage.prompt_tokens or self.prompt
            self.completion = usage.completion_tokens or self.completion
        return None

    def reply(self) -> Reply:
        calls = [
            _tool_call(self.calls[i][0], self.calls[i][1], self.calls[i][2] or "{}")
            for i in sorted(self.calls)
        ]
        reply = Reply(
            content="".join(self.text) if self.text else None,
            tool_calls=calls,
            model=self.model,
            usage=Usage(self.prompt, self.completion, self.prompt + self.completion),
            finish_reason=self.stop_reason,
        )
        return _unwrap_structured(reply, self.request)


ADAPTER = AnthropicAdapter()
