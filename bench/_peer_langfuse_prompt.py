"""The Langfuse half of bench/prompt_cache.py: warm ``get_prompt`` and ``compile``, as JSON.

Runs under a separate interpreter that has the ``langfuse`` package (never assay's venv):

    /tmp/peer-langfuse/bin/python bench/_peer_langfuse_prompt.py --base-url URL [--calls N]

``URL`` is the fake Langfuse API that bench/prompt_cache.py serves on loopback; its
``/_bench/requests`` path (not counted) reports how many requests it has answered, read before
and after the timed loops to show that warm calls never leave the process. Tracing and media
upload are off, so the one prompt fetch is the only traffic. Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import statistics
import sys
import time
import urllib.request
from collections.abc import Callable
from typing import Any

PROMPT = "answer"
LABEL = "production"
VARIABLES: dict[str, Any] = {
    "company": "ACME",
    "vip": True,
    "language": "English",
    "question": "Hi?",
}


def per_call_us(fn: Callable[[], object], calls: int, runs: int) -> float:
    """Median over ``runs`` of the mean µs per call of ``calls`` calls (as in prompt_cache.py)."""
    results = []
    for _ in range(runs):
        started = time.perf_counter()
        for _ in range(calls):
            fn()
        results.append((time.perf_counter() - started) / calls * 1e6)
    return statistics.median(results)


def served(base_url: str) -> dict[str, int]:
    """The fake server's request counts (this request is not among them)."""
    with urllib.request.urlopen(base_url + "/_bench/requests", timeout=10) as resp:
        counts: dict[str, int] = json.loads(resp.read())
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ["LANGFUSE_MEDIA_UPLOAD_ENABLED"] = "false"

    started = time.perf_counter()
    from langfuse import Langfuse

    import_ms = (time.perf_counter() - started) * 1000
    client = Langfuse(
        public_key="pk-lf-bench",
        secret_key="sk-lf-bench",
        base_url=args.base_url,
        tracing_enabled=False,
    )
    started = time.perf_counter()
    prompt = client.get_prompt(PROMPT, label=LABEL, type="chat")
    first_ms = (time.perf_counter() - started) * 1000
    before = served(args.base_url)

    def warm() -> object:
        return client.get_prompt(PROMPT, label=LABEL, type="chat")

    def warm_ttl() -> object:
        return client.get_prompt(PROMPT, label=LABEL, type="chat", cache_ttl_seconds=300)

    def compile_() -> object:
        return prompt.compile(**VARIABLES)

    result = {
        "langfuse": importlib.metadata.version("langfuse"),
        "python": sys.version.split()[0],
        "import_ms": import_ms,
        "first_ms": first_ms,
        "get_us": per_call_us(warm, args.calls, args.runs),
        "get_ttl_us": per_call_us(warm_ttl, args.calls, args.runs),
        "compile_us": per_call_us(compile_, args.calls // 4, args.runs),
        "compiled": prompt.compile(**VARIABLES),
        "requests_before_loops": before,
        "requests_after_loops": served(args.base_url),
    }
    client.shutdown()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
