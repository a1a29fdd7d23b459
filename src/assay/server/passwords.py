"""Password hashing (argon2id) and the random tokens of sessions.

Passwords are hashed with argon2id through argon2-cffi's :class:`~argon2.PasswordHasher`
(its defaults follow RFC 9106's recommendation). Session tokens are long and random, so the
store keeps their SHA-256 (:func:`token_hash`), which is fast enough to check per request.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``, with a fresh salt."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``.

    With no hash (an unknown email, a user without a password) a dummy hash is checked anyway,
    so the answer takes as long as for a real user and timing does not reveal who exists.
    """
    try:
        matched = _HASHER.verify(stored_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and stored_hash is not None


def needs_rehash(stored_hash: str) -> bool:
    """Whether ``stored_hash`` was made with weaker parameters than today's (hash again)."""
    return _HASHER.check_needs_rehash(stored_hash)


def new_token() -> str:
    """A new random token for a cookie or a CSRF check (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The SHA-256 hex of a token: what the store keeps of session tokens and API keys."""
    return hashlib.sha256(token.encode()).hexdigest()
