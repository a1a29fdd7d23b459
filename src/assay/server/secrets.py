"""Provider keys encrypted at rest: Fernet (AES-128-CBC with HMAC-SHA256) under the server's
secret key (``ASSAY_SECRET_KEY``, else ``secret.key`` in ``ASSAY_DATA_DIR``, made on first use
with mode 0600).

Only ciphertext reaches the store; the browser only ever sees :func:`mask`. Servers sharing one
database must share the secret key: set ``ASSAY_SECRET_KEY`` on each (make one with
``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from assay import config
from assay.errors import ConfigError

KEY_FILE = "secret.key"
_MAKE_KEY = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)
_lock = threading.Lock()
_cache: dict[tuple[str, str], Fernet] = {}


def encrypt(plaintext: str) -> str:
    """The key encrypted (a URL-safe text token)."""
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str, *, name: str = "this provider") -> str:
    """The key back.

    Args:
        token: What :func:`encrypt` made.
        name: The provider's name, for the error message.

    Raises:
        ConfigError: The secret key is not the one that encrypted it.
    """
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise ConfigError(
            f"provider key of {name!r} cannot be decrypted with this server's secret key; set "
            "ASSAY_SECRET_KEY to the key the servers share (see docs/configuration.md), or "
            "save the provider's key again"
        ) from exc


def mask(key: str) -> str:
    """A hint that identifies the key without revealing it: ``sk-…x7Qa``.

    Short keys show less: a key under 20 characters shows only its last 2, and one under 8
    characters nothing at all.
    """
    if len(key) >= 20:
        return f"{key[:3]}…{key[-4:]}"
    return "…" + (key[-2:] if len(key) >= 8 else "")


def _fernet() -> Fernet:
    configured = str(config.get("secret_key") or "").strip()
    if configured:
        return _cached("setting", configured, _from_setting)
    path = config.data_dir() / KEY_FILE
    return _cached("file", str(path), lambda _: Fernet(_key_file(path)))


def _cached(kind: str, source: str, make: Callable[[str], Fernet]) -> Fernet:
    found = _cache.get((kind, source))
    if found is None:
        with _lock:
            found = _cache.get((kind, source))
            if found is None:
                found = make(source)
                _cache[(kind, source)] = found
    return found


def _from_setting(value: str) -> Fernet:
    try:
        return Fernet(value.encode())
    except (ValueError, TypeError) as exc:
        raise ConfigError(
            "ASSAY_SECRET_KEY is not a Fernet key (32 url-safe base64-encoded bytes, 44 "
            f"characters; it has {len(value)}); make one with {_MAKE_KEY}"
        ) from exc


def _key_file(path: Path) -> bytes:
    """The key in ``path``, made first when it does not exist (two processes agree on one)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{KEY_FILE}.{os.getpid()}.{threading.get_ident()}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(Fernet.generate_key())
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temp, path)  # atomic, and never replaces a key another process made
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    key = path.read_bytes().strip()
    try:
        Fernet(key)
    except ValueError as exc:
        raise ConfigError(
            f"{path} does not hold a Fernet key; restore it, or set ASSAY_SECRET_KEY to the "
            f"servers' key (make one with {_MAKE_KEY}); see docs/configuration.md"
        ) from exc
    return key
