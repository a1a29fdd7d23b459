"""Response bodies of the fake model server, in the OpenAI and Anthropic wire formats.

Everything here is a pure function of the request and the scripted reply, so answers are
deterministic: the same request and reply give the same bytes (no clocks, no randomness).
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

FAKE_MODELS = (
    "fake-model",
    "gpt-4o-mini",
    "gpt-4o",
    "claude-3-5-haiku-latest",
    "claude-sonnet-4-5",
)


@dataclass(slots=True)
class FakeReply:
    """One scripted answer of :class:`~assay.testing.fake_llm.FakeLLMServer`.

    Attributes:
        content: Assistant text. With a non-2xx ``status`` it becomes the error message.
        tool_calls: Tool calls to answer with, each ``{"name": ..., "arguments": dict | str}``
            and optionally ``"id"``. OpenAI answers send a string ``arguments`` as is, so it may
            be invalid JSON on purpose; Anthropic answers (whose ``input`` must be an object)
            send invalid JSON as ``{"_raw": "<the string>"}``.
        status: HTTP status. Anything but 2xx answers with the provider's error shape.
        headers: Extra response headers, e.g. ``{"retry-after": "0.01"}`` on a 429.
        delay: Seconds to wait before answering (added to the server-wide delay).
        body: Raw response body (str, bytes or a JSON value) sent instead of a built one, for
            malformed answers.
        chunks: Pieces of text a streamed answer sends one event each; default: ``content`` split
            into words.
        usage: Token counts ``{"prompt_tokens": n, "completion_tokens": m}``; default: counted
            from the text (one token per 4 characters, at least 1).
        chunk_delay: Seconds between streamed events (0 sends the whole stream at once).
    """

    content: str | None = None
    tool_calls: list[dict[str, Any]] | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    body: Any = None
    chunks: list[str] | None = None
    usage: dict[str, int] | None = None
    chunk_delay: float = 0.0


def count_tokens(text: str) -> int:
    """A stand-in tokenizer: one token per 4 characters, at least 1 for non-empty text."""
    return 0 if not text else max(1, (len(text) + 3) // 4)


def text_of(content: Any) -> str:
    """Plain text of a message ``content`` in either provider's format."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [
            text_of(p.get("text", p.get("content", ""))) for p in content if isinstance(p, dict)
        ]
        return " ".join(p for p in parts if p)
    return "" if content is None else str(content)


def prompt_text(request: dict[str, Any]) -> str:
    """All the text a chat request sends (system prompt and every message)."""
    parts = [text_of(request.get("system"))]
    for message in request.get("messages") or []:
        if isinstance(message, dict):
            parts.append(text_of(message.get("content")))
    return "\n".join(p for p in parts if p)


def default_reply(request: dict[str, Any]) -> FakeReply:
    """The answer when nothing is scripted.

    A request that forces a tool gets a call of that tool, with arguments made from its
    schema (the first value of an enum, ``"fake"`` for text, 0, false, empty lists); any other
    request gets the text of its last user message, echoed.
    """
    forced = forced_tool(request)
    if forced is not None:
        name, schema = forced
        return FakeReply(tool_calls=[{"name": name, "arguments": example_of(schema)}])
    for message in reversed(request.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            return FakeReply(content=text_of(message.get("content")) or "ok")
    return FakeReply(content="ok")


def forced_tool(request: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The (name, input schema) of the tool a request forces, in either provider's format."""
    choice = request.get("tool_choice")
    if not isinstance(choice, dict):
        return None
    name = choice.get("name") if choice.get("type") == "tool" else None
    if choice.get("type") == "function" and isinstance(choice.get("function"), dict):
        name = choice["function"].get("name")
    for tool in request.get("tools") or []:
        spec = tool.get("function", tool) if isinstance(tool, dict) else {}
        if isinstance(spec, dict) and spec.get("name") == name:
            schema = spec.get("parameters", spec.get("input_schema")) or {}
            return str(name), schema if isinstance(schema, dict) else {}
    return None


def example_of(schema: dict[str, Any]) -> Any:
    """A value that fits a (simple) JSON schema."""
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        return {key: example_of(sub if isinstance(sub, dict) else {}) for key, sub in props.items()}
    examples = {"string": "fake", "integer": 0, "number": 0, "boolean": False, "array": []}
    return examples.get(str(kind))


def usage_of(reply: FakeReply, request: dict[str, Any]) -> tuple[int, int]:
    """(prompt_tokens, completion_tokens) of a reply."""
    prompt = count_tokens(prompt_text(request))
    completion = count_tokens(reply.content or "") + sum(
        count_tokens(_arguments_text(c)) for c in reply.tool_calls or []
    )
    usage = reply.usage or {}
    prompt = usage.get("prompt_tokens", usage.get("input_tokens", prompt))
    completion = usage.get("completion_tokens", usage.get("output_tokens", completion))
    return prompt, completion


def _arguments_text(call: dict[str, Any]) -> str:
    args = call.get("arguments", {})
    return args if isinstance(args, str) else json.dumps(args)


def _call_id(call: dict[str, Any], index: int, prefix: str) -> str:
    return str(call.get("id") or f"{prefix}_{index:04d}")


def _pieces(reply: FakeReply) -> list[str]:
    if reply.chunks is not None:
        return list(reply.chunks)
    words = (reply.content or "").split(" ")
    return [w if i == 0 else " " + w for i, w in enumerate(words)] if reply.content else []


def _split(text: str, parts: int = 2) -> list[str]:
    size = max(1, -(-len(text) // parts))
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


# --------------------------------------------------------------------------------- OpenAI


def openai_error(reply: FakeReply) -> dict[str, Any]:
    """The OpenAI error body for a non-2xx reply."""
    kind = {400: "invalid_request_error", 401: "authentication_error", 429: "rate_limit_error"}
    return {
        "error": {
            "message": reply.content or f"fake error {reply.status}",
            "type": kind.get(reply.status, "server_error"),
            "param": None,
            "code": None,
        }
    }


def _openai_tool_calls(reply: FakeReply) -> list[dict[str, Any]]:
    return [
        {
            "id": _call_id(call, i, "call"),
            "type": "function",
            "function": {"name": call["name"], "arguments": _arguments_text(call)},
        }
        for i, call in enumerate(reply.tool_calls or [])
    ]


def _openai_usage(reply: FakeReply, request: dict[str, Any]) -> dict[str, int]:
    prompt, completion = usage_of(reply, request)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def openai_chat(reply: FakeReply, request: dict[str, Any], number: int) -> dict[str, Any]:
    """A ``chat.completion`` object."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.content, "refusal": None}
    if reply.tool_calls:
        message["tool_calls"] = _openai_tool_calls(reply)
    return {
        "id": f"chatcmpl-fake{number:06d}",
        "object": "chat.completion",
        "created": 1_700_000_000 + number,
        "model": request.get("model") or "fake-model",
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": "tool_calls" if reply.tool_calls else "stop",
            }
        ],
        "usage": _openai_usage(reply, request),
    }


def openai_chat_stream(reply: FakeReply, request: dict[str, Any], number: int) -> Iterator[bytes]:
    """The SSE events of a streamed chat completion, ending with ``data: [DONE]``."""
    base = {
        "id": f"chatcmpl-fake{number:06d}",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000 + number,
        "model": request.get("model") or "fake-model",
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return _sse({**base, "choices": [choice]})

    yield chunk({"role": "assistant", "content": ""})
    for piece in _pieces(reply):
        yield chunk({"content": piece})
    for i, call in enumerate(_openai_tool_calls(reply)):
        head = {**call, "function": {"name": call["function"]["name"], "arguments": ""}}
        yield chunk({"tool_calls": [{"index": i, **head}]})
        for part in _split(call["function"]["arguments"]):
            yield chunk({"tool_calls": [{"index": i, "function": {"arguments": part}}]})
    yield chunk({}, "tool_calls" if reply.tool_calls else "stop")
    if (request.get("stream_options") or {}).get("include_usage"):
        yield _sse({**base, "choices": [], "usage": _openai_usage(reply, request)})
    yield b"data: [DONE]\n\n"


def _sse(data: Any, event: str | None = None) -> bytes:
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def embedding_vector(text: str, dimensions: int) -> list[float]:
    """A deterministic unit vector derived from the SHA-256 of ``text``."""
    raw = b""
    counter = 0
    while len(raw) < dimensions * 4:
        raw += hashlib.sha256(f"{counter}:{text}".encode()).digest()
        counter += 1
    values = [(b - 127.5) / 127.5 for b in raw[: dimensions * 4 : 4]]
    norm = sum(v * v for v in values) ** 0.5 or 1.0
    return [v / norm for v in values]


def openai_embeddings(request: dict[str, Any]) -> dict[str, Any]:
    """A ``list`` of embeddings, one per input; base64 when ``encoding_format`` asks for it."""
    inputs = request.get("input")
    items = inputs if isinstance(inputs, list) and not _is_tokens(inputs) else [inputs]
    dims = int(request.get("dimensions") or 16)
    data = []
    for i, item in enumerate(items):
        vector = embedding_vector(json.dumps(item), dims)
        value: Any = vector
        if request.get("encoding_format") == "base64":
            value = base64.b64encode(struct.pack(f"<{dims}f", *vector)).decode()
        data.append({"object": "embedding", "index": i, "embedding": value})
    tokens = sum(count_tokens(json.dumps(item)) for item in items)
    return {
        "object": "list",
        "data": data,
        "model": request.get("model") or "fake-embedding",
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


def _is_tokens(value: list[Any]) -> bool:
    return bool(value) and all(isinstance(v, int) for v in value)


def models_list() -> dict[str, Any]:
    """The model list, in a shape both providers' clients accept."""
    data = [
        {
            "id": name,
            "object": "model",
            "type": "model",
            "created": 1_700_000_000,
            "created_at": "2024-01-01T00:00:00Z",
            "owned_by": "assay-fake",
            "display_name": name,
        }
        for name in FAKE_MODELS
    ]
    return {
        "object": "list",
        "data": data,
        "has_more": False,
        "first_id": data[0]["id"],
        "last_id": data[-1]["id"],
    }


# ------------------------------------------------------------------------------ Anthropic


def anthropic_error(reply: FakeReply) -> dict[str, Any]:
    """The Anthropic error body for a non-2xx reply."""
    kind = {
        400: "invalid_request_error",
        401: "authentication_error",
        404: "not_found_error",
        429: "rate_limit_error",
        529: "overloaded_error",
    }
    return {
        "type": "error",
        "error": {
            "type": kind.get(reply.status, "api_error"),
            "message": reply.content or f"fake error {reply.status}",
        },
    }


def _anthropic_tool_input(call: dict[str, Any]) -> Any:
    args = call.get("arguments", {})
    if isinstance(args, str):
        try:
            return json.loads(args)
        except ValueError:
            return {"_raw": args}
    return args


def _anthropic_blocks(reply: FakeReply) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if reply.content is not None:
        blocks.append({"type": "text", "text": reply.content})
    for i, call in enumerate(reply.tool_calls or []):
        blocks.append(
            {
                "type": "tool_use",
                "id": _call_id(call, i, "toolu"),
                "name": call["name"],
                "input": _anthropic_tool_input(call),
            }
        )
    return blocks


def anthropic_message(reply: FakeReply, request: dict[str, Any], number: int) -> dict[str, Any]:
    """A Messages API ``message`` object."""
    prompt, completion = usage_of(reply, request)
    return {
        "id": f"msg_fake{number:06d}",
        "type": "message",
        "role": "assistant",
        "model": request.get("model") or "fake-model",
        "content": _anthropic_blocks(reply),
        "stop_reason": "tool_use" if reply.tool_calls else "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": prompt, "output_tokens": completion},
    }


def anthropic_stream(reply: FakeReply, request: dict[str, Any], number: int) -> Iterator[bytes]:
    """The SSE events of a streamed message: message_start … message_stop."""
    prompt, completion = usage_of(reply, request)
    start = anthropic_message(reply, request, number)
    start.update(content=[], stop_reason=None, usage={"input_tokens": prompt, "output_tokens": 1})
    yield _sse({"type": "message_start", "message": start}, "message_start")
    yield _sse({"type": "ping"}, "ping")
    index = 0
    if reply.content is not None:
        yield _block_start(index, {"type": "text", "text": ""})
        for piece in _pieces(reply):
            yield _block_delta(index, {"type": "text_delta", "text": piece})
        yield _sse({"type": "content_block_stop", "index": index}, "content_block_stop")
        index += 1
    for i, call in enumerate(reply.tool_calls or []):
        head = {"type": "tool_use", "id": _call_id(call, i, "toolu"), "name": call["name"]}
        yield _block_start(index, {**head, "input": {}})
        for part in _split(json.dumps(_anthropic_tool_input(call))):
            yield _block_delta(index, {"type": "input_json_delta", "partial_json": part})
        yield _sse({"type": "content_block_stop", "index": index}, "content_block_stop")
        index += 1
    delta = {"stop_reason": "tool_use" if reply.tool_calls else "end_turn", "stop_sequence": None}
    message_delta = {
        "type": "message_delta",
        "delta": delta,
        "usage": {"output_tokens": completion},
    }
    yield _sse(message_delta, "message_delta")
    yield _sse({"type": "message_stop"}, "message_stop")


def _block_start(index: int, block: dict[str, Any]) -> bytes:
    event = {"type": "content_block_start", "index": index, "content_block": block}
    return _sse(event, "content_block_start")


def _block_delta(index: int, delta: dict[str, Any]) -> bytes:
    return _sse(
        {"type": "content_block_delta", "index": index, "delta": delta}, "content_block_delta"
    )
