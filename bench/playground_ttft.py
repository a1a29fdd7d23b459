"""Time to first token of a streamed playground run: from the model provider sending its first
chunk to the client reading the first ``delta`` event (issue 7: under 50 ms).

Workload: a real ``assay serve`` process on a fresh SQLite data dir; the project's ``openai``
provider saved through the API (key encrypted at rest) pointing at a fake OpenAI-compatible
model that runs in a thread of this process, so both ends are timed on one clock: the fake
notes when it has written its first chunk, then holds the rest of the answer for ``--hold``
seconds (default 0.2), so the first delta can only reach the client if nothing buffers it.
The client (also this process) posts ``/playground/runs`` and reads the event stream line by
line. ``--runs`` measured runs (default 50) after 3 warm-up runs; p50, p95 and max.

``--browser`` measures the same run in the built UI instead, in Debian's Chromium (Playwright):
a prompt saved through the API opened in the playground (``?prompt=ttft&version=1``), Run
clicked ``--runs`` times (default 30, after 3 warm-ups), each time waiting for the answer's
facts. The page carries a probe: a MutationObserver on variant A's column notes the wall clock
(``performance.timeOrigin + performance.now()``) when this run's first token shows in its
output text, and the next animation frame after it (the frame that paints it); a wrapper of
``ReadableStreamDefaultReader.read`` notes when the page's code receives the bytes of that
``delta`` event. Each is compared with the fake's ``time.time()`` of writing its first chunk
(same machine; the offset between the two clocks is measured and printed, not subtracted).

    .venv/bin/python bench/playground_ttft.py
    .venv/bin/python bench/playground_ttft.py --runs 200 --hold 0.05
    .venv/bin/python bench/playground_ttft.py --browser        # needs `make web` and chromium
    .venv/bin/python bench/playground_ttft.py --browser --lead 0.15

``--lead`` makes the model wait before its first chunk, as a real one does; with the default 0
the first chunk reaches the page while it is still rendering the click on Run, the worst case.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
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
    sent_wall: ClassVar[list[float]] = []  # time.time() of the same moments
    hold: ClassVar[float] = 0.2
    lead: ClassVar[float] = 0.0  # seconds before the first chunk (the model's own first token)
    text: ClassVar[str] = "OK"  # the first chunk's text

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        if self.lead:
            time.sleep(self.lead)
        first = {"role": "assistant", "content": self.text}
        self._event({"choices": [{"index": 0, "delta": first}]})
        FirstChunkModel.sent.append(time.perf_counter())
        FirstChunkModel.sent_wall.append(time.time())
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


def _send(port: int, method: str, path: str, body: dict[str, Any]) -> None:
    """A JSON request to the server; anything but 200/201 stops the benchmark."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, json.dumps(body), {"content-type": "application/json"})
    response = conn.getresponse()
    if response.status not in (200, 201):
        raise RuntimeError(f"{method} {path} answered {response.status}: {response.read()!r}")
    conn.close()


def _summary(name: str, times: list[float]) -> dict[str, float]:
    times = sorted(times)
    p95 = times[max(0, int(0.95 * len(times)) - 1)]
    return {
        f"{name}_p50_ms": round(statistics.median(times), 2),
        f"{name}_p95_ms": round(p95, 2),
        f"{name}_max_ms": round(times[-1], 2),
    }


def measure_httpx(port: int, *, runs: int) -> dict[str, Any]:
    """Model's first chunk → the first ``delta`` event read by a plain HTTP client."""
    for _ in range(3):
        one_run(port)
    times = [one_run(port) for _ in range(runs)]
    summary = _summary("first_delta", times)
    return {
        "runs": len(times),
        **summary,
        "target_ms": TARGET_MS,
        "within_target": summary["first_delta_p95_ms"] < TARGET_MS,
    }


# ---------------------------------------------------------------------------- in the browser

CHROMIUM = os.environ.get("ASSAY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STATIC = ROOT / "src" / "assay" / "server" / "static" / "index.html"
PROMPT = "ttft"

#: Installed on variant A's column once the page has loaded; ``window.__ttft`` holds its notes.
PROBE_JS = """column => {
  const now = () => performance.timeOrigin + performance.now();
  const probe = { token: null, chunk: null, shown: null, painted: null };
  window.__ttft = probe;
  const decoder = new TextDecoder();
  const read = ReadableStreamDefaultReader.prototype.read;
  ReadableStreamDefaultReader.prototype.read = function () {
    return read.call(this).then((result) => {
      if (probe.token && probe.chunk === null && result.value instanceof Uint8Array
          && decoder.decode(result.value).includes(probe.token)) probe.chunk = now();
      return result;
    });
  };
  new MutationObserver(() => {
    if (!probe.token || probe.shown !== null) return;
    const text = column.querySelector('[data-testid="output-text"]');
    if (text && text.textContent.includes(probe.token)) {
      probe.shown = now();
      requestAnimationFrame(() => { probe.painted = now(); });
    }
  }).observe(column, { childList: true, subtree: true, characterData: true });
}"""
ARM_JS = "token => Object.assign(window.__ttft, { token, chunk: null, shown: null, painted: null })"
#: "done" once this run's token was painted and its facts replaced the spinner.
DONE_JS = """() => {
  const out = document.querySelector('[data-testid="output-A"]');
  const failed = out && out.querySelector('[role="alert"]');
  if (failed) return "failed: " + failed.textContent;
  const done = window.__ttft.painted !== null && out.querySelector('[data-testid="run-facts"]')
    && !out.querySelector('[aria-label="Running"]');
  return done ? "done" : false;
}"""


@dataclass(frozen=True, slots=True)
class BrowserSample:
    """Milliseconds from the model's first chunk to each moment the page noted."""

    chunk: float | None  # the page's code got the bytes of the first delta (None: not seen)
    shown: float  # the token's text is in the output area
    painted: float  # the animation frame after that began


def browser_run(page: Any, index: int) -> BrowserSample:
    """Click Run once and time this run's first token, which is ``[index]``."""
    token = f"[{index}]"
    FirstChunkModel.text = token
    answered = len(FirstChunkModel.sent_wall)
    page.evaluate(ARM_JS, token)
    page.get_by_role("button", name="Run", exact=True).click()
    status = page.wait_for_function(DONE_JS, timeout=30_000).json_value()
    if status != "done" or len(FirstChunkModel.sent_wall) != answered + 1:
        raise RuntimeError(f"run {index}: {status}; the model answered {answered} runs before")
    probe = page.evaluate("window.__ttft")
    sent = FirstChunkModel.sent_wall[-1] * 1000
    chunk = None if probe["chunk"] is None else probe["chunk"] - sent
    return BrowserSample(chunk=chunk, shown=probe["shown"] - sent, painted=probe["painted"] - sent)


def clock_offset(page: Any) -> tuple[float, float]:
    """(page clock − this process's clock, ± bound) in ms, from the tightest of 20 round trips."""
    best = (math.inf, 0.0)
    for _ in range(20):
        before = time.time()
        page_ms = page.evaluate("performance.timeOrigin + performance.now()")
        after = time.time()
        half = (after - before) * 500
        if half < best[0]:
            best = (half, page_ms - (before + after) * 500)
    return best[1], best[0]


def open_playground(browser: Any, port: int, errors: list[str]) -> Any:
    """The playground at the saved prompt, loaded, with the probe on variant A's column."""
    context = browser.new_context(
        base_url=f"http://127.0.0.1:{port}", viewport={"width": 1440, "height": 900}
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"/projects/{PROJECT}/playground?prompt={PROMPT}&version=1")
    column = page.get_by_test_id("variant-A")
    column.get_by_test_id("variant-origin").filter(has_text=f"{PROMPT} v1").wait_for()
    column.evaluate(PROBE_JS)
    return page


def measure_browser(port: int, *, runs: int) -> dict[str, Any]:
    """Model's first chunk → the token shown in the playground page, in Chromium."""
    from playwright.sync_api import sync_playwright

    version = {"messages": [{"role": "user", "content": "Say OK"}], "model": "gpt-4o-mini"}
    _send(port, "POST", f"/api/v1/projects/{PROJECT}/prompts/{PROMPT}/versions", version)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = open_playground(browser, port, errors)
            for i in range(3):
                browser_run(page, -1 - i)
            samples = [browser_run(page, i) for i in range(runs)]
            offset, bound = clock_offset(page)
        finally:
            browser.close()
    if errors:
        raise RuntimeError(f"the page threw: {errors}")
    chunks = [s.chunk for s in samples if s.chunk is not None]
    shown = _summary("first_token_shown", [s.shown for s in samples])
    return {
        "mode": "browser",
        "runs": len(samples),
        **shown,
        **_summary("first_token_painted", [s.painted for s in samples]),
        **(_summary("first_delta_in_page", chunks) if chunks else {}),
        "delta_seen_in_page": len(chunks),
        "clock_offset_ms": round(offset, 2),
        "clock_offset_bound_ms": round(bound, 2),
        "target_ms": TARGET_MS,
        "within_target": shown["first_token_shown_p95_ms"] < TARGET_MS,
    }


def _check_browser() -> None:
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(
            f"no Chromium at {CHROMIUM}: apt-get install chromium, or set ASSAY_CHROMIUM"
        )
    if not STATIC.exists():
        raise SystemExit("the web UI is not built: run `make web` (cd web && npm run build)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, help="measured runs (default 50; 30 with --browser)")
    parser.add_argument("--hold", type=float, default=0.2, help="seconds the rest is held back")
    parser.add_argument(
        "--lead", type=float, default=0.0, help="seconds the model waits before its first chunk"
    )
    parser.add_argument(
        "--browser", action="store_true", help="time the token shown in the page (Chromium)"
    )
    args = parser.parse_args()
    if args.browser:
        _check_browser()
    FirstChunkModel.hold = args.hold
    FirstChunkModel.lead = args.lead
    model = ThreadingHTTPServer(("127.0.0.1", 0), FirstChunkModel)
    threading.Thread(target=model.serve_forever, daemon=True).start()
    data_dir = tempfile.mkdtemp(prefix="assay-bench-ttft-")
    proc, port = start_server(data_dir)
    try:
        base_url = f"http://127.0.0.1:{model.server_address[1]}/v1"
        saved = {"base_url": base_url, "api_key": "sk-bench-0000000000"}
        _send(port, "PUT", f"/api/v1/projects/{PROJECT}/providers/openai", saved)
        if args.browser:
            result = measure_browser(port, runs=args.runs or 30)
        else:
            result = measure_httpx(port, runs=args.runs or 50)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        model.shutdown()
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
