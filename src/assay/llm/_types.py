"""What a model call returns: :class:`ChatResponse`, its :class:`ToolCall` and :class:`Usage`,
the :class:`ChatChunk` of a stream, and :class:`Reply`, the provider-neutral answer inside."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens one call consumed.

    Attributes:
        prompt_tokens: Input tokens (for Anthropic, cache reads and writes included).
        completion_tokens: Output tokens.
        total_tokens: Their sum.
    """

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A function the model asked to call.

    Attributes:
        id: The provider's id of the call; send it back as ``tool_call_id`` of the result.
        name: The function's name.
        arguments: The arguments as a dict, or None when the model's JSON did not parse into
            an object.
        raw_arguments: The arguments exactly as the model wrote them.
    """

    id: str
    name: str
    arguments: dict[str, Any] | None
    raw_arguments: str


def parse_arguments(raw: str) -> dict[str, Any] | None:
    """The JSON object in ``raw``, or None when it is not one."""
    try:
        value = json.loads(raw) if raw.strip() else {}
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


@dataclass(frozen=True, slots=True)
class ChatResponse:
    """The answer of :func:`assay.llm.chat`.

    Attributes:
        content: The assistant's text; with ``response_format``, the JSON text of the answer.
        tool_calls: Functions the model asked to call, in order.
        parsed: With ``response_format``: the validated pydantic instance (or dict, for a
            JSON schema); None otherwise, or when the answer did not validate (see
            ``parse_error``).
        model: The model that answered, as the provider names it.
        provider: The configured provider that was called, e.g. ``openai``.
        usage: Tokens consumed. A cache hit repeats the usage of the call it saved.
        cost: USD cost from the price table (``assay.prices``), None when the price is unknown.
        finish_reason: Why the model stopped (``stop``, ``length``, ``tool_calls``,
            ``end_turn``, ...), as the provider says it.
        cached: True when the answer came from the on-disk cache and no request was made.
        latency_ms: Wall time of the call, waits for a concurrency slot and retries included.
        parse_error: Why ``parsed`` is None although ``response_format`` was given.
    """

    content: str | None
    tool_calls: list[ToolCall]
    parsed: Any
    model: str
    provider: str
    usage: Usage
    cost: float | None
    finish_reason: str | None
    cached: bool
    latency_ms: float
    parse_error: str | None = None

    @property
    def message(self) -> dict[str, Any]:
        """The answer as an OpenAI-style assistant message, to append to the conversation."""
        return assistant_message(self.content, self.tool_calls)


@dataclass(frozen=True, slots=True)
class ChatChunk:
    """One piece of a streamed answer.

    Every chunk but the last carries a piece of text in ``delta``. The last one has an empty
    ``delta`` and carries ``usage``, ``finish_reason`` and ``response``: the whole answer
    (text, tool calls, usage, cost), the same :class:`ChatResponse` a call without
    ``stream=True`` returns.
    """

    delta: str = ""
    usage: Usage | None = None
    finish_reason: str | None = None
    response: ChatResponse | None = None


def assistant_message(content: str | None, tool_calls: list[ToolCall]) -> dict[str, Any]:
    """An OpenAI-style assistant message with ``content`` and ``tool_calls``."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.raw_arguments},
            }
            for call in tool_calls
        ]
    return message


@dataclass(slots=True)
class Reply:
    """A provider's answer in neutral form: what is cached and what a response is built from."""

    content: str | None
    tool_calls: list[ToolCall] = field(default_factory=list)
    model: str = ""
    usage: Usage = field(default_factory=Usage)
    finish_reason: str | None = None
    refusal: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The reply as plain JSON data (the cache's file format)."""
        return {
            "content": self.content,
            "tool_calls": [
                {"id": c.id, "name": c.name, "arguments": c.raw_arguments} for c in self.tool_calls
            ],
            "model": self.model,
            "usage": [self.usage.prompt_tokens, self.usage.completion_tokens],
            "finish_reason": self.finish_reason,
            "refusal": self.refusal,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        """Read back :meth:`to_json`; raises KeyError, TypeError or ValueError when malformed."""
        calls = [
            ToolCall(str(c["id"]), str(c["name"]), parse_arguments(c["arguments"]), c["arguments"])
            for c in data["tool_calls"]
        ]
        prompt, completion = (int(n) for n in data["usage"])
        content = data["content"]
        if content is not None and not isinstance(content, str):
            raise TypeError(f"content is {type(content).__name__}")
        return cls(
            content=content,
            tool_calls=calls,
            model=str(data["model"]),
            usage=Usage(prompt, completion, prompt + completion),
            finish_reason=data.get("finish_reason"),
            refusal=data.get("refusal"),
        )


@dataclass(slots=True)
class Embeddings:
    """An embeddings answer: one vector per input, the model and the tokens."""

    vectors: list[list[float]]
    model: str
    prompt_tokens: int
