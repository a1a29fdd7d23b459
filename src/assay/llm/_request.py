"""A chat call's arguments checked and put in one neutral form, and structured answers parsed.

Messages are OpenAI-style dicts; tools are ``{"name", "description", "parameters"}``; a tool
choice is ``auto``, ``required``, ``none`` or ``{"name": ...}``; ``response_format`` becomes a
:class:`Structured`. Each provider adapter translates this form to its own wire format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from assay.errors import UsageError

_CHOICES = ("auto", "required", "none")
_NAME = re.compile(r"[^a-zA-Z0-9_-]")
#: Schema keywords whose value maps names to schemas (a property may be called "default").
_SCHEMA_MAPS = frozenset({"properties", "$defs", "definitions", "patternProperties"})


@dataclass(frozen=True, slots=True)
class Structured:
    """The answer's expected shape.

    Attributes:
        name: A name for the schema (the forced tool's name on Anthropic).
        schema: The JSON schema.
        model: The pydantic model to validate with, if one was given.
        strict: Whether OpenAI is asked for strict schema adherence.
        openai_format: A complete OpenAI ``response_format`` given by the caller, sent as is.
    """

    name: str
    schema: dict[str, Any]
    model: type[BaseModel] | None = None
    strict: bool = False
    openai_format: dict[str, Any] | None = None


@dataclass(slots=True)
class ChatRequest:
    """One chat call in neutral form."""

    messages: list[dict[str, Any]]
    model: str
    tools: list[dict[str, Any]] | None
    tool_choice: str | dict[str, Any] | None
    structured: Structured | None
    params: dict[str, Any]
    timeout: float | None


def build_request(
    messages: str | Sequence[Mapping[str, Any]],
    *,
    model: str,
    tools: Sequence[Mapping[str, Any]] | None,
    tool_choice: str | Mapping[str, Any] | None,
    response_format: type[BaseModel] | Mapping[str, Any] | None,
    timeout: float | None,
    params: dict[str, Any],
) -> ChatRequest:
    """Check a call's arguments and put them in neutral form.

    Raises:
        UsageError: An argument has a shape no provider accepts.
    """
    return ChatRequest(
        messages=normalize_messages(messages),
        model=model,
        tools=[normalize_tool(t) for t in tools] if tools else None,
        tool_choice=normalize_tool_choice(tool_choice),
        structured=structured(response_format) if response_format is not None else None,
        params=params,
        timeout=timeout,
    )


def normalize_messages(messages: str | Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A string as one user message; a sequence of mappings as a list of dicts."""
    if isinstance(messages, str):
        return [{"role": "user", "content": messages}]
    out: list[dict[str, Any]] = []
    for i, message in enumerate(messages or ()):
        if not isinstance(message, Mapping) or "role" not in message:
            raise UsageError(
                f"messages[{i}] is {message!r:.100}; each message is a dict with a 'role' and "
                "a 'content', e.g. {'role': 'user', 'content': 'hi'}"
            )
        out.append(dict(message))
    if not out:
        raise UsageError("messages is empty; pass a string or at least one message dict")
    return out


def normalize_tool(tool: Mapping[str, Any]) -> dict[str, Any]:
    """``{"name", "description", "parameters"}`` from the OpenAI or the short form."""
    spec = tool.get("function") if tool.get("type") == "function" else tool
    if not isinstance(spec, Mapping) or not isinstance(spec.get("name"), str):
        raise UsageError(
            f"tool {dict(tool)!r:.120} has no name; write it as {{'name': ..., 'description': "
            "..., 'parameters': {json schema}} or in the OpenAI form {'type': 'function', "
            "'function': {...}}"
        )
    parameters = spec.get("parameters") or {"type": "object", "properties": {}}
    out: dict[str, Any] = {"name": spec["name"], "parameters": dict(parameters)}
    if spec.get("description"):
        out["description"] = spec["description"]
    return out


def normalize_tool_choice(choice: str | Mapping[str, Any] | None) -> str | dict[str, Any] | None:
    """``auto``, ``required``, ``none`` or ``{"name": ...}`` (the OpenAI form is accepted)."""
    if choice is None or choice in _CHOICES:
        return choice
    if isinstance(choice, Mapping):
        inner = choice.get("function") if choice.get("type") == "function" else choice
        if isinstance(inner, Mapping) and isinstance(inner.get("name"), str):
            return {"name": inner["name"]}
    raise UsageError(
        f"tool_choice is {choice!r}; use 'auto', 'required', 'none' or {{'name': 'tool_name'}}"
    )


def structured(response_format: type[BaseModel] | Mapping[str, Any]) -> Structured:
    """The expected shape from a pydantic model class or a JSON schema dict."""
    if isinstance(response_format, type) and issubclass(response_format, BaseModel):
        schema = strict_schema(response_format.model_json_schema())
        return Structured(_tool_name(response_format.__name__), schema, response_format, True)
    if isinstance(response_format, Mapping):
        if response_format.get("type") == "json_schema" and "json_schema" in response_format:
            inner = response_format["json_schema"]
            return Structured(
                _tool_name(str(inner.get("name") or "response")),
                dict(inner.get("schema") or {}),
                openai_format=dict(response_format),
            )
        schema = dict(response_format)
        return Structured(_tool_name(str(schema.get("title") or "response")), schema)
    raise UsageError(
        f"response_format is {response_format!r:.100}; pass a pydantic model class or a JSON "
        "schema dict"
    )


def _tool_name(name: str) -> str:
    return _NAME.sub("_", name)[:64] or "response"


def strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of a pydantic schema that OpenAI's strict mode accepts.

    Every object gets ``additionalProperties: false`` and lists all its properties as
    required; ``default`` values are dropped (strict mode refuses them).
    """

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "default":
                continue
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {name: walk(sub) for name, sub in value.items()}
            else:
                out[key] = walk(value)
        if out.get("type") == "object" and isinstance(out.get("properties"), dict):
            out["additionalProperties"] = False
            out["required"] = list(out["properties"])
        return out

    result: dict[str, Any] = walk(schema)
    return result


def parse_structured(spec: Structured, text: str | None) -> tuple[Any, str | None]:
    """(parsed value, None) or (None, why it did not parse)."""
    if text is None:
        return None, "the model returned no content"
    if spec.model is not None:
        try:
            return spec.model.model_validate_json(text), None
        except ValidationError as exc:
            return None, f"the answer does not fit {spec.model.__name__}: {exc}"
    try:
        value = json.loads(text)
    except ValueError as exc:
        return None, f"the answer is not JSON ({exc}): {text[:200]!r}"
    problem = _schema_problem(value, spec.schema)
    return (None, problem) if problem else (value, None)


def _schema_problem(value: Any, schema: dict[str, Any]) -> str | None:
    try:
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import best_match
    except ImportError:  # validation needs the llm extra; without it the JSON is kept unchecked
        return None
    error = best_match(Draft202012Validator(schema).iter_errors(value))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(root)"
    return f"the answer does not fit the schema at {where}: {error.message}"
