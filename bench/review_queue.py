"""Review queue benchmark: a queue of 100,000 items from a filter, then next + submit cycles.

    python bench/review_queue.py [--traces 120000] [--cycles 200]

Phases: (1) load ``--traces`` two-span traces spread over a week into a fresh SQLite store
(the generator of bench/query.py); (2) create a queue and fill it from a filter in one
``POST .../queues/{queue}/items`` (an ``INSERT … SELECT``): every trace of the last part of the
week, sized to about 100,000 items, then a random sample of 100,000 into a second queue;
(3) ``--cycles`` reviewer cycles through the app (``httpx.ASGITransport`` in-process, no
network): ``next`` with a prefetch of 2, then ``submit`` a review, timing each call.
Prints RESULT lines.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]

from assay.schema import ScoreConfigIn  # noqa: E402
from assay.server import create_app  # noqa: E402
from assay.store import Store, open_store  # noqa: E402

WEEK_S = 7 * 86_400
QUEUES = "/api/v1/projects/bench/queues"


def load(store: Store, pid: str, traces: int) -> float:
    from query import T0, WEEK, Maker  # bench/query.py: the store benchmark's generator

    maker = Maker(seed=5)
    started = time.perf_counter()
    gap = WEEK // traces
    batch = []
    for n in range(traces):
        batch.extend(maker.trace(T0 + n * gap, size=2))
        if len(batch) >= 2000:
            store.add_spans(pid, batch)
            batch = []
    if batch:
        store.add_spans(pid, batch)
    return time.perf_counter() - started


def fill(client: TestClient, name: str, body: dict[str, object]) -> tuple[float, dict[str, int]]:
    made = client.post(QUEUES, json={"name": name, "score_configs": ["tone"]})
    assert made.status_code == 201, made.text
    started = time.perf_counter()
    answer = client.post(f"{QUEUES}/{name}/items", json=body)
    elapsed = time.perf_counter() - started
    assert answer.status_code == 200, answer.text
    return elapsed, answer.json()


def cycles(client: TestClient, name: str, count: int) -> tuple[list[float], list[float]]:
    nexts, submits = [], []
    after = None
    for n in range(count):
        started = time.perf_counter()
        got = client.post(
            f"{QUEUES}/{name}/next", json={"reviewer": "ann", "count": 2, "after": after}
        ).json()
        nexts.append((time.perf_counter() - started) * 1000)
        item = got["items"][0]
        started = time.perf_counter()
        sent = client.post(
            f"{QUEUES}/{name}/items/{item['id']}/reviews",
            json={"reviewer": "ann", "scores": {"tone": "polite" if n % 3 else "rude"}},
        )
        submits.append((time.perf_counter() - started) * 1000)
        assert sent.status_code == 201, sent.text
        after = item["id"]
    return nexts, submits


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--traces", type=int, default=120_000)
    parser.add_argument("--cycles", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        store.migrate()
        pid = store.ensure_project("bench")
        seconds = load(store, pid, args.traces)
        print(f"RESULT load {args.traces:,} traces: {seconds:.1f} s")
        store.create_score_config(pid, ScoreConfigIn.model_validate({
            "name": "tone", "kind": "categorical",
            "categories": [{"label": "polite", "value": 1}, {"label": "rude", "value": 0}],
        }))  # fmt: skip
        with TestClient(create_app(store)) as client:
            from query import T0  # the generator's first start time (µs)

            share = min(1.0, 100_000 / args.traces)
            since = (T0 / 1e6) + WEEK_S * (1 - share)
            window = {"filter": {"tag": ["prod"], "start_from": since}}
            elapsed, counts = fill(client, "week", window)
            size = counts["added"]
            print(f"RESULT queue from filter: {counts['added']:,} items in {elapsed:.2f} s")
            sampled = {"filter": {"tag": ["prod"]}, "sample": 100_000}
            elapsed, counts = fill(client, "sample", sampled)
            print(f"RESULT queue from sample: {counts['added']:,} items in {elapsed:.2f} s")
            nexts, submits = cycles(client, "week", args.cycles)
            for label, values in (("next (count=2)", nexts), ("submit", submits)):
                print(
                    f"RESULT {label}: p50 {statistics.median(values):.1f} ms  "
                    f"p95 {_pct(values, 0.95):.1f} ms  max {max(values):.1f} ms "
                    f"({len(values)} calls, queue of {size:,} items)"
                )
        store.close()


if __name__ == "__main__":
    main()
