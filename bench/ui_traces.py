"""Traces page speed: the first page over 1,000,000 stored spans, then scrolling, in Chromium.

Issue 5 asks that "the traces table over 1,000,000 stored spans shows its first page in under
1 s and scrolls without loading everything". This script:

1. builds (or reuses, see ``--db``) a SQLite database with ``--spans`` spans through the store,
   with the generator of ``bench/query.py`` (about 5 spans per trace over seven days, realistic
   names, tags, metadata, models and errors), and gives the 5,000 newest traces two scores each
   so that the first pages carry score badges;
2. starts ``assay serve`` on it;
3. ``first rows``: opens ``/projects/bench/traces`` in a fresh browser context per run and takes
   the time from navigation start to the first table row in the DOM (a MutationObserver notes
   ``performance.now()``), median of ``--runs``; the same for a metadata filter from the URL;
4. ``scroll``: scrolls the table down ``--scrolls`` screens and counts the trace-list requests,
   the rows loaded and the most rows in the DOM at once (the table is virtual).

Medians are printed as ``RESULT`` lines (JSON). Not a test: run it by hand.

    .venv/bin/python bench/ui_traces.py                       # 1,000,000 spans, 5 runs
    .venv/bin/python bench/ui_traces.py --db /tmp/assay-bench-XXXX/bench.db   # bench/query.py's
    .venv/bin/python bench/ui_traces.py --spans 200000 --db /tmp/small.db

Building 1,000,000 spans takes about three minutes and 3-4 GB of disk.
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
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]

from tests.e2e.conftest import ARGS, CHROMIUM  # noqa: E402

from assay.schema import ScoreIn  # noqa: E402
from assay.store import Store, TraceQuery, open_store  # noqa: E402

PROJECT = "bench"
SCORED_TRACES = 5_000
#: SQLite bytes per span of bench/query.py's generator (1 KB bodies), with headroom.
DISK_PER_SPAN = 4_000
ROW = '[data-testid="trace-row"]'
#: Notes when the first table row enters the DOM, in ms since navigation start.
FIRST_ROW_PROBE = """
new MutationObserver((_, observer) => {
  if (document.querySelector('ROW')) {
    window.__firstRowAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
""".replace("ROW", ROW)


def prepare(db: Path, spans: int) -> None:
    """Project ``bench`` with ``spans`` spans (unless it has spans already), newest traces scored.

    A database made by ``bench/query.py`` (project ``bench``) can be reused: it is migrated
    and only the scores are added.
    """
    from query import load_phase  # bench/query.py: the store benchmark's generator

    store = open_store(f"sqlite:///{db}")
    try:
        store.migrate()
        pid = store.ensure_project(PROJECT)
        stored = next(p.span_count for p in store.list_projects() if p.name == PROJECT)
        if stored == 0:
            free = shutil.disk_usage(db.parent).free
            if free < spans * DISK_PER_SPAN:
                raise SystemExit(
                    f"{free / 1e9:.1f} GB free next to {db}; {spans:,} spans need about "
                    f"{spans * DISK_PER_SPAN / 1e9:.1f} GB. Free some space, pass a smaller "
                    "--spans, or --db a database made by bench/query.py"
                )
            rate, loaded = load_phase(store, pid, spans)
            print(f"loaded {loaded:,} spans at {rate:,.0f} spans/s", flush=True)
        newest = store.list_traces(pid, TraceQuery(limit=1)).items
        if newest and not store.list_trace_scores(pid, newest[0].trace_id):
            score_newest(store, pid)
    finally:
        store.close()


def score_newest(store: Store, pid: str) -> None:
    """Two scores on each of the newest traces, so that the first pages show score badges."""
    query = TraceQuery(limit=1000)
    ids: list[str] = []
    while len(ids) < SCORED_TRACES:
        page = store.list_traces(pid, query)
        ids += [t.trace_id for t in page.items]
        if page.next_cursor is None:
            break
        query.cursor = page.next_cursor
    scores = []
    for i, trace_id in enumerate(ids):
        scores.append(ScoreIn(trace_id=trace_id, name="correct", value=float(i % 3 != 0)))
        scores.append(
            ScoreIn(trace_id=trace_id, name="helpful", value=(i % 10) / 10, source="llm_judge")
        )
    store.record_scores(pid, scores)
    print(f"scored {len(ids):,} traces", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(db: Path, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, ASSAY_DATA_DIR=str(workdir), ASSAY_LOG_LEVEL="warning")
    cmd = [sys.executable, "-m", "assay.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--database-url", f"sqlite:///{db}"]
    with (workdir / "ui_traces_server.log").open("wb") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"assay serve exited; see {workdir / 'ui_traces_server.log'}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("assay serve did not become healthy in 60 s")


def is_list_request(url: str) -> bool:
    return f"/api/v1/projects/{PROJECT}/traces?" in url


def first_rows(browser: Any, url: str, path: str) -> tuple[float, int]:
    """Ms from navigation start to the first row, and rows in the DOM then (fresh context)."""
    context = browser.new_context(base_url=url, viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(FIRST_ROW_PROBE)
        page.goto(path, wait_until="commit")
        page.wait_for_selector(ROW, timeout=30_000)
        page.wait_for_function("window.__firstRowAt !== undefined")
        at = float(page.evaluate("window.__firstRowAt"))
        return at, int(page.locator(ROW).count())
    finally:
        context.close()


def scroll(browser: Any, url: str, screens: int) -> dict[str, Any]:
    """Scroll the table down `screens` times; count list requests, rows and DOM rows."""
    context = browser.new_context(base_url=url, viewport={"width": 1440, "height": 900})
    requests: list[str] = []
    durations: list[float] = []
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url) if is_list_request(r.url) else None)
        page.on(
            "requestfinished",
            lambda r: durations.append(r.timing["responseEnd"]) if is_list_request(r.url) else None,
        )
        page.goto(f"/projects/{PROJECT}/traces")
        page.wait_for_selector(ROW)
        table = page.get_by_role("table", name="Traces")
        most_in_dom = 0
        for _ in range(screens):
            table.evaluate("el => el.scrollBy(0, el.clientHeight)")
            page.wait_for_timeout(60)
            most_in_dom = max(most_in_dom, page.locator(ROW).count())
        page.wait_for_load_state("networkidle")
        rows_loaded = page.get_by_test_id("traces-footer").get_attribute("data-rows")
        scrolled = table.evaluate("el => el.scrollTop")
        return {
            "screens": screens,
            "pixels_scrolled": int(scrolled),
            "list_requests": len(requests),
            "rows_loaded": int(rows_loaded or 0),
            "max_rows_in_dom": most_in_dom,
            "list_request_ms_median": round(statistics.median(durations), 1) if durations else None,
        }
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scrolls", type=int, default=40, help="screens to scroll down")
    parser.add_argument(
        "--db", type=Path, help="SQLite file to reuse or build (default bench/out/ui_traces-N.db)"
    )
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    db = args.db or out / f"ui_traces-{args.spans}.db"
    print(f"{'reusing' if db.exists() else 'building'} {db}", flush=True)
    prepare(db, args.spans)
    proc, url = serve(db, out)
    try:
        project = next(
            p for p in httpx.get(f"{url}/api/v1/projects").json() if p["name"] == PROJECT
        )
        print(f"{project['span_count']:,} spans in {project['trace_count']:,} traces", flush=True)
        api_ms = []
        for _ in range(args.runs):
            t = time.perf_counter()
            httpx.get(f"{url}/api/v1/projects/{PROJECT}/traces", params={"limit": 100})
            api_ms.append((time.perf_counter() - t) * 1000)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            first_rows(browser, url, f"/projects/{PROJECT}/traces")  # warm the server's caches
            cases = {
                "first_page": f"/projects/{PROJECT}/traces",
                "first_page_metadata_filter": (
                    f"/projects/{PROJECT}/traces?metadata=customer_tier%3Denterprise"
                ),
                "first_page_status_error": f"/projects/{PROJECT}/traces?status=error",
            }
            for label, path in cases.items():
                times, rows = [], 0
                for _ in range(args.runs):
                    at, rows = first_rows(browser, url, path)
                    times.append(at)
                result = {
                    "case": label,
                    "spans": project["span_count"],
                    "median_ms": round(statistics.median(times), 1),
                    "max_ms": round(max(times), 1),
                    "rows_in_dom": rows,
                    "runs": args.runs,
                }
                print("RESULT", json.dumps(result), flush=True)
            scrolled = scroll(browser, url, args.scrolls)
            scrolled["traces_stored"] = project["trace_count"]
            print("RESULT", json.dumps({"case": "scroll", **scrolled}), flush=True)
            browser.close()
        api = {"case": "api_first_page_100", "median_ms": round(statistics.median(api_ms), 1)}
        print("RESULT", json.dumps(api), flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
