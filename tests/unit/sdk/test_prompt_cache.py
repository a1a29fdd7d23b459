"""load_prompt against answers that are not a good assay prompt: a server that is not assay, a
malformed URL, a refresh whose new version cannot be read, and refreshes at shutdown."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import assay
from assay.errors import ConfigError, ServerUnavailableError
from assay.sdk import _prompt_cache

Reply = tuple[int, dict[str, str], bytes]


def prompt_body(version: int, content: str) -> bytes:
    body = {
        "prompt": "answer",
        "version": version,
        "messages": [{"role": "user", "content": content}],
        "model": "gpt-4o-mini",
        "params": {},
    }
    return json.dumps(body).encode()


class Scripted:
    """A plain HTTP server in a thread on port 0 whose answer a test scripts per request."""

    def __init__(self) -> None:
        self.answer: Callable[[dict[str, str]], Reply] = lambda _: (200, {}, b"")
        self.seen: list[dict[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                owner.seen.append(headers)
                status, extra, body = owner.answer(headers)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


@pytest.fixture
def web() -> Iterator[Scripted]:
    server = Scripted()
    yield server
    server.http.shutdown()
    server.http.server_close()


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "prompt-cache"
    monkeypatch.setenv("ASSAY_PROMPT_CACHE_DIR", str(folder))
    _prompt_cache.clear()
    yield folder
    _prompt_cache.clear()


HTML: Reply = (200, {"Content-Type": "text/html"}, b"<html>a login page</html>")


def test_a_server_that_is_not_assay_is_unavailable_naming_the_url(web: Scripted) -> None:
    web.answer = lambda _: HTML
    with pytest.raises(ServerUnavailableError) as caught:
        assay.load_prompt("p", "answer", api_url=web.url)
    message = str(caught.value)
    assert web.url in message and "not an assay prompt (text/html)" in message
    assert "ASSAY_API_URL" in message


def test_a_server_that_is_not_assay_falls_back_to_the_saved_copy(
    web: Scripted, caplog: pytest.LogCaptureFixture
) -> None:
    web.answer = lambda _: (200, {"ETag": '"v1"'}, prompt_body(1, "first"))
    assert assay.load_prompt("p", "answer", api_url=web.url).version == 1
    _prompt_cache.clear()  # a new process: only the disk copy is left
    web.answer = lambda _: HTML
    with caplog.at_level(logging.WARNING, logger="assay"):
        prompt = assay.load_prompt("p", "answer", api_url=web.url)
    assert prompt.version == 1 and prompt.messages[0]["content"] == "first"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and web.url in warnings[0].getMessage()


@pytest.mark.parametrize("url", ["http://localhost:80oo", "localhost:8000"])
def test_a_malformed_url_is_a_config_error_naming_it(url: str) -> None:
    with pytest.raises(ConfigError, match=f"{url!r} is not a valid URL.*ASSAY_API_URL"):
        assay.load_prompt("p", "answer", api_url=url)


def test_a_version_that_cannot_be_read_does_not_stop_later_refreshes(web: Scripted) -> None:
    versions = {'"v1"': prompt_body(1, "first"), '"v3"': prompt_body(3, "third")}
    script: list[Reply] = [(200, {"ETag": '"v2"'}, b"{not json"), (200, {"ETag": '"v3"'}, b"")]

    def answer(headers: dict[str, str]) -> Reply:
        if not web.seen[:-1]:
            return 200, {"ETag": '"v1"'}, versions['"v1"']
        if headers.get("if-none-match") == '"v2"':
            return 304, {}, b""  # what assay answers while v2 is still the version
        status, extra, _ = script.pop(0) if script else (200, {"ETag": '"v3"'}, b"")
        return status, extra, versions.get(extra["ETag"], b"{not json")

    web.answer = answer
    assert assay.load_prompt("p", "answer", api_url=web.url, ttl=0).version == 1

    def refreshed() -> bool:
        return assay.load_prompt("p", "answer", api_url=web.url, ttl=0).version == 3

    for _ in range(200):  # each call past the TTL starts at most one refresh
        if refreshed():
            break
        threading.Event().wait(0.02)
    assert refreshed(), [h.get("if-none-match") for h in web.seen]
    assert all(h.get("if-none-match") != '"v2"' for h in web.seen)


def test_a_refresh_that_cannot_start_a_thread_serves_the_copy_held(web: Scripted) -> None:
    web.answer = lambda _: (200, {"ETag": '"v1"'}, prompt_body(1, "first"))
    entry = _prompt_cache.load(
        "p", "answer", label=None, version=None, ttl=0, api_url=web.url, api_key=None
    )

    class NoThreads(threading.Thread):
        def start(self) -> None:
            raise RuntimeError("can't create new thread at interpreter shutdown")

    original = threading.Thread
    threading.Thread = NoThreads  # type: ignore[misc]  # the stdlib's, as at shutdown
    try:
        assert assay.load_prompt("p", "answer", api_url=web.url, ttl=0).version == 1
    finally:
        threading.Thread = original  # type: ignore[misc]
    assert entry.refreshing is False
