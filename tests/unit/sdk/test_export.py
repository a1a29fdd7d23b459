"""The background exporter: HTTP delivery with retries, drop-oldest, flush timeouts."""

from __future__ import annotations

import gzip
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import assay
from assay.testing.capture import SpanCapture


class _Recorder:
    """A scripted assay-like ingest server on a free loopback port."""

    def __init__(self, script: list[tuple[int, dict[str, str], bytes]]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []  # every request, answered or not
        self.accepted: list[dict[str, Any]] = []  # bodies answered with 200
        self.lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                body = json.loads(raw)
                with recorder.lock:
                    recorder.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                    step = recorder.script.pop(0) if recorder.script else None
                if step is None:
                    status, headers = 200, {}
                    out = json.dumps({"accepted": len(body["spans"]), "rejected": []}).encode()
                    with recorder.lock:
                        recorder.accepted.append(body)
                else:
                    status, headers, out = step
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def span_ids(self) -> list[str]:
        return [s["span_id"] for body in self.accepted for s in body["spans"]]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder_factory() -> Iterator[Any]:
    made: list[_Recorder] = []

    def make(script: list[tuple[int, dict[str, str], bytes]]) -> _Recorder:
        r = _Recorder(script)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def test_http_export_retries_503_and_429_and_delivers_each_span_once(
    recorder_factory: Any,
) -> None:
    server = recorder_factory(
        [(503, {}, b'{"error": "busy"}'), (429, {"Retry-After": "0.1"}, b"{}")]
    )
    client = assay.init(
        project="shop", api_url=server.url, api_key="k-123", batch_size=20, flush_interval=0.05
    )
    made = []
    for i in range(50):
        with assay.span("root", input={"i": i}) as root, assay.span("child"):
            pass
        made.append(root.span_id)
    started = time.monotonic()
    assert client.flush(timeout=10) is True
    assert time.monotonic() - started >= 0.1  # Retry-After was honoured
    ids = server.span_ids()
    assert len(ids) == 100 and len(set(ids)) == 100
    assert set(made) <= set(ids)
    first = server.requests[0]
    assert first["path"] == "/api/v1/spans"
    assert first["headers"]["Content-Encoding"] == "gzip"
    assert first["headers"]["Authorization"] == "Bearer k-123"
    assert first["body"]["project"] == "shop"
    assert len(server.requests) == len(server.accepted) + 2
    assert client.dropped == 0
    client.shutdown()


def test_uncompressed_export_without_key(recorder_factory: Any) -> None:
    server = recorder_factory([])
    client = assay.init(project="p", api_url=server.url, compression="none", api_key="")
    with assay.span("only", input="x"):
        pass
    assert client.shutdown(timeout=5) is True
    req = server.requests[0]
    assert "Content-Encoding" not in req["headers"] and "Authorization" not in req["headers"]
    span = req["body"]["spans"][0]
    assert span["name"] == "only" and span["input"] == "x" and span["status"] == "ok"


def test_other_4xx_drops_the_batch_with_one_warning(
    recorder_factory: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server = recorder_factory([(422, {}, b'{"error": {"message": "spans[0].trace_id is bad"}}')])
    client = assay.init(project="p", api_url=server.url, flush_interval=0.05)
    with caplog.at_level(logging.WARNING, logger="assay"):
        with assay.span("rejected"):
            pass
        assert client.flush(timeout=5)
        with assay.span("accepted"):
            pass
        assert client.flush(timeout=5)
    assert len(server.requests) == 2  # not retried
    assert [s["name"] for s in server.accepted[0]["spans"]] == ["accepted"]
    assert client.dropped == 1
    warnings = [r.getMessage() for r in caplog.records if "422" in r.getMessage()]
    assert len(warnings) == 1 and "trace_id is bad" in warnings[0]
    client.shutdown()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_flush_returns_false_on_timeout_when_the_server_is_unreachable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    client = assay.init(project="p", api_url=url, flush_interval=0.05)
    with caplog.at_level(logging.WARNING, logger="assay"):
        with assay.span("lost"):
            pass
        started = time.monotonic()
        assert client.flush(timeout=0.3) is False
        assert time.monotonic() - started < 2
        assert client.shutdown(timeout=0.2) is False
    assert client.dropped == 1
    assert any("cannot reach" in r.getMessage() for r in caplog.records)


class _BlockingExporter:
    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()
        self.spans: list[dict[str, Any]] = []

    def export(self, spans: list[dict[str, Any]]) -> None:
        self.entered.set()
        self.release.wait(10)
        self.spans.extend(spans)

    def shutdown(self) -> None:
        self.release.set()


def test_full_queue_drops_the_oldest_with_a_counter_and_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    exporter = _BlockingExporter()
    client = assay.init(project="p", exporter=exporter, max_queue_size=5, batch_size=1)
    with assay.span("first"):
        pass
    assert exporter.entered.wait(5)  # the exporter thread is now stuck on "first"
    with caplog.at_level(logging.WARNING, logger="assay"):
        started = time.monotonic()
        for i in range(20):
            with assay.span(f"s{i}"):
                pass
        assert time.monotonic() - started < 0.5  # the caller never waited
    exporter.release.set()
    assert client.flush(timeout=5)
    assert client.dropped == 15
    assert [s["name"] for s in exporter.spans] == ["first", "s15", "s16", "s17", "s18", "s19"]
    full = [r for r in caplog.records if "queue is full" in r.getMessage()]
    assert len(full) == 1
    client.shutdown()


def test_rejected_items_of_an_accepted_batch_are_counted(recorder_factory: Any) -> None:
    answer = json.dumps(
        {"accepted": 1, "rejected": [{"index": 1, "field": "name", "reason": "too long"}]}
    ).encode()
    server = recorder_factory([(200, {"Content-Type": "application/json"}, answer)])
    client = assay.init(project="p", api_url=server.url)
    for name in ("a", "b"):
        with assay.span(name):
            pass
    client.shutdown(timeout=5)
    assert client.exporter is not None
    assert client.exporter.rejected == 1  # type: ignore[attr-defined]


def test_capture_helpers(capture: SpanCapture) -> None:
    with assay.span("root") as root, assay.span("a"), assay.span("leaf"):
        pass
    with assay.span("root"):
        pass
    assert len(capture.find_all("root")) == 2
    with pytest.raises(AssertionError, match="exactly one span named 'root'"):
        capture.find("root")
    a = capture.find("a")
    assert [s["name"] for s in capture.children(a)] == ["leaf"]
    assert [s["name"] for s in capture.trace(root.trace_id)] == ["root", "a", "leaf"]
    capture.clear()
    assert capture.spans == []


def test_exit_handler_delivers_what_is_left(recorder_factory: Any) -> None:
    import os
    import subprocess
    import sys

    server = recorder_factory([])
    script = (
        "import assay\n"
        f"assay.init(project='exit', api_url={server.url!r}, flush_interval=60)\n"
        "for i in range(3):\n"
        "    with assay.span(f'job{i}'):\n"
        "        pass\n"
    )
    src = os.path.join(os.path.dirname(assay.__file__), "..")
    env = {**os.environ, "PYTHONPATH": os.path.abspath(src)}
    subprocess.run([sys.executable, "-c", script], check=True, timeout=30, env=env)
    assert sorted(s["name"] for b in server.accepted for s in b["spans"]) == [
        "job0",
        "job1",
        "job2",
    ]


def test_under_pytest_init_sends_nothing_unless_a_server_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ASSAY_API_URL", raising=False)
    quiet = assay.init(project="shop")
    try:
        assert quiet.exporter is None
    finally:
        assay.shutdown()
    monkeypatch.setenv("ASSAY_API_URL", "http://127.0.0.1:9")
    named = assay.init(project="shop")
    try:
        assert named.exporter is not None
    finally:
        assay.shutdown(timeout=0.1)
