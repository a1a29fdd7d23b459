"""Eval runner overhead: assay's Eval next to a bare asyncio loop and Braintrust's Eval.

Workload (../shared/bench/eval_overhead.py): N cases, the task makes one chat completion and the
scorer (an LLM judge) one more, against the shared fake LLM server answering after 50 ms.
assay's target starts a real ``assay serve`` (fresh SQLite) before the timed region, and its
timed region ends only when the experiment is finished on the server, i.e. after every span
and case was delivered. Each RESULT line also carries the child's peak RSS.

  python bench/eval_overhead.py                                   # asyncio, braintrust, assay @50
  python bench/eval_overhead.py --examples 10000 --target bench.eval_overhead:make_eval_target
  (any other flag is passed to the shared harness)

Run it with an interpreter that has braintrust installed (e.g. /work/peers-venv after
``pip install -e /work/main``); PYTHONPATH must hold this repository's root.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.environ.get("ASSAY_BENCH_SHARED", os.path.join(ROOT, "..", "shared", "bench"))
TARGET = "bench.eval_overhead:make_eval_target"


def _shared() -> Any:
    path = os.path.join(SHARED, "eval_overhead.py")
    spec = importlib.util.spec_from_file_location("shared_eval_overhead", path)
    assert spec is not None and spec.loader is not None, f"no harness at {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server() -> str:
    """Start ``assay serve`` on a free port with a throwaway data dir; stop it at exit."""
    data = tempfile.mkdtemp(prefix="assay-bench-eval-")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSAY_")}
    env.update(ASSAY_DATA_DIR=data, ASSAY_LOG_LEVEL="warning")
    python = os.environ.get("ASSAY_BENCH_SERVER_PYTHON") or os.path.join(
        ROOT, ".venv", "bin", "python"
    )
    if not os.path.exists(python):
        python = sys.executable
    env["PYTHONPATH"] = os.path.join(ROOT, "src")
    cmd = [python, "-m", "assay.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop() -> None:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)

    atexit.register(stop)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/api/v1/health", timeout=1):
                return url
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("assay serve did not become healthy in 30 s")


def _get(url: str) -> Any:
    import json

    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def _delivered(api_url: str, experiment: str) -> dict[str, Any]:
    """What the server holds: cases, judge scores and spans of the experiment.

    Spans are summed over the experiment's traces (the project's own span count covers its
    production log only).
    """
    base = f"{api_url}/api/v1/projects/bench-eval"
    exp = _get(f"{base}/experiments/{experiment}")
    spans, cursor = 0, ""
    while True:
        query = urllib.parse.urlencode(
            {"experiment_id": exp["id"], "limit": 1000, "cursor": cursor}
        )
        page = _get(f"{base}/traces?{query}")
        spans += sum(t["span_count"] for t in page["items"])
        cursor = page.get("next_cursor") or ""
        if not cursor:
            break
    judge = exp["summary"].get("judge", {})
    return {"server_cases": exp["case_count"], "server_scores": judge.get("count"),
            "server_spans": spans}  # fmt: skip


def make_eval_target() -> Callable[[int, int | None, str], dict[str, Any]]:
    """The harness's factory: imports and server start happen here, outside the timed region."""
    from openai import AsyncOpenAI

    from assay import Eval

    judge_prompt = _shared().JUDGE
    examples = _shared().examples
    api_url = _start_server()

    def run(n: int, concurrency: int | None, base_url: str) -> dict[str, Any]:
        client = AsyncOpenAI(base_url=base_url, api_key="sk-fake", max_retries=0)

        async def task(input: str) -> str:
            r = await client.chat.completions.create(
                model="fake", messages=[{"role": "user", "content": input}]
            )
            return r.choices[0].message.content or ""

        async def judge(input: str, output: str) -> float:
            r = await client.chat.completions.create(
                model="fake",
                messages=[{"role": "user", "content": judge_prompt.format(q=input, a=output)}],
            )
            return 1.0 if "Score: 1" in (r.choices[0].message.content or "") else 0.0

        result = Eval(
            "bench-eval",
            data=examples(n),
            task=task,
            scores=[judge],
            max_concurrency=concurrency or 50,
            api_url=api_url,
            quiet=True,
        )
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        delivered = _delivered(api_url, result.experiment_name)
        return {
            "scored": result.summary["judge"].count if "judge" in result.summary else 0,
            "errors": result.error_count,
            "to_server": result.url is not None,
            **delivered,
            "wall_eval_s": round(result.duration_s, 3),
            "peak_rss_mb": round(rss_mb, 1),
        }

    return run


def main() -> None:
    """Run the shared harness with the bare asyncio floor, Braintrust and assay."""
    args = sys.argv[1:]
    if "--target" not in args:
        args += ["--target", f"asyncio,braintrust,{TARGET}"]
    if "--concurrency" not in args:
        args += ["--concurrency", "50"]
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (ROOT, os.environ.get("PYTHONPATH", "")) if p
    )
    harness = os.path.join(SHARED, "eval_overhead.py")
    raise SystemExit(subprocess.call([sys.executable, harness, *args]))


if __name__ == "__main__":
    main()
