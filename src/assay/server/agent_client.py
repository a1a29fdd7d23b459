"""The server's side of ``assay.serve_agent`` endpoints: read what an agent accepts, and run
it on one input with parameter overrides, streaming its events back."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from assay.schema import AgentInfo


@dataclass(slots=True)
class AgentEvent:
    """One event of an agent run: a ``delta`` (text), ``done`` (output, trace id) or ``error``."""

    kind: Literal["delta", "done", "error"]
    text: str = ""
    output: Any = None
    trace_id: str | None = None
    message: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


async def fetch_info(url: str, *, timeout: float = 10.0) -> AgentInfo:
    """``GET {url}``. UsageError (with the URL and what went wrong) when it is no agent."""
    raise NotImplementedError


def run_agent(
    url: str,
    *,
    input: Any,
    parameters: Mapping[str, Any],
    traceparent: str | None = None,
    timeout: float = 300.0,
) -> AsyncIterator[AgentEvent]:
    """``POST {url}/run`` and yield its events as they arrive; a connection failure or a
    non-2xx answer ends with one ``error`` event (never raises)."""
    raise NotImplementedError
