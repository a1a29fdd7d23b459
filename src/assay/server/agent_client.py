"""The server's side of ``assay.serve_agent`` endpoints: read what an agent accepts, and run
it on one input with parameter overrides, streaming its events back.

One short-lived ``httpx.AsyncClient`` per call (an agent run is seconds long; a pool would save
nothing worth its lifetime rules), sharing one TLS context: loading the CA store is what makes a
client slow to create (about 35 ms). Environment proxies are ignored: agents are services the
server reaches directly.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
import orjson
from pydantic import ValidationError

from assay.errors import UsageError
from assay.schema import AgentInfo

#: Seconds to open a connection to an agent.
CONNECT_TIMEOUT = 10.0
_HINT = "start it with assay.serve_agent(task) and register its URL"


@dataclass(slots=True)
class AgentEvent:
    """One event of an agent run: a ``delta`` (text), ``done`` (output, trace id) or ``error``."""

    kind: Literal["delta", "done", "error"]
    text: str = ""
    output: Any = None
    trace_id: str | None = None
    message: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _base(url: str) -> str:
    """``url`` without a trailing slash; UsageError unless it is an http(s) URL with a host
    (and a port from 0 to 65535, no spaces or control characters)."""
    try:
        parts = urlsplit(url.strip())
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018  (raises ValueError for a port out of range or not a number)
    except ValueError:
        usable = False
    if not usable or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url.strip()):
        raise UsageError(
            f"{url!r:.200} is not an http:// or https:// URL; {_HINT} (e.g. http://127.0.0.1:8710)"
        )
    return url.strip().rstrip("/")


@functools.cache
def _tls() -> ssl.SSLContext:
    return httpx.create_ssl_context()


def _client(timeout: float) -> httpx.AsyncClient:
    limits = httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT))
    return httpx.AsyncClient(timeout=limits, verify=_tls(), trust_env=False)


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _not_an_agent(url: str, why: str) -> UsageError:
    return UsageError(f"{url} did not answer as an assay agent ({why}); {_HINT}")


async def fetch_info(url: str, *, timeout: float = 10.0) -> AgentInfo:
    """``GET {url}``. UsageError (with the URL and what went wrong) when it is no agent."""
    base = _base(url)
    try:
        async with _client(timeout) as client:
            response = await client.get(base + "/")
    except httpx.HTTPError as exc:
        raise _not_an_agent(base, _why(exc)) from None
    if response.status_code != 200:
        raise _not_an_agent(base, f"GET / answered {response.status_code}")
    try:
        return AgentInfo.model_validate(orjson.loads(response.content))
    except (orjson.JSONDecodeError, ValidationError):
        kind = response.headers.get("content-type", "no content type")
        raise _not_an_agent(base, f"GET / answered no agent description ({kind})") from None


def run_agent(
    url: str,
    *,
    input: Any,
    parameters: Mapping[str, Any],
    traceparent: str | None = None,
    timeout: float = 300.0,
) -> AsyncIterator[AgentEvent]:
    """``POST {url}/run`` and yield its events as they arrive; a connection failure or a
    non-2xx answer ends with one ``error`` event (never raises).

    Args:
        url: The agent endpoint.
        input: The task's input.
        parameters: Parameter overrides.
        traceparent: W3C ``traceparent`` of the caller's span, so the agent's spans join its
            trace.
        timeout: Seconds to wait for the agent's next event.
    """
    return _run(url, input, dict(parameters), traceparent, timeout)


async def _run(
    url: str, input: Any, parameters: dict[str, Any], traceparent: str | None, timeout: float
) -> AsyncIterator[AgentEvent]:
    try:
        base = _base(url)
    except UsageError as exc:
        yield AgentEvent("error", message=str(exc))
        return
    headers = {"accept": "text/event-stream"}
    if traceparent:
        headers["traceparent"] = traceparent
    body = {"input": input, "parameters": parameters}
    try:
        async with (
            _client(timeout) as client,
            client.stream("POST", base + "/run", json=body, headers=headers) as response,
        ):
            if response.status_code != 200:
                yield AgentEvent("error", message=await _refusal(base, response))
                return
            async for event in _events(response):
                yield event
                if event.kind != "delta":
                    return
    except httpx.HTTPError as exc:
        message = f"the agent at {base} failed ({_why(exc)}); is it running?"
        yield AgentEvent("error", message=message)
        return
    yield AgentEvent("error", message=f"the agent at {base} ended its answer before the run did")


async def _refusal(base: str, response: httpx.Response) -> str:
    """What a non-200 answer of ``POST /run`` says."""
    raw = await response.aread()
    try:
        said = orjson.loads(raw)["error"]["message"]
    except Exception:
        said = raw.decode("utf-8", "replace")[:300] or "no message"
    return f"the agent at {base} refused the run ({response.status_code}): {said}"


async def _events(response: httpx.Response) -> AsyncIterator[AgentEvent]:
    """Server-sent events of a ``POST /run`` answer, parsed as they arrive."""
    name, data = "", []
    async for line in response.aiter_lines():
        if line.startswith(":"):
            continue
        if line:
            key, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if key == "event":
                name = value
            elif key == "data":
                data.append(value)
            continue
        if data:
            event = _event(name, "\n".join(data))
            if event is not None:
                yield event
        name, data = "", []


def _event(name: str, text: str) -> AgentEvent | None:
    """One parsed event; None for kinds this client does not know (skipped)."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return AgentEvent("error", message=f"the agent sent an event that is not JSON: {text:.200}")
    if not isinstance(data, dict):
        data = {}
    if name == "delta":
        return AgentEvent("delta", text=str(data.get("text", "")))
    if name == "done":
        trace_id = data.get("trace_id")
        return AgentEvent(
            "done",
            output=data.get("output"),
            trace_id=trace_id if isinstance(trace_id, str) else None,
        )
    if name == "error":
        extra = {"type": data["type"]} if isinstance(data.get("type"), str) else {}
        return AgentEvent(
            "error", message=str(data.get("message") or "the agent failed"), extra=extra
        )
    return None
