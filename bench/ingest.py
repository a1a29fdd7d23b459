"""Ingest throughput: OTLP/HTTP protobuf batches → `assay serve` (SQLite) until queryable.

Runs the shared peer harness (``../shared/bench/ingest.py``: load generator, RSS sampling,
persisted-span polling) with assay as a target, next to Arize Phoenix in the same invocation:

    # in a venv that has psutil + opentelemetry-proto (+ arize-phoenix for the peer)
    python bench/ingest.py --target assay,phoenix --spans 200000 --peer-spans 10000 --clients 1,4

``--peer-spans`` gives the peers a smaller count: Phoenix makes spans queryable at a few hundred
per second, so the assay count would take it hours.

The assay server runs from this repo's ``.venv`` (override with ASSAY_BIN). A span counts as
persisted when the server's query API reports it (``GET /api/v1/projects`` span counts), so the
figure is "from send until queryable".
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class AssayServer:
    """An ``assay serve`` process on a fresh SQLite data dir."""

    name = "assay"

    def __init__(self) -> None:
        self.bin = os.environ.get("ASSAY_BIN", str(ROOT / ".venv" / "bin" / "assay"))
        out = subprocess.run(
            [
                str(Path(self.bin).with_name("python")),
                "-c",
                "import assay; print(assay.__version__)",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        self.version = out.stdout.strip()
        self.proc: subprocess.Popen[bytes] | None = None
        self.pid = 0

    def start(self) -> str:
        self.dir = tempfile.mkdtemp(prefix="assay-bench-")
        self.port = _free_port()
        self.log = open(os.path.join(self.dir, "server.log"), "w")  # noqa: SIM115
        env = dict(os.environ, ASSAY_DATA_DIR=self.dir, ASSAY_LOG_LEVEL="warning")
        env.pop("ASSAY_DATABASE_URL", None)
        self.proc = subprocess.Popen(
            [self.bin, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid = self.proc.pid
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/api/v1/health", timeout=2).read()
                return self.base + "/v1/traces"
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("assay serve exited; see " + self.log.name) from None
                time.sleep(0.2)
        raise RuntimeError("assay serve did not become healthy in 60 s")

    def count(self) -> int:
        with urllib.request.urlopen(self.base + "/api/v1/projects", timeout=30) as resp:
            projects = json.loads(resp.read())
        return sum(int(p["span_count"]) for p in projects)

    def count_api(self) -> dict[str, object]:
        url = self.base + "/api/v1/projects/default/traces?limit=1"
        with urllib.request.urlopen(url, timeout=30) as resp:
            page = json.loads(resp.read())
        return {
            "projects_span_count": self.count(),
            "first_trace_spans": page["items"][0]["span_count"],
        }

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


def make_ingest_target() -> AssayServer:
    return AssayServer()


def main() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("shared_ingest", SHARED / "ingest.py")
    assert spec and spec.loader, f"the shared harness is missing at {SHARED}"
    harness = importlib.util.module_from_spec(spec)
    sys.modules["shared_ingest"] = harness
    spec.loader.exec_module(harness)
    harness.TARGETS["assay"] = AssayServer
    argv = sys.argv[1:]
    targets = "assay"
    if "--target" in argv:
        i = argv.index("--target")
        targets = argv[i + 1]
        del argv[i : i + 2]
    peer_spans = None
    if "--peer-spans" in argv:
        i = argv.index("--peer-spans")
        peer_spans = argv[i + 1]
        del argv[i : i + 2]
    for target in targets.split(","):
        args = list(argv)
        if target != "assay" and peer_spans is not None:
            if "--spans" in argv:
                i = argv.index("--spans")
                args = argv[:i] + argv[i + 2 :]
            args += ["--spans", peer_spans]
        sys.argv = [sys.argv[0], "--target", target, *args]
        print(f"=== target {target}", flush=True)
        harness.main()


if __name__ == "__main__":
    main()
