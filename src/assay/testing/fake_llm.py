"""A fake OpenAI- and Anthropic-compatible model provider: a real HTTP server on 127.0.0.1.

Point the official clients at it through their ``base_url`` and script its answers per test::

    with FakeLLMServer() as llm:
        llm.script(FakeReply(content="hi"), FakeReply(tool_calls=[{"name": "f", "arguments": {}}]))
        client = openai.OpenAI(base_url=llm.openai_base_url, api_key="x")
        client.chat.completions.create(model="gpt-4o-mini", messages=[...])

Endpoints: ``POST /v1/chat/completions`` (plain and ``stream: true``), ``POST /v1/embeddings``,
``GET /v1/models`` and ``POST /v1/messages`` (Anthropic, plain and streamed). Scripted replies are
consumed in order by the POST requests; with none left, a ``respond_with`` function answers, or
else a request that forces a tool gets a call of it (arguments made from its schema) and any
other the last user message echoed back.

As a process (the demo and the benchmarks use this; the first line of stdout is the URL)::

    python -m assay.testing.fake_llm --port 0 --delay 0.05

As a process, SIGUSR1 switches a provider outage on and off: while it is on, every POST is
answered with a 500 (the benchmarks use it to take the model away for a while).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any, Self

from assay.testing import _fake_llm_wire as wire
from assay.testing._fake_llm_wire import FakeReply

__all__ = ["FakeLLMServer", "FakeReply", "RecordedRequest"]

Responder = Callable[[dict[str, Any]], FakeReply]


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request the fake received.

    Attributes:
        method: HTTP method.
        path: Path without the query string, e.g. ``/v1/chat/completions``.
        headers: Request headers, names in lower case.
        json: The parsed JSON body, or None when there was no body or it was not JSON.
    """

    method: str
    path: str
    headers: dict[str, str]
    json: Any


class FakeLLMServer:
    """An OpenAI/Anthropic-compatible model server in a background thread.

    Args:
        host: Address to bind; keep the default loopback address.
        port: Port to bind; 0 picks a free one.
        delay: Seconds every answer waits before it is sent (a model's latency).
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, delay: float = 0.0) -> None:
        self.delay = delay
        self.requests: list[RecordedRequest] = []
        self._host = host
        self._port = port
        self._queue: collections.deque[FakeReply] = collections.deque()
        self._responder: Responder | None = None
        self._lock = threading.Lock()
        self._active = 0
        self._peak = 0
        self._number = 0
        self._connections: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Self:
        """Bind and start serving in a daemon thread; returns the server itself."""
        if self._httpd is not None:
            return self
        httpd = _HTTPServer((self._host, self._port), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.name = f"assay-fake-llm-{self.port}"
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and drop open connections. Calling it twice is harmless."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ addresses

    @property
    def port(self) -> int:
        """The bound port (after :meth:`start`)."""
        if self._httpd is None:
            raise RuntimeError("FakeLLMServer is not running; call start() or use it in `with`")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self._host}:{self.port}"

    @property
    def openai_base_url(self) -> str:
        """The ``base_url`` for ``openai.OpenAI``: :attr:`url` + ``/v1``."""
        return self.url + "/v1"

    @property
    def anthropic_base_url(self) -> str:
        """The ``base_url`` for ``anthropic.Anthropic``: :attr:`url`."""
        return self.url

    # ------------------------------------------------------------------ scripting

    def script(self, *replies: FakeReply | str) -> None:
        """Queue replies, consumed in order by the next POST requests (a str is the content)."""
        with self._lock:
            self._queue.extend(FakeReply(content=r) if isinstance(r, str) else r for r in replies)

    def respond_with(self, responder: Responder | None) -> None:
        """Answer unscripted requests with ``responder(request_json)``; None restores the echo."""
        self._responder = responder

    def reset(self) -> None:
        """Forget queued replies, the responder, recorded requests and counters."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self._responder = None
            self._peak = 0

    @property
    def calls(self) -> int:
        """How many requests were received."""
        return len(self.requests)

    @property
    def pending(self) -> int:
        """How many scripted replies are still queued."""
        return len(self._queue)

    @property
    def peak_concurrency(self) -> int:
        """The most requests that were being answered at the same time."""
        return self._peak

    # ------------------------------------------------------------------ used by the handler

    def _record(self, request: RecordedRequest) -> int:
        with self._lock:
            self.requests.append(request)
            self._number += 1
            self._active += 1
            self._peak = max(self._peak, self._active)
            return self._number

    def _done(self) -> None:
        with self._lock:
            self._active -= 1

    def _next_reply(self, body: dict[str, Any]) -> FakeReply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        responder = self._responder
        return responder(body) if responder is not None else wire.default_reply(body)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256
    fake: FakeLLMServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        with self.server.fake._lock:
            self.server.fake._connections.add(self.connection)

    def finish(self) -> None:
        with self.server.fake._lock:
            self.server.fake._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet; tests read ``FakeLLMServer.requests`` instead."""

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        fake = self.server.fake
        path = self.path.split("?", 1)[0].rstrip("/")
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        body = _parse_json(raw)
        headers = {k.lower(): v for k, v in self.headers.items()}
        number = fake._record(RecordedRequest(method, path, headers, body))
        try:
            self._answer(method, path, body, number)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            fake._done()

    def _answer(self, method: str, path: str, body: Any, number: int) -> None:
        fake = self.server.fake
        anthropic = path.endswith("/messages")
        if method == "GET" and path.endswith("/models"):
            self._wait(fake.delay)
            self._send_json(200, wire.models_list())
            return
        routes = ("/chat/completions", "/embeddings", "/messages")
        if method != "POST" or not path.endswith(routes):
            self._send_json(404, _not_found(method, path, anthropic))
            return
        if not isinstance(body, dict):
            reply = FakeReply(status=400, content="request body is not a JSON object")
            self._send_json(400, _error(reply, anthropic))
            return
        try:
            reply = fake._next_reply(body)
        except Exception as exc:
            reply = FakeReply(status=500, content=f"responder failed: {exc!r}")
        self._wait(fake.delay + reply.delay)
        self._reply(path, body, reply, number)

    def _reply(self, path: str, body: dict[str, Any], reply: FakeReply, number: int) -> None:
        anthropic = path.endswith("/messages")
        if reply.body is not None:
            self._send_raw(reply.status, reply.body, reply.headers)
        elif reply.status >= 400:
            self._send_json(reply.status, _error(reply, anthropic), reply.headers)
        elif path.endswith("/embeddings"):
            self._send_json(reply.status, wire.openai_embeddings(body), reply.headers)
        elif body.get("stream"):
            make = wire.anthropic_stream if anthropic else wire.openai_chat_stream
            self._send_stream(reply, make(reply, body, number))
        elif anthropic:
            self._send_json(
                reply.status, wire.anthropic_message(reply, body, number), reply.headers
            )
        else:
            self._send_json(reply.status, wire.openai_chat(reply, body, number), reply.headers)

    @staticmethod
    def _wait(seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def _head(self, status: int, headers: dict[str, str]) -> bytes:
        reason = self.responses.get(status, ("Unknown",))[0]
        lines = [f"HTTP/1.1 {status} {reason}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _send_json(self, status: int, data: Any, extra: dict[str, str] | None = None) -> None:
        self._send_raw(status, json.dumps(data).encode(), extra)

    def _send_raw(self, status: int, body: Any, extra: dict[str, str] | None = None) -> None:
        if isinstance(body, str):
            body = body.encode()
        elif not isinstance(body, bytes):
            body = json.dumps(body).encode()
        headers = {"content-type": "application/json", **(extra or {})}
        headers["content-length"] = str(len(body))
        self.wfile.write(self._head(status, headers) + body)
        self.log_request(status, len(body))

    def _send_stream(self, reply: FakeReply, events: Iterable[bytes]) -> None:
        headers = {"content-type": "text/event-stream", "cache-control": "no-cache"}
        headers.update(reply.headers)
        if reply.chunk_delay <= 0:
            body = b"".join(events)
            headers["content-length"] = str(len(body))
            self.wfile.write(self._head(reply.status, headers) + body)
            return
        headers["transfer-encoding"] = "chunked"
        self.wfile.write(self._head(reply.status, headers))
        for i, event in enumerate(events):
            if i:
                time.sleep(reply.chunk_delay)
            self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
        self.wfile.write(b"0\r\n\r\n")


def _parse_json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _error(reply: FakeReply, anthropic: bool) -> dict[str, Any]:
    return wire.anthropic_error(reply) if anthropic else wire.openai_error(reply)


def _not_found(method: str, path: str, anthropic: bool) -> dict[str, Any]:
    message = (
        f"the fake LLM server has no {method} {path}; it serves POST /v1/chat/completions, "
        "POST /v1/embeddings, GET /v1/models and POST /v1/messages"
    )
    return _error(FakeReply(status=404, content=message), anthropic)


def _failing(request: dict[str, Any]) -> FakeReply:
    return FakeReply(status=500, content="the fake provider is down (outage switched on)")


def main(argv: list[str] | None = None) -> None:
    """Run the fake as a process until SIGINT or SIGTERM; print its URL first."""
    parser = argparse.ArgumentParser(prog="python -m assay.testing.fake_llm", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with FakeLLMServer(host=args.host, port=args.port, delay=args.delay) as server:
        outage = [False]

        def on_outage(signum: int, frame: FrameType | None) -> None:
            outage[0] = not outage[0]
            server.respond_with(_failing if outage[0] else None)

        signal.signal(signal.SIGUSR1, on_outage)
        sys.stdout.write(server.url + "\n")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass


if __name__ == "__main__":
    main()
