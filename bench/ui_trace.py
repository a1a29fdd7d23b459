"""Trace view speed: a 10,000-span and a 100,000-span trace opened in Chromium (Playwright).

Issue 5 asks that a trace of 10,000 spans opens and answers a click on a span in under 1.5 s,
and that a trace of 100,000 spans still opens. This script starts ``assay serve`` on a fresh
SQLite database, ingests one agent trace of each size through the native ingest API (batches
of 5,000), then for each trace and each run, in a fresh browser context:

- ``api``: ``GET .../traces/{id}?bodies=false`` (the request the page makes): time and size;
- ``open``: navigation to the trace page until the first row of the span tree is visible;
- ``click``: a click on a span (an LLM call deep in the list) until its detail (input and
  output, fetched on selection) is visible.

Medians over the runs are printed as ``RESULT`` lines (JSON). Not a test: run it by hand.

    .venv/bin/python bench/ui_trace.py                      # 10,000 and 100,000 spans, 3 runs
    .venv/bin/python bench/ui_trace.py --sizes 10000 --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.e2e.conftest import ARGS, CHROMIUM  # noqa: E402

PROJECT = "ui-bench"
T0 = 1_760_000_000.0
BATCH = 5_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``assay serve`` on a fresh SQLite database in a temporary directory."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="assay-ui-bench-")
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        port = self.url.rsplit(":", 1)[1]
        env = dict(os.environ, ASSAY_DATA_DIR=self.dir, ASSAY_LOG_LEVEL="warning")
        env.pop("ASSAY_DATABASE_URL", None)
        with open(os.path.join(self.dir, "server.log"), "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "assay.cli", "serve", "--host", "127.0.0.1", "--port", port],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"assay serve exited; see {self.dir}/server.log")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("assay serve did not become healthy in 60 s")

    def stop(self) -> None:
        """Stop the server and delete its database (a 100,000-span trace is ~100 MB)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=15)
        shutil.rmtree(self.dir, ignore_errors=True)


def trace_spans(size: int, trace_id: str) -> list[dict[str, Any]]:
    """One agent trace of ``size`` spans: turns with an LLM call and a tool, some sub-agents."""
    spans: list[dict[str, Any]] = []
    n = 0

    def add(
        parent: str | None, name: str, kind: str, start: float, end: float, **extra: Any
    ) -> str:
        nonlocal n
        n += 1
        span_id = f"{n:016x}"
        spans.append(
            {
                "trace_id": trace_id,
                "span_id": span_id,
                "parent_id": parent,
                "name": name,
                "kind": kind,
                "start_time": start,
                "end_time": end,
                **extra,
            }
        )
        return span_id

    def llm(parent: str, t: float, turn: int) -> None:
        add(
            parent, "chat.completions", "llm", t, t + 0.35, model="gpt-4o-mini",
            input=[
                {"role": "system", "content": "You help customers of a bookshop."},
                {"role": "user", "content": f"Where is my order #{turn}?"},
            ],
            output={
                "role": "assistant",
                "content": None,
                "tool_calls": [{"id": f"call_{turn}", "type": "function", "function": {
                    "name": "lookup_order", "arguments": json.dumps({"order": turn})}}],
            },
            metrics={"prompt_tokens": 120, "completion_tokens": 18, "cost": 0.00003},
        )  # fmt: skip

    def tool(parent: str, t: float, turn: int) -> None:
        failed = turn % 97 == 0
        add(
            parent, "lookup_order", "tool", t, t + 0.05,
            input={"order": turn},
            output=None if failed else {"status": "shipped", "eta_days": turn % 5},
            status="error" if failed else "ok",
            error={"type": "TimeoutError", "message": "orders API timed out"} if failed else None,
        )  # fmt: skip

    root = add(None, "support_agent", "agent", T0, T0 + size * 0.2, input="Help me", output="Done")
    turn = 0
    t = T0 + 0.01
    while n < size:
        turn += 1
        step = add(root, f"turn {turn}", "task", t, t + 0.45)
        llm(step, t + 0.001, turn)
        tool(step, t + 0.36, turn)
        if turn % 10 == 0:
            sub = add(step, "research_agent", "agent", t + 0.41, t + 0.44)
            llm(sub, t + 0.411, turn)
            tool(sub, t + 0.42, turn)
        t += 0.5
    del spans[size:]
    spans[0]["end_time"] = max(s["end_time"] for s in spans)
    return spans


def ingest(client: httpx.Client, spans: list[dict[str, Any]]) -> float:
    started = time.perf_counter()
    for i in range(0, len(spans), BATCH):
        body = {"project": PROJECT, "spans": spans[i : i + BATCH]}
        answer = client.post("/api/v1/spans", json=body, timeout=300)
        answer.raise_for_status()
        assert answer.json()["accepted"] == len(body["spans"]), answer.text[:500]
    return time.perf_counter() - started


def time_api(client: httpx.Client, trace_id: str, runs: int) -> dict[str, float]:
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        answer = client.get(
            f"/api/v1/projects/{PROJECT}/traces/{trace_id}", params={"bodies": "false"}
        )
        times.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
        size = len(answer.content)
    return {"api_ms": round(statistics.median(times), 1), "api_mb": round(size / 1e6, 2)}


def time_browser(browser: Any, base: str, trace_id: str, runs: int) -> dict[str, Any]:
    """Medians of navigation → tree visible and click on a span → its detail visible."""
    opens, clicks = [], []
    url = f"{base}/projects/{PROJECT}/traces/{trace_id}"
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        context.set_default_timeout(120_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.locator('[data-testid="trace-tree"] [role="treeitem"]').first.wait_for()
        opens.append((time.perf_counter() - started) * 1000)
        target = page.locator('[role="treeitem"][data-kind="llm"]').nth(3)
        span_id = target.get_attribute("data-span-id")
        started = time.perf_counter()
        target.click()
        page.locator(
            f'[data-testid="span-detail"][data-span-id="{span_id}"][data-ready="true"]'
        ).wait_for()
        clicks.append((time.perf_counter() - started) * 1000)
        context.close()
        if errors:
            raise RuntimeError(f"the page threw: {errors}")
    return {
        "open_ms": round(statistics.median(opens), 1),
        "click_ms": round(statistics.median(clicks), 1),
        "open_runs_ms": [round(x) for x in opens],
        "click_runs_ms": [round(x) for x in clicks],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="span counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="only time the API")
    args = parser.parse_args()
    if not (ROOT / "src/assay/server/static/index.html").exists() and not args.no_browser:
        sys.exit("the web UI is not built: run `make web` first")
    server = Server()
    server.start()
    try:
        with httpx.Client(base_url=server.url, timeout=300) as client:
            ids = {}
            for size in (int(s) for s in args.sizes.split(",")):
                trace_id = f"{size:032x}"
                ingest_s = ingest(client, trace_spans(size, trace_id))
                ids[size] = trace_id
                print(f"ingested {size:,} spans in {ingest_s:.1f} s", file=sys.stderr)
            results = {
                size: time_api(client, trace_id, args.runs) for size, trace_id in ids.items()
            }
        if not args.no_browser:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for size, trace_id in ids.items():
                    results[size].update(time_browser(browser, server.url, trace_id, args.runs))
                browser.close()
        for size, figures in results.items():
            print("RESULT " + json.dumps({"spans": size, "runs": args.runs, **figures}))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
