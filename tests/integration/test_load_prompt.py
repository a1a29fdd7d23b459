"""load_prompt against a real ``assay serve``: label moves reach the agent after the TTL, the
agent keeps working from memory and then from disk when the server is gone, and the errors say
what is missing."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import assay
from assay.errors import NotFoundError, ServerUnavailableError
from assay.sdk import _prompt_cache
from tests.integration.conftest import ServerProcess, child_env
from tests.support.wait import wait_until

PROJECT = "support-bot"
PROMPTS = f"/api/v1/projects/{PROJECT}/prompts"


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh disk cache (ASSAY_PROMPT_CACHE_DIR) and an empty memory cache per test."""
    folder = tmp_path / "prompt-cache"
    monkeypatch.setenv("ASSAY_PROMPT_CACHE_DIR", str(folder))
    _prompt_cache.clear()
    yield folder
    _prompt_cache.clear()


def save_version(api: httpx.Client, content: str, labels: list[str] | None = None) -> int:
    body = {
        "messages": [
            {"role": "system", "content": "You work for {{company}}."},
            {"role": "user", "content": content},
        ],
        "model": "gpt-4o-mini",
        "params": {"temperature": 0.3},
        "message": f"say {content!r}",
        "labels": labels or [],
    }
    answer = api.post(f"{PROMPTS}/answer/versions", json=body)
    assert answer.status_code in (200, 201), answer.text
    version: int = answer.json()["version"]
    return version


def move_label(api: httpx.Client, label: str, version: int) -> None:
    answer = api.put(f"{PROMPTS}/answer/labels/{label}", json={"version": version})
    assert answer.status_code == 200, answer.text


def load_in_child(server_url: str, cache: Path) -> Any:
    """``load_prompt`` in a new process (nothing in memory): its version, or its error."""
    code = (
        "import json, assay\n"
        "try:\n"
        f"    p = assay.load_prompt({PROJECT!r}, 'answer', label='production')\n"
        "    print(json.dumps({'version': p.version, 'content': p.messages[1]['content']}))\n"
        "except Exception as exc:\n"
        "    print(json.dumps({'error': type(exc).__name__, 'message': str(exc)}))\n"
    )
    env = child_env(ASSAY_API_URL=server_url, ASSAY_PROMPT_CACHE_DIR=str(cache))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_an_agent_follows_the_label_after_the_ttl(server: ServerProcess, api: httpx.Client) -> None:
    first = save_version(api, "{{question}}", labels=["production"])
    second = save_version(api, "Q: {{question}}")

    prompt = assay.load_prompt(PROJECT, "answer", label="production", api_url=server.url, ttl=0.2)
    assert (prompt.version, prompt.label) == (first, "production")
    assert prompt.build(company="ACME", question="hi")["messages"][1]["content"] == "hi"
    warm = assay.load_prompt(PROJECT, "answer", label="production", api_url=server.url, ttl=60)
    assert warm is prompt  # from memory, no request

    move_label(api, "production", second)

    def moved_to_second() -> assay.Prompt | None:
        p = assay.load_prompt(PROJECT, "answer", label="production", api_url=server.url, ttl=0.2)
        return p if p.version == second else None

    moved = wait_until(moved_to_second, timeout=30)
    assert moved.build(company="ACME", question="hi")["messages"][1]["content"] == "Q: hi"


def test_latest_and_pinned_versions(server: ServerProcess, api: httpx.Client) -> None:
    first = save_version(api, "one {{question}}")
    second = save_version(api, "two {{question}}")
    latest = assay.load_prompt(PROJECT, "answer", api_url=server.url)
    pinned = assay.load_prompt(PROJECT, "answer", version=first, api_url=server.url)
    assert (latest.version, latest.messages[1]["content"]) == (second, "two {{question}}")
    assert (pinned.version, pinned.messages[1]["content"]) == (first, "one {{question}}")


def test_the_project_comes_from_init(server: ServerProcess, api: httpx.Client) -> None:
    version = save_version(api, "{{question}}", labels=["production"])
    client = assay.init(project=PROJECT, api_url=server.url)
    try:
        prompt = assay.load_prompt(None, "answer", label="production", api_url=server.url)
    finally:
        client.shutdown(timeout=5)
    assert (prompt.project, prompt.version) == (PROJECT, version)


def test_server_down_serves_memory_then_the_disk_copy(
    server: ServerProcess,
    api: httpx.Client,
    cache_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    version = save_version(api, "{{question}}", labels=["production"])
    loaded = assay.load_prompt(PROJECT, "answer", label="production", api_url=server.url, ttl=0)
    assert list(cache_dir.glob("*.json")), "a last-known-good copy is written on success"

    server.stop()
    with caplog.at_level(logging.WARNING, logger="assay"):
        stale = assay.load_prompt(PROJECT, "answer", label="production", api_url=server.url, ttl=0)
        assert stale is loaded  # stale copies are returned at once; the refresh fails aside
        wait_until(lambda: "cannot refresh prompt 'answer'" in caplog.text, timeout=30)

        _prompt_cache.clear()  # as a restarted agent would be: nothing in memory
        from_disk = assay.load_prompt(PROJECT, "answer", label="production", api_url=server.url)
    assert from_disk.version == version
    assert from_disk.build(company="A", question="still works")["messages"][1]["content"] == (
        "still works"
    )
    warnings = [r.getMessage() for r in caplog.records if "using the copy" in r.getMessage()]
    assert len(warnings) == 1 and server.url in warnings[0]

    assert load_in_child(server.url, cache_dir) == {"version": version, "content": "{{question}}"}


def test_a_new_process_without_a_copy_fails_clearly(
    server: ServerProcess, api: httpx.Client, tmp_path: Path
) -> None:
    save_version(api, "{{question}}", labels=["production"])
    server.stop()
    answer = load_in_child(server.url, tmp_path / "empty-cache")
    assert answer["error"] == "ServerUnavailableError"
    assert server.url in answer["message"]
    assert "prompt 'answer' (label 'production') of project 'support-bot'" in answer["message"]

    with pytest.raises(ServerUnavailableError, match="cannot be reached"):
        assay.load_prompt(PROJECT, "answer", label="staging", api_url=server.url)


def test_a_fallback_stands_in_until_the_server_answers(
    server: ServerProcess, api: httpx.Client
) -> None:
    fallback = {
        "messages": [{"role": "user", "content": "Answer briefly: {{question}}"}],
        "model": "gpt-4o-mini",
    }
    server.stop()
    prompt = assay.load_prompt(
        PROJECT, "answer", label="production", api_url=server.url, fallback=fallback
    )
    assert prompt.version == 0
    assert prompt.build(question="hi")["messages"] == [
        {"role": "user", "content": "Answer briefly: hi"}
    ]

    server.start()  # the fallback was not cached: the next call asks the server
    version = save_version(api, "{{question}}", labels=["production"])
    again = assay.load_prompt(
        PROJECT, "answer", label="production", api_url=server.url, fallback=fallback
    )
    assert again.version == version


def test_missing_prompts_and_labels_are_not_found(server: ServerProcess, api: httpx.Client) -> None:
    save_version(api, "{{question}}", labels=["production"])
    with pytest.raises(NotFoundError) as caught:
        assay.load_prompt(PROJECT, "no-such-prompt", api_url=server.url)
    assert "no-such-prompt" in str(caught.value)
    with pytest.raises(NotFoundError, match="canary"):
        assay.load_prompt(PROJECT, "answer", label="canary", api_url=server.url)


def test_a_removed_label_is_not_served_from_disk(
    server: ServerProcess, api: httpx.Client, cache_dir: Path
) -> None:
    save_version(api, "{{question}}", labels=["staging"])
    assay.load_prompt(PROJECT, "answer", label="staging", api_url=server.url)
    assert list(cache_dir.glob("*.json"))
    removed = api.delete(f"{PROMPTS}/answer/labels/staging")
    assert removed.status_code in (200, 204), removed.text

    _prompt_cache.clear()
    with pytest.raises(NotFoundError, match="staging"):
        assay.load_prompt(PROJECT, "answer", label="staging", api_url=server.url)
