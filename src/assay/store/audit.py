"""The part of the Store protocol that keeps the audit log, project settings and data retention. (issue 8)."""

from __future__ import annotations

from typing import Protocol


class AuditStore(Protocol):
    """The audit log, project settings and data retention."""
