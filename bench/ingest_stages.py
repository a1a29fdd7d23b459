"""Where one OTLP ingest request's time goes, stage by stage, in one process without HTTP.

The workload is ``bench/ingest.py``'s: the shared harness's OTLP protobuf bodies of 500
LLM-shaped spans (traces of 1 root + 4 LLM children, 1 KB input and output each), stored in a
fresh SQLite file. Each stage runs over every body before the next stage starts, so each figure
is that stage alone, single-threaded:

    decode   protobuf bytes -> ExportTraceServiceRequest (upb)
    convert  request -> spans (OpenInference / GenAI mapping and the checks on bad input)
    prepare  spans -> row tuples and trace rollups, outside the write lock
    write    what runs under the write lock: the INSERTs and the commit

The first three are Python and hold the GIL throughout; ``write`` runs mostly inside SQLite,
which lets go of the GIL. In one server process the Python stages of all requests therefore take
turns on one core whatever the number of clients, so their sum bounds the ingest rate:

    python bench/ingest_stages.py --requests 100
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench"
SPANS_PER_REQUEST = 500


def _bodies(requests: int) -> list[bytes]:
    spec = importlib.util.spec_from_file_location("shared_ingest", SHARED / "ingest.py")
    assert spec and spec.loader, f"the shared harness is missing at {SHARED}"
    harness = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(harness)
    bodies: list[bytes] = harness.build_bodies(0, requests, SPANS_PER_REQUEST, 1000)
    return bodies


def _stage(items: Sequence[Any], fn: Callable[[Any], Any]) -> tuple[list[Any], list[float]]:
    out, times = [], []
    for item in items:
        start = time.perf_counter()
        out.append(fn(item))
        times.append((time.perf_counter() - start) * 1000)
    return out, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100, help="requests of 500 spans")
    args = parser.parse_args()
    bodies = _bodies(args.requests)
    data_dir = tempfile.mkdtemp(prefix="assay-stages-")
    os.environ["ASSAY_DATA_DIR"] = data_dir
    os.environ.pop("ASSAY_DATABASE_URL", None)  # the figure is SQLite's
    # imported after ASSAY_DATA_DIR is set: the store's file goes there
    from assay.cli._server import tune_for_ingest
    from assay.server import otlp
    from assay.server.pressure import INGEST
    from assay.store import open_store
    from assay.store.sql import engine as engines
    from assay.store.sql import write
    from assay.store.sql.store import SqlStore

    store = open_store()
    assert isinstance(store, SqlStore)
    store.migrate()
    project_id = store.ensure_project("default")
    tune_for_ingest()

    def convert(request: Any) -> Any:
        return otlp.convert_protobuf(request, None).by_project["default"]

    def prepare(spans: Any) -> write.Prepared:
        return write.prepare(project_id, spans, inline_limit=store.inline_limit)

    def commit(prepared: write.Prepared) -> None:
        with engines.writing(store.engine) as conn:
            write.add_spans(conn, store.dialect, prepared)

    with INGEST:  # as in the server: checkpoints wait while spans arrive
        requests, decode_ms = _stage(bodies, otlp.decode_protobuf)
        spans, convert_ms = _stage(requests, convert)
        prepared, prepare_ms = _stage(spans, prepare)
        _, write_ms = _stage(prepared, commit)
    stored = sum(p.span_count for p in store.list_projects())
    store.close()
    shutil.rmtree(data_dir, ignore_errors=True)
    assert stored == args.requests * SPANS_PER_REQUEST, f"stored {stored} spans"

    rows = [("decode", decode_ms), ("convert", convert_ms), ("prepare", prepare_ms)]
    python = sum(statistics.mean(ms) for _, ms in rows)
    print(f"{args.requests} requests of {SPANS_PER_REQUEST} spans, SQLite, one thread")
    print(f"{'stage':10s} {'mean ms':>8s} {'p50 ms':>8s} {'µs/span':>8s}")
    for name, ms in [*rows, ("write", write_ms)]:
        mean = statistics.mean(ms)
        per_span = 1000 * mean / SPANS_PER_REQUEST
        print(f"{name:10s} {mean:8.2f} {statistics.median(ms):8.2f} {per_span:8.1f}")
    write_mean = statistics.mean(write_ms)
    rate = SPANS_PER_REQUEST * 1000
    print(f"decode + convert + prepare: {python:.2f} ms a request")
    print(f"  bound from those alone (they hold the GIL): {rate / python:,.0f} spans/s")
    print(f"  bound from the write stage alone (one writer): {rate / write_mean:,.0f} spans/s")
    print(f"  all stages one after another: {rate / (python + write_mean):,.0f} spans/s")


if __name__ == "__main__":
    sys.exit(main())
