"""A steady stream of spans goes out in a few large batches, and flush still delivers all."""

from __future__ import annotations

import threading
import time
from typing import Any

import assay


class SlowExporter:
    """Takes 40 ms per batch, like a request to a busy server, and records the batch sizes."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.lock = threading.Lock()

    def export(self, spans: list[dict[str, Any]]) -> None:
        time.sleep(0.04)
        with self.lock:
            self.sizes.append(len(spans))

    def shutdown(self) -> None:
        pass


def test_spans_finishing_during_an_export_wait_for_the_next_round() -> None:
    exporter = SlowExporter()
    client = assay.init(project="p", exporter=exporter, batch_size=1000, flush_interval=0.3)
    try:
        deadline = time.monotonic() + 0.9
        made = 0
        while time.monotonic() < deadline:
            with assay.span("step"):
                pass
            made += 1
            time.sleep(0.002)
        assert client.flush(5.0)
        assert sum(exporter.sizes) == made
        # ~0.9 s at a 0.3 s interval: a handful of requests, not one per 40 ms export
        assert len(exporter.sizes) <= 6, exporter.sizes
    finally:
        client.shutdown()


def test_a_full_batch_is_sent_without_waiting_for_the_interval() -> None:
    exporter = SlowExporter()
    client = assay.init(project="p", exporter=exporter, batch_size=50, flush_interval=60)
    try:
        for _ in range(120):
            with assay.span("step"):
                pass
        deadline = time.monotonic() + 3
        while sum(exporter.sizes) < 100 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sum(exporter.sizes) >= 100 and max(exporter.sizes) <= 50
        assert client.flush(5.0) and sum(exporter.sizes) == 120
    finally:
        client.shutdown()
