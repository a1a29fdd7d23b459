"""Spans and the current-span context.

The current span lives in a :class:`contextvars.ContextVar`, so it follows asyncio tasks on its
own. Threads start with an empty context: wrap the callable with :func:`bind_context` when
handing work to an executor::

    with assay.span("fan-out"):
        futures = [pool.submit(assay.bind_context(work), item) for item in items]

Everything on the path of a span (create, log, end) is kept cheap: no locks, no logging, one
``time.time()`` per event. At ``end()`` mutable values (dicts, lists, objects) are snapshotted
as JSON bytes on the caller's thread, since agents keep appending to their message lists;
strings and numbers are kept as they are. Turning finished spans into wire dicts, masking,
compression and sending happen on the exporter thread.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable
from contextvars import ContextVar, Token
from types import TracebackType
from typing import Any, Protocol

from assay.sdk import _otel
from assay.sdk._util import (
    PRIMITIVES,
    internal_error,
    new_span_id,
    new_trace_id,
)
from assay.sdk._wire import freeze as _freeze
from assay.sdk._wire import freeze_metadata as _freeze_metadata
from assay.sdk._wire import wire_dict

_current: ContextVar[Span | None] = ContextVar("assay_current_span", default=None)

_MISSING: Any = object()
_OTEL = _otel.MODULE


class _Sink(Protocol):
    def _submit(self, span: Span) -> None: ...


class _State:
    """Where finished spans go: the client made by ``init()``, or nowhere."""

    __slots__ = ("client",)

    def __init__(self) -> None:
        self.client: _Sink | None = None


STATE = _State()

#: Where spans ending in this context go instead of ``STATE.client`` (an eval run sets it for
#: its own tasks, so two runs at once, and the program around them, keep their spans apart).
sink_override: ContextVar[_Sink | None] = ContextVar("assay_sink_override", default=None)


class Span:
    """One timed operation in a trace.

    Made by :func:`span` (a context manager that makes it current), :func:`start_span` (not
    made current; call :meth:`end`) or :func:`assay.traced`. ``trace_id`` and ``span_id`` are
    lower-case hex strings of W3C sizes (32 and 16 characters).
    """

    __slots__ = (
        "_ctx",
        "_otel_token",
        "_remote",
        "_token",
        "end_time",
        "error",
        "expected",
        "input",
        "kind",
        "metadata",
        "metrics",
        "model",
        "name",
        "output",
        "parent_id",
        "span_id",
        "start_time",
        "status",
        "tags",
        "trace_id",
    )

    trace_id: str
    span_id: str
    parent_id: str | None
    name: str
    kind: str
    start_time: float
    end_time: float | None
    status: str
    error: dict[str, Any] | None
    input: Any
    output: Any
    expected: Any
    metadata: dict[str, Any]
    tags: list[str] | None
    metrics: dict[str, float] | None
    model: str | None
    _ctx: tuple[str | None, ...] | None
    _token: Token[Span | None] | None
    _otel_token: object
    _remote: bool

    # ------------------------------------------------------------------ context manager
    def __enter__(self) -> Span:
        self._token = _current.set(self)
        if _OTEL in sys.modules:
            self._otel_token = _otel.attach(self.trace_id, self.span_id)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None and not isinstance(exc, GeneratorExit):
            self.record_exception(exc)
        self._deactivate()
        self.end()

    async def __aenter__(self) -> Span:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, tb)

    def _deactivate(self) -> None:
        token = self._token
        if token is not None:
            self._token = None
            try:
                _current.reset(token)
            except ValueError:  # exited in another context (e.g. a different task)
                old = token.old_value
                _current.set(None if old is Token.MISSING else old)
        if self._otel_token is not None:
            _otel.detach(self._otel_token)
            self._otel_token = None

    # ------------------------------------------------------------------ public API
    def log(
        self,
        *,
        input: Any = _MISSING,
        output: Any = _MISSING,
        expected: Any = _MISSING,
        metadata: dict[str, Any] | None = None,
        tags: list[str] | None = None,
        metrics: dict[str, float] | None = None,
        model: str | None = None,
        error: Any = _MISSING,
    ) -> None:
        """Record data on the span.

        ``metadata`` and ``metrics`` merge into what is there, ``tags`` extend, the other
        fields replace (pass ``None`` explicitly to clear one). Calls after :meth:`end` are
        ignored.

        Args:
            input: What the operation received.
            output: What it produced.
            expected: The reference answer (eval cases).
            metadata: Extra key/value pairs.
            tags: Labels to add.
            metrics: Numbers such as ``prompt_tokens``, ``completion_tokens``, ``cost``.
            model: Model name, for LLM spans.
            error: An exception (recorded like :meth:`record_exception`), a message string,
                or ``None`` to clear the error.
        """
        if self.end_time is not None:
            return
        if input is not _MISSING:
            self.input = input
        if output is not _MISSING:
            self.output = output
        if expected is not _MISSING:
            self.expected = expected
        if metadata:
            self.metadata.update(metadata)
        if tags:
            self.tags = [*self.tags, *tags] if self.tags else list(tags)
        if metrics:
            if self.metrics is None:
                self.metrics = {}
            self.metrics.update(metrics)
        if model is not None:
            self.model = model
        if error is not _MISSING:
            self._set_error(error)

    def set_output(self, value: Any) -> None:
        """Set the span's output (same as ``log(output=value)``)."""
        if self.end_time is None:
            self.output = value

    def record_exception(self, exc: BaseException) -> None:
        """Mark the span as failed with ``exc``'s type, message and traceback."""
        try:
            tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        except Exception:
            tb = None
        self.status = "error"
        self.error = {"type": type(exc).__name__, "message": str(exc), "traceback": tb}

    def end(self, end_time: float | None = None) -> None:
        """Finish the span and hand it to the exporter. Calling it again does nothing.

        Args:
            end_time: Unix seconds; now when omitted.
        """
        if self.end_time is not None or self._remote:
            return
        self.end_time = time.time() if end_time is None else end_time
        try:
            if type(self.input) not in PRIMITIVES:
                self.input = _freeze(self.input)
            if type(self.output) not in PRIMITIVES:
                self.output = _freeze(self.output)
            if type(self.expected) not in PRIMITIVES:
                self.expected = _freeze(self.expected)
            if self.metadata:
                self.metadata = _freeze_metadata(self.metadata)
            client = sink_override.get() or STATE.client
            if client is not None:
                client._submit(self)
        except Exception as exc:
            internal_error(exc, "Span.end")

    @property
    def ended(self) -> bool:
        """True once :meth:`end` was called."""
        return self.end_time is not None

    def __repr__(self) -> str:
        return f"<Span {self.name!r} kind={self.kind} trace={self.trace_id} span={self.span_id}>"

    # ------------------------------------------------------------------ internals
    def _set_error(self, error: Any) -> None:
        if error is None:
            self.status, self.error = "ok", None
        elif isinstance(error, BaseException):
            self.record_exception(error)
        else:
            self.status = "error"
            self.error = {"type": "Error", "message": str(error), "traceback": None}

    def to_wire(self, mask: Callable[[Any], Any] | None = None) -> dict[str, Any]:
        """The span as a dict in the shape of ``assay.schema.SpanIn`` (empty fields omitted).

        Args:
            mask: Applied to input, output, expected and metadata before they are returned.
        """
        return wire_dict(self, mask)


def _new(
    name: str,
    kind: str,
    input: Any,
    expected: Any,
    metadata: dict[str, Any] | None,
    tags: list[str] | None,
    model: str | None,
    ctx: tuple[str | None, ...] | None,
    attributes: dict[str, Any] | None,
) -> Span:
    s = Span.__new__(Span)
    parent = _current.get()
    if _OTEL in sys.modules:
        found = _otel.parent_ids(parent)
        if found is not None:
            s.trace_id, s.parent_id = found
            parent = None if parent is None or parent.trace_id != found[0] else parent
        elif parent is not None:
            s.trace_id, s.parent_id = parent.trace_id, parent.span_id
        else:
            s.trace_id, s.parent_id = new_trace_id(), None
    elif parent is not None:
        s.trace_id, s.parent_id = parent.trace_id, parent.span_id
    else:
        s.trace_id, s.parent_id = new_trace_id(), None
    s.span_id = new_span_id()
    s.name = name
    s.kind = kind
    s.start_time = time.time()
    s.end_time = None
    s.status = "ok"
    s.error = None
    s.input = input
    s.output = None
    s.expected = expected
    if attributes:
        s.metadata = {**metadata, **attributes} if metadata else dict(attributes)
    else:
        s.metadata = dict(metadata) if metadata else {}
    s.tags = list(tags) if tags else None
    s.metrics = None
    s.model = model
    inherited = parent._ctx if parent is not None else None
    if ctx is not None:
        if inherited is not None:
            ctx = tuple(o if o is not None else i for o, i in zip(ctx, inherited, strict=True))
        s._ctx = ctx
    else:
        s._ctx = inherited
    s._token = None
    s._otel_token = None
    s._remote = False
    return s


def activate(s: Span) -> tuple[Token[Span | None], Any]:
    """Make ``s`` current (also for OpenTelemetry, when loaded); undo with :func:`restore`."""
    token = _current.set(s)
    otel_token = _otel.attach(s.trace_id, s.span_id) if _OTEL in sys.modules else None
    return token, otel_token


def restore(tokens: tuple[Token[Span | None], Any]) -> None:
    """Undo :func:`activate`."""
    token, otel_token = tokens
    if otel_token is not None:
        _otel.detach(otel_token)
    try:
        _current.reset(token)
    except ValueError:
        old = token.old_value
        _current.set(None if old is Token.MISSING else old)


def remote_span(trace_id: str, span_id: str) -> Span:
    """A placeholder for a span of another process: a parent only, never exported."""
    s = Span.__new__(Span)
    s.trace_id, s.span_id, s.parent_id = trace_id, span_id, None
    s.name, s.kind, s.start_time, s.end_time = "", "remote", 0.0, None
    s.status, s.error, s.input, s.output, s.expected = "ok", None, None, None, None
    s.metadata, s.tags, s.metrics, s.model = {}, None, None, None
    s._ctx, s._token, s._otel_token, s._remote = None, None, None, True
    return s


def span(
    name: str,
    *,
    kind: str = "span",
    input: Any = None,
    expected: Any = None,
    metadata: dict[str, Any] | None = None,
    tags: list[str] | None = None,
    model: str | None = None,
    session_id: str | None = None,
    user_id: str | None = None,
    environment: str | None = None,
    release: str | None = None,
    experiment_id: str | None = None,
    attributes: dict[str, Any] | None = None,
) -> Span:
    """Open a span; use it with ``with`` or ``async with`` to make it current.

    The span is a child of the current span (or of a current OpenTelemetry span, or of a
    remote parent made current by :func:`assay.extract`); without one it starts a new trace.
    An exception leaving the block is recorded (status ``error``, type, message, traceback)
    and re-raised. ``session_id``, ``user_id``, ``environment``, ``release`` and
    ``experiment_id`` are inherited by every span created below this one.

    Example::

        with assay.span("plan", kind="task", input=question) as s:
            s.log(output=plan, metadata={"step": 1})

    Args:
        name: What the operation is called.
        kind: ``span``, ``llm``, ``tool``, ``agent``, ``retrieval``, ``task``, ...
        input: What the operation received (any value; snapshotted when the span ends).
        expected: Reference answer, for eval cases.
        metadata: Extra key/value pairs.
        tags: Labels.
        model: Model name, for LLM spans.
        session_id: Conversation or session the trace belongs to.
        user_id: End user the trace serves.
        environment: e.g. ``production`` or ``staging``.
        release: Version of the program.
        experiment_id: Experiment the span belongs to.
        attributes: Merged into ``metadata`` (an alias for OpenTelemetry habits).

    Returns:
        The started span; entering it makes it current.
    """
    ctx = None
    if session_id or user_id or environment or release or experiment_id:
        ctx = (session_id, user_id, environment, release, experiment_id)
    try:
        return _new(name, kind, input, expected, metadata, tags, model, ctx, attributes)
    except Exception as exc:
        internal_error(exc, "span")
        return _new(name, kind, None, None, None, None, None, None, None)


def start_span(
    name: str,
    *,
    kind: str = "span",
    input: Any = None,
    expected: Any = None,
    metadata: dict[str, Any] | None = None,
    tags: list[str] | None = None,
    model: str | None = None,
    session_id: str | None = None,
    user_id: str | None = None,
    environment: str | None = None,
    release: str | None = None,
    experiment_id: str | None = None,
    attributes: dict[str, Any] | None = None,
) -> Span:
    """Start a span without making it current; call :meth:`Span.end` when done.

    For work whose end is not lexically scoped, such as a streamed LLM response. Takes the
    same arguments as :func:`span`.
    """
    return span(
        name,
        kind=kind,
        input=input,
        expected=expected,
        metadata=metadata,
        tags=tags,
        model=model,
        session_id=session_id,
        user_id=user_id,
        environment=environment,
        release=release,
        experiment_id=experiment_id,
        attributes=attributes,
    )


def current_span() -> Span | None:
    """The span of this context (thread or asyncio task), or None outside any span."""
    s = _current.get()
    if s is None or s._remote:
        return None
    return s


def current_trace_id() -> str | None:
    """The trace id of this context, including a remote trace joined with ``extract``."""
    s = _current.get()
    if s is not None:
        return s.trace_id
    if _OTEL in sys.modules:
        found = _otel.parent_ids(None)
        if found is not None:
            return found[0]
    return None
