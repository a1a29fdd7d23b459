"""Fixtures of the provider-layer tests: the fake model server, providers pointing at it, spans.

The built-in ``openai`` and ``anthropic`` providers are replaced by ones aimed at one fake
server (with tiny backoff so retries are quick), and forgotten after each test; the cache
folder is the test's own, and the cache setting starts off.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import assay
from assay import llm
from assay.testing.capture import SpanCapture
from assay.testing.fake_llm import FakeLLMServer

#: Backoff bounds that keep retry tests fast (the real defaults are 0.5 s and 30 s).
FAST = {"backoff_base": 0.001, "backoff_cap": 0.01}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as fake:
        yield fake


@pytest.fixture
def fake(
    server: FakeLLMServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeLLMServer]:
    """The module's fake server, reset, with ``openai`` and ``anthropic`` pointing at it."""
    server.reset()
    server.delay = 0.0
    for name in ("ASSAY_LLM_CACHE", "ASSAY_LLM_CONCURRENCY", "ASSAY_LLM_MAX_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ASSAY_LLM_CACHE_DIR", str(tmp_path / "llm-cache"))
    llm.configure_provider(
        "openai", base_url=server.openai_base_url, api_key="sk-test-openai", **FAST
    )
    llm.configure_provider(
        "anthropic", base_url=server.anthropic_base_url, api_key="sk-test-anthropic", **FAST
    )
    yield server
    llm.reset_providers()


@pytest.fixture
def capture() -> Iterator[SpanCapture]:
    """assay initialised with a SpanCapture exporter; shut down after the test."""
    cap = SpanCapture()
    client = assay.init(project="test", exporter=cap, flush_interval=0.05)
    yield cap
    client.shutdown(timeout=5)
