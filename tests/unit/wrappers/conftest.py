"""Fixtures of the wrapper tests: the fake model server and an in-memory span capture."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import assay
from assay.testing.capture import SpanCapture
from assay.testing.fake_llm import FakeLLMServer


@pytest.fixture(scope="module")
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as fake:
        yield fake


@pytest.fixture
def llm(server: FakeLLMServer) -> Iterator[FakeLLMServer]:
    """The module's fake model server, with no scripted replies left from other tests."""
    server.reset()
    server.delay = 0.0
    yield server


@pytest.fixture
def capture() -> Iterator[SpanCapture]:
    """assay initialised with a SpanCapture exporter; shut down after the test."""
    cap = SpanCapture()
    client = assay.init(project="test", exporter=cap, flush_interval=0.05)
    yield cap
    client.shutdown(timeout=5)
