"""Running a playground variant: resolve it (a saved prompt version, edited messages, or a
registered agent), fill in the variables and stream the model's answer.

The streaming route (``runPlayground``) and the dataset-run job (:mod:`.jobs.playground`) both
go through :func:`resolve_variant` and :func:`run_variant`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from assay import llm
from assay.errors import (
    ConfigError,
    MissingVariableError,
    NotFoundError,
    ProviderError,
    ProviderRateLimitError,
    ProviderUnavailableError,
    UsageError,
)
from assay.llm import ChatResponse
from assay.schema import PlaygroundResult, PlaygroundVariant, PromptMessage, PromptRef
from assay.sdk._mustache import compile_template
from assay.server import agent_client, models
from assay.store.base import NewSpan, Store

log = logging.getLogger(__name__)

#: Keys of ``params`` that are arguments of the call itself, never passed through.
RESERVED_PARAMS = frozenset(
    {"model", "messages", "stream", "provider", "tools", "response_format", "cache"}
)


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
    """One streamed event: ``delta`` (``text``), ``done`` (``result``) or ``error``.

    ``retryable`` marks an error of a provider that stayed unreachable or rate limited after
    every retry: a background run tries the case again later instead of recording it.
    """

    kind: Literal["delta", "done", "error"]
    text: str = ""
    result: PlaygroundResult | None = None
    message: str = ""
    retryable: bool = False


def resolve_variant(store: Store, project_id: str, variant: PlaygroundVariant) -> ResolvedVariant:
    """The variant with its saved prompt or agent looked up (blocking).

    Raises:
        NotFoundError: The prompt version, label or agent does not exist (message names it).
        UsageError: A prompt variant without a model.
    """
    if variant.agent is not None:
        agent = store.get_agent(project_id, variant.agent)
        if agent is None:
            raise NotFoundError(
                f"agent {variant.agent!r} is not registered in this project; register its "
                "endpoint with PUT …/agents/{name} (made by assay.serve_agent)"
            )
        return ResolvedVariant(
            agent_url=agent.url, agent=agent.name, parameters=dict(variant.parameters)
        )
    resolved = ResolvedVariant(
        messages=list(variant.messages),
        model=variant.model,
        params=dict(variant.params),
        tools=variant.tools,
        response_format=variant.response_format,
    )
    if variant.prompt is not None:
        _fill_from_saved(store, project_id, variant.prompt, resolved)
    if not resolved.model:
        raise UsageError(
            'the variant has no "model"; give one (e.g. "gpt-4o-mini") or start from a saved '
            'prompt version ("prompt": {"name": …})'
        )
    if not resolved.messages:
        raise UsageError('the variant has no "messages"; give at least one message')
    return resolved


def _fill_from_saved(
    store: Store, project_id: str, ref: PromptRef, resolved: ResolvedVariant
) -> None:
    """Take from the saved version what the variant leaves out (messages, model, params, …)."""
    saved = store.get_prompt_version(project_id, ref.name, version=ref.version, label=ref.label)
    if saved is None:
        raise NotFoundError(_missing_prompt(store, project_id, ref))
    resolved.prompt_name = saved.prompt
    resolved.prompt_version = saved.version
    resolved.messages = resolved.messages or list(saved.messages)
    resolved.model = resolved.model or saved.model
    resolved.params = resolved.params or dict(saved.params)
    if resolved.tools is None:
        resolved.tools = saved.tools
    if resolved.response_format is None:
        resolved.response_format = saved.response_format


def _missing_prompt(store: Store, project_id: str, ref: PromptRef) -> str:
    if store.get_prompt(project_id, ref.name) is None:
        return (
            f"prompt {ref.name!r} does not exist in this project; GET …/prompts lists them, "
            f"POST …/prompts/{ref.name}/versions creates it"
        )
    if ref.version is not None:
        return f"prompt {ref.name!r} has no version {ref.version}; GET …/versions lists them"
    return f"prompt {ref.name!r} has no label {ref.label!r}; GET …/prompts/{ref.name} lists them"


async def run_variant(
    store: Store,
    project_id: str,
    resolved: ResolvedVariant,
    *,
    variables: Mapping[str, Any],
    input: Any = None,
    traceparent: str | None = None,
) -> AsyncIterator[PlaygroundEvent]:
    """Run the variant once and yield its events; ends with one ``done`` or ``error`` (a
    missing variable, a provider failure or an agent failure is an ``error`` event).

    An agent variant runs under a root span this function writes to the project's log when the
    run ends, unless ``traceparent`` names a parent the caller made (then it makes none).
    """
    events: AsyncGenerator[PlaygroundEvent, None]
    if resolved.agent_url is not None:
        run = AgentRun(store, project_id, resolved, traceparent=traceparent)
        events = run.events(input if input is not None else dict(variables))
    else:
        events = _run_prompt(store, project_id, resolved, variables)
    try:
        async for event in events:
            yield event
    finally:
        await events.aclose()


def render_messages(
    messages: list[PromptMessage], variables: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The messages with the variables filled in (MissingVariableError for a missing one)."""
    return [
        {"role": m.role, "content": compile_template(m.content).render(variables)} for m in messages
    ]


async def _run_prompt(
    store: Store, project_id: str, resolved: ResolvedVariant, variables: Mapping[str, Any]
) -> AsyncGenerator[PlaygroundEvent, None]:
    try:
        messages = render_messages(resolved.messages, variables)
    except MissingVariableError as exc:
        yield _error(f"variable {exc.name!r} is missing: {exc}; give it a value")
        return
    assert resolved.model is not None
    started = time.perf_counter()
    try:
        target = await asyncio.to_thread(models.target_for, store, project_id, resolved.model)
        params = {k: v for k, v in resolved.params.items() if k not in RESERVED_PARAMS}
        stream = await llm.achat(
            messages,
            model=target.model,
            provider=target.provider,
            tools=resolved.tools,
            response_format=resolved.response_format,
            stream=True,
            **params,
        )
        ttft: float | None = None
        response: ChatResponse | None = None
        async with stream:
            async for chunk in stream:
                if chunk.delta:
                    ttft = ttft if ttft is not None else _ms_since(started)
                    yield PlaygroundEvent("delta", text=chunk.delta)
                response = chunk.response or response
    except (ProviderUnavailableError, ProviderRateLimitError) as exc:
        yield PlaygroundEvent("error", message=models.explain(exc), retryable=True)
        return
    except (ProviderError, UsageError, ConfigError) as exc:
        yield _error(models.explain(exc))
        return
    except Exception as exc:  # the stream has begun: say so, never a 500
        log.exception("playground run failed")
        yield _error(f"the run failed unexpectedly ({type(exc).__name__}); see the server log")
        return
    yield PlaygroundEvent("done", result=_result(response, started=started, ttft=ttft))


def _result(
    response: ChatResponse | None, *, started: float, ttft: float | None
) -> PlaygroundResult:
    if response is None:
        return PlaygroundResult(latency_ms=_ms_since(started), ttft_ms=ttft)
    return PlaygroundResult(
        output=response.content,
        tool_calls=[
            {"id": c.id, "name": c.name, "arguments": c.arguments, "raw_arguments": c.raw_arguments}
            for c in response.tool_calls
        ],
        model=response.model,
        prompt_tokens=response.usage.prompt_tokens,
        completion_tokens=response.usage.completion_tokens,
        cost=response.cost,
        latency_ms=_ms_since(started),
        ttft_ms=ttft,
    )


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _error(message: str) -> PlaygroundEvent:
    return PlaygroundEvent("error", message=message)


class AgentRun:
    """One run of a registered agent, under a root span of its own unless the caller made one.

    Args:
        store: Where the root span is written.
        project_id: The project whose log gets it.
        resolved: The agent variant.
        traceparent: The caller's W3C ``traceparent``; None makes a new trace and root span.
    """

    def __init__(
        self,
        store: Store,
        project_id: str,
        resolved: ResolvedVariant,
        *,
        traceparent: str | None = None,
    ) -> None:
        self.store = store
        self.project_id = project_id
        self.resolved = resolved
        self.own_span = traceparent is None
        self.trace_id = os.urandom(16).hex()
        self.span_id = os.urandom(8).hex()
        if traceparent is None:
            traceparent = f"00-{self.trace_id}-{self.span_id}-01"
        else:
            parts = traceparent.split("-")
            self.trace_id = parts[1] if len(parts) >= 3 else self.trace_id
        self.traceparent = traceparent

    async def events(self, run_input: Any) -> AsyncGenerator[PlaygroundEvent, None]:
        """Run the agent and yield its events (its ``done`` carries the trace id)."""
        assert self.resolved.agent_url is not None
        start_ns = time.time_ns()
        started = time.perf_counter()
        ttft: float | None = None
        output: Any = None
        error: str | None = None
        try:
            async for event in agent_client.run_agent(
                self.resolved.agent_url,
                input=run_input,
                parameters=self.resolved.parameters,
                traceparent=self.traceparent,
            ):
                if event.kind == "delta":
                    ttft = ttft if ttft is not None else _ms_since(started)
                    yield PlaygroundEvent("delta", text=event.text)
                elif event.kind == "done":
                    output = event.output
                    result = PlaygroundResult(
                        output=_text(output),
                        latency_ms=_ms_since(started),
                        ttft_ms=ttft,
                        trace_id=self.trace_id,
                    )
                    yield PlaygroundEvent("done", result=result)
                else:
                    error = event.message or "the agent failed"
                    yield _error(error)
        finally:
            if self.own_span:
                await asyncio.to_thread(self._write_root, run_input, output, error, start_ns)

    def _write_root(self, run_input: Any, output: Any, error: str | None, start_ns: int) -> None:
        agent = self.resolved.agent or "agent"
        span = NewSpan(
            trace_id=self.trace_id,
            span_id=self.span_id,
            parent_id=None,
            name=f"playground: {agent}",
            kind="agent",
            start_time=start_ns // 1000,
            end_time=max(time.time_ns() // 1000, start_ns // 1000),
            status="error" if error is not None else "ok",
            error=None if error is None else {"type": "AgentError", "message": error},
            input=run_input,
            output=output,
            metadata={"agent": agent, "parameters": dict(self.resolved.parameters)},
            tags=["playground"],
        )
        try:
            self.store.add_spans(self.project_id, [span])
        except Exception:  # the answer matters more than its span
            log.exception("could not write the playground run's root span")


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)
