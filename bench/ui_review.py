"""Review speed: how long a reviewer waits between submitting one item and seeing the next.

Issue 6 asks that "a reviewer moves from one item to the next in under 300 ms (next item
prefetched)". This script starts ``assay serve`` on a fresh SQLite file, sends 60 conversations
through the SDK, makes a categorical score config and a queue of all of them, opens the review
page in Debian's Chromium (Playwright), and then, item after item, presses ``1`` (first label)
and ``Enter`` and times the wait until the next item is on the page (its ``data-trace-id``
changes). The server side of ``next`` and ``submit`` is measured by ``bench/review_queue.py``.

  .venv/bin/python bench/ui_review.py [--items 60] [--moves 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.e2e.conftest import ARGS, CHROMIUM  # noqa: E402
from tests.integration.conftest import ServerProcess  # noqa: E402

PROJECT = "review-bench"
CONFIG = {
    "name": "correctness",
    "kind": "categorical",
    "description": "Is the answer right?",
    "categories": [
        {"label": "correct", "value": 1, "description": "Right and complete."},
        {"label": "wrong", "value": 0, "description": "Wrong or made up."},
    ],
}


def seed(server: ServerProcess, items: int) -> None:
    import assay

    client = assay.init(project=PROJECT, api_url=server.url, flush_interval=0.05)
    for i in range(items):
        messages = [{"role": "user", "content": f"Question {i}: where is order {1000 + i}?"}]
        with assay.span("answer", kind="agent", input=messages) as span:
            span.log(output=f"Order {1000 + i} ships on day {i % 7}.")
    client.shutdown(timeout=30)
    with server.client() as api:
        base = f"/api/v1/projects/{PROJECT}"
        assert api.post(f"{base}/score-configs", json=CONFIG).status_code == 201
        body = {"name": "check", "score_configs": ["correctness"]}
        assert api.post(f"{base}/queues", json=body).status_code == 201
        added = api.post(f"{base}/queues/check/items", json={"filter": {}}).json()
        assert added["added"] == items, added


def moves(server: ServerProcess, count: int) -> list[float]:
    from playwright.sync_api import expect, sync_playwright

    waits: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(base_url=server.url, viewport={"width": 1440, "height": 900})
        page.goto(f"/projects/{PROJECT}/queues/check/review")
        page.get_by_label("Your name").fill("bench")
        page.keyboard.press("Enter")
        item = page.get_by_test_id("review-item")
        expect(item).to_be_visible()
        for _ in range(count):
            before = item.get_attribute("data-trace-id")
            page.keyboard.press("1")
            started = time.perf_counter()
            page.keyboard.press("Enter")
            page.wait_for_function(
                "old => { const el = document.querySelector('[data-testid=review-item]');"
                " return el && el.getAttribute('data-trace-id') !== old; }",
                arg=before,
            )
            waits.append(time.perf_counter() - started)
        browser.close()
    return waits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--moves", type=int, default=40)
    args = parser.parse_args()
    os.environ.pop("ASSAY_API_URL", None)
    with tempfile.TemporaryDirectory(prefix="assay-bench-review-") as folder:
        server = ServerProcess(database_url=f"sqlite:///{folder}/assay.db", workdir=Path(folder))
        server.start()
        try:
            seed(server, args.items)
            waits = moves(server, min(args.moves, args.items - 1))
        finally:
            server.stop()
    ms = sorted(w * 1000 for w in waits)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    print(
        f"RESULT next_item_ms median {statistics.median(ms):.0f} p95 {p95:.0f} "
        f"max {ms[-1]:.0f} over {len(ms)} moves (target < 300)"
    )


if __name__ == "__main__":
    main()
