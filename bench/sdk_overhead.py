"""SDK hot-path overhead per span: assay next to the OpenTelemetry SDK, in one interleaved run.

Workload (from ../shared/bench/sdk_overhead.py): each trace is a root span, a child and a
grandchild; every span carries 10 attributes, a 1 KB input and a 1 KB output. Each SDK's
background exporter sends to a discard sink on 127.0.0.1 (bench/_sink.py, which also counts
assay's JSON batches). Every measured run is a fresh subprocess; targets rotate order per repeat.

  python bench/sdk_overhead.py                                # assay, otel, otel-bigq; 3 repeats
  python bench/sdk_overhead.py --traces 20000 --repeats 3
  python bench/sdk_overhead.py --target assay --repeats 1     # one target

Prints one ``RESULT {json}`` line per run, then medians: caller us/span (what the application
thread pays), total us/span (until flush returned), delivered %, and assay / otel ratios.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import urllib.request
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.environ.get("ASSAY_BENCH_SHARED", os.path.join(ROOT, "..", "shared", "bench"))
DEFAULT_TARGETS = ["assay", "otel", "otel-bigq"]


def _load_shared() -> Any:
    path = os.path.join(SHARED, "sdk_overhead.py")
    spec = importlib.util.spec_from_file_location("shared_sdk_overhead", path)
    assert spec is not None and spec.loader is not None, f"no harness at {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class AssayTarget:
    """assay with default settings: init(api_url=sink), span() nesting, shutdown() to flush."""

    name = "assay"

    def __init__(self, sink_url: str) -> None:
        sys.path.insert(0, os.path.join(ROOT, "src"))
        import assay

        self.version = assay.__version__
        self.client = assay.init(project="bench", api_url=sink_url)
        self.span = assay.span

    def run_trace(self, i: int, inp: str, out: str, attrs: dict[str, Any]) -> None:
        span = self.span
        with span("agent_run", kind="agent", input=inp, attributes=attrs) as root:
            with span("llm_call", kind="llm", input=inp, attributes=attrs) as c1:
                with span("tool_call", kind="tool", input=inp, attributes=attrs) as c2:
                    c2.set_output(out)
                c1.set_output(out)
            root.set_output(out)

    def flush(self) -> None:
        self.client.shutdown(timeout=None)

    def extra(self) -> dict[str, Any]:
        return {"dropped": self.client.dropped}


def start_sink() -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "_sink.py"), "--max-seconds", "7200"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "SINK READY" in line, line
    return proc, int(line.split()[-1])


def run_one(args: argparse.Namespace, target: str, port: int, rep: int) -> dict[str, Any] | None:
    urllib.request.urlopen(f"http://127.0.0.1:{port}/__reset", timeout=30).read()
    cmd = [sys.executable, __file__, "--child", "--target", target, "--traces", str(args.traces)]
    cmd += ["--max-seconds", str(args.max_seconds), "--sink-port", str(port)]
    try:
        out = subprocess.run(
            cmd, capture_output=True, text=True, timeout=args.max_seconds * 2 + 120
        )
    except subprocess.TimeoutExpired:
        print(f"TIMEOUT target={target} rep={rep}", flush=True)
        return None
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")]
    if not lines:
        print(f"FAILED target={target} rep={rep}\n{out.stderr[-2000:]}", flush=True)
        return None
    result: dict[str, Any] = json.loads(lines[-1][7:])
    result["rep"] = rep
    errors = [ln for ln in out.stderr.splitlines() if ln.strip()]
    result["stderr_lines"] = len(errors)
    if errors:
        result["stderr_sample"] = errors[0][:160]
    print("RESULT " + json.dumps(result), flush=True)
    return result


def summarize(results: dict[str, list[dict[str, Any]]]) -> None:
    def med(rows: list[dict[str, Any]], key: str) -> float:
        values = [r[key] for r in rows if r.get(key) is not None]
        return statistics.median(values) if values else float("nan")

    print("\nSUMMARY (medians; us = microseconds per span; spans per run = traces * 3)")
    print(
        f"{'target':<12}{'n':>3}{'caller_us':>11}{'caller_cpu':>11}{'total_us':>10}"
        f"{'flush_s':>9}{'rss_MB':>8}{'deliv%':>8}"
    )
    for target, rows in results.items():
        if not rows:
            print(f"{target:<12}(no successful runs)")
            continue
        print(
            f"{target:<12}{len(rows):>3}{med(rows, 'caller_us_per_span'):>11.2f}"
            f"{med(rows, 'caller_cpu_us_per_span'):>11.2f}{med(rows, 'total_us_per_span'):>10.2f}"
            f"{med(rows, 'flush_s'):>9.2f}{med(rows, 'peak_rss_mb'):>8.0f}"
            f"{med(rows, 'delivered_pct'):>8.1f}"
        )
    mine = {r["rep"]: r for r in results.get("assay", [])}
    for peer in ("otel", "otel-bigq"):
        pairs = [(mine[r["rep"]], r) for r in results.get(peer, []) if r["rep"] in mine]
        if pairs:
            caller = statistics.median(
                a["caller_us_per_span"] / p["caller_us_per_span"] for a, p in pairs
            )
            total = statistics.median(
                a["total_us_per_span"] / p["total_us_per_span"] for a, p in pairs
            )
            print(
                f"assay / {peer}: caller {caller:.3f} (1/{1 / caller:.0f}), total {total:.3f}"
                f"  (per-repeat pairs, median)"
            )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--target", default=",".join(DEFAULT_TARGETS), help="comma list of targets")
    ap.add_argument("--traces", type=int, default=20_000, help="traces per run (3 spans each)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--max-seconds", type=float, default=240, help="per-run cap on the timed loop")
    ap.add_argument("--sink-port", type=int, default=0)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    shared = _load_shared()
    shared.TARGETS["assay"] = AssayTarget
    if args.child:
        shared.child(args)
        return
    targets = args.target.split(",")
    sink, port = start_sink()
    results: dict[str, list[dict[str, Any]]] = {t: [] for t in targets}
    try:
        for rep in range(args.repeats):
            k = rep % len(targets)
            for target in targets[k:] + targets[:k]:
                result = run_one(args, target, port, rep)
                if result is not None:
                    results[target].append(result)
    finally:
        sink.terminate()
        sink.wait(timeout=30)
    summarize(results)


if __name__ == "__main__":
    main()
