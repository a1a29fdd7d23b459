"""The machinery behind ``load_prompt``: the in-process cache, the background refresh, the
last-known-good copies on disk and the one HTTP request to ``resolvePrompt``.

An :class:`Entry` per ``(api_url, project, name, label, version)`` holds the prompt, its ETag
and when it was last confirmed. The caller's fast path (in ``_prompts.load_prompt``) only reads
an entry; everything here runs on a first load or on a refresh thread (at most one per entry).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from assay import config
from assay.errors import ConfigError, NotFoundError, ServerUnavailableError, UsageError
from assay.sdk._prompt import Prompt
from assay.sdk._util import log

if TYPE_CHECKING:
    import httpx

Key = tuple[str, str, str, str | None, int | None]
"""``(api_url, project, name, label, version)``."""

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 10.0
_USER_AGENT = "assay-sdk/0.1.0"


@dataclass(slots=True, eq=False)
class Entry:
    """One cached prompt: what the fast path returns, and what a refresh needs."""

    key: Key
    prompt: Prompt
    etag: str | None
    fetched: float
    """``time.monotonic()`` of the last answer (or failed attempt) from the server."""
    ttl: float
    api_key: str | None
    refreshing: bool = False
    failing: bool = False

    @property
    def pinned(self) -> bool:
        """A version asked for by number never changes, so it is never refreshed."""
        return self.key[4] is not None


ENTRIES: dict[Key, Entry] = {}
CALLS: dict[tuple[str | None, str, str | None, int | None, str | None], Entry] = {}
"""The fast path's index: the arguments as passed (project resolved from ``init`` only)."""
_lock = threading.Lock()
_http: httpx.Client | None = None


def _after_fork() -> None:
    global _http, _lock
    _http = None
    _lock = threading.Lock()
    for entry in ENTRIES.values():
        entry.refreshing = False  # the refresh threads did not survive the fork


os.register_at_fork(after_in_child=_after_fork)


def clear() -> None:
    """Forget every prompt held in memory (the copies on disk stay)."""
    with _lock:
        CALLS.clear()
        ENTRIES.clear()


def load(
    project: str | None,
    name: str,
    *,
    label: str | None,
    version: int | None,
    ttl: float | None,
    api_url: str | None,
    api_key: str | None,
) -> Entry:
    """The entry for a prompt, loading it on first use (the slow path of ``load_prompt``)."""
    _check(name, label, version)
    url = str(config.get("api_url", api_url)).rstrip("/")
    key: Key = (url, str(project or config.get("project")), name, label, version)
    entry = ENTRIES.get(key)
    if entry is not None:
        if not entry.pinned and time.monotonic() - entry.fetched >= _ttl(ttl, entry):
            refresh_soon(entry)
        return entry
    token = str(config.get("api_key", api_key) or "") or None
    default_ttl = float(config.get("prompt_cache_ttl"))
    entry = _first_load(key, token, default_ttl)
    with _lock:
        return ENTRIES.setdefault(key, entry)


def _ttl(ttl: float | None, entry: Entry) -> float:
    return entry.ttl if ttl is None else ttl


def refresh_soon(entry: Entry) -> None:
    """Start one background refresh of a stale entry (none when one is running)."""
    with _lock:
        if entry.refreshing:
            return
        entry.refreshing = True
    thread = threading.Thread(
        target=_refresh, args=(entry,), name="assay-prompt-refresh", daemon=True
    )
    try:
        thread.start()
    except RuntimeError:  # no new threads (interpreter shutdown): serve the copy held
        entry.refreshing = False


# ------------------------------------------------------------------------------ loading


def _check(name: str, label: str | None, version: int | None) -> None:
    if not name:
        raise UsageError("load_prompt needs the prompt's name, e.g. load_prompt(None, 'answer')")
    if label is not None and version is not None:
        raise UsageError(
            f"load_prompt({name!r}) got label={label!r} and version={version!r}; give one of "
            "them (or neither for the latest version)"
        )
    if version is not None and (isinstance(version, bool) or version < 1):
        raise UsageError(f"load_prompt({name!r}) got version={version!r}; versions start at 1")


def _first_load(key: Key, api_key: str | None, ttl: float) -> Entry:
    import httpx

    try:
        response = _get(key, api_key, etag=None)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise ConfigError(
            f"the assay server URL {key[0]!r} is not a valid URL ({exc}); set ASSAY_API_URL "
            "or pass api_url= such as http://127.0.0.1:8000"
        ) from None
    except httpx.TransportError as exc:
        return _from_disk(key, api_key, ttl, f"{type(exc).__name__}: {exc}")
    status = response.status_code
    if status == 200:
        try:
            data = response.json()
            prompt = Prompt.from_api(data, project=key[1], label=key[3])
        except (KeyError, TypeError, ValueError):  # JSONDecodeError is a ValueError
            kind = response.headers.get("content-type", "no content type")
            reason = f"it answered 200 with something that is not an assay prompt ({kind})"
            return _from_disk(key, api_key, ttl, reason)
        etag = response.headers.get("etag")
        _save(key, data, etag)
        return Entry(key, prompt, etag, time.monotonic(), ttl, api_key)
    if status == 404:
        raise NotFoundError(f"{_what(key)}: {_message(response)}")
    if status >= 500 or status in (408, 429):
        return _from_disk(key, api_key, ttl, f"it answered {status}: {_message(response)}")
    if status in (401, 403):
        raise ConfigError(
            f"the assay server at {key[0]} refused to send {_what(key)} ({status}: "
            f"{_message(response)}); check ASSAY_API_KEY or pass api_key="
        )
    raise UsageError(f"the assay server refused {_what(key)} ({status}): {_message(response)}")


def _from_disk(key: Key, api_key: str | None, ttl: float, reason: str) -> Entry:
    saved = _read(key)
    try:
        prompt = Prompt.from_api(saved["data"], project=key[1], label=key[3]) if saved else None
    except (KeyError, TypeError, ValueError):
        prompt = None
    if saved is None or prompt is None:
        raise ServerUnavailableError(
            f"cannot load {_what(key)}: the assay server at {key[0]} cannot be reached "
            f"({reason}) and no copy was saved in {_cache_dir()}; start the server or check "
            "ASSAY_API_URL"
        )
    log.warning(
        "assay: cannot reach the assay server at %s (%s); using the copy of %s saved at %s "
        "(version %d); it is refreshed when the server answers again",
        key[0],
        reason,
        _what(key),
        saved.get("saved_at", "?"),
        prompt.version,
    )
    return Entry(key, prompt, saved.get("etag"), time.monotonic(), ttl, api_key, failing=True)


def _refresh(entry: Entry) -> None:
    key = entry.key
    try:
        response = _get(key, entry.api_key, etag=entry.etag)
        status = response.status_code
        if status == 200:
            data = response.json()
            prompt = Prompt.from_api(data, project=key[1], label=key[3])
            entry.prompt, entry.etag = prompt, response.headers.get("etag")  # only together
            _save(key, data, entry.etag)
        elif status != 304:
            _refresh_failed(entry, f"it answered {status}: {_message(response)}")
            return
        if entry.failing:
            entry.failing = False
            log.info("assay: %s is refreshed from %s again", _what(key), key[0])
    except Exception as exc:  # a refresh must never break the program: keep the last copy
        _refresh_failed(entry, f"{type(exc).__name__}: {exc}")
    finally:
        entry.fetched = time.monotonic()
        entry.refreshing = False


def _refresh_failed(entry: Entry, reason: str) -> None:
    if entry.failing:
        return
    entry.failing = True
    log.warning(
        "assay: cannot refresh %s from %s (%s); still using version %d",
        _what(entry.key),
        entry.key[0],
        reason,
        entry.prompt.version,
    )


def _get(key: Key, api_key: str | None, *, etag: str | None) -> httpx.Response:
    global _http
    import httpx

    url, project, name, label, version = key
    params: dict[str, str | int] = {}
    if label is not None:
        params["label"] = label
    if version is not None:
        params["version"] = version
    headers = {"User-Agent": _USER_AGENT, "Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    if etag:
        headers["If-None-Match"] = etag
    if _http is None:
        with _lock:  # one client per process
            if _http is None:
                timeout = httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT)
                _http = httpx.Client(timeout=timeout)
    path = f"/api/v1/projects/{quote(project, safe='')}/prompts/{quote(name, safe='')}/resolve"
    return _http.get(url + path, params=params, headers=headers)


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
        return str(body["error"]["message"])
    except Exception:
        return response.text[:300] or response.reason_phrase


def _what(key: Key) -> str:
    by = f"label {key[3]!r}" if key[3] else f"version {key[4]}" if key[4] else "latest version"
    return f"prompt {key[2]!r} ({by}) of project {key[1]!r}"


# ------------------------------------------------------------------------------ disk copies


def _cache_dir() -> Path:
    folder = str(config.get("prompt_cache_dir") or "")
    return Path(folder).expanduser() if folder else config.data_dir() / "prompt-cache"


def cache_file(key: Key) -> Path:
    """The file holding the last-known-good copy for ``key`` (a hash of the key)."""
    digest = hashlib.sha256(json.dumps(list(key)).encode()).hexdigest()[:40]
    return _cache_dir() / f"{digest}.json"


def _save(key: Key, data: Any, etag: str | None) -> None:
    """Write the copy atomically (temp file + rename); a failure is a warning, never an error."""
    path = cache_file(key)
    saved = {
        "key": list(key),
        "etag": etag,
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": data,
    }
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".prompt-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(saved, out, ensure_ascii=False)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        log.warning(
            "assay: cannot save the last-known-good copy of %s in %s (%s); set "
            "ASSAY_PROMPT_CACHE_DIR to a writable folder",
            _what(key),
            path.parent,
            exc,
        )
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _read(key: Key) -> dict[str, Any] | None:
    try:
        saved = json.loads(cache_file(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("key") != list(key):
        return None
    return saved
