"""Prompts, provider keys, the playground and registered agents on the wire (issue 7).

A prompt has immutable versions (chat messages with ``{{variable}}`` mustache placeholders,
model, parameters, tools, response format, a commit message and an author) and labels such as
``production`` that point at one version and can be moved; every move is kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assay.schema.online import RuleScorer

MessageRole = Literal["system", "user", "assistant"]
LABEL_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,63}$"
"""Labels are short lower-case words: ``production``, ``staging``, ``canary-eu``."""
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$"
"""Prompt, provider and agent names: letters, digits, ``_``, ``.``, ``-``."""


class PromptMessage(BaseModel):
    """One chat message of a template; ``content`` may hold ``{{variable}}`` placeholders."""

    model_config = ConfigDict(extra="forbid")

    role: MessageRole
    content: str = Field(max_length=200_000)


class PromptVersionIn(BaseModel):
    """Body of ``POST /api/v1/projects/{project}/prompts/{name}/versions``.

    The prompt is created with its first version. A body identical to the latest version
    (messages, model, params, tools, response_format) makes no new version.
    """

    model_config = ConfigDict(extra="forbid")

    messages: list[PromptMessage] = Field(min_length=1, max_length=200)
    model: str = Field(min_length=1, max_length=200)
    params: dict[str, Any] = Field(
        default_factory=dict, description="Model parameters: temperature, max_tokens, top_p, …"
    )
    tools: list[dict[str, Any]] | None = Field(
        default=None, description="Tools in the OpenAI format, passed to the model as they are."
    )
    response_format: dict[str, Any] | None = Field(
        default=None, description="A response format in the OpenAI format (json_schema, …)."
    )
    message: str = Field(default="", max_length=2000, description="The commit message.")
    description: str | None = Field(
        default=None, max_length=2000, description="Sets the prompt's description."
    )
    labels: list[str] = Field(
        default_factory=list,
        description="Labels to move to this version (each move is recorded).",
    )


class PromptVersion(BaseModel):
    """One immutable version of a prompt, with the labels that point at it now."""

    prompt: str = Field(description="The prompt's name.")
    version: int
    messages: list[PromptMessage]
    model: str
    params: dict[str, Any] = Field(default_factory=dict)
    tools: list[dict[str, Any]] | None = None
    response_format: dict[str, Any] | None = None
    message: str = ""
    author: str | None = Field(default=None, description="Who saved it (email or key name).")
    created_at: datetime
    labels: list[str] = Field(default_factory=list)
    variables: list[str] = Field(
        default_factory=list, description="Top-level variables the messages use, in order."
    )
    created: bool = Field(
        default=True, description="False when the body matched the latest version (no new one)."
    )


class Prompt(BaseModel):
    """A prompt: its latest version number and where its labels point."""

    id: str
    project: str
    name: str
    description: str | None = None
    latest_version: int
    labels: dict[str, int] = Field(default_factory=dict, description="Label → version.")
    model: str = Field(description="The latest version's model.")
    created_at: datetime
    updated_at: datetime


class PromptPatch(BaseModel):
    """Body of ``PATCH /api/v1/projects/{project}/prompts/{name}``."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(default=None, max_length=2000)


class LabelMoveIn(BaseModel):
    """Body of ``PUT /api/v1/projects/{project}/prompts/{name}/labels/{label}``."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    reason: str = Field(default="", max_length=2000)


class LabelMove(BaseModel):
    """One move of a label: who, when, from which version to which (null: created/removed)."""

    id: str
    prompt: str
    label: str
    from_version: int | None = None
    to_version: int | None = None
    actor: str | None = None
    reason: str = ""
    undo_of: str | None = Field(default=None, description="The move this one undid.")
    at: datetime


class TextChange(BaseModel):
    """A field that differs between two versions (JSON values as they are)."""

    field: str = Field(description="e.g. model, params.temperature, tools, response_format.")
    before: Any = None
    after: Any = None


class DiffLine(BaseModel):
    """One line of a unified line diff: ``=`` kept, ``-`` removed, ``+`` added."""

    op: Literal["=", "-", "+"]
    text: str


class MessageChange(BaseModel):
    """A message position and how it changed: ``same``, ``changed``, ``added``, ``removed``."""

    index: int
    status: Literal["same", "changed", "added", "removed"]
    role_before: MessageRole | None = None
    role_after: MessageRole | None = None
    before: str | None = None
    after: str | None = None
    lines: list[DiffLine] = Field(
        default_factory=list, description="A line diff of the content (changed messages only)."
    )


class PromptDiff(BaseModel):
    """``GET .../prompts/{name}/diff?from=A&to=B``: messages, model and parameters compared."""

    prompt: str
    from_version: int
    to_version: int
    messages: list[MessageChange]
    fields: list[TextChange] = Field(
        default_factory=list, description="Model, each changed parameter, tools, response format."
    )
    variables_added: list[str] = Field(default_factory=list)
    variables_removed: list[str] = Field(default_factory=list)


# ------------------------------------------------------------------------------ provider keys

ProviderKind = Literal["openai", "anthropic"]


class ProviderKeyIn(BaseModel):
    """Body of ``PUT /api/v1/projects/{project}/providers/{name}``.

    ``name`` ``openai`` and ``anthropic`` take the models those route to by default (``gpt-*``,
    ``claude*``); any other name is used as a model prefix (``groq/llama-3.1-8b``).
    ``api_key`` may be left out on an update to keep the stored key.
    """

    model_config = ConfigDict(extra="forbid")

    kind: ProviderKind = "openai"
    base_url: str | None = Field(
        default=None, max_length=2000, description="An OpenAI-compatible or Anthropic base URL."
    )
    api_key: str | None = Field(default=None, min_length=1, max_length=4000)


class ProviderKey(BaseModel):
    """A project's provider, the key only in masked form (never sent back)."""

    name: str
    kind: ProviderKind
    base_url: str | None = None
    key_hint: str = Field(description="The key masked, e.g. 'sk-…x7Qa'.")
    updated_by: str | None = None
    created_at: datetime
    updated_at: datetime


# ------------------------------------------------------------------------------ playground


class PromptRef(BaseModel):
    """A saved prompt version the variant starts from (recorded on runs and experiments)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    version: int | None = Field(default=None, ge=1)
    label: str | None = None


class PlaygroundVariant(BaseModel):
    """What the playground runs: a prompt (messages, model, parameters), edited or as saved, or
    a registered agent with parameter overrides."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(default="", max_length=200, description="A name for the column, e.g. 'B'.")
    messages: list[PromptMessage] = Field(default_factory=list, max_length=200)
    model: str | None = Field(default=None, max_length=200)
    params: dict[str, Any] = Field(default_factory=dict)
    tools: list[dict[str, Any]] | None = None
    response_format: dict[str, Any] | None = None
    prompt: PromptRef | None = Field(
        default=None, description="The version it came from (messages above win when given)."
    )
    agent: str | None = Field(default=None, description="A registered agent to run instead.")
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="The agent's parameter overrides."
    )

    @model_validator(mode="after")
    def _one_kind(self) -> PlaygroundVariant:
        if self.agent is None and not self.messages and self.prompt is None:
            raise ValueError('give "messages" and "model", a saved "prompt", or an "agent"')
        if self.agent is not None and self.messages:
            raise ValueError('an "agent" variant takes "parameters", not "messages"')
        return self


class PlaygroundRunIn(BaseModel):
    """Body of ``POST /api/v1/projects/{project}/playground/runs``: one input, one variant.

    The answer is a ``text/event-stream``: ``delta`` events (``{"text": …}``) as tokens arrive,
    then one ``done`` (:class:`PlaygroundResult`) or ``error`` (``{"message": …}``).
    """

    model_config = ConfigDict(extra="forbid")

    variant: PlaygroundVariant
    variables: dict[str, Any] = Field(
        default_factory=dict, description="Template variables (a prompt) or the input (an agent)."
    )
    input: Any = Field(default=None, description="An agent's input (default: the variables).")


class PlaygroundResult(BaseModel):
    """The ``done`` event of a playground run."""

    output: str | None = None
    tool_calls: list[dict[str, Any]] = Field(default_factory=list)
    model: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost: float | None = None
    latency_ms: float
    ttft_ms: float | None = Field(default=None, description="Time to the first token.")
    trace_id: str | None = Field(default=None, description="The agent run's trace, if any.")


class PlaygroundExperimentIn(BaseModel):
    """Body of ``POST /api/v1/projects/{project}/playground/experiments``: run a variant over a
    dataset with scorers; the result is an experiment like any other."""

    model_config = ConfigDict(extra="forbid")

    variant: PlaygroundVariant
    dataset: str = Field(min_length=1, max_length=200)
    dataset_version: int | None = Field(default=None, ge=1)
    scorers: list[RuleScorer] = Field(default_factory=list, max_length=20)
    name: str | None = Field(
        default=None, max_length=200, description="Experiment name; default from the variant."
    )
    baseline: str | None = Field(default=None, max_length=200)
    concurrency: int = Field(default=4, ge=1, le=32)


class PlaygroundExperiment(BaseModel):
    """A dataset run started from the playground: its experiment and the job running it."""

    experiment: str
    job_id: str
    status: str
    total: int = Field(description="Records to run.")
    done: int = 0
    error: str | None = Field(
        default=None, description="Why the run stopped (its job's last failure), if it did."
    )


# ------------------------------------------------------------------------------ agents


class AgentIn(BaseModel):
    """Body of ``PUT /api/v1/projects/{project}/agents/{name}``: an endpoint made by
    ``assay.serve_agent``. The server reads its parameters from ``GET {url}``."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=2000, description="e.g. http://10.0.0.5:8710")
    description: str | None = Field(default=None, max_length=2000)


class AgentParameter(BaseModel):
    """One parameter an agent accepts, with its default and JSON type."""

    name: str
    default: Any = None
    type: str = Field(description="string, number, integer, boolean, object, array or null")


class Agent(BaseModel):
    """A registered agent endpoint."""

    name: str
    url: str
    description: str | None = None
    task: str | None = Field(default=None, description="The task function's name.")
    parameters: list[AgentParameter] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime


class AgentInfo(BaseModel):
    """What ``GET /`` of a ``serve_agent`` endpoint answers."""

    task: str
    parameters: list[AgentParameter] = Field(default_factory=list)
    assay_version: str
