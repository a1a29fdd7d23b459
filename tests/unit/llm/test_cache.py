"""The on-disk cache: identical calls answered from disk, anything different sent again."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pydantic import BaseModel

from assay import llm
from assay.llm._cache import DiskCache
from assay.testing.fake_llm import FakeLLMServer, FakeReply

from .conftest import FAST


class Label(BaseModel):
    label: str


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.json"))


def test_a_hit_makes_no_request_and_survives_fresh_state(
    fake: FakeLLMServer, tmp_path: Path
) -> None:
    fake.script(FakeReply(content="Paris", usage={"prompt_tokens": 10, "completion_tokens": 2}))
    first = llm.chat("Capital of France?", model="gpt-4o-mini", temperature=0, cache=True)
    assert first.cached is False and fake.calls == 1

    # Forget every provider and client, as a new process would start.
    llm.reset_providers()
    llm.configure_provider("openai", base_url=fake.openai_base_url, api_key="other-key", **FAST)
    again = asyncio.run(
        llm.achat("Capital of France?", model="gpt-4o-mini", temperature=0, cache=True)
    )

    assert fake.calls == 1
    assert again.cached is True
    assert (again.content, again.usage, again.model, again.cost) == (
        first.content,
        first.usage,
        first.model,
        first.cost,
    )
    [path] = cache_files(tmp_path / "llm-cache")
    assert path.parent.name == path.stem[:2]
    assert (
        DiskCache(tmp_path / "llm-cache").get(path.stem) is not None
    )  # a new cache object reads it


@pytest.mark.parametrize(
    "change",
    [
        {"temperature": 1},
        {"model": "gpt-4o"},
        {"messages": "Capital of Spain?"},
        {"tools": [{"name": "t"}]},
    ],
)
def test_any_difference_in_the_call_is_a_miss(
    fake: FakeLLMServer, change: dict[str, object]
) -> None:
    call = {"messages": "Capital of France?", "model": "gpt-4o-mini", "temperature": 0, **change}
    llm.chat("Capital of France?", model="gpt-4o-mini", temperature=0, cache=True)
    llm.chat(call.pop("messages"), cache=True, **call)  # type: ignore[arg-type]
    assert fake.calls == 2


def test_the_timeout_is_not_part_of_the_key(fake: FakeLLMServer) -> None:
    llm.chat("x", model="gpt-4o", cache=True, timeout=5)
    assert llm.chat("x", model="gpt-4o", cache=True, timeout=9).cached
    assert fake.calls == 1


def test_the_setting_turns_the_cache_on_and_the_argument_off(
    fake: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_LLM_CACHE", "true")
    llm.chat("x", model="claude-haiku-4-5")
    assert llm.chat("x", model="claude-haiku-4-5").cached is True
    assert llm.chat("x", model="claude-haiku-4-5", cache=False).cached is False
    assert fake.calls == 2


def test_structured_answers_are_parsed_again_from_the_cache(fake: FakeLLMServer) -> None:
    fake.script('{"label": "spam"}')
    llm.chat("x", model="gpt-4o", response_format=Label, cache=True)
    hit = llm.chat("x", model="gpt-4o", response_format=Label, cache=True)
    assert hit.cached and hit.parsed == Label(label="spam")


def test_a_corrupt_entry_is_a_miss_and_is_rewritten(fake: FakeLLMServer, tmp_path: Path) -> None:
    llm.chat("x", model="gpt-4o", cache=True)
    [path] = cache_files(tmp_path / "llm-cache")
    path.write_text('{"content": "half')
    assert llm.chat("x", model="gpt-4o", cache=True).cached is False
    assert llm.chat("x", model="gpt-4o", cache=True).cached is True
    assert fake.calls == 2


def test_streams_and_failures_are_not_cached(fake: FakeLLMServer, tmp_path: Path) -> None:
    list(llm.chat("x", model="gpt-4o", stream=True, cache=True))
    fake.script(FakeReply(status=400))
    with pytest.raises(Exception, match="refused"):
        llm.chat("y", model="gpt-4o", cache=True)
    assert cache_files(tmp_path / "llm-cache") == []


def test_embeddings_are_cached_too(fake: FakeLLMServer) -> None:
    first = llm.embed(["a", "b"], model="text-embedding-3-small", cache=True)
    again = llm.embed(["a", "b"], model="text-embedding-3-small", cache=True)
    assert again == first and fake.calls == 1
