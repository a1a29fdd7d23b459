"""The compare view of two experiments with 5,000 cases each, in Chromium (issue 5: under 2 s).

    .venv/bin/python bench/ui_compare.py [--cases 5000] [--runs 5]

A fresh ``assay serve`` (SQLite) gets two experiments through the experiments API (cases in
batches of 500): a baseline and a candidate that changed about a third of the answers, with three
scorers, latency, tokens and cost per case. Then, ``--runs`` times each: (1) the compare API call
alone, cold (first call after a server start) and warm (asked again; the server remembers the
bootstrap); (2) the compare page in Debian's Chromium (built UI, the e2e flags), from navigation
until the first frame that shows the summary table and the first case rows (timed inside the
page), cold and warm, with the time of its compare request. Prints ``RESULT name value unit``
lines (medians). Needs the built UI.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

sys.path[:0] = [
    str(Path(__file__).resolve().parents[1] / "src"),
    str(Path(__file__).resolve().parents[1]),
]

from tests.e2e.conftest import ARGS, CHROMIUM, STATIC  # noqa: E402
from tests.integration.conftest import ServerProcess  # noqa: E402

PROJECT = "bench-compare"
WORDS = [
    "order", "refund", "shipping", "invoice", "account", "password", "delivery", "warranty",
    "parcel", "customer", "address", "payment", "card", "store", "return", "label", "tracking",
]  # fmt: skip
BATCH = 500


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _cases(n: int, *, candidate: bool) -> list[dict[str, Any]]:
    """The cases of one run; the candidate rewrites about a third of the baseline's answers."""
    rng = random.Random(11)  # the same inputs and baseline answers in both runs
    changes = random.Random(12)
    out = []
    for i in range(n):
        question = _sentence(rng, rng.randint(8, 40))
        expected = _sentence(rng, rng.randint(3, 12))
        answer = expected if rng.random() < 0.7 else _sentence(rng, rng.randint(3, 20))
        if candidate and changes.random() < 0.33:
            words = answer.split()
            for _ in range(max(1, len(words) // 4)):
                words[changes.randrange(len(words))] = changes.choice(WORDS)
            answer = " ".join(words)
        exact = 1.0 if answer == expected else 0.0
        out.append(
            {
                "case_id": f"case-{i:05d}",
                "trace_id": f"{rng.getrandbits(128):032x}",
                "span_id": f"{i + 1:016x}",
                "input": {"question": question, "customer": f"c-{i % 97}"},
                "expected": expected,
                "output": answer,
                "scores": {
                    "exact_match": exact,
                    "similarity": round(rng.random() * 0.5 + 0.5 * exact, 3),
                    "helpfulness": round(changes.random() if candidate else rng.random(), 3),
                },
                "duration_ms": round(rng.uniform(300, 4000), 1),
                "prompt_tokens": rng.randint(200, 900),
                "completion_tokens": rng.randint(10, 200),
                "total_tokens": rng.randint(210, 1100),
                "cost": round(rng.uniform(0.0001, 0.004), 6),
            }
        )
    return out


def load(api: httpx.Client, cases: int) -> None:
    base = f"/api/v1/projects/{PROJECT}/experiments"
    for name, candidate, minute in (("baseline", False, 0), ("candidate", True, 1)):
        body = {
            "name": name,
            "dataset": {"name": "golden", "version": 1},
            "started_at": f"2026-01-01T10:0{minute}:00Z",
            "metadata": {"prompt": "v2" if candidate else "v1"},
        }
        api.post(base, json=body).raise_for_status()
        items = _cases(cases, candidate=candidate)
        for start in range(0, len(items), BATCH):
            r = api.post(f"{base}/{name}/cases", json={"cases": items[start : start + BATCH]})
            r.raise_for_status()
            assert r.json()["accepted"] == len(items[start : start + BATCH]), r.text
        api.post(f"{base}/{name}/finish", json={"status": "finished"}).raise_for_status()


def time_api(api: httpx.Client) -> float:
    """One compare call (with its case diffs), in seconds."""
    path = f"/api/v1/projects/{PROJECT}/experiments/candidate/compare"
    t0 = time.perf_counter()
    r = api.get(path, params={"baseline": "baseline"})
    r.raise_for_status()
    return time.perf_counter() - t0


#: The compare request as the page saw it: from sending it to the last byte.
REQUEST_TIME = """() => performance.getEntriesByType("resource")
    .filter((e) => e.name.includes("/compare"))
    .map((e) => (e.responseEnd - e.startTime) / 1000)"""
#: Notes the time since navigation at the first frame that shows the summary and a case row
#: (exact, unlike polling from outside the page).
WATCH = """
new MutationObserver((_, observer) => {
  if (document.querySelector('[data-testid="compare-summary"]')
      && document.querySelector('[data-testid="case-row"]')) {
    observer.disconnect();
    requestAnimationFrame(() => { window.__shownAt = performance.now() / 1000; });
  }
}).observe(document, { childList: true, subtree: true });
"""


@dataclass
class PageRun:
    total: float
    request: float
    rows: int


def time_page(browser: Any, url: str) -> PageRun:
    """Navigation → summary and first case rows visible; and the compare request within it."""
    from playwright.sync_api import expect

    target = f"{url}/projects/{PROJECT}/experiments/compare?experiments=baseline,candidate"
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    page.goto(target)
    expect(page.get_by_test_id("compare-summary")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("case-row").first).to_be_visible(timeout=30_000)
    total = page.wait_for_function("() => window.__shownAt").json_value()
    run = PageRun(total, max(page.evaluate(REQUEST_TIME)), page.get_by_test_id("case-row").count())
    context.close()
    return run


def _report(name: str, values: list[float], what: str) -> None:
    print(f"# {name}: {', '.join(f'{v:.3f}' for v in values)}")
    print(f"RESULT {name} {statistics.median(values):.3f} s (median of {len(values)}; {what})")


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not STATIC.exists():
        sys.exit("the web UI is not built: run `make web` first")
    cold_api, warm_api, cold_page, warm_page = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        server = ServerProcess(database_url=f"sqlite:///{tmp}/assay.db", workdir=Path(tmp))
        server.start()
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            with server.client() as api:
                t0 = time.perf_counter()
                load(api, args.cases)
                print(f"# loaded 2 x {args.cases} cases in {time.perf_counter() - t0:.1f} s")
            for _ in range(args.runs):
                server.stop()  # a fresh process: nothing remembered
                server.start()
                with server.client() as api:
                    cold_api.append(time_api(api))
                    warm_api.append(time_api(api))
            for _ in range(args.runs):
                server.stop()
                server.start()
                cold_page.append(time_page(browser, server.url))
                warm_page.append(time_page(browser, server.url))
        finally:
            browser.close()
            server.stop()
    print(f"# case rows in the page after load: {cold_page[-1].rows} (virtualized)")
    _report("compare_api_cold_s", cold_api, "first call after a server start")
    _report("compare_api_warm_s", warm_api, "asked again: the bootstrap is remembered")
    _report("compare_page_cold_s", [r.total for r in cold_page], "navigation to rows visible")
    _report("compare_page_cold_request_s", [r.request for r in cold_page], "its compare call")
    _report("compare_page_warm_s", [r.total for r in warm_page], "opened again")
    _report("compare_page_warm_request_s", [r.request for r in warm_page], "its compare call")


if __name__ == "__main__":
    main()
