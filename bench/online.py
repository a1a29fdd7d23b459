"""Online scoring under production load: does scoring keep up, and what does it cost ingest?

Workload (issue 9): ``assay serve`` on SQLite with its in-process worker; the fake model server
as its own process answering every call after 50 ms; OTLP/HTTP protobuf batches of 500
LLM-shaped spans with 1 KB input and output (the ingest benchmark's generator). Two servers are
measured in the same run, one after the other, on fresh databases:

- ``no rule``: plain ingest;
- ``rule``: a judge and a rule sampling 10% of all spans through it.

With the rule, an outage phase follows the paced one: the model answers 500 for ``--outage``
seconds (default 60) while the same paced load goes on; then how long scoring takes to catch
up, and whether every sampled span was scored.

For each: (1) a paced phase at ``--rate`` spans/s (default 1,000) for ``--seconds`` (default
60), recording request latency and, every second, the rule's backlog (jobs waiting, age of the
oldest); after it, how long until every sampled span has its score; (2) a throughput phase:
``--clients`` processes sending ``--spans`` spans as fast as the server takes them (2xx means
committed), while the worker works through whatever that phase enqueues.

    .venv/bin/python bench/online.py
    .venv/bin/python bench/online.py --seconds 20 --spans 40000
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.util
import json
import multiprocessing as mp
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench" / "ingest.py"
BATCH = 500
PROJECT = "default"


def _harness() -> Any:
    spec = importlib.util.spec_from_file_location("shared_ingest", SHARED)
    assert spec and spec.loader, f"the shared ingest harness is missing at {SHARED}"
    module = importlib.util.module_from_spec(spec)
    sys.modules["shared_ingest"] = module
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_fake(delay: float) -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "assay.testing.fake_llm", "--port", "0", "--delay", str(delay)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


class Server:
    """``assay serve`` (with its in-process worker) on a fresh SQLite data dir."""

    def __init__(self, llm_url: str) -> None:
        self.dir = tempfile.mkdtemp(prefix="assay-bench-online-")
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(
            os.environ,
            ASSAY_DATA_DIR=self.dir,
            ASSAY_LOG_LEVEL="warning",
            OPENAI_BASE_URL=llm_url + "/v1",
            OPENAI_API_KEY="bench",
        )
        env.pop("ASSAY_DATABASE_URL", None)
        cmd = [str(ROOT / ".venv" / "bin" / "assay"), "serve", "--port", str(self.port)]
        self.log = open(os.path.join(self.dir, "server.log"), "w")  # noqa: SIM115
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/api/v1/health")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"assay serve did not start; see {self.log.name}")

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.base + path, timeout=30) as resp:
            return json.loads(resp.read())

    def post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as resp:
            return json.loads(resp.read() or b"null")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def add_rule(server: Server, rate: float) -> None:
    server.post(
        f"/api/v1/projects/{PROJECT}/judges",
        {
            "name": "helpful",
            "prompt": "Question: {{input}}\nAnswer: {{output}}\nIs the answer helpful?",
            "choices": {"yes": 1.0, "no": 0.0},
            "model": "gpt-4o-mini",
        },
    )
    server.post(
        f"/api/v1/projects/{PROJECT}/rules",
        {"name": "helpful-10pct", "sample_rate": rate, "scorers": [{"judge": "helpful"}]},
    )


def rule_stats(server: Server) -> dict[str, Any]:
    rule = server.get(f"/api/v1/projects/{PROJECT}/rules/helpful-10pct")
    return dict(rule.get("stats") or {})


def _send(conn: http.client.HTTPConnection, body: bytes) -> float:
    started = time.perf_counter()
    conn.request("POST", "/v1/traces", body, {"Content-Type": "application/x-protobuf"})
    resp = conn.getresponse()
    resp.read()
    if resp.status != 200:
        raise RuntimeError(f"ingest answered {resp.status}")
    return time.perf_counter() - started


def paced(
    server: Server, bodies: list[bytes], rate: int, seconds: float, *, with_rule: bool
) -> dict[str, Any]:
    """Send ``rate`` spans/s for ``seconds``; sample the rule's backlog every second."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    per_second = max(1, rate // BATCH)
    latencies: list[float] = []
    backlog: list[dict[str, Any]] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(1.0):
            with contextlib.suppress(OSError):
                backlog.append(rule_stats(server))

    watcher = threading.Thread(target=watch, daemon=True)
    if with_rule:
        watcher.start()
    started = time.monotonic()
    sent = 0
    for tick in range(int(seconds)):
        for _ in range(per_second):
            latencies.append(_send(conn, bodies[sent % len(bodies)]))
            sent += 1
        pause = started + tick + 1 - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    elapsed = time.monotonic() - started
    stop.set()
    latencies.sort()
    result: dict[str, Any] = {
        "spans_sent": sent * BATCH,
        "achieved_spans_per_s": round(sent * BATCH / elapsed),
        "request_p50_ms": round(1000 * statistics.median(latencies), 1),
        "request_p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1),
    }
    if backlog:
        lags = [b.get("lag_seconds") or 0.0 for b in backlog]
        waiting = [int(b.get("queued_jobs") or 0) for b in backlog]
        result |= {
            "lag_p50_s": round(statistics.median(lags), 2),
            "lag_max_s": round(max(lags), 2),
            "lag_last_10s_max": round(max(lags[-10:]), 2),
            "jobs_waiting_max": max(waiting),
        }
        drain_started = time.monotonic()
        while True:
            stats = rule_stats(server)
            if not stats.get("queued_jobs") and not stats.get("running_jobs"):
                break
            time.sleep(0.2)
        result |= {
            "drain_after_s": round(time.monotonic() - drain_started, 2),
            "scored_spans": stats.get("scored_spans"),
            "dead_jobs": stats.get("dead_jobs"),
        }
    return result


def outage(
    server: Server, fake: subprocess.Popen[str], bodies: list[bytes], rate: int, seconds: float
) -> dict[str, Any]:
    """Paced ingest while the model answers 500 for ``seconds``; then the catch-up, and a check
    (the rule's own backfill estimate over everything) that no sampled span was left unscored."""
    fake.send_signal(signal.SIGUSR1)  # the provider goes down
    try:
        during = paced(server, bodies, rate, seconds, with_rule=False)
    finally:
        fake.send_signal(signal.SIGUSR1)  # and comes back
    back = time.monotonic()
    deadline = back + 900
    while time.monotonic() < deadline:
        stats = rule_stats(server)
        if not stats.get("queued_jobs") and not stats.get("running_jobs"):
            break
        time.sleep(0.5)
    caught_up = time.monotonic() - back
    everything = {"start": 0, "end": time.time() + 60, "dry_run": True}
    estimate = server.post(f"/api/v1/projects/{PROJECT}/rules/helpful-10pct/backfills", everything)[
        "estimate"
    ]
    return {
        "outage_s": seconds,
        "request_p95_ms_during": during["request_p95_ms"],
        "caught_up_after_s": round(caught_up, 1),
        "sampled_spans": estimate["sampled_spans"],
        "scored_spans": estimate["already_scored"],
        "dead_jobs": stats.get("dead_jobs"),
    }


def _client(port: int, bodies: list[bytes], go: Any, out: Any) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    go.wait(60)
    started = time.time()
    for body in bodies:
        _send(conn, body)
    out.put((started, time.time(), len(bodies) * BATCH))


def throughput(server: Server, harness: Any, spans: int, clients: int) -> dict[str, Any]:
    per_client = spans // BATCH // clients
    ctx = mp.get_context("fork")
    go, out = ctx.Event(), ctx.Queue()
    procs = []
    for i in range(clients):
        bodies = harness.build_bodies(100 + i, per_client, BATCH, seed=5000 + i)
        procs.append(ctx.Process(target=_client, args=(server.port, bodies, go, out)))
    for p in procs:
        p.start()
    time.sleep(1.0)
    go.set()
    rows = [out.get(timeout=900) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    elapsed = max(r[1] for r in rows) - min(r[0] for r in rows)
    sent = sum(r[2] for r in rows)
    return {"spans": sent, "seconds": round(elapsed, 2), "spans_per_s": round(sent / elapsed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=int, default=1000, help="spans/s in the paced phase")
    parser.add_argument("--seconds", type=float, default=60, help="length of the paced phase")
    parser.add_argument("--spans", type=int, default=60_000, help="spans in the throughput phase")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--sample", type=float, default=0.1, help="the rule's sample rate")
    parser.add_argument("--delay", type=float, default=0.05, help="the model's answer time (s)")
    parser.add_argument("--modes", default="no rule,rule", help='"no rule", "rule" or both')
    parser.add_argument(
        "--outage", type=float, default=60, help="seconds the model answers 500 (0: no outage)"
    )
    args = parser.parse_args()
    harness = _harness()
    bodies = harness.build_bodies(0, max(1, int(args.rate * args.seconds) // BATCH), BATCH, 7)
    fake, llm_url = start_fake(args.delay)
    results: dict[str, Any] = {}
    try:
        for mode in args.modes.split(","):
            server = Server(llm_url)
            try:
                if mode == "rule":
                    add_rule(server, args.sample)
                row = {
                    "paced": paced(
                        server, bodies, args.rate, args.seconds, with_rule=mode == "rule"
                    )
                }
                if mode == "rule" and args.outage:
                    fresh = harness.build_bodies(1, len(bodies), BATCH, 11)  # new spans
                    row["outage"] = outage(server, fake, fresh, args.rate, args.outage)
                row["throughput"] = throughput(server, harness, args.spans, args.clients)
                results[mode] = row
                print(mode, json.dumps(row), flush=True)
            finally:
                server.stop()
    finally:
        fake.terminate()
    if len(results) < 2:
        return
    base = results["no rule"]["throughput"]["spans_per_s"]
    with_rule = results["rule"]["throughput"]["spans_per_s"]
    print(
        f"\nthroughput without a rule {base} spans/s, with the rule {with_rule} spans/s "
        f"({100 * (base - with_rule) / base:+.1f}% drop)"
    )
    paced_rule = results["rule"]["paced"]
    plain_p95 = results["no rule"]["paced"]["request_p95_ms"]
    print(
        f"paced {args.rate} spans/s for {args.seconds:.0f} s with the rule: lag p50 "
        f"{paced_rule.get('lag_p50_s')} s, max {paced_rule.get('lag_max_s')} s, drained "
        f"{paced_rule.get('drain_after_s')} s after the last batch; request p95 "
        f"{paced_rule['request_p95_ms']} ms (no rule: {plain_p95} ms)"
    )


if __name__ == "__main__":
    main()
