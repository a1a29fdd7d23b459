"""Provider keys encrypted at rest: Fernet (AES-128-CBC with HMAC-SHA256) under the server's
secret key (``ASSAY_SECRET_KEY``, else ``secret.key`` in ``ASSAY_DATA_DIR``, made on first use
with mode 0600).

Only ciphertext reaches the store; the browser only ever sees :func:`mask`.
"""

from __future__ import annotations


def encrypt(plaintext: str) -> str:
    """The key encrypted (a URL-safe text token)."""
    raise NotImplementedError


def decrypt(token: str) -> str:
    """The key back. ConfigError when the secret key is not the one that encrypted it."""
    raise NotImplementedError


def mask(key: str) -> str:
    """A hint that identifies the key without revealing it: ``sk-…x7Qa``."""
    raise NotImplementedError
