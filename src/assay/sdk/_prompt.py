"""One prompt version as the SDK holds it, and what it builds for the OpenAI and Anthropic clients.

The messages :meth:`Prompt.build` returns are a :class:`PromptMessages` list: the OpenAI and
Anthropic wrappers see it and record the prompt's name and version on the ``llm`` span.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assay.sdk._mustache import Template, compile_template, missing_variable
from assay.sdk._span import current_span

#: OpenAI parameters the Anthropic Messages API does not take (left out by build_anthropic).
_OPENAI_ONLY = frozenset(
    {
        "frequency_penalty",
        "presence_penalty",
        "seed",
        "n",
        "logit_bias",
        "logprobs",
        "top_logprobs",
        "user",
        "parallel_tool_calls",
        "response_format",
        "store",
        "reasoning_effort",
    }
)
#: Parameters every version of ``anthropic``'s ``messages.create`` takes as keywords; the
#: others (temperature, top_p, top_k, …) go in ``extra_body``, which every version accepts.
_ANTHROPIC_KEYWORDS = frozenset(
    {"max_tokens", "stop_sequences", "metadata", "tool_choice", "thinking", "service_tier"}
)


class PromptMessages(list[dict[str, Any]]):
    """Rendered chat messages that remember the prompt version they came from.

    A plain ``list`` to every client; the assay wrappers read :attr:`prompt_name` and
    :attr:`prompt_version` to say on the ``llm`` span which prompt produced the call.
    """

    __slots__ = ("prompt_name", "prompt_version")

    prompt_name: str
    prompt_version: int


class Prompt:
    """One prompt version as the SDK holds it (built from the ``resolvePrompt`` answer).

    Attributes:
        project: The project's name.
        name: The prompt's name.
        version: The version number.
        label: The label it was loaded by, if any.
        messages: The template messages (``{"role", "content"}`` dicts).
        model: The model.
        params: Model parameters (temperature, max_tokens, …).
        tools: Tools in the OpenAI format, or None.
        response_format: A response format in the OpenAI format, or None.
        variables: The top-level variables the messages use.
    """

    __slots__ = (
        "_required",
        "_templates",
        "label",
        "messages",
        "model",
        "name",
        "params",
        "project",
        "response_format",
        "tools",
        "variables",
        "version",
    )

    def __init__(
        self,
        *,
        project: str,
        name: str,
        version: int,
        messages: list[dict[str, Any]],
        model: str,
        params: Mapping[str, Any] | None = None,
        tools: list[dict[str, Any]] | None = None,
        response_format: dict[str, Any] | None = None,
        label: str | None = None,
    ) -> None:
        """Compile the messages once; :func:`assay.load_prompt` makes these for you.

        Raises:
            UsageError: A message's template is malformed (an unclosed section, …).
        """
        self.project = project
        self.name = name
        self.version = version
        self.label = label
        self.messages = [{"role": m["role"], "content": m["content"]} for m in messages]
        self.model = model
        self.params = dict(params or {})
        self.tools = tools
        self.response_format = response_format
        self._templates: list[tuple[str, Template]] = [
            (m["role"], compile_template(m["content"])) for m in self.messages
        ]
        names: dict[str, None] = {}
        required: dict[str, None] = {}
        for _, template in self._templates:
            names.update(dict.fromkeys(template.variables))
            required.update(dict.fromkeys(template.required))
        self.variables: list[str] = list(names)
        self._required = tuple(required)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], *, project: str, label: str | None = None) -> Prompt:
        """A prompt from the JSON of ``GET …/prompts/{name}/resolve`` (a ``PromptVersion``)."""
        return cls(
            project=project,
            name=str(data["prompt"]),
            version=int(data["version"]),
            messages=list(data["messages"]),
            model=str(data["model"]),
            params=data.get("params") or {},
            tools=data.get("tools"),
            response_format=data.get("response_format"),
            label=label,
        )

    def render(self, variables: Mapping[str, Any]) -> list[dict[str, str]]:
        """The messages with ``variables`` filled in.

        Raises:
            MissingVariableError: A variable the messages need was not given (named).
        """
        for name in self._required:
            if name not in variables:
                raise missing_variable(name, self.variables)
        return [{"role": role, "content": t.render(variables)} for role, t in self._templates]

    def build(self, **variables: Any) -> dict[str, Any]:
        """Keyword arguments for ``openai`` ``chat.completions.create``: ``model``, rendered
        ``messages``, the parameters, ``tools`` and ``response_format`` when set.

        Raises:
            MissingVariableError: A variable the messages need was not given (named).
        """
        messages = self._messages(self.render(variables))
        kwargs: dict[str, Any] = {"model": self.model, **self.params, "messages": messages}
        if self.tools is not None:
            kwargs["tools"] = self.tools
        if self.response_format is not None:
            kwargs["response_format"] = self.response_format
        self._note_on_span()
        return kwargs

    def build_anthropic(self, **variables: Any) -> dict[str, Any]:
        """Keyword arguments for ``anthropic`` ``messages.create``: the system message as
        ``system``, the rest as ``messages``, ``max_tokens`` (default 1024) and parameters.

        OpenAI-only parameters (``seed``, ``frequency_penalty``, …) are left out,
        ``max_completion_tokens`` becomes ``max_tokens``, ``stop`` becomes ``stop_sequences``,
        sampling parameters (``temperature``, ``top_p``, …) go in ``extra_body`` (the request
        body is the same, and every ``anthropic`` version accepts it) and tools are given in
        Anthropic's shape.

        Raises:
            MissingVariableError: A variable the messages need was not given (named).
        """
        rendered = self.render(variables)
        system = [m["content"] for m in rendered if m["role"] == "system"]
        messages = self._messages([m for m in rendered if m["role"] != "system"])
        kwargs: dict[str, Any] = {"model": self.model, "max_tokens": 1024}
        kwargs.update(_anthropic_params(self.params))
        kwargs["messages"] = messages
        if system:
            kwargs["system"] = "\n\n".join(system)
        if self.tools:
            kwargs["tools"] = [_anthropic_tool(t) for t in self.tools]
        self._note_on_span()
        return kwargs

    def __repr__(self) -> str:
        by = f" label={self.label!r}" if self.label else ""
        return f"<Prompt {self.project}/{self.name} v{self.version}{by} model={self.model!r}>"

    # ------------------------------------------------------------------ internals
    def _messages(self, items: list[dict[str, Any]]) -> PromptMessages:
        messages = PromptMessages(items)
        messages.prompt_name = self.name
        messages.prompt_version = self.version
        return messages

    def _note_on_span(self) -> None:
        span = current_span()
        if span is not None:
            span.log(metadata={"prompt": self.name, "prompt_version": self.version})


def _anthropic_params(params: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    body: dict[str, Any] = {}
    for key, value in params.items():
        if key in _OPENAI_ONLY:
            continue
        if key == "max_completion_tokens":
            out.setdefault("max_tokens", value)
        elif key == "stop":
            out["stop_sequences"] = [value] if isinstance(value, str) else list(value)
        elif key in _ANTHROPIC_KEYWORDS:
            out[key] = value
        elif key == "extra_body" and isinstance(value, Mapping):
            body.update(value)
        else:
            body[key] = value
    if "max_tokens" in params:
        out["max_tokens"] = params["max_tokens"]
    if body:
        out["extra_body"] = body
    return out


def _anthropic_tool(tool: Mapping[str, Any]) -> dict[str, Any]:
    """An OpenAI ``{"type": "function", "function": {…}}`` tool in Anthropic's shape."""
    function = tool.get("function")
    if tool.get("type") != "function" or not isinstance(function, Mapping):
        return dict(tool)  # already Anthropic-shaped (or a server tool): passed as it is
    out: dict[str, Any] = {
        "name": function.get("name"),
        "input_schema": function.get("parameters") or {"type": "object", "properties": {}},
    }
    if function.get("description"):
        out["description"] = function["description"]
    return out
