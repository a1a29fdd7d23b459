"""Jobs of kind ``score`` (issue 9)."""

from __future__ import annotations

from assay.server.jobs.base import Handler, Periodic

HANDLERS: dict[str, Handler] = {}
PERIODIC: list[Periodic] = []
