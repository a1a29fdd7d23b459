"""The part of the Store protocol that keeps alerts and their history (issue 9)."""

from __future__ import annotations

from typing import Protocol


class AlertStore(Protocol):
    """Alerts on a project's series, their state transitions and their events."""
