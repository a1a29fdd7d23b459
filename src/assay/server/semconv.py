"""Attribute mapping: OpenInference and OpenTelemetry GenAI attributes onto assay span fields.

The mapping is a table: :data:`HANDLERS` maps an attribute key to a small function that puts
its value on a :class:`Draft`; keys of flattened chat messages (``llm.input_messages.0.message.
role``, ``gen_ai.prompt.0.content``...) go through :data:`MESSAGE_PREFIXES`. Every attribute
that no rule claims is kept in ``metadata`` under its own key, so nothing is dropped.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from typing import Any

import orjson

OPENINFERENCE_KINDS = {
    "LLM": "llm",
    "CHAIN": "chain",
    "TOOL": "tool",
    "AGENT": "agent",
    "RETRIEVER": "retrieval",
    "EMBEDDING": "embedding",
    "RERANKER": "reranker",
    "GUARDRAIL": "guardrail",
    "EVALUATOR": "eval",
    "UNKNOWN": "span",
}

GENAI_OPERATION_KINDS = {
    "chat": "llm",
    "text_completion": "llm",
    "generate_content": "llm",
    "embeddings": "embedding",
    "execute_tool": "tool",
    "invoke_agent": "agent",
    "create_agent": "agent",
}

GENAI_PARAMS = {
    "gen_ai.request.temperature": "temperature",
    "gen_ai.request.max_tokens": "max_tokens",
    "gen_ai.request.top_p": "top_p",
    "gen_ai.request.top_k": "top_k",
    "gen_ai.request.frequency_penalty": "frequency_penalty",
    "gen_ai.request.presence_penalty": "presence_penalty",
    "gen_ai.request.stop_sequences": "stop",
    "gen_ai.request.seed": "seed",
}


class Draft:
    """The fields of one span while its attributes are being mapped."""

    __slots__ = (
        "in_messages",
        "input",
        "input_mime",
        "kind",
        "metadata",
        "metrics",
        "model_name",
        "op_kind",
        "out_messages",
        "output",
        "output_mime",
        "params",
        "parsed",
        "request_model",
        "response_model",
        "session_id",
        "tags",
        "user_id",
        "user_metadata",
    )

    def __init__(self) -> None:
        self.kind: str | None = None
        self.op_kind: str | None = None
        self.input: Any = None
        self.output: Any = None
        self.input_mime: str | None = None
        self.output_mime: str | None = None
        self.model_name: str | None = None
        self.request_model: str | None = None
        self.response_model: str | None = None
        self.metrics: dict[str, float] = {}
        self.params: dict[str, Any] = {}
        self.metadata: dict[str, Any] = {}
        self.user_metadata: dict[str, Any] = {}
        self.tags: list[str] = []
        self.session_id: str | None = None
        self.user_id: str | None = None
        self.in_messages: dict[int, dict[str, Any]] | list[Any] | None = None
        self.out_messages: dict[int, dict[str, Any]] | list[Any] | None = None
        self.parsed = False  # a value was parsed from JSON text (its nesting is unchecked)


Handler = Callable[[Draft, str, Any], None]


def _keep(d: Draft, key: str, value: Any) -> None:
    d.metadata[key] = value


def _oi_kind(d: Draft, key: str, value: Any) -> None:
    text = str(value)
    d.kind = OPENINFERENCE_KINDS.get(text.upper(), text.lower() or "span")


def _gen_ai_operation(d: Draft, key: str, value: Any) -> None:
    kind = GENAI_OPERATION_KINDS.get(str(value))
    if kind is None:
        d.metadata[key] = value
    else:
        d.op_kind = kind


def _setter(attr: str) -> Handler:
    def handler(d: Draft, key: str, value: Any) -> None:
        setattr(d, attr, value)

    return handler


def _text_setter(attr: str) -> Handler:
    def handler(d: Draft, key: str, value: Any) -> None:
        setattr(d, attr, value if isinstance(value, str) else str(value))

    return handler


def _metric(name: str) -> Handler:
    def handler(d: Draft, key: str, value: Any) -> None:
        number = _number(value)
        if number is None:
            d.metadata[key] = value
        else:
            d.metrics[name] = number

    return handler


def _param(name: str) -> Handler:
    def handler(d: Draft, key: str, value: Any) -> None:
        d.params[name] = value

    return handler


def _invocation_parameters(d: Draft, key: str, value: Any) -> None:
    parsed = _json(value)
    d.parsed = True
    if isinstance(parsed, dict):
        d.params.update(parsed)
    else:
        d.metadata[key] = value


def _user_metadata(d: Draft, key: str, value: Any) -> None:
    parsed = _json(value)
    d.parsed = True
    if isinstance(parsed, dict):
        d.user_metadata.update(parsed)
    else:
        d.metadata[key] = value


def _tags(d: Draft, key: str, value: Any) -> None:
    items = value if isinstance(value, list) else [value]
    d.tags.extend(str(item) for item in items)


def _json_messages(attr: str) -> Handler:
    def handler(d: Draft, key: str, value: Any) -> None:
        parsed = _json(value)
        d.parsed = True
        if isinstance(parsed, list):
            setattr(d, attr, [_from_parts(m) for m in parsed])
        else:
            d.metadata[key] = value

    return handler


HANDLERS: dict[str, Handler] = {
    # OpenInference
    "openinference.span.kind": _oi_kind,
    "input.value": _setter("input"),
    "output.value": _setter("output"),
    "input.mime_type": _text_setter("input_mime"),
    "output.mime_type": _text_setter("output_mime"),
    "llm.model_name": _text_setter("model_name"),
    "llm.token_count.prompt": _metric("prompt_tokens"),
    "llm.token_count.completion": _metric("completion_tokens"),
    "llm.token_count.total": _metric("total_tokens"),
    "llm.cost.total": _metric("cost"),
    "llm.cost.prompt": _metric("prompt_cost"),
    "llm.cost.completion": _metric("completion_cost"),
    "llm.invocation_parameters": _invocation_parameters,
    "session.id": _text_setter("session_id"),
    "user.id": _text_setter("user_id"),
    "tag.tags": _tags,
    "metadata": _user_metadata,
    # OpenTelemetry GenAI
    "gen_ai.operation.name": _gen_ai_operation,
    "gen_ai.request.model": _text_setter("request_model"),
    "gen_ai.response.model": _text_setter("response_model"),
    "gen_ai.usage.input_tokens": _metric("prompt_tokens"),
    "gen_ai.usage.prompt_tokens": _metric("prompt_tokens"),
    "gen_ai.usage.output_tokens": _metric("completion_tokens"),
    "gen_ai.usage.completion_tokens": _metric("completion_tokens"),
    "gen_ai.usage.total_tokens": _metric("total_tokens"),
    "gen_ai.usage.cost": _metric("cost"),
    "gen_ai.conversation.id": _text_setter("session_id"),
    "gen_ai.input.messages": _json_messages("in_messages"),
    "gen_ai.output.messages": _json_messages("out_messages"),
    **{key: _param(name) for key, name in GENAI_PARAMS.items()},
}

# prefix -> (Draft attribute, prefix of the message fields inside one item)
MESSAGE_PREFIXES: tuple[tuple[str, str, str], ...] = (
    ("llm.input_messages.", "in_messages", "message."),
    ("llm.output_messages.", "out_messages", "message."),
    ("gen_ai.prompt.", "in_messages", ""),
    ("gen_ai.completion.", "out_messages", ""),
)
_MESSAGE_STARTS = tuple(p[0] for p in MESSAGE_PREFIXES)


def apply(d: Draft, attributes: dict[str, Any]) -> None:
    """Map every attribute onto ``d``; unclaimed ones land in ``d.metadata``."""
    handlers = HANDLERS
    metadata = d.metadata
    for key, value in attributes.items():
        handler = handlers.get(key)
        if handler is not None:
            handler(d, key, value)
        elif key.startswith(_MESSAGE_STARTS) and _message_part(d, key, value):
            continue
        else:
            metadata[key] = value


def _message_part(d: Draft, key: str, value: Any) -> bool:
    for prefix, attr, inner in MESSAGE_PREFIXES:
        if not key.startswith(prefix):
            continue
        index_text, _, rest = key[len(prefix) :].partition(".")
        if not index_text.isdigit() or not rest:
            return False
        if inner:
            if not rest.startswith(inner):
                return False
            rest = rest[len(inner) :]
        messages = getattr(d, attr)
        if not isinstance(messages, dict):
            if messages is not None:  # already set from a JSON list; keep this one as is
                return False
            messages = {}
            setattr(d, attr, messages)
        _set_message_field(messages.setdefault(int(index_text), {}), rest, value)
        return True
    return False


def _set_message_field(message: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` (e.g. ``tool_calls.0.tool_call.function.name``) in one chat message."""
    if path.startswith("tool_calls."):
        index_text, _, rest = path[len("tool_calls.") :].partition(".")
        if index_text.isdigit() and rest:
            calls: dict[int, dict[str, Any]] = message.setdefault("tool_calls", {})
            call = calls.setdefault(int(index_text), {"type": "function", "function": {}})
            rest = rest.removeprefix("tool_call.")
            if rest in ("function.name", "name"):
                call["function"]["name"] = value
            elif rest in ("function.arguments", "arguments"):
                call["function"]["arguments"] = value
            else:
                call[rest] = value
            return
    if path.startswith("contents."):
        index_text, _, rest = path[len("contents.") :].partition(".")
        if index_text.isdigit() and rest:
            parts: dict[int, dict[str, Any]] = message.setdefault("contents", {})
            part = parts.setdefault(int(index_text), {})
            rest = rest.removeprefix("message_content.")
            if rest == "image.image.url":
                part["image_url"] = {"url": value}
            else:
                part[rest] = value
            return
    message[path] = value


def _ordered(messages: dict[int, dict[str, Any]] | list[Any]) -> list[Any]:
    if isinstance(messages, list):
        return messages
    result = []
    for index in sorted(messages):
        message = messages[index]
        calls = message.get("tool_calls")
        if isinstance(calls, dict):
            message["tool_calls"] = [calls[i] for i in sorted(calls)]
        parts = message.pop("contents", None)
        if isinstance(parts, dict) and "content" not in message:
            message["content"] = [parts[i] for i in sorted(parts)]
        result.append(message)
    return result


def _from_parts(message: Any) -> Any:
    """Turn a GenAI ``{role, parts: [...]}`` message into a chat message."""
    if not isinstance(message, dict) or not isinstance(message.get("parts"), list):
        return message
    out: dict[str, Any] = {k: v for k, v in message.items() if k != "parts"}
    texts: list[str] = []
    calls: list[dict[str, Any]] = []
    others: list[Any] = []
    for part in message["parts"]:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text":
            texts.append(str(part.get("content", "")))
        elif kind == "tool_call":
            arguments = part.get("arguments")
            if not isinstance(arguments, str):
                arguments = orjson.dumps(arguments).decode()
            function = {"name": part.get("name"), "arguments": arguments}
            calls.append({"id": part.get("id"), "type": "function", "function": function})
        elif kind == "tool_call_response":
            out["tool_call_id"] = part.get("id")
            texts.append(_as_text(part.get("response")))
        else:
            others.append(part)
    if texts:
        out["content"] = "\n".join(texts)
    if calls:
        out["tool_calls"] = calls
    if others:
        out["parts"] = others
    return out


def finish(d: Draft) -> None:
    """Resolve what depends on several attributes: bodies, model, totals, cost, params."""
    if d.in_messages:
        if d.input is not None:
            d.metadata["input.value"] = d.input
        d.input = _ordered(d.in_messages)
    elif d.input_mime is not None and "json" in d.input_mime:
        d.input = _json(d.input)
        d.parsed = True
    if d.out_messages:
        if d.output is not None:
            d.metadata["output.value"] = d.output
        messages = _ordered(d.out_messages)
        d.output = messages[0] if len(messages) == 1 else messages
    elif d.output_mime is not None and "json" in d.output_mime:
        d.output = _json(d.output)
        d.parsed = True
    if d.input_mime is not None and d.input_mime not in ("text/plain", "application/json"):
        d.metadata["input.mime_type"] = d.input_mime
    if d.output_mime is not None and d.output_mime not in ("text/plain", "application/json"):
        d.metadata["output.mime_type"] = d.output_mime
    model = d.response_model or d.request_model or d.model_name
    if d.request_model and model != d.request_model:
        d.metadata["gen_ai.request.model"] = d.request_model
    if d.model_name and model != d.model_name:
        d.metadata["llm.model_name"] = d.model_name
    d.model_name = model
    _fill_totals(d.metrics, model)
    if d.params:
        d.user_metadata.setdefault("params", d.params)


def _fill_totals(metrics: dict[str, float], model: str | None) -> None:
    prompt = metrics.get("prompt_tokens")
    completion = metrics.get("completion_tokens")
    if "total_tokens" not in metrics and prompt is not None and completion is not None:
        metrics["total_tokens"] = prompt + completion
    if "cost" in metrics or model is None or (prompt is None and completion is None):
        return
    price = _price_function()
    if price is None:
        return
    try:
        value = price(model, int(prompt or 0), int(completion or 0))
    except Exception:  # a price table problem must never cost the span
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        metrics["cost"] = float(value)


_PRICE: list[Callable[..., Any] | None] = []


def _price_function() -> Callable[..., Any] | None:
    """``assay.prices.cost`` when that module exists, else None (looked up once)."""
    if not _PRICE:
        try:
            module = importlib.import_module("assay.prices")
            _PRICE.append(getattr(module, "cost", None))
        except ImportError:
            _PRICE.append(None)
    return _PRICE[0]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _json(value: Any) -> Any:
    if not isinstance(value, str | bytes):
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return value


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return orjson.dumps(value, default=str).decode()
