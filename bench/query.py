"""Store benchmark: load a realistic week of traces through ``add_spans``, then time the reads.

    python bench/query.py --backend sqlite --spans 1000000
    python bench/query.py --backend postgresql --spans 200000

Phases: (1) ``add_spans`` on batches of 500 LLM-shaped spans (1 KB input and output, 10
metadata keys) into a fresh store; (2) bulk load of ``--spans`` spans (~5 per trace: an agent
root, LLM calls, tools, retrieval) spread over seven days with a mix of names, tags, metadata,
models and errors; (3) one 10,000-span trace fetched with ``get_trace``, then SQLite's
text-search index filled (the server does that in the background); (4) p50/p95 of
``list_traces`` for each common filter. PostgreSQL runs in a throwaway cluster
(tests/support/postgres.py).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path[:0] = [
    str(Path(__file__).resolve().parents[1] / "src"),
    str(Path(__file__).resolve().parents[1]),
]

from assay.store import NewSpan, Store, TraceQuery, open_store  # noqa: E402

DAY = 86_400 * 1_000_000
WEEK = 7 * DAY
T0 = 1_760_000_000_000_000
NAMES = [f"workflow_{i}" for i in range(30)]
NAME_WEIGHTS = [1 / (i + 1) for i in range(30)]
MODELS = ["gpt-4o-mini", "gpt-4o", "claude-sonnet-4", "claude-haiku", "llama-3-70b"]
MODEL_WEIGHTS = [50, 20, 15, 10, 5]
TOOLS = ["search_orders", "lookup_customer", "send_email", "refund", "web_search"]
RARE_WORD = "chargeback"
WORDS = ["order", "refund", "shipping", "invoice", "account", "password", "delivery", "warranty"]


class Maker:
    """Makes spans; bodies come from a pool so that the generator is not the bottleneck."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        r = self.rng
        self.texts_1k = [" ".join(r.choice(WORDS) for _ in range(150))[:1024] for _ in range(300)]
        self.texts_small = [" ".join(r.choice(WORDS) for _ in range(20)) for _ in range(300)]
        # one small text in 300 mentions a rare word (added without drawing from the generator,
        # so the rest of the data is the same as without it)
        self.texts_small[0] += " " + RARE_WORD
        self.n = 0

    def ids(self) -> tuple[str, str]:
        self.n += 1
        return f"{self.rng.getrandbits(128):032x}", f"{self.n:016x}"

    def metadata(self) -> dict[str, Any]:
        r = self.rng
        return {
            "env": r.choices(["prod", "staging", "dev"], [80, 15, 5])[0],
            "customer_tier": r.choices(["free", "pro", "enterprise"], [70, 20, 10])[0],
            "region": r.choice(["us", "eu", "apac"]),
            "app_version": f"1.{r.randrange(20)}",
            "request_id": f"req-{r.getrandbits(48):012x}",
            "temperature": r.choice([0, 0.2, 0.7]),
            "max_tokens": r.choice([256, 512, 1024]),
            "stream": r.random() < 0.3,
            "feature": r.choice(["chat", "search", "support", "summarise"]),
            "prompt_version": r.randrange(1, 9),
        }

    def llm_span(self, trace_id: str, parent: str | None, start: int) -> NewSpan:
        r = self.rng
        _, span_id = self.ids()
        prompt, completion = r.randrange(200, 3000), r.randrange(20, 800)
        return NewSpan(
            trace_id=trace_id, span_id=span_id, parent_id=parent, name="chat.completions",
            kind="llm", start_time=start, end_time=start + int(r.lognormvariate(13.5, 0.8)),
            status="ok", input=r.choice(self.texts_1k), output=r.choice(self.texts_1k),
            metadata=self.metadata(), model=r.choices(MODELS, MODEL_WEIGHTS)[0],
            metrics={"prompt_tokens": prompt, "completion_tokens": completion,
                     "cost": (prompt * 0.15 + completion * 0.6) / 1e6},
        )  # fmt: skip

    def trace(self, start: int, size: int | None = None) -> list[NewSpan]:
        """One agent trace: root, then LLM calls, tools and retrieval (about 5 spans)."""
        r = self.rng
        trace_id, root_id = self.ids()
        n = size if size is not None else r.choice([2, 3, 4, 5, 5, 6, 7, 8])
        children: list[NewSpan] = []
        t = start + 1000
        for i in range(n - 1):
            roll = r.random()
            if roll < 0.55:
                span = self.llm_span(trace_id, root_id, t)
            else:
                _, span_id = self.ids()
                failed = r.random() < 0.04
                tool = roll < 0.9
                error = {"type": "TimeoutError", "message": "upstream timed out"}
                span = NewSpan(
                    trace_id=trace_id, span_id=span_id, parent_id=root_id,
                    name=r.choice(TOOLS) if tool else "retrieve",
                    kind="tool" if tool else "retrieval",
                    start_time=t, end_time=t + int(r.lognormvariate(11, 1.2)),
                    status="error" if failed else "ok", error=error if failed else None,
                    input={"query": r.choice(self.texts_small), "i": i},
                    output=r.choice(self.texts_small),
                )  # fmt: skip
            children.append(span)
            t = span.end_time or t
        tags = (
            ["prod"]
            + (["beta"] if r.random() < 0.05 else [])
            + (["vip"] if r.random() < 0.02 else [])
        )
        root = NewSpan(
            trace_id=trace_id, span_id=root_id, parent_id=None,
            name=r.choices(NAMES, NAME_WEIGHTS)[0],
            kind="agent", start_time=start, end_time=t + 500, status="ok",
            input=r.choice(self.texts_small), output=r.choice(self.texts_small), tags=tags,
            session_id=f"s-{r.randrange(20000)}", user_id=f"u-{r.randrange(5000)}",
        )  # fmt: skip
        return [root, *children]


def batches(maker: Maker, total: int, per_batch: int) -> Iterator[list[NewSpan]]:
    """Traces over a week in start order, grouped into batches of about ``per_batch`` spans."""
    made = 0
    batch: list[NewSpan] = []
    avg_gap = WEEK / max(total / 5.4, 1)
    t = T0
    while made < total:
        t += int(maker.rng.expovariate(1 / avg_gap))
        spans = maker.trace(t)[: total - made]
        batch.extend(spans)
        made += len(spans)
        if len(batch) >= per_batch:
            yield batch
            batch = []
    if batch:
        yield batch


def timed(fn: Callable[[], Any], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def ingest_phase(store: Store, pid: str, batches_n: int) -> float:
    maker = Maker(seed=1)
    data = []
    for _ in range(batches_n):
        spans = []
        for _ in range(100):
            trace_id, root = maker.ids()
            spans.extend(
                maker.llm_span(trace_id, None if j == 0 else root, T0 + j) for j in range(5)
            )
        data.append(spans)
    t = time.perf_counter()
    for spans in data:
        store.add_spans(pid, spans)
    return batches_n * 500 / (time.perf_counter() - t)


def load_phase(store: Store, pid: str, total: int) -> tuple[float, int]:
    maker = Maker(seed=2)
    t = time.perf_counter()
    loaded = 0
    for batch in batches(maker, total, 2000):
        store.add_spans(pid, batch)
        loaded += len(batch)
        if loaded % 100_000 < len(batch):
            rate = loaded / (time.perf_counter() - t)
            print(f"  loaded {loaded:>9,} spans  {rate:,.0f} spans/s", flush=True)
    return loaded / (time.perf_counter() - t), loaded


def index_phase(store: Store) -> tuple[int, float]:
    """Fill SQLite's text-search index to the end, as the server does while ingest is quiet
    (PostgreSQL keeps its trigram index during ingest: nothing to do)."""
    t = time.perf_counter()
    indexed = 0
    while done := store.index_search_text(limit=2000):
        indexed += done
    return indexed, time.perf_counter() - t


def big_trace_phase(store: Store, pid: str) -> tuple[float, float]:
    maker = Maker(seed=3)
    spans = maker.trace(T0 + WEEK // 2, size=10_000)
    for i in range(0, len(spans), 1000):
        store.add_spans(pid, spans[i : i + 1000])
    trace_id = spans[0].trace_id
    trace = store.get_trace(pid, trace_id)
    assert trace is not None and trace.span_count == 10_000
    full = statistics.median(timed(lambda: store.get_trace(pid, trace_id), 5))
    light = statistics.median(timed(lambda: store.get_trace(pid, trace_id, bodies=False), 5))
    return full, light


def query_cases() -> dict[str, Callable[[random.Random], TraceQuery]]:
    def window(r: random.Random) -> TraceQuery:
        start = T0 + r.randrange(0, WEEK - DAY)
        return TraceQuery(start_from=start, start_to=start + DAY)

    return {
        "default first page": lambda r: TraceQuery(),
        "time range (1 day)": window,
        "name": lambda r: TraceQuery(name=r.choice(NAMES[:10])),
        "name (rare)": lambda r: TraceQuery(name=r.choice(NAMES[25:])),
        "status=error": lambda r: TraceQuery(status="error"),
        "tag": lambda r: TraceQuery(tags=[r.choice(["beta", "vip"])]),
        "metadata key=value": lambda r: TraceQuery(
            metadata={"customer_tier": r.choice(["enterprise", "pro"])}
        ),
        "model": lambda r: TraceQuery(model=r.choice(MODELS)),
        "kind": lambda r: TraceQuery(kind="retrieval"),
        "latency range": lambda r: TraceQuery(min_duration_ms=r.choice([2000, 5000])),
        "cost range": lambda r: TraceQuery(min_cost=0.001, max_cost=0.002),
        "text search": lambda r: TraceQuery(text=r.choice(["refund", "warranty order"])),
        "text search, no match": lambda r: TraceQuery(text="no such words"),
        "text search, rare word": lambda r: TraceQuery(text=RARE_WORD),
        "sort -duration": lambda r: TraceQuery(sort="-duration"),
        "sort -cost": lambda r: TraceQuery(sort="-cost"),
        "session": lambda r: TraceQuery(session_id=f"s-{r.randrange(20000)}"),
        "day + model + tag": lambda r: TraceQuery(
            start_from=T0 + 3 * DAY, start_to=T0 + 4 * DAY, model="gpt-4o", tags=["beta"]
        ),
        "page 5 (cursor)": lambda r: TraceQuery(),
    }


def query_phase(store: Store, pid: str, runs: int) -> list[tuple[str, float, float, int]]:
    rng = random.Random(11)
    out = []
    for label, make in query_cases().items():
        times = []
        rows = 0
        for _ in range(runs):
            q = make(rng)
            if label.startswith("page 5"):
                for _ in range(4):
                    q.cursor = store.list_traces(pid, q).next_cursor
            t = time.perf_counter()
            rows = len(store.list_traces(pid, q).items)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        out.append((label, statistics.median(times), p95, rows))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40, help="timed runs per query kind")
    parser.add_argument("--ingest-batches", type=int, default=100)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="assay-bench-"))
    cluster = None
    if args.backend == "sqlite":
        url = f"sqlite:///{folder / 'bench.db'}"
    else:
        from tests.support.postgres import start_cluster

        cluster = start_cluster()
        url = cluster.create_database()
    store = open_store(url)
    try:
        store.migrate()
        rate = ingest_phase(store, store.ensure_project("ingest"), args.ingest_batches)
        print(f"add_spans, batches of 500 LLM spans (1 KB in/out, 10 metadata keys): {rate:,.0f}/s")
        if args.spans <= 0:
            return
        pid = store.ensure_project("bench")
        load_rate, loaded = load_phase(store, pid, args.spans)
        print(f"bulk load: {loaded:,} spans at {load_rate:,.0f} spans/s")
        if args.backend == "postgresql":
            # what autovacuum does within a minute of a bulk load; without statistics the
            # planner guesses, and a benchmark run right after loading would measure guesses
            with store.engine.connect() as conn:  # type: ignore[attr-defined]
                conn.exec_driver_sql("ANALYZE")
                conn.commit()  # statistics are transactional: a rollback would discard them
        full, light = big_trace_phase(store, pid)
        print(f"get_trace, 10,000 spans: {full:.0f} ms with bodies, {light:.0f} ms without")
        indexed, seconds = index_phase(store)
        if indexed:
            print(f"search index: {indexed:,} spans in {seconds:.1f} s (SQLite, after the fact)")
        print(f"\nlist_traces over {loaded:,} spans ({args.backend}, {args.runs} runs each)")
        print(f"{'filter':<22} {'p50 ms':>8} {'p95 ms':>8} {'rows':>5}")
        for label, p50, p95, rows in query_phase(store, pid, args.runs):
            print(f"{label:<22} {p50:>8.1f} {p95:>8.1f} {rows:>5}")
    finally:
        store.close()
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
