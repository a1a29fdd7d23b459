"""Time to first token of a streamed playground run: from the model provider sending its first
chunk to the client reading the first ``delta`` event (issue 7: under 50 ms).

Workload: a real ``assay serve`` process on a fresh SQLite data dir; the project's ``openai``
provider saved through the API (key encrypted at rest) pointing at a fake OpenAI-compatible
model that runs in a thread of this process, so both ends are timed on one clock: the fake
notes when it has written its first chunk, then holds the rest of the answer for ``--hold``
seconds (default 0.2), so the first delta can only reach the client if nothing buffers it.
The client (also this process) posts ``/playground/runs`` and reads the event stream line by
line. ``--runs`` measured runs (default 50) after 3 warm-up runs; p50, p95 and max.

    .venv/bin/python bench/playground_ttft.py
    .venv/bin/python bench/playground_ttft.py --runs 200 --hold 0.05
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "bench"
TARGET_MS = 50.0


class FirstChunkModel(BaseHTTPRequestHandler):
    """An OpenAI-compatible streamed answer: one chunk, a pause, the rest."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    sent: ClassVar[list[float]] = []  # perf_counter() of each first chunk written
    hold: ClassVar[float] = 0.2

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        self._event({"choices": [{"index": 0, "delta": {"role": "assistant", "content": "OK"}}]})
        FirstChunkModel.sent.append(time.perf_counter())
        time.sleep(self.hold)
        self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        usage = {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}
        self._event({"choices": [], "usage": usage})
        self._chunk(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _event(self, payload: dict[str, Any]) -> None:
        base = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "gpt-4o-mini"}
        self._chunk(b"data: " + json.dumps(base | payload).encode() + b"\n\n")

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = dict(os.environ, ASSAY_DATA_DIR=data_dir, ASSAY_LOG_LEVEL="warning")
    env.pop("ASSAY_DATABASE_URL", None)
    cmd = [str(ROOT / ".venv" / "bin" / "assay"), "serve", "--port", str(port)]
    log = open(os.path.join(data_dir, "server.log"), "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"assay serve did not start; see {log.name}")


def one_run(port: int) -> float:
    """Milliseconds from the model's first chunk to the client reading the first delta."""
    body = {
        "variant": {"messages": [{"role": "user", "content": "Say OK"}], "model": "gpt-4o-mini"}
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", f"/api/v1/projects/{PROJECT}/playground/runs", json.dumps(body),
                 {"content-type": "application/json"})  # fmt: skip
    response = conn.getresponse()
    if response.status != 200:
        raise RuntimeError(f"the run answered {response.status}: {response.read()!r}")
    first: float | None = None
    kinds: list[str] = []
    while True:
        line = response.readline()
        if not line:
            break
        if line.startswith(b"event: "):
            kinds.append(line[7:].strip().decode())
            if kinds[-1] == "delta" and first is None:
                first = time.perf_counter()
    conn.close()
    if first is None or kinds[-1] != "done":
        raise RuntimeError(f"unexpected events {kinds}")
    return (first - FirstChunkModel.sent[-1]) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--hold", type=float, default=0.2, help="seconds the rest is held back")
    args = parser.parse_args()
    FirstChunkModel.hold = args.hold
    model = ThreadingHTTPServer(("127.0.0.1", 0), FirstChunkModel)
    threading.Thread(target=model.serve_forever, daemon=True).start()
    data_dir = tempfile.mkdtemp(prefix="assay-bench-ttft-")
    proc, port = start_server(data_dir)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        base_url = f"http://127.0.0.1:{model.server_address[1]}/v1"
        saved = {"base_url": base_url, "api_key": "sk-bench-0000000000"}
        conn.request("PUT", f"/api/v1/projects/{PROJECT}/providers/openai", json.dumps(saved),
                     {"content-type": "application/json"})  # fmt: skip
        assert conn.getresponse().status == 200
        for _ in range(3):
            one_run(port)
        times = sorted(one_run(port) for _ in range(args.runs))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        model.shutdown()
        shutil.rmtree(data_dir, ignore_errors=True)
    p95 = times[max(0, int(0.95 * len(times)) - 1)]
    result = {
        "runs": len(times),
        "first_delta_p50_ms": round(statistics.median(times), 2),
        "first_delta_p95_ms": round(p95, 2),
        "first_delta_max_ms": round(times[-1], 2),
        "target_ms": TARGET_MS,
        "within_target": p95 < TARGET_MS,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
