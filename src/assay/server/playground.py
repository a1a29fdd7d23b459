"""Running a playground variant: resolve it (a saved prompt version, edited messages, or a
registered agent), fill in the variables and stream the model's answer.

The streaming route (``runPlayground``) and the dataset-run job (:mod:`.jobs.playground`) both
go through :func:`resolve_variant` and :func:`run_variant`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from assay.schema import PlaygroundResult, PlaygroundVariant, PromptMessage
from assay.store.base import Store


@dataclass(slots=True)
class ResolvedVariant:
    """A variant ready to run.

    Attributes:
        messages: Template messages (prompt variants).
        model: The model (prompt variants).
        params: Model parameters.
        tools: OpenAI-format tools or None.
        response_format: OpenAI-format response format or None.
        prompt_name: The saved prompt it came from, if any.
        prompt_version: That prompt's version, if any.
        agent_url: The agent endpoint (agent variants).
        agent: The agent's name (agent variants).
        parameters: The agent's parameter overrides.
    """

    messages: list[PromptMessage] = field(default_factory=list)
    model: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    tools: list[dict[str, Any]] | None = None
    response_format: dict[str, Any] | None = None
    prompt_name: str | None = None
    prompt_version: int | None = None
    agent_url: str | None = None
    agent: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class PlaygroundEvent:
    """One streamed event: ``delta`` (``text``), ``done`` (``result``) or ``error``."""

    kind: Literal["delta", "done", "error"]
    text: str = ""
    result: PlaygroundResult | None = None
    message: str = ""


def resolve_variant(store: Store, project_id: str, variant: PlaygroundVariant) -> ResolvedVariant:
    """The variant with its saved prompt or agent looked up (blocking).

    Raises:
        NotFoundError: The prompt version, label or agent does not exist (message names it).
        UsageError: A prompt variant without a model.
    """
    raise NotImplementedError


def run_variant(
    store: Store,
    project_id: str,
    resolved: ResolvedVariant,
    *,
    variables: Mapping[str, Any],
    input: Any = None,
    traceparent: str | None = None,
) -> AsyncIterator[PlaygroundEvent]:
    """Run the variant once and yield its events; ends with one ``done`` or ``error`` (a
    missing variable, a provider failure or an agent failure is an ``error`` event)."""
    raise NotImplementedError
