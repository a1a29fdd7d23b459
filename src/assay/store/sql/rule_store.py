"""``RuleStore``: the rule methods of :class:`SqlStore` (issue 9)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from assay.schema import Rule, RuleIn, RuleStats, Span
from assay.store.rules import SpanKey, SpanKeyPage, SpanRange
from assay.store.sql import engine as engines
from assay.store.sql import rules
from assay.store.sql.dialect import Dialect


class SqlRuleStore:
    """Mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method

    def create_rule(self, project_id: str, rule: RuleIn) -> Rule | None:
        """Create rule ``rule.name``; None when the project already has one of that name."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = rules.create(conn, self.dialect, project_id, rule)
            return None if row is None else rules.to_model(row, project, RuleStats())

    def list_rules(self, project_id: str, *, stats: bool = True) -> list[Rule]:
        """The project's rules by name, with their stats unless ``stats`` is False."""
        now = rules.now_micros()
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            return [
                rules.to_model(row, project, rules.stats(conn, row, now=now) if stats else None)
                for row in rules.list_rows(conn, project_id)
            ]

    def get_rule(self, project_id: str, name: str, *, stats: bool = True) -> Rule | None:
        """Rule ``name`` (with its stats unless ``stats`` is False), or None."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = rules.find(conn, project_id, name)
            if row is None:
                return None
            found = rules.stats(conn, row, now=rules.now_micros()) if stats else None
            return rules.to_model(row, project, found)

    def rule_by_id(self, project_id: str, rule_id: str) -> Rule | None:
        """The rule with id ``rule_id`` (no stats), or None when it was deleted."""
        with engines.reading(self.engine) as conn:
            row = rules.find_by_id(conn, project_id, rule_id)
            if row is None:
                return None
            return rules.to_model(row, self._project_name(conn, project_id))

    def update_rule(self, project_id: str, name: str, changes: dict[str, Any]) -> Rule:
        """Change some of description, enabled, filter, sample_rate, scorers, route."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = rules.require(conn, project_id, project, name, lock=True)
            if changes:
                row = rules.update(conn, row, changes)
            return rules.to_model(row, project, rules.stats(conn, row, now=rules.now_micros()))

    def delete_rule(self, project_id: str, name: str) -> int:
        """Delete rule ``name`` and cancel its unfinished jobs; returns how many."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = rules.require(conn, project_id, project, name, lock=True)
            return rules.delete(conn, row)

    def active_rules(self) -> dict[str, list[Rule]]:
        """The enabled rules of every project by project id (no stats)."""
        found: dict[str, list[Rule]] = {}
        with engines.reading(self.engine) as conn:
            for row, project in rules.active_rows(conn):
                found.setdefault(row["project_id"], []).append(rules.to_model(row, project))
        return found

    def rule_span_keys(
        self, project_id: str, spans: SpanRange, *, after: str | None = None, limit: int = 500
    ) -> SpanKeyPage:
        """A page of the spans in ``spans``, ordered by (start_time, trace_id, span_id)."""
        with engines.reading(self.engine) as conn:
            return rules.key_page(conn, self.dialect, project_id, spans, after=after, limit=limit)

    def count_rule_spans(self, project_id: str, spans: SpanRange) -> int:
        """How many spans ``spans`` holds."""
        with engines.reading(self.engine) as conn:
            return rules.count(conn, self.dialect, project_id, spans)

    def spans_to_score(self, project_id: str, keys: Sequence[SpanKey]) -> list[Span]:
        """The finished spans among ``keys`` with their bodies, in the order of ``keys``."""
        if not keys:
            return []
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            return rules.spans_with_bodies(conn, project_id, project, keys)

    def span_body_sizes(self, project_id: str, keys: Sequence[SpanKey]) -> list[int]:
        """Characters of input plus output of each span found among ``keys``."""
        with engines.reading(self.engine) as conn:
            return rules.body_sizes(conn, project_id, keys)

    def scored_by_rule(
        self, project_id: str, rule_id: str, keys: Sequence[SpanKey]
    ) -> set[SpanKey]:
        """Those of ``keys`` that have a score written by rule ``rule_id``."""
        if not keys:
            return set()
        with engines.reading(self.engine) as conn:
            return rules.scored_by(conn, project_id, rule_id, keys)
