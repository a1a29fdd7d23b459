"""Which provider a model name goes to, and how providers are configured."""

from __future__ import annotations

import asyncio

import pytest

from assay import llm
from assay.errors import ConfigError, UsageError
from assay.testing.fake_llm import FakeLLMServer


def test_model_names_route_by_prefix_then_family(fake: FakeLLMServer) -> None:
    llm.configure_provider("vllm", base_url="http://gpu-box:8000/v1")
    cases = {
        "gpt-4o": ("openai", "gpt-4o"),
        "claude-3-5-haiku-latest": ("anthropic", "claude-3-5-haiku-latest"),
        "openai/gpt-4o": ("openai", "gpt-4o"),
        "anthropic/claude-haiku-4-5": ("anthropic", "claude-haiku-4-5"),
        "vllm/llama3": ("vllm", "llama3"),
        "vllm/meta-llama/llama-3": ("vllm", "meta-llama/llama-3"),
        "o3-mini": ("openai", "o3-mini"),
    }
    for model, (provider, sent) in cases.items():
        where = llm.route(model)
        assert (where.provider.name, where.model) == (provider, sent), model


def test_an_explicit_provider_wins_and_keeps_slashes(fake: FakeLLMServer) -> None:
    llm.configure_provider("openrouter", base_url=fake.openai_base_url, api_key="k")
    assert llm.route("claude-x", provider="openai").provider.name == "openai"
    where = llm.route("meta-llama/llama-3", provider="openrouter")
    assert (where.provider.name, where.model) == ("openrouter", "meta-llama/llama-3")
    assert llm.route("openrouter/meta-llama/llama-3").model == "meta-llama/llama-3"

    llm.chat("hi", model="meta-llama/llama-3", provider="openrouter")
    assert fake.requests[-1].json["model"] == "meta-llama/llama-3"


def test_an_unknown_prefix_lists_the_configured_providers(fake: FakeLLMServer) -> None:
    llm.configure_provider("vllm", base_url="http://gpu-box:8000/v1")
    with pytest.raises(UsageError) as caught:
        llm.chat("hi", model="meta-llama/llama-3")
    message = str(caught.value)
    assert "'meta-llama/'" in message and "anthropic, openai, vllm" in message
    assert "provider=" in message
    with pytest.raises(
        UsageError, match="provider 'nope' is not configured; configured: anthropic, openai"
    ):
        llm.chat("hi", model="gpt-4o", provider="nope")
    assert fake.calls == 0


def test_a_configured_provider_is_called_with_the_prefix_dropped(fake: FakeLLMServer) -> None:
    llm.configure_provider("local", base_url=fake.openai_base_url, concurrency=4, max_retries=1)
    resp = llm.chat("hi", model="local/qwen2.5")
    assert (resp.provider, resp.model) == ("local", "qwen2.5")
    request = fake.requests[-1]
    assert request.json["model"] == "qwen2.5"
    assert request.headers["authorization"] == "Bearer none"  # never OPENAI_API_KEY elsewhere
    provider = llm.get_provider("local")
    assert (provider.kind, provider.concurrency, provider.max_retries) == ("openai", 4, 1)


def test_an_anthropic_kind_provider_speaks_the_messages_api(fake: FakeLLMServer) -> None:
    llm.configure_provider(
        "bedrock-proxy", kind="anthropic", base_url=fake.anthropic_base_url, api_key="k"
    )
    llm.chat("hi", model="bedrock-proxy/some-model")
    assert fake.requests[-1].path == "/v1/messages"
    headers = fake.requests[-1].headers
    assert headers.get("x-api-key", headers.get("authorization")) in ("k", "Bearer k")


def test_a_ready_made_client_is_used_without_its_retries(fake: FakeLLMServer) -> None:
    import openai

    client = openai.OpenAI(base_url=fake.openai_base_url, api_key="from-client", max_retries=5)
    provider = llm.configure_provider("mine", client=client)
    assert provider.kind == "openai" and provider.base_url == fake.openai_base_url
    llm.chat("hi", model="mine/m")
    assert fake.requests[-1].headers["authorization"] == "Bearer from-client"
    assert llm.route("mine/m").live.sync_client().max_retries == 0


def test_the_builtin_providers_read_the_official_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://proxy.internal/v1/")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    monkeypatch.setenv("ASSAY_LLM_CONCURRENCY", "7")
    llm.reset_providers()
    try:
        provider = llm.get_provider("openai")
        assert (provider.base_url, provider.api_key, provider.concurrency) == (
            "http://proxy.internal/v1",
            "sk-env",
            7,
        )
        assert "sk-env" not in repr(provider)
    finally:
        llm.reset_providers()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": "a/b"}, UsageError, "without '/'"),
        ({"name": "x", "kind": "gemini"}, UsageError, "kind 'gemini' is not supported"),
        ({"name": "x", "concurrency": 0}, ConfigError, "concurrency of provider 'x' is 0"),
        ({"name": "x", "max_retries": -1}, ConfigError, "max_retries of provider 'x' is -1"),
        (
            {"name": "x", "client": object()},
            UsageError,
            "not an official openai or anthropic client",
        ),
    ],
)
def test_bad_provider_settings_are_refused(
    kwargs: dict[str, object], error: type, message: str
) -> None:
    name = kwargs.pop("name")
    with pytest.raises(error, match=message):
        llm.configure_provider(name, **kwargs)  # type: ignore[arg-type]


def test_a_provider_without_tools_refuses_them_and_says_so(fake: FakeLLMServer) -> None:
    llm.configure_provider("plain", base_url=fake.openai_base_url, tools=False)
    assert llm.supports_tools("plain/m") is False
    assert llm.supports_tools("gpt-4o") is True
    with pytest.raises(UsageError, match="tools=False"):
        llm.chat("x", model="plain/m", tools=[{"name": "t"}])
    assert fake.calls == 0


def test_anthropic_has_no_embeddings(fake: FakeLLMServer) -> None:
    with pytest.raises(UsageError, match="no embeddings API"):
        llm.embed(["x"], model="claude-haiku-4-5")
    assert fake.calls == 0


def test_each_event_loop_gets_a_client_closed_with_the_loop(fake: FakeLLMServer) -> None:
    live = llm.route("gpt-4o").live
    seen: list[object] = []

    async def call() -> None:
        await llm.achat("hi", model="gpt-4o")
        seen.append(live.async_client())
        assert live.async_client() is seen[-1]  # one client per loop, reused

    asyncio.run(call())
    asyncio.run(call())
    first, second = seen
    assert first is not second
    assert first.is_closed() and second.is_closed()  # type: ignore[attr-defined]
    assert len(live._async) == 0
