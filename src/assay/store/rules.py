"""The part of the Store protocol that keeps online rules (issue 9)."""

from __future__ import annotations

from typing import Protocol


class RuleStore(Protocol):
    """Online rules: create, list, read, change, delete; what the ingest matcher needs."""
