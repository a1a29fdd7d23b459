"""Fixtures of the SDK tests: a fresh client exporting to an in-memory capture."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import assay
from assay.testing.capture import SpanCapture


@pytest.fixture
def capture() -> Iterator[SpanCapture]:
    """assay initialised with a SpanCapture exporter; shut down after the test."""
    cap = SpanCapture()
    client = assay.init(project="test", exporter=cap, flush_interval=0.05)
    yield cap
    client.shutdown(timeout=5)
