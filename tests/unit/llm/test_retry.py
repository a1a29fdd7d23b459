"""Retries on 429/5xx/connection errors, and clear errors (no retries) for 4xx."""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time

import pytest

from assay import llm
from assay.errors import (
    ConfigError,
    ModelNotFoundError,
    ProviderAuthError,
    ProviderError,
    ProviderRateLimitError,
    ProviderUnavailableError,
)
from assay.llm._retry import retry_after
from assay.testing.fake_llm import FakeLLMServer, FakeReply

from .conftest import FAST

MODELS = ["gpt-4o-mini", "claude-haiku-4-5"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("model", MODELS)
def test_429_waits_as_long_as_retry_after_says(fake: FakeLLMServer, model: str) -> None:
    fake.script(FakeReply(status=429, headers={"retry-after": "0.15"}), FakeReply(content="ok"))
    started = time.perf_counter()
    resp = llm.chat("x", model=model)
    elapsed = time.perf_counter() - started

    assert resp.content == "ok"
    assert fake.calls == 2
    assert elapsed >= 0.15  # the tiny test backoff alone would have waited under 0.01 s


def test_503_twice_then_success(fake: FakeLLMServer) -> None:
    fake.script(FakeReply(status=503), FakeReply(status=503), FakeReply(content="third time"))
    assert llm.chat("x", model="gpt-4o").content == "third time"
    assert fake.calls == 3


def test_async_calls_retry_too(fake: FakeLLMServer) -> None:
    fake.script(FakeReply(status=529), FakeReply(status=500), FakeReply(content="ok"))
    resp = asyncio.run(llm.achat("x", model="claude-haiku-4-5"))
    assert resp.content == "ok" and fake.calls == 3


def test_rate_limit_after_every_retry_names_the_attempts(fake: FakeLLMServer) -> None:
    llm.configure_provider(
        "openai", base_url=fake.openai_base_url, api_key="k", max_retries=2, **FAST
    )
    fake.respond_with(lambda body: FakeReply(status=429, content="slow down"))
    with pytest.raises(ProviderRateLimitError) as caught:
        llm.chat("x", model="gpt-4o")
    error = caught.value
    assert fake.calls == 3
    assert (error.provider, error.model, error.status, error.attempts) == (
        "openai",
        "gpt-4o",
        429,
        3,
    )
    assert "after 3 attempts" in str(error) and "slow down" in str(error)


def test_server_errors_after_every_retry_are_unavailable(fake: FakeLLMServer) -> None:
    llm.configure_provider(
        "anthropic", base_url=fake.anthropic_base_url, api_key="k", max_retries=1, **FAST
    )
    fake.respond_with(lambda body: FakeReply(status=503, content="overloaded, sorry"))
    with pytest.raises(
        ProviderUnavailableError, match=r"failed with 503 .* after 2 attempts: overloaded, sorry"
    ):
        llm.chat("x", model="claude-haiku-4-5")
    assert fake.calls == 2


@pytest.mark.parametrize("model", MODELS)
def test_401_is_an_auth_error_at_once_without_the_key(fake: FakeLLMServer, model: str) -> None:
    key = "sk-test-openai" if model.startswith("gpt") else "sk-test-anthropic"
    fake.script(FakeReply(status=401, content=f"Incorrect API key provided: {key}"))
    with pytest.raises(ProviderAuthError) as caught:
        llm.chat("x", model=model)
    message = str(caught.value)
    assert fake.calls == 1
    assert "rejected the API key" in message and f"base_url {fake.url}" in message
    assert "configure_provider(" in message and "_API_KEY" in message
    assert key not in message and "Incorrect API key provided: ***" in message
    assert caught.value.status == 401 and caught.value.attempts == 1


def test_404_is_model_not_found_at_once(fake: FakeLLMServer) -> None:
    fake.script(FakeReply(status=404, content="The model `gpt-9` does not exist"))
    with pytest.raises(ModelNotFoundError, match=r"has no model 'gpt-9' .*does not exist"):
        llm.chat("x", model="gpt-9")
    assert fake.calls == 1


@pytest.mark.parametrize("status", [400, 422])
def test_bad_requests_are_not_retried(fake: FakeLLMServer, status: int) -> None:
    fake.script(FakeReply(status=status, content="max_tokens is too large"))
    with pytest.raises(ProviderError, match="max_tokens is too large") as caught:
        llm.chat("x", model="gpt-4o")
    assert type(caught.value) is ProviderError and caught.value.status == status
    assert fake.calls == 1


def test_connection_refused_is_retried_then_unavailable(fake: FakeLLMServer) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    llm.configure_provider("down", base_url=url, api_key="k", max_retries=2, **FAST)
    with pytest.raises(
        ProviderUnavailableError, match=r"could not be reached .*after 3 attempts"
    ) as caught:
        llm.chat("x", model="down/llama3")
    assert caught.value.status is None and caught.value.model == "llama3"


def test_a_timeout_is_retried_then_says_it_timed_out(fake: FakeLLMServer) -> None:
    llm.configure_provider(
        "openai", base_url=fake.openai_base_url, api_key="k", max_retries=1, **FAST
    )
    fake.delay = 0.3
    with pytest.raises(ProviderUnavailableError, match=r"timed out .*after 2 attempts"):
        llm.chat("x", model="gpt-4o", timeout=0.05)
    assert fake.calls == 2


def test_max_retries_comes_from_the_setting(
    fake: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_LLM_MAX_RETRIES", "0")
    llm.configure_provider("solo", base_url=fake.openai_base_url, api_key="k")
    assert llm.get_provider("solo").max_retries == 0
    fake.script(FakeReply(status=503))
    with pytest.raises(ProviderUnavailableError, match="after 1 attempt:"):
        llm.chat("x", model="solo/m")


def test_missing_api_key_is_a_config_error(
    fake: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    llm.configure_provider("openai", base_url=fake.openai_base_url)
    with pytest.raises(ConfigError, match="set OPENAI_API_KEY or configure_provider"):
        llm.chat("x", model="gpt-4o")
    assert fake.calls == 0


def test_retry_after_reads_seconds_milliseconds_and_dates() -> None:
    assert retry_after({"retry-after": "2"}) == 2.0
    assert retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    in_three = email.utils.formatdate(time.time() + 3, usegmt=True)
    assert 1.5 < (retry_after({"retry-after": in_three}) or 0) <= 3.0
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None
