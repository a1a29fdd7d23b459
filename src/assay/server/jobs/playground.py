"""Job kind ``playground_experiment``: a playground variant run over a dataset with scorers,
written as an experiment (cases, scores, summary), page by page with progress; cancellable.
"""

from __future__ import annotations

from assay.server.jobs.base import Handler, Periodic

KIND = "playground_experiment"

HANDLERS: dict[str, Handler] = {}
PERIODIC: list[Periodic] = []
