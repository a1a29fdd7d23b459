"""The values the Store protocol speaks in: queries, write requests and what writes did.

Times are integers: microseconds since the Unix epoch (UTC).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from assay.schema import QueueItemRef, ScoreIn

TraceSort = Literal[
    "start_time", "-start_time", "duration", "-duration", "cost", "-cost", "tokens", "-tokens"
]


@dataclass(slots=True)
class NewSpan:
    """A validated span ready to be written (made by the server from native or OTLP input).

    ``input``, ``output``, ``expected`` and ``metadata`` are plain JSON values; the store decides
    whether they are kept inline or as a blob. ``end_time`` None means a start event.
    """

    trace_id: str
    span_id: str
    parent_id: str | None
    name: str
    kind: str
    start_time: int
    end_time: int | None
    status: str
    error: dict[str, Any] | None = None
    input: Any = None
    output: Any = None
    expected: Any = None
    metadata: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    model: str | None = None
    session_id: str | None = None
    user_id: str | None = None
    environment: str | None = None
    release: str | None = None
    experiment_id: str | None = None


@dataclass(slots=True)
class AddResult:
    """What ``add_spans`` did: finished spans written, start events kept open, repeats ignored."""

    written: int = 0
    opened: int = 0
    duplicates: int = 0


@dataclass(slots=True)
class TraceQuery:
    """Filters of the trace list. Every field left at None filters nothing.

    ``name``, ``status``, the latency/cost ranges and ``tags`` apply to the trace (its root span
    and its totals); ``kind``, ``model``, ``metadata`` and ``text`` match when any span of the
    trace matches. ``text`` is a case-insensitive substring search over input and output.
    ``experiment_id`` None lists the production log; an experiment's id lists its traces.
    ``score_below``/``score_above`` keep traces whose mean current ``score_name`` score is
    strictly below/above the bound (traces without such scores are left out).
    """

    start_from: int | None = None
    start_to: int | None = None
    name: str | None = None
    kind: str | None = None
    status: Literal["ok", "error"] | None = None
    tags: Sequence[str] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    model: str | None = None
    min_duration_ms: float | None = None
    max_duration_ms: float | None = None
    min_cost: float | None = None
    max_cost: float | None = None
    text: str | None = None
    session_id: str | None = None
    user_id: str | None = None
    experiment_id: str | None = None
    score_name: str | None = None
    score_below: float | None = None
    score_above: float | None = None
    sort: TraceSort = "-start_time"
    limit: int = 50
    cursor: str | None = None


@dataclass(slots=True)
class SpanQuery:
    """Filters of the span list (each applies to the span itself)."""

    start_from: int | None = None
    start_to: int | None = None
    trace_id: str | None = None
    name: str | None = None
    kind: str | None = None
    status: Literal["ok", "error"] | None = None
    tags: Sequence[str] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    model: str | None = None
    min_duration_ms: float | None = None
    max_duration_ms: float | None = None
    text: str | None = None
    limit: int = 50
    cursor: str | None = None


@dataclass(slots=True)
class SeriesQuery:
    """A time series of trace aggregates: buckets of ``bucket_seconds`` from start to end."""

    start: int
    end: int
    bucket_seconds: int = 3600
    name: str | None = None


@dataclass(slots=True)
class RecordQuery:
    """Which records of a dataset to list: at ``version`` (latest when None), a page of them.

    ``text`` is a case-insensitive substring search over input and expected.
    """

    version: int | None = None
    limit: int = 100
    cursor: str | None = None
    text: str | None = None


@dataclass(slots=True)
class PairQuery:
    """Which scores of a judge to pair with which human scores.

    Judge scores: source ``llm_judge``, ``judge`` = ``judge``, name = ``score_name``, version =
    ``version`` (any when None), written in [``since``, ``until``) when given (microseconds).
    Human scores: source ``human``, name = ``human``.
    """

    judge: str
    score_name: str
    human: str
    version: int | None = None
    since: int | None = None
    until: int | None = None


@dataclass(slots=True)
class ScorePair:
    """A judge score and a human score on the same trace and span (``span_id`` None: the trace).

    Times are microseconds since the epoch.
    """

    trace_id: str
    span_id: str | None
    judge_value: float | None
    judge_label: str | None
    rationale: str | None
    judged_at: int
    human_value: float | None
    human_label: str | None
    author: str | None


@dataclass(slots=True)
class AddedItems:
    """What adding items to a queue did: new items, and items the queue already had."""

    added: int = 0
    duplicates: int = 0


@dataclass(slots=True)
class ReviewScore:
    """One score row of a review, already checked against its config.

    ``text`` is the answer of a text config (kept as the score's rationale).
    """

    name: str
    value: float | None
    label: str | None = None
    text: str | None = None


@dataclass(slots=True)
class ReviewWrite:
    """A review to store: the scores as sent (``answers``) and as score rows (``rows``)."""

    reviewer: str
    answers: dict[str, bool | float | str]
    rows: list[ReviewScore]
    comment: str | None = None
    corrected_output: Any = None


@dataclass(slots=True)
class RecordWrite:
    """What one insert call did: the version it made and the record ids in order."""

    version: int
    ids: list[str]


# ----------------------------------------------------------------------------- jobs (issue 9)
@dataclass(slots=True)
class NewJob:
    """A job to enqueue.

    ``dedupe_key``, when set, makes the enqueue idempotent: a second job with the same key is
    not added (periodic jobs and backfill pages use it). ``run_after`` is microseconds since
    the epoch (None: now); ``max_attempts`` None takes the ``job_max_attempts`` setting.
    """

    kind: str
    payload: dict[str, Any] = field(default_factory=dict)
    project_id: str | None = None
    rule_id: str | None = None
    dedupe_key: str | None = None
    run_after: int | None = None
    max_attempts: int | None = None
    progress_total: int | None = None


@dataclass(slots=True)
class ClaimedJob:
    """A job a worker holds: only ``token``'s holder can finish or fail it, until ``lease_until``.

    ``attempts`` counts this attempt (1 on the first run).
    """

    id: str
    kind: str
    payload: dict[str, Any]
    project_id: str | None
    rule_id: str | None
    token: str
    attempts: int
    max_attempts: int
    lease_until: int
    progress_done: int = 0
    progress_total: int | None = None


@dataclass(slots=True)
class QueueAdd:
    """Items a job adds to an annotation queue (by the queue's name)."""

    queue: str
    items: list[QueueItemRef]


@dataclass(slots=True)
class JobOutcome:
    """What a job did, applied in one transaction with finishing it (so never twice).

    ``scores`` are written with ``rule_id`` (the job's rule); ``queue_items`` are added to
    their queues (an item already queued is a duplicate, not an error); ``jobs`` are enqueued.
    With ``retry`` set the effects are still applied but the job is not done: it goes back to
    the queue with ``retry.payload`` (the work that is left) after a backoff, or is dead when it
    has no attempts left. With ``again`` set the job is not done either: it is queued again
    at once with ``again`` as its payload (a backfill's next page), without counting a failure.
    """

    scores: list[ScoreIn] = field(default_factory=list)
    queue_items: list[QueueAdd] = field(default_factory=list)
    jobs: list[NewJob] = field(default_factory=list)
    result: dict[str, Any] | None = None
    progress_done: int | None = None
    progress_total: int | None = None
    retry: JobRetry | None = None
    again: dict[str, Any] | None = None


@dataclass(slots=True)
class JobRetry:
    """The part of a job that failed: the payload to run again and why it failed."""

    payload: dict[str, Any]
    error: str


@dataclass(slots=True)
class JobQuery:
    """Which jobs to list: by status, kind or rule; newest first, a page at a time."""

    status: str | None = None
    kind: str | None = None
    rule_id: str | None = None
    limit: int = 50
    cursor: str | None = None
