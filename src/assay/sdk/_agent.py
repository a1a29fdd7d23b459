"""``serve_agent``: expose a task function (the one ``Eval`` runs) as an HTTP endpoint the
playground can run with parameter overrides; its spans join the caller's trace.

```python
def answer(question: str) -> str:
    params = assay.agent_parameters()        # defaults merged with the caller's overrides
    ...

assay.serve_agent(answer, parameters={"model": "gpt-4o-mini", "temperature": 0.2}, port=8710)
```

The endpoint (standard library HTTP server, one thread per request):

- ``GET /`` answers :class:`assay.schema.AgentInfo` (task name, parameters with defaults).
- ``POST /run`` with ``{"input": …, "parameters": {…}}`` and a ``traceparent`` header runs the
  task inside that remote context and answers a ``text/event-stream``: ``delta`` events
  (``{"text": …}``) for each piece a generator task yields, then ``done``
  (``{"output": …, "trace_id": …}``) or ``error`` (``{"message": …, "type": …}``).
  Parameter overrides also pin prompt versions: ``{"prompts": {"answer": "staging"}}`` (a label)
  or ``{"prompts": {"answer": 3}}`` makes ``load_prompt(..., "answer", ...)`` inside the run
  load that label or version.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from assay.sdk._agent_task import PROMPTS, AgentTask, BadRequest, CallerGone
from assay.sdk._client import flush
from assay.sdk._propagation import extract
from assay.sdk._span import span
from assay.sdk._util import encode, log, to_plain

if TYPE_CHECKING:
    from http.server import BaseHTTPRequestHandler

#: Seconds a run waits for its spans to be delivered before it answers ``done``.
FLUSH_TIMEOUT = 2.0
#: The largest ``POST /run`` body accepted.
MAX_BODY = 32 * 1024 * 1024
# Seconds between checks for close() while serving (how long close() waits for the loop).
_POLL = 0.05

# The parameters of the run in progress; None outside a run.
_run_parameters: ContextVar[dict[str, Any] | None] = ContextVar(
    "assay_agent_parameters", default=None
)
# The defaults of the agent served last (what agent_parameters() answers outside a run).
_served_defaults: dict[str, Any] = {}


class _Server(Protocol):
    """What :class:`AgentServer` needs of the HTTP server made by :func:`_make_server`."""

    server_address: Any

    def serve_forever(self, poll_interval: float = ...) -> None: ...
    def shutdown(self) -> None: ...
    def server_close(self) -> None: ...
    def wait_idle(self, timeout: float) -> None: ...


class AgentServer:
    """A running agent endpoint.

    Attributes:
        url: ``http://host:port`` it listens on.
    """

    url: str

    def __init__(self, httpd: _Server, url: str) -> None:
        self._httpd = httpd
        self._thread: threading.Thread | None = None
        self._closed = False
        self.url = url

    def __repr__(self) -> str:
        return f"<AgentServer {self.url}>"

    def __enter__(self) -> AgentServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self, timeout: float = 10.0) -> None:
        """Stop listening and wait for running requests to end.

        Args:
            timeout: Seconds to wait for requests in progress (they are left to finish on
                their own after that).
        """
        if self._closed:
            return
        self._closed = True
        self._httpd.shutdown()
        self._httpd.wait_idle(timeout)
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout)


def agent_parameters() -> dict[str, Any]:
    """The parameters of the run in progress (defaults merged with the caller's overrides);
    the defaults when called outside a run."""
    current = _run_parameters.get()
    return dict(current if current is not None else _served_defaults)


def prompt_override(name: str) -> str | int | None:
    """The label (str) or version (int) the run in progress pins prompt ``name`` to through its
    ``prompts`` parameter, or None (``load_prompt`` calls this)."""
    current = _run_parameters.get()
    if current is None:
        return None
    pins = current.get(PROMPTS)
    if not isinstance(pins, dict):
        return None
    pin = pins.get(name)
    return pin if isinstance(pin, str | int) and not isinstance(pin, bool) else None


def serve_agent(
    task: Callable[..., Any],
    *,
    parameters: Mapping[str, Any] | None = None,
    host: str = "127.0.0.1",
    port: int = 8710,
    block: bool = True,
) -> AgentServer:
    """Serve ``task`` over HTTP (see the module docstring for the protocol).

    ``task`` takes the input (a dict input is passed as keyword arguments when the function
    names them, else as one argument), may accept ``parameters`` as a keyword, may be async,
    and may be a generator (sync or async) yielding text pieces that stream to the caller.
    ``block=False`` serves from a background thread and returns at once (``port=0`` picks a
    free port; read ``.url``).

    Every parameter name in ``parameters`` may be overridden per run; ``prompts`` (prompt name
    to label or version) is accepted even when not declared.

    Raises:
        UsageError: ``task`` is not callable, or ``parameters`` is not a dict of JSON values.
        OSError: The port is taken (pick another, or ``port=0``).
    """
    agent = AgentTask.of(task, parameters)
    _served_defaults.clear()
    _served_defaults.update(agent.defaults)
    httpd = _make_server(agent, host, port)
    shown = f"[{host}]" if ":" in host else host
    server = AgentServer(httpd, f"http://{shown}:{httpd.server_address[1]}")
    if not block:
        thread = threading.Thread(
            target=httpd.serve_forever,
            args=(_POLL,),
            name=f"assay-agent-{agent.name}",
            daemon=True,
        )
        server._thread = thread
        thread.start()
        return server
    print(f"assay: agent {agent.name!r} serving on {server.url} (Ctrl-C stops)", file=sys.stderr)
    try:
        httpd.serve_forever(_POLL)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return server


# --------------------------------------------------------------------------- HTTP


def _make_server(agent: AgentTask, host: str, port: int) -> _Server:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

        def __init__(self) -> None:
            self._idle = threading.Condition()
            self._running = 0
            super().__init__((host, port), Handler)

        def process_request_thread(self, request: Any, client_address: Any) -> None:
            with self._idle:
                self._running += 1
            try:
                super().process_request_thread(request, client_address)
            finally:
                with self._idle:
                    self._running -= 1
                    self._idle.notify_all()

        def wait_idle(self, timeout: float) -> None:
            with self._idle:
                self._idle.wait_for(lambda: self._running == 0, timeout)

    class Handler(BaseHTTPRequestHandler):
        server_version = "assay-agent"
        disable_nagle_algorithm = True  # each streamed event leaves at once

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("agent %s: " + format, agent.name, *args)

        def do_GET(self) -> None:
            if self.path.split("?", 1)[0] not in ("", "/"):
                _send_json(self, 404, _error(f"no {self.path!r} here; GET / or POST /run"))
                return
            from assay import __version__

            _send_json(self, 200, agent.info(__version__))

        def do_POST(self) -> None:
            if self.path.split("?", 1)[0] != "/run":
                _send_json(self, 404, _error(f"no {self.path!r} here; POST /run"))
                return
            try:
                input, overrides = _read_run(self)
                merged = agent.merge(overrides)
            except BadRequest as exc:
                _send_json(self, 400, _error(str(exc)))
                return
            _answer_run(self, agent, input, merged, overrides)

    return Server()


def _error(message: str) -> dict[str, Any]:
    return {"error": {"message": message}}


def _send_json(handler: BaseHTTPRequestHandler, status: int, value: Any) -> None:
    data = encode(value)
    handler.send_response(status)
    handler.send_header("content-type", "application/json")
    handler.send_header("content-length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def _read_run(handler: BaseHTTPRequestHandler) -> tuple[Any, dict[str, Any]]:
    """The input and parameter overrides of a ``POST /run``; BadRequest when malformed."""
    try:
        length = int(handler.headers.get("content-length") or 0)
    except ValueError:
        raise BadRequest("the content-length header is not a number") from None
    if length > MAX_BODY:
        raise BadRequest(f"the body has {length} bytes; at most {MAX_BODY} are accepted")
    try:
        body = orjson.loads(handler.rfile.read(length)) if length else None
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"the body is not JSON ({exc})") from None
    if not isinstance(body, dict):
        raise BadRequest('send a JSON object: {"input": …, "parameters": {…}}')
    extra = sorted(k for k in body if k not in ("input", "parameters"))
    if extra:
        raise BadRequest(f"unknown field(s) {extra!r:.120}; send only 'input' and 'parameters'")
    overrides = body.get("parameters") or {}
    if not isinstance(overrides, dict):
        raise BadRequest(f"'parameters' is {overrides!r:.80}; send an object of name to value")
    return body.get("input"), overrides


class _Stream:
    """Server-sent events to one caller; remembers when the caller has gone away."""

    def __init__(self, handler: BaseHTTPRequestHandler) -> None:
        self._handler = handler
        self.gone = False

    def send(self, event: str, data: Any) -> None:
        if self.gone:
            raise CallerGone
        try:
            self._handler.wfile.write(b"event: %s\ndata: %s\n\n" % (event.encode(), encode(data)))
            self._handler.wfile.flush()
        except OSError:
            self.gone = True
            raise CallerGone from None

    def text(self, piece: str) -> None:
        self.send("delta", {"text": piece})


def _answer_run(
    handler: BaseHTTPRequestHandler,
    agent: AgentTask,
    input: Any,
    merged: dict[str, Any],
    overrides: dict[str, Any],
) -> None:
    """Run the task inside the caller's trace context and stream its events."""
    handler.send_response(200)
    handler.send_header("content-type", "text/event-stream")
    handler.send_header("cache-control", "no-cache")
    handler.end_headers()
    stream = _Stream(handler)
    token = _run_parameters.set(merged)
    try:
        with extract(dict(handler.headers.items())):
            event, data = _traced_run(agent, input, merged, overrides, stream)
    finally:
        _run_parameters.reset(token)
    flush(FLUSH_TIMEOUT)
    if event:
        with contextlib.suppress(CallerGone):
            stream.send(event, data)


def _traced_run(
    agent: AgentTask,
    input: Any,
    merged: dict[str, Any],
    overrides: dict[str, Any],
    stream: _Stream,
) -> tuple[str, dict[str, Any]]:
    """The run under its ``agent`` span; the closing event and its data ("" when nobody
    listens any more)."""
    metadata = {"agent_parameters": merged, "agent_overrides": overrides}
    with span(agent.name, kind="agent", input=input, metadata=metadata) as root:
        try:
            output = agent.run(input, merged, stream.text)
        except CallerGone:
            root.log(error="the caller closed the connection before the run ended")
            return "", {}
        except Exception as exc:
            root.record_exception(exc)
            log.warning("assay: agent %r failed: %s: %s", agent.name, type(exc).__name__, exc)
            return "error", {"message": str(exc) or type(exc).__name__, "type": type(exc).__name__}
        root.log(output=output)
    return "done", {"output": to_plain(output), "trace_id": root.trace_id}
