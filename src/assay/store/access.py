"""The part of the Store protocol that keeps memberships, roles and project API keys (authorisation). (issue 8)."""

from __future__ import annotations

from typing import Protocol


class AccessStore(Protocol):
    """Memberships, roles and project API keys (authorisation)."""
