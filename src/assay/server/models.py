"""Model calls made by the server on behalf of a project (playground runs, judges, rules).

A project's providers (:mod:`assay.server.routers.v1.providers`) take precedence: the model's
route is worked out the way :func:`assay.llm.route` does (a ``name/`` prefix, ``claude*`` →
``anthropic``, else ``openai``); when the project has a provider of that name, the call goes to
an ``assay.llm`` provider configured from it (key decrypted, cached per process and refreshed
when the stored provider changes). Otherwise the process-wide configuration (``OPENAI_API_KEY``,
``OPENAI_BASE_URL``, …) is used, as before.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import Literal, cast

from assay import llm
from assay.errors import UsageError
from assay.server import secrets
from assay.store.base import Store
from assay.store.prompts import ProviderSecret

READ_SECONDS = 2.0
"""Longest time a provider changed by another server goes unseen by this one."""

_lock = threading.Lock()
_reads: dict[tuple[int, str, str], tuple[float, ProviderSecret | None]] = {}
_configured: dict[str, int] = {}  # assay.llm provider name → updated_at it was made from
_keys: dict[str, str] = {}  # plaintext key → its mask, to keep keys out of messages


@dataclass(frozen=True, slots=True)
class ModelTarget:
    """Where a project's call of ``model`` goes.

    Attributes:
        model: The model name to pass to ``assay.llm`` (prefix kept or dropped as needed).
        provider: The ``assay.llm`` provider name to pass as ``provider=``; None: the
            process-wide routing.
    """

    model: str
    provider: str | None


def route_name(model: str) -> tuple[str, str]:
    """The provider name ``model`` routes to, and the model without that name's prefix.

    Example: ``groq/llama-3`` → (``groq``, ``llama-3``); ``claude-3-5-haiku`` → (``anthropic``,
    ``claude-3-5-haiku``); ``gpt-4o-mini`` → (``openai``, ``gpt-4o-mini``).
    """
    prefix, slash, rest = model.partition("/")
    if slash and prefix and rest:
        return prefix, rest
    return ("anthropic" if model.startswith("claude") else "openai"), model


def provider_name(project_id: str, name: str) -> str:
    """The ``assay.llm`` provider made from the project's provider ``name``."""
    return f"project-{project_id}-{name}"


def target_for(store: Store, project_id: str, model: str) -> ModelTarget:
    """Where the project's call of ``model`` goes (blocking: reads the store, cached ~2 s).

    Raises:
        ConfigError: The project's key cannot be decrypted with this server's secret key.
    """
    name, bare = route_name(model)
    found = _read(store, project_id, name)
    if found is None:
        return ModelTarget(model, None)
    target = provider_name(project_id, name)
    with _lock:
        ready = _configured.get(target) == found.updated_at
    if not ready or not _exists(target):
        key = None if found.key_cipher is None else secrets.decrypt(found.key_cipher, name=name)
        llm.configure_provider(
            target,
            kind=cast(Literal["openai", "anthropic"], found.kind),
            base_url=found.base_url,
            api_key=key,
        )
        with _lock:
            _configured[target] = found.updated_at
            if key:
                _keys[key] = secrets.mask(key)
    return ModelTarget(bare, target)


def _exists(name: str) -> bool:
    """Whether ``assay.llm`` still has the provider (``reset_providers`` forgets them all)."""
    try:
        llm.get_provider(name)
    except UsageError:
        return False
    return True


def forget(project_id: str, name: str) -> None:
    """Read the provider again on next use (this server just saved or deleted it)."""
    with _lock:
        for cached in [k for k in _reads if k[1:] == (project_id, name)]:
            del _reads[cached]


def redact(text: str) -> str:
    """``text`` with every provider key this process decrypted replaced by its mask."""
    with _lock:
        known = list(_keys.items())
    for key, hint in known:
        if key in text:
            text = text.replace(key, hint)
    return text


_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_HINT = re.compile(rf"configure_provider\('project-{_UUID}-([^']+)'[^)]*\)")
_NAME = re.compile(rf"'project-{_UUID}-([^']+)'")


def explain(exc: BaseException | str) -> str:
    """A failed call's message (or a traceback's text) for the project's people: keys masked,
    the project's provider called by its name, and the fix said in terms of the providers API."""
    text = redact(str(exc))
    text = _HINT.sub(r"save a working key for it (PUT …/providers/\1)", text)
    return _NAME.sub(r"'\1'", text)


def _read(store: Store, project_id: str, name: str) -> ProviderSecret | None:
    cache_key = (id(store), project_id, name)
    now = time.monotonic()
    with _lock:
        cached = _reads.get(cache_key)
    if cached is not None and now - cached[0] < READ_SECONDS:
        return cached[1]
    found = store.get_provider_secret(project_id, name)
    with _lock:
        _reads[cache_key] = (now, found)
    return found
