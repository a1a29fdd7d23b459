"""load_prompt from a warm cache, and Prompt.build: how much an agent pays per request.

    .venv/bin/python bench/prompt_cache.py [--calls 200000] [--runs 7]

Starts ``assay serve`` on a fresh SQLite data dir, saves a prompt version (a system and a user
message with three variables and an optional section) and labels it ``production``. Then, in
this process: the first ``load_prompt`` (one HTTP request and the disk copy), ``--runs`` runs of
``--calls`` warm calls (answered from memory: no I/O), the same with an explicit ``ttl=``, and
``Prompt.build`` with its variables. Each row is the median of the runs; prints a table.
The target of issue 7 is under 5 µs per warm call.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
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
    print(
        f"first load_prompt (importing httpx, one HTTP request, the disk copy): {first_ms:.1f} ms"
    )
    print(f"{'operation':32} {'µs/call':>9} {'calls/s':>12}")
    for name, us in rows:
        print(f"{name:32} {us:9.2f} {1e6 / us:12,.0f}")
    print(f"(median of {args.runs} runs; python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
