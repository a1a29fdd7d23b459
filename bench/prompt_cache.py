"""load_prompt from a warm cache, and Prompt.build: how much an agent pays per request.

    .venv/bin/python bench/prompt_cache.py [--calls 200000] [--runs 7] [--peer-python PYTHON]

Starts ``assay serve`` on a fresh SQLite data dir, saves a prompt version (a system and a user
message with three variables and an optional section) and labels it ``production``. Then, in
this process: the first ``load_prompt`` (one HTTP request and the disk copy), ``--runs`` runs of
``--calls`` warm calls (answered from memory: no I/O), the same with an explicit ``ttl=``, and
``Prompt.build`` with its variables. Each row is the median of the runs; prints a table.
The target of issue 7 is under 5 µs per warm call.

With ``--peer-python``, the same workload also runs against Langfuse's Python SDK prompt
management, in a separate interpreter that has ``langfuse`` installed (never assay's venv)::

    python3 -m venv /tmp/peer-langfuse && /tmp/peer-langfuse/bin/pip install langfuse
    .venv/bin/python bench/prompt_cache.py --peer-python /tmp/peer-langfuse/bin/python

This process serves a fake Langfuse public API on loopback (port 0) that answers
``GET /api/public/v2/prompts/answer?label=production`` with the same chat messages, model and
params (in the prompt's ``config``), and counts every request. bench/_peer_langfuse_prompt.py
points ``Langfuse(base_url=..., tracing_enabled=False)`` at it, with dummy keys and media upload
off, then times warm ``get_prompt(..., label="production", type="chat")`` (served from the
SDK's in-process cache; the request count must not move during the timed loops) and
``compile(**variables)``, and prints JSON. Langfuse's ``compile`` substitutes ``{{var}}`` only,
so its template drops the ``{{#vip}}...{{/vip}}`` section and keeps the other three variables.
The table then shows assay, Langfuse and the ratio Langfuse/assay (above 1: assay is faster).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]

import assay  # noqa: E402

PROJECT = "bench"
VERSION: dict[str, Any] = {
    "messages": [
        {
            "role": "system",
            "content": "You are the support agent of {{company}}.\n{{#vip}}\nThe customer is a "
            "VIP: be brief and generous.\n{{/vip}}\nAnswer in {{language}}.",
        },
        {"role": "user", "content": "{{question}}"},
    ],
    "model": "gpt-4o-mini",
    "params": {"temperature": 0.2, "max_tokens": 400},
    "labels": ["production"],
    "message": "bench",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``assay serve`` on a fresh SQLite data dir."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="assay-bench-prompts-")
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, ASSAY_DATA_DIR=self.dir, ASSAY_LOG_LEVEL="warning")
        env.pop("ASSAY_DATABASE_URL", None)
        cmd = [sys.executable, "-m", "assay.cli", "serve", "--port", str(self.port)]
        env["PYTHONPATH"] = str(ROOT / "src")
        self.log = open(os.path.join(self.dir, "server.log"), "w")  # noqa: SIM115
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/api/v1/health", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"assay serve did not start; see {self.log.name}")

    def post(self, path: str, body: Mapping[str, Any]) -> Any:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as resp:
            return json.loads(resp.read())

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def per_call_us(fn: Callable[[], object], calls: int, runs: int) -> float:
    """Median over ``runs`` of the mean µs per call of ``calls`` calls."""
    results = []
    for _ in range(runs):
        started = time.perf_counter()
        for _ in range(calls):
            fn()
        results.append((time.perf_counter() - started) / calls * 1e6)
    return statistics.median(results)


PEER_SCRIPT = Path(__file__).with_name("_peer_langfuse_prompt.py")
SECTION = re.compile(r"\{\{#(\w+)\}\}.*?\{\{/\1\}\}\n?", re.DOTALL)


def langfuse_prompt() -> dict[str, Any]:
    """VERSION as Langfuse's public API returns a chat prompt (its sections dropped)."""
    return {
        "type": "chat",
        "name": "answer",
        "version": 1,
        "prompt": [
            {"role": m["role"], "content": SECTION.sub("", m["content"])}
            for m in VERSION["messages"]
        ],
        "config": {"model": VERSION["model"], **VERSION["params"]},
        "labels": VERSION["labels"],
        "tags": [],
        "commitMessage": VERSION["message"],
    }


class FakeLangfuse:
    """Langfuse's prompt endpoint on loopback, counting requests; ``/_bench/requests`` reports."""

    PATH = "/api/public/v2/prompts/answer"

    def __init__(self) -> None:
        self.prompt_requests = 0
        self.other_requests: list[str] = []
        self.lock = threading.Lock()
        body = json.dumps(langfuse_prompt()).encode()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path == "/_bench/requests":
                    self.reply(200, json.dumps(fake.counts()).encode())
                elif url.path == fake.PATH and parse_qs(url.query).get("label") == ["production"]:
                    with fake.lock:
                        fake.prompt_requests += 1
                    self.reply(200, body)
                else:
                    self.not_found()

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.not_found()

            def not_found(self) -> None:
                with fake.lock:
                    fake.other_requests.append(f"{self.command} {self.path}")
                self.reply(404, b'{"message": "not served by the bench"}')

            def reply(self, status: int, payload: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def counts(self) -> dict[str, int]:
        with self.lock:
            return {"prompt": self.prompt_requests, "other": len(self.other_requests)}

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class PeerResult:
    """What bench/_peer_langfuse_prompt.py measured, and what the fake server saw."""

    measured: dict[str, Any]
    total: dict[str, int]
    other: list[str]


def run_peer(python: str, *, calls: int, runs: int) -> PeerResult:
    """Run the Langfuse half under ``python`` against a fresh fake Langfuse server."""
    fake = FakeLangfuse()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANGFUSE_")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    cmd = [python, str(PEER_SCRIPT), "--base-url", fake.base]
    cmd += ["--calls", str(calls), "--runs", str(runs)]
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
    finally:
        fake.stop()
    if done.returncode != 0:
        raise RuntimeError(
            f"{PEER_SCRIPT.name} failed under {python} (exit {done.returncode}); it needs "
            f"langfuse: {python} -m pip install langfuse\n{done.stderr.strip()}"
        )
    return PeerResult(json.loads(done.stdout), fake.counts(), fake.other_requests)


def print_table(rows: list[tuple[str, float]], peer: PeerResult | None) -> None:
    """Without a peer the table of today; with one, assay, Langfuse and the ratio."""
    if peer is None:
        print(f"{'operation':32} {'µs/call':>9} {'calls/s':>12}")
        for name, us in rows:
            print(f"{name:32} {us:9.2f} {1e6 / us:12,.0f}")
        return
    m = peer.measured
    print(
        f"first Langfuse get_prompt (one HTTP request): {m['first_ms']:.1f} ms "
        f"(import langfuse: {m['import_ms']:.0f} ms)"
    )
    peer_us = [m["get_us"], m["get_ttl_us"], m["compile_us"]]
    peer_names = [
        "get_prompt, warm (label)",
        "get_prompt, cache_ttl_seconds=300",
        "compile (3 variables)",
    ]
    print(f"{'assay':28} {'µs':>7}   {'Langfuse':35} {'µs':>7} {'Langfuse/assay':>15}")
    for (name, us), peer_name, other in zip(rows, peer_names, peer_us, strict=True):
        print(f"{name:28} {us:7.2f}   {peer_name:35} {other:7.2f} {other / us:14.2f}x")
    before, after = m["requests_before_loops"], m["requests_after_loops"]
    print(
        f"fake Langfuse server: {before['prompt']} prompt request(s) before the timed loops, "
        f"{after['prompt']} after, {peer.total['prompt']} in all; other requests: "
        f"{peer.total['other']} {peer.other or ''}".rstrip()
    )
    print(
        "(Langfuse's compile substitutes {{var}} only: its system message drops the "
        "{{#vip}} section, which assay renders with vip=True)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--peer-python",
        help="an interpreter with langfuse installed: also measure Langfuse's get_prompt/compile",
    )
    args = parser.parse_args()
    server = Server()
    try:
        os.environ["ASSAY_PROMPT_CACHE_DIR"] = os.path.join(server.dir, "prompt-cache")
        server.post(f"/api/v1/projects/{PROJECT}/prompts/answer/versions", VERSION)
        url = server.base
        started = time.perf_counter()
        prompt = assay.load_prompt(PROJECT, "answer", label="production", api_url=url)
        first_ms = (time.perf_counter() - started) * 1000

        def warm() -> object:
            return assay.load_prompt(PROJECT, "answer", label="production", api_url=url)

        def warm_ttl() -> object:
            return assay.load_prompt(PROJECT, "answer", label="production", api_url=url, ttl=300)

        variables = {"company": "ACME", "vip": True, "language": "English", "question": "Hi?"}

        def build() -> object:
            return prompt.build(**variables)

        rows = [
            ("load_prompt, warm (label)", per_call_us(warm, args.calls, args.runs)),
            ("load_prompt, warm, ttl=300", per_call_us(warm_ttl, args.calls, args.runs)),
            ("Prompt.build (4 variables)", per_call_us(build, args.calls // 4, args.runs)),
        ]
    finally:
        server.stop()
    peer = None
    if args.peer_python:
        peer = run_peer(args.peer_python, calls=args.calls, runs=args.runs)
    print(
        f"first load_prompt (importing httpx, one HTTP request, the disk copy): {first_ms:.1f} ms"
    )
    print_table(rows, peer)
    versions = f"python {sys.version.split()[0]}"
    if peer is not None:
        versions += f"; langfuse {peer.measured['langfuse']}, python {peer.measured['python']}"
    print(f"(median of {args.runs} runs; {versions})")


if __name__ == "__main__":
    main()
