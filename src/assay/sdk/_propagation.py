"""W3C Trace Context over HTTP headers: :func:`inject` and :func:`extract`.

A supervisor passes its context to a sub-agent on another host::

    headers = assay.inject({})                 # adds traceparent
    httpx.post(url, json=task, headers=headers)

and the sub-agent joins the same trace::

    with assay.extract(request.headers):
        with assay.span("sub-agent", kind="agent"):
            ...

The remote span is only a parent here: this process never sends it, so it cannot overwrite
the caller's span.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from contextvars import ContextVar, Token
from types import TracebackType
from typing import Any

from assay.sdk import _otel
from assay.sdk._span import Span, _current, remote_span, restore

_TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?")
_ZERO_TRACE = "0" * 32
_ZERO_SPAN = "0" * 16

# tracestate and baggage received by extract(), passed on unchanged by inject().
_incoming: ContextVar[tuple[str | None, str | None] | None] = ContextVar(
    "assay_incoming_headers", default=None
)


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    try:
        value = headers.get(name)
        if value is None:
            for key, item in headers.items():
                if isinstance(key, str) and key.lower() == name:
                    value = item
                    break
    except Exception:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if isinstance(value, str) else None


def parse_traceparent(value: str | None) -> tuple[str, str] | None:
    """``(trace_id, span_id)`` from a W3C ``traceparent`` value, or None if it is malformed."""
    if not value:
        return None
    m = _TRACEPARENT.fullmatch(value.strip().lower())
    if m is None:
        return None
    version, trace_id, span_id, _flags, rest = m.groups()
    if version == "ff" or (version == "00" and rest):
        return None
    if trace_id == _ZERO_TRACE or span_id == _ZERO_SPAN:
        return None
    return trace_id, span_id


def inject(headers: dict[str, str]) -> dict[str, str]:
    """Add the current context to outgoing HTTP headers, in place.

    Sets ``traceparent`` (``00-<trace_id>-<span_id>-01``) from the current span and passes on
    the ``tracestate`` and ``baggage`` that arrived through :func:`extract`. Outside any span
    the headers are returned unchanged.

    Args:
        headers: The outgoing headers.

    Returns:
        The same dict, for chaining.
    """
    current = _current.get()
    ids: tuple[str, str] | None = None
    if current is not None:
        ids = current.trace_id, current.span_id
    elif _otel.MODULE in sys.modules:
        ids = _otel.parent_ids(None)
    if ids is None:
        return headers
    headers["traceparent"] = f"00-{ids[0]}-{ids[1]}-01"
    incoming = _incoming.get()
    if incoming is not None:
        tracestate, baggage = incoming
        if tracestate:
            headers["tracestate"] = tracestate
        if baggage:
            headers["baggage"] = baggage
    return headers


class extract:  # lower case: used like a function, `with assay.extract(headers):`
    """Context manager that makes the caller's span (from incoming headers) the parent.

    Spans opened inside are children of the remote span, in its trace. A missing or
    malformed ``traceparent`` is ignored: spans inside start a new trace as usual. Header
    names are matched case-insensitively; any mapping works (a dict, Starlette ``Headers``).

    Args:
        headers: The incoming HTTP headers.
    """

    __slots__ = ("_incoming_token", "_otel_token", "_parent", "_token", "_tracestate")

    def __init__(self, headers: Mapping[str, Any]) -> None:
        ids = parse_traceparent(_header(headers, "traceparent"))
        self._parent: Span | None = remote_span(*ids) if ids is not None else None
        self._tracestate = (_header(headers, "tracestate"), _header(headers, "baggage"))
        self._token: Token[Span | None] | None = None
        self._incoming_token: Token[tuple[str | None, str | None] | None] | None = None
        self._otel_token: Any = None

    @property
    def trace_id(self) -> str | None:
        """The remote trace id, or None when the headers carried no valid ``traceparent``."""
        return self._parent.trace_id if self._parent is not None else None

    def __enter__(self) -> extract:
        parent = self._parent
        if parent is not None:
            self._token = _current.set(parent)
            self._incoming_token = _incoming.set(self._tracestate)
            if _otel.MODULE in sys.modules:
                self._otel_token = _otel.attach(parent.trace_id, parent.span_id, remote=True)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._token is not None:
            restore((self._token, self._otel_token))
            self._token = self._otel_token = None
        if self._incoming_token is not None:
            try:
                _incoming.reset(self._incoming_token)
            except ValueError:
                _incoming.set(None)
            self._incoming_token = None

    async def __aenter__(self) -> extract:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, tb)
