"""In-memory span capture for tests: ``assay.init(exporter=SpanCapture())``."""

from __future__ import annotations

import threading
from typing import Any

from assay.sdk._client import get_client


class SpanCapture:
    """An exporter that keeps every exported span in memory, as the server would receive it.

    Example::

        capture = SpanCapture()
        assay.init(project="test", exporter=capture)
        run_agent()
        root = capture.find("answer")
        assert capture.children(root)[0]["name"] == "plan"

    Spans are dicts in the shape of ``assay.schema.SpanIn`` (empty fields left out).
    """

    def __init__(self) -> None:
        """Start with no spans."""
        self._spans: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.batches = 0
        self.closed = False

    # Exporter protocol
    def export(self, spans: list[dict[str, Any]]) -> None:
        """Keep a batch (called on the exporter thread)."""
        with self._lock:
            self._spans.extend(spans)
            self.batches += 1

    def shutdown(self) -> None:
        """Mark the capture closed; the spans stay readable."""
        self.closed = True

    # helpers
    def flush(self, timeout: float | None = 10.0) -> list[dict[str, Any]]:
        """Flush the active client, then return every span captured so far."""
        client = get_client()
        if client is not None:
            client.flush(timeout)
        return self.spans

    @property
    def spans(self) -> list[dict[str, Any]]:
        """A copy of the captured spans, in export order."""
        with self._lock:
            return list(self._spans)

    def find_all(self, name: str) -> list[dict[str, Any]]:
        """Every captured span called ``name`` (after a flush)."""
        return [s for s in self.flush() if s["name"] == name]

    def find(self, name: str) -> dict[str, Any]:
        """The one captured span called ``name``; fails if there are none or several."""
        found = self.find_all(name)
        if len(found) != 1:
            names = sorted({s["name"] for s in self.spans})
            raise AssertionError(
                f"expected exactly one span named {name!r}, found {len(found)}; "
                f"captured names: {names}"
            )
        return found[0]

    def children(self, parent: dict[str, Any]) -> list[dict[str, Any]]:
        """The captured spans whose parent is ``parent``, by start time."""
        kids = [s for s in self.flush() if s.get("parent_id") == parent["span_id"]]
        return sorted(kids, key=lambda s: s["start_time"])

    def trace(self, trace_id: str) -> list[dict[str, Any]]:
        """The captured spans of one trace, by start time."""
        return sorted(
            (s for s in self.flush() if s["trace_id"] == trace_id),
            key=lambda s: s["start_time"],
        )

    def clear(self) -> None:
        """Forget the spans captured so far."""
        with self._lock:
            self._spans.clear()
