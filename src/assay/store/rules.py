"""The part of the Store protocol that keeps online rules (issue 9).

A rule picks finished production spans with a :class:`~assay.schema.RuleFilter`, samples them
and scores them; the ingest matcher reads :meth:`RuleStore.active_rules`, the scoring job reads
a rule by id, and a backfill pages through the spans of a past time range that match a rule's
filter (:meth:`RuleStore.rule_span_keys`) and skips those the rule has scored already.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from assay.schema import Rule, RuleFilter, RuleIn, Span

SpanKey = tuple[str, str]
"""A span of a project: ``(trace_id, span_id)``."""


@dataclass(slots=True)
class SpanKeyPage:
    """A page of spans matching a rule's filter, oldest first.

    ``next_cursor`` is None on the last page; pass it back as ``after`` for the next one.
    """

    keys: list[SpanKey] = field(default_factory=list)
    next_cursor: str | None = None


@dataclass(slots=True)
class SpanRange:
    """Finished production spans that started in [``start``, ``end``) (microseconds) and match
    ``filter``."""

    filter: RuleFilter
    start: int
    end: int


class RuleStore(Protocol):
    """Online rules: create, list, read, change, delete; what the ingest matcher and backfills
    need."""

    def create_rule(self, project_id: str, rule: RuleIn) -> Rule | None:
        """Create rule ``rule.name``; None when the project already has one of that name."""

    def list_rules(self, project_id: str, *, stats: bool = True) -> list[Rule]:
        """The project's rules by name, each with its :class:`~assay.schema.RuleStats` unless
        ``stats`` is False."""

    def get_rule(self, project_id: str, name: str, *, stats: bool = True) -> Rule | None:
        """Rule ``name`` (with its stats unless ``stats`` is False), or None."""

    def rule_by_id(self, project_id: str, rule_id: str) -> Rule | None:
        """The rule with id ``rule_id`` (no stats), or None when it was deleted."""

    def update_rule(self, project_id: str, name: str, changes: dict[str, Any]) -> Rule:
        """Change some of description, enabled, filter, sample_rate, scorers, route (given as
        plain JSON values, as ``RulePatch.model_dump`` makes them).

        Raises:
            NotFoundError: The rule does not exist.
            UsageError: A field cannot change.
        """

    def delete_rule(self, project_id: str, name: str) -> int:
        """Delete rule ``name`` and cancel its queued and running jobs; returns how many jobs
        were cancelled. Its scores stay (their ``rule_id`` then names no rule).

        Raises:
            NotFoundError: The rule does not exist.
        """

    def active_rules(self) -> dict[str, list[Rule]]:
        """The enabled rules of every project by project id (no stats): what the ingest
        matcher runs."""

    def rule_span_keys(
        self, project_id: str, spans: SpanRange, *, after: str | None = None, limit: int = 500
    ) -> SpanKeyPage:
        """A page of the spans in ``spans``, ordered by (start_time, trace_id, span_id).

        Raises:
            UsageError: ``after`` is not a cursor this listing made.
        """

    def count_rule_spans(self, project_id: str, spans: SpanRange) -> int:
        """How many spans ``spans`` holds."""

    def spans_to_score(self, project_id: str, keys: Sequence[SpanKey]) -> list[Span]:
        """The finished spans among ``keys``, with their bodies, in the order of ``keys``
        (spans not found are left out): one read for a whole score job."""

    def span_body_sizes(self, project_id: str, keys: Sequence[SpanKey]) -> list[int]:
        """Characters of input plus output of each span found among ``keys`` (for estimates)."""

    def scored_by_rule(
        self, project_id: str, rule_id: str, keys: Sequence[SpanKey]
    ) -> set[SpanKey]:
        """Those of ``keys`` that have a score written by rule ``rule_id``."""
