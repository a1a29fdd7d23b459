"""The part of the Store protocol that keeps users, sessions and failed sign-ins (authentication). (issue 8)."""

from __future__ import annotations

from typing import Protocol


class IdentityStore(Protocol):
    """Users, sessions and failed sign-ins (authentication)."""
