"""The ingest side of online evaluation: which newly written spans each rule scores.

Every API server keeps the enabled rules of every project in memory (:class:`OnlineRules`),
read again from the store at most every ``refresh_seconds`` and at once after this server
changed a rule. For each ingest request it hands ``Store.add_spans`` a *followup*: called
inside the write transaction with the spans the request newly wrote, it returns one ``score``
job per rule for the spans that match the rule's filter and fall in its sample (chunks of at
most :data:`CHUNK` spans), and the store commits those jobs with the spans. A project without
an enabled rule gets no followup at all, so ingest pays nothing for online scoring there.

Matching is plain Python on :class:`~assay.store.shapes.NewSpan` fields, with the meaning the
backfill's SQL gives a :class:`~assay.schema.RuleFilter` (:mod:`assay.store.sql.rules`).
Sampling is deterministic: a span is in a rule's sample when the hash of
``"{rule_id}:{trace_id}:{span_id}"`` falls below the rate, so a resent span, a backfill and
every server agree on it.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.requests import Request

from assay.schema import Rule, RuleFilter
from assay.store.base import NewJob, NewSpan, Store

CHUNK = 100
"""Most spans in one ``score`` job."""
REFRESH_SECONDS = 2.0
_SCALE = 2**64
Followup = Callable[[Sequence[NewSpan]], list[NewJob]]


def sample_point(rule_id: str, trace_id: str, span_id: str) -> int:
    """Where a span falls in a rule's sample: an integer in [0, 2**64)."""
    digest = hashlib.blake2b(f"{rule_id}:{trace_id}:{span_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def in_sample(rule_id: str, trace_id: str, span_id: str, rate: float) -> bool:
    """Whether rule ``rule_id`` with sample rate ``rate`` scores the span (deterministic)."""
    return sample_point(rule_id, trace_id, span_id) < rate * _SCALE


def metadata_text(value: Any) -> str | None:
    """A metadata value as the filters compare it (SQL's JSON ``->>``): None never matches."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return orjson.dumps(value).decode()


@dataclass(frozen=True, slots=True)
class Matcher:
    """One enabled rule, prepared for matching many spans fast."""

    rule_id: str
    threshold: int
    name: str | None = None
    kind: str | None = None
    status: str | None = None
    model: str | None = None
    root_only: bool = False
    tags: tuple[str, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, rule: Rule) -> Matcher:
        """The matcher of ``rule``."""
        where: RuleFilter = rule.filter
        pairs = tuple(item.partition("=")[::2] for item in where.metadata)
        return cls(
            rule_id=rule.id,
            threshold=int(rule.sample_rate * _SCALE),
            name=where.name,
            kind=where.kind,
            status=where.status,
            model=where.model,
            root_only=where.root_only,
            tags=tuple(dict.fromkeys(where.tag)),
            metadata=pairs,
        )

    def matches(self, span: NewSpan) -> bool:
        """Whether the rule's filter picks ``span`` (sampling aside)."""
        if span.experiment_id is not None or (self.root_only and span.parent_id is not None):
            return False
        if self.name is not None and span.name != self.name:
            return False
        if self.kind is not None and span.kind != self.kind:
            return False
        if self.status is not None and span.status != self.status:
            return False
        if self.model is not None and span.model != self.model:
            return False
        if self.tags and not all(tag in span.tags for tag in self.tags):
            return False
        meta = span.metadata
        return all(metadata_text(meta.get(key)) == value for key, value in self.metadata)

    def sampled(self, span: NewSpan) -> bool:
        """Whether ``span`` is in the rule's sample."""
        if self.threshold >= _SCALE:
            return True
        return sample_point(self.rule_id, span.trace_id, span.span_id) < self.threshold

    def jobs(self, project_id: str, spans: Iterable[NewSpan]) -> list[NewJob]:
        """The ``score`` jobs of the spans this rule picks and samples."""
        picked = [[s.trace_id, s.span_id] for s in spans if self.matches(s) and self.sampled(s)]
        return [
            NewJob(
                kind="score",
                payload={"rule_id": self.rule_id, "spans": picked[i : i + CHUNK]},
                project_id=project_id,
                rule_id=self.rule_id,
                progress_total=len(picked[i : i + CHUNK]),
            )
            for i in range(0, len(picked), CHUNK)
        ]


@dataclass(slots=True)
class OnlineRules:
    """The enabled rules of every project, cached per API server.

    Args:
        refresh_seconds: Longest time a rule changed elsewhere (another server) goes unseen.
        clock: Monotonic seconds (a seam for tests).
    """

    refresh_seconds: float = REFRESH_SECONDS
    clock: Callable[[], float] = time.monotonic
    _by_project: dict[str, tuple[Matcher, ...]] = field(default_factory=dict)
    _loaded_at: float | None = None
    _generation: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def invalidate(self) -> None:
        """Read the rules again on the next request (after this server changed one)."""
        self._generation += 1
        self._loaded_at = None

    def followup(self, store: Store, project_id: str) -> Followup | None:
        """The followup of an ingest request of the project, or None when no rule is enabled."""
        matchers = self._rules(store).get(project_id)
        if not matchers:
            return None

        def followup(spans: Sequence[NewSpan]) -> list[NewJob]:
            found: list[NewJob] = []
            for matcher in matchers:
                found.extend(matcher.jobs(project_id, spans))
            return found

        return followup

    def _fresh(self) -> bool:
        loaded = self._loaded_at
        return loaded is not None and self.clock() - loaded < self.refresh_seconds

    def _rules(self, store: Store) -> dict[str, tuple[Matcher, ...]]:
        if self._fresh():
            return self._by_project
        # Without rules read at all (or just changed here) wait for them; otherwise a request
        # finding another one reading goes on with the rules it has.
        if not self._lock.acquire(blocking=self._loaded_at is None):
            return self._by_project
        try:
            if not self._fresh():
                generation, started = self._generation, self.clock()
                active = store.active_rules()
                self._by_project = {
                    pid: tuple(Matcher.of(rule) for rule in found)
                    for pid, found in active.items()
                    if found
                }
                if generation == self._generation:
                    self._loaded_at = started
        finally:
            self._lock.release()
        return self._by_project


_STATE_LOCK = threading.Lock()


def online_of(request: Request) -> OnlineRules:
    """The application's rule cache (made on first use)."""
    state = request.app.state
    found: OnlineRules | None = getattr(state, "online_rules", None)
    if found is None:
        with _STATE_LOCK:
            found = getattr(state, "online_rules", None)
            if found is None:
                found = OnlineRules()
                state.online_rules = found
    return found
