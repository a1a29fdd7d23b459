"""``load_prompt``: a prompt version from the registry, cached in the process with a TTL and
stale-while-revalidate, with a last-known-good copy on disk for when the server is unreachable.

```python
prompt = assay.load_prompt("support-bot", "answer", label="production")
resp = client.chat.completions.create(**prompt.build(question=q))
```

The cache and the disk copies live in ``_prompt_cache``; :class:`Prompt` in ``_prompt``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from assay.errors import ServerUnavailableError
from assay.sdk import _agent
from assay.sdk._prompt import Prompt, PromptMessages
from assay.sdk._prompt_cache import CALLS, load, refresh_soon
from assay.sdk._span import STATE
from assay.sdk._util import log

__all__ = ["Prompt", "PromptMessages", "load_prompt"]


def load_prompt(
    project: str | None,
    name: str,
    *,
    label: str | None = None,
    version: int | None = None,
    ttl: float | None = None,
    api_url: str | None = None,
    api_key: str | None = None,
    fallback: Prompt | Mapping[str, Any] | None = None,
) -> Prompt:
    """A prompt version by label, by number, or the latest (neither given).

    Served from memory while fresher than ``ttl`` (``ASSAY_PROMPT_CACHE_TTL``); an older copy
    is returned at once while one background request refreshes it. The first load asks the
    server; when it cannot be reached the last-known-good copy on disk
    (``ASSAY_PROMPT_CACHE_DIR``) is used, with one warning. A version asked for by number
    never changes, so it is never refreshed. Inside a run of ``serve_agent`` the caller's
    ``prompts`` parameter may pin ``name`` to another label or version.

    Args:
        project: The project; None means the one given to ``assay.init``, then
            ``ASSAY_PROJECT``.
        name: The prompt's name.
        label: A label such as ``production``.
        version: A version number.
        ttl: Seconds a loaded copy is served without asking the server again.
        api_url: The assay server (``ASSAY_API_URL``).
        api_key: A project API key (``ASSAY_API_KEY``).
        fallback: What to use when the server cannot be reached and no copy is on disk (a
            new deployment starting while the server is down): a :class:`Prompt`, or a
            mapping with ``messages``, ``model`` and optionally ``params``, ``tools`` and
            ``response_format``. It comes back with ``version`` 0 and is not cached: the next
            call asks the server again.

    Raises:
        NotFoundError: The server says the prompt, version or label does not exist.
        ServerUnavailableError: The server cannot be reached, no copy is on disk and no
            ``fallback`` was given.
        UsageError: Both ``label`` and ``version`` were given, or a version below 1.
    """
    pinned = _override(name)
    if pinned is not None:
        if isinstance(pinned, int) and not isinstance(pinned, bool):
            label, version = None, pinned
        else:
            label, version = str(pinned), None
    if project is None:
        client = STATE.client
        project = getattr(client, "project", None)
    entry = CALLS.get((project, name, label, version, api_url))
    if entry is not None:
        if version is None and time.monotonic() - entry.fetched >= (
            entry.ttl if ttl is None else ttl
        ):
            refresh_soon(entry)
        return entry.prompt
    try:
        entry = load(
            project, name, label=label, version=version, ttl=ttl, api_url=api_url, api_key=api_key
        )
    except ServerUnavailableError as exc:
        if fallback is None:
            raise
        log.warning("assay: using the fallback of prompt %r: %s", name, exc)
        return _fallback(fallback, project=project or "", name=name, label=label)
    CALLS[(project, name, label, version, api_url)] = entry
    return entry.prompt


def _override(name: str) -> str | int | None:
    return _agent.prompt_override(name)


def _fallback(
    given: Prompt | Mapping[str, Any], *, project: str, name: str, label: str | None
) -> Prompt:
    if isinstance(given, Prompt):
        return given
    return Prompt(
        project=project,
        name=name,
        version=0,
        messages=list(given["messages"]),
        model=str(given["model"]),
        params=given.get("params"),
        tools=given.get("tools"),
        response_format=given.get("response_format"),
        label=label,
    )
