"""The shared discard sink (../shared/bench/sink.py) plus a counter for assay's wire format.

The shared sink counts OTLP protobuf and braintrust rows; this wrapper also counts the spans of
assay's gzip JSON ``{"project", "spans"}`` bodies on ``/api/v1/spans`` and answers them the way
the assay server does (``{"accepted": n, "rejected": []}``). Binds port 0 and prints
``SINK READY <port>``.

Run: python bench/_sink.py [--max-seconds 3600]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import sys
import threading
from http.server import ThreadingHTTPServer
from typing import Any

SHARED = os.environ.get(
    "ASSAY_BENCH_SHARED",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"),
)


def _load_shared_sink() -> Any:
    spec = importlib.util.spec_from_file_location("shared_sink", os.path.join(SHARED, "sink.py"))
    assert spec is not None and spec.loader is not None, f"no sink.py in {SHARED}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shared = _load_shared_sink()
_shared_count = shared.count_spans


def count_spans(path: str, enc: str, body: bytes) -> int:
    """Spans in one stored request body; assay's native JSON batches included."""
    if path.endswith("/api/v1/spans"):
        raw = gzip.decompress(body) if enc == "gzip" else body
        return len(json.loads(raw)["spans"])
    return int(_shared_count(path, enc, body))


shared.count_spans = count_spans  # the shared handler looks the function up at call time


class Handler(shared.Handler):  # type: ignore[name-defined,misc]
    """Answers /api/v1/spans like the assay server; everything else as the shared sink."""

    def do_POST(self) -> None:
        if not self.path.endswith("/api/v1/spans"):
            return super().do_POST()  # type: ignore[no-any-return]
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        with shared._lock:
            shared._bodies.append((self.path, self.headers.get("Content-Encoding", ""), body))
        return self._reply({"accepted": 0, "rejected": []})  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--max-seconds", type=float, default=3600)
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    timer = threading.Timer(a.max_seconds, srv.shutdown)
    timer.daemon = True
    timer.start()
    print(f"SINK READY {srv.server_address[1]}", flush=True)
    sys.stdout.flush()
    srv.serve_forever()


if __name__ == "__main__":
    main()
