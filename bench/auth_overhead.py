"""Authentication overhead per ingest request: one server with auth off, one with auth on + key.

Both are real ``assay serve`` processes (no worker) on fresh SQLite data dirs of their own; the
key is made with ``assay keys create`` before the second starts. The same small ingest call
(``POST /api/v1/spans``, native JSON, ``--spans`` new spans each) goes to each server in
interleaved rounds over keep-alive connections, so drift hits both modes alike. Prints p50 and
p95 latency per mode and the p50 difference (target: under 1 ms).

  python bench/auth_overhead.py                      # 20 rounds of 50 requests, 20 spans each
  python bench/auth_overhead.py --rounds 40 --per-round 100
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

import httpx

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PROJECT = "bench"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSAY_")}
    env["PYTHONPATH"] = os.path.join(ROOT, "src")
    env.update(ASSAY_LOG_LEVEL="warning", **extra)
    return env


class Server:
    """One ``assay serve`` on a fresh SQLite file; ``auth`` turns authentication on."""

    def __init__(self, auth: bool) -> None:
        self.dir = tempfile.mkdtemp(prefix="assay-auth-bench-")
        self.url_db = f"sqlite:///{os.path.join(self.dir, 'assay.db')}"
        self.port = _free_port()
        self.auth = auth
        self.key: str | None = None
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if self.auth:
            done = subprocess.run(
                [sys.executable, "-m", "assay.cli", "keys", "create", "--project", PROJECT,
                 "--name", "bench", "--database-url", self.url_db],
                capture_output=True, text=True, env=_env(), check=True,
            )  # fmt: skip
            self.key = done.stdout.strip()
        cmd = [sys.executable, "-m", "assay.cli", "serve", "--host", "127.0.0.1", "--port",
               str(self.port), "--database-url", self.url_db, "--no-worker"]  # fmt: skip
        env = _env(ASSAY_AUTH="true" if self.auth else "false", ASSAY_RATE_LIMIT="0")
        log = open(os.path.join(self.dir, "server.log"), "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                url = f"http://127.0.0.1:{self.port}/api/v1/health"
                if httpx.get(url, timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError(f"server did not start; see {log.name}")

    def client(self) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        return httpx.Client(base_url=f"http://127.0.0.1:{self.port}", headers=headers)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def batch(spans: int) -> bytes:
    """A native batch of ``spans`` new spans of one trace."""
    now = time.time()
    trace = os.urandom(16).hex()
    items: list[dict[str, Any]] = [
        {
            "trace_id": trace,
            "span_id": os.urandom(8).hex(),
            "name": f"step-{i}",
            "kind": "task",
            "start_time": now,
            "end_time": now + 0.01,
            "input": "x" * 200,
        }
        for i in range(spans)
    ]
    return json.dumps({"project": PROJECT, "spans": items}).encode()


def timed(client: httpx.Client, body: bytes) -> float:
    start = time.perf_counter()
    response = client.post(
        "/api/v1/spans", content=body, headers={"Content-Type": "application/json"}
    )
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.text
    return elapsed * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--per-round", type=int, default=50)
    parser.add_argument("--spans", type=int, default=20)
    args = parser.parse_args()
    servers = {"off": Server(auth=False), "on": Server(auth=True)}
    for server in servers.values():
        server.start()
    times: dict[str, list[float]] = {"off": [], "on": []}
    try:
        clients = {mode: server.client() for mode, server in servers.items()}
        for client in clients.values():  # warm up connections, caches, the project row
            for _ in range(20):
                timed(client, batch(args.spans))
        for round_no in range(args.rounds):
            order = ["off", "on"] if round_no % 2 == 0 else ["on", "off"]
            for mode in order:
                times[mode] += [
                    timed(clients[mode], batch(args.spans)) for _ in range(args.per_round)
                ]
    finally:
        for server in servers.values():
            server.stop()
    result = {
        mode: {
            "requests": len(values),
            "p50_ms": round(statistics.median(values), 3),
            "p95_ms": round(percentile(values, 0.95), 3),
        }
        for mode, values in times.items()
    }
    diff = result["on"]["p50_ms"] - result["off"]["p50_ms"]
    print("RESULT " + json.dumps({**result, "p50_diff_ms": round(diff, 3), "spans": args.spans}))
    for mode in ("off", "on"):
        r = result[mode]
        print(
            f"auth {mode:3}: p50 {r['p50_ms']:.3f} ms  p95 {r['p95_ms']:.3f} ms  n={r['requests']}"
        )
    print(f"p50 difference (on - off): {diff:.3f} ms (target < 1 ms)")


if __name__ == "__main__":
    main()
