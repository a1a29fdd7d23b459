"""The Store protocol: what the server may ask of storage, in the product's words.

Times inside the store are integers: microseconds since the Unix epoch (UTC).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, Protocol

from assay.schema import (
    CasePage,
    Comparison,
    Dataset,
    DatasetRecord,
    DatasetRecordIn,
    DatasetVersion,
    Experiment,
    ExperimentCase,
    ExperimentIn,
    Judge,
    JudgeIn,
    JudgeVersion,
    NextItems,
    Project,
    Queue,
    QueueIn,
    QueueItemPage,
    QueueItemRef,
    RecordPage,
    Review,
    Score,
    ScoreConfig,
    ScoreConfigIn,
    ScoreIn,
    SeriesPoint,
    Span,
    SpanPage,
    SummaryScore,
    Trace,
    TracePage,
)
from assay.store.access import AccessStore
from assay.store.alerts import AlertStore
from assay.store.audit import AuditStore
from assay.store.identity import IdentityStore
from assay.store.jobs import JobStore
from assay.store.prompts import AgentStore, PromptStore, ProviderSecret, ProviderStore
from assay.store.rules import RuleStore
from assay.store.shapes import (
    AddedItems,
    AddResult,
    ClaimedJob,
    JobOutcome,
    JobQuery,
    JobRetry,
    NewJob,
    NewSpan,
    PairQuery,
    QueueAdd,
    RecordQuery,
    RecordWrite,
    ReviewScore,
    ReviewWrite,
    ScorePair,
    SeriesQuery,
    SpanQuery,
    TraceQuery,
    TraceSort,
)

__all__ = [
    "AddResult",
    "AddedItems",
    "ClaimedJob",
    "JobOutcome",
    "JobQuery",
    "JobRetry",
    "NewJob",
    "NewSpan",
    "PairQuery",
    "ProviderSecret",
    "QueueAdd",
    "RecordQuery",
    "RecordWrite",
    "ReviewScore",
    "ReviewWrite",
    "ScorePair",
    "SeriesQuery",
    "SpanQuery",
    "Store",
    "TraceQuery",
    "TraceSort",
]


class Store(
    JobStore,
    RuleStore,
    AlertStore,
    IdentityStore,
    AccessStore,
    AuditStore,
    PromptStore,
    ProviderStore,
    AgentStore,
    Protocol,
):
    """Everything the server needs from storage (jobs, rules, alerts, users, access, audit,
    prompts, providers and agents in their own modules)."""

    def migrate(self) -> None:
        """Bring the schema up to date (Alembic ``upgrade head``)."""

    def ensure_project(self, name: str) -> str:
        """Return the id of project ``name``, creating it on first use."""

    def find_project(self, name: str) -> str | None:
        """Return the id of project ``name``, or None when there is none."""

    def list_projects(self) -> list[Project]:
        """Every project with its volume, newest activity first."""

    def add_spans(
        self,
        project_id: str,
        spans: Sequence[NewSpan],
        *,
        followup: Callable[[Sequence[NewSpan]], Sequence[NewJob]] | None = None,
    ) -> AddResult:
        """Commit spans; idempotent per (project, trace_id, span_id). Returns after commit.

        ``followup``, when given, is called inside the write transaction with the finished
        spans this call newly wrote (not duplicates, not start events; a start event completed
        by this batch counts); the jobs it returns are enqueued in the same transaction, so
        they are committed exactly when the spans are (online scoring uses it).
        """

    def get_trace(self, project_id: str, trace_id: str, *, bodies: bool = True) -> Trace | None:
        """One trace as a tree; ``bodies=False`` leaves out input, output, expected, metadata."""

    def trace_json(self, project_id: str, trace_id: str, *, bodies: bool = True) -> bytes | None:
        """``get_trace`` as the JSON of a ``schema.Trace``, for answering HTTP fast."""

    def get_span(self, project_id: str, trace_id: str, span_id: str) -> Span | None:
        """One span with its bodies."""

    def list_traces(self, project_id: str, query: TraceQuery) -> TracePage:
        """A page of the trace list."""

    def list_spans(self, project_id: str, query: SpanQuery) -> SpanPage:
        """A page of the span list, newest first."""

    def series(self, project_id: str, query: SeriesQuery) -> list[SeriesPoint]:
        """Aggregates per time bucket (traces by start time)."""

    def index_search_text(self, *, limit: int = 2000) -> int:
        """Index up to ``limit`` more spans for text search, in one write transaction.

        Returns how many spans it indexed: 0 once the index has caught up (and always when the
        database keeps its index itself, as PostgreSQL does). Spans not indexed yet are still
        found by search, only more slowly; the server calls this while ingest is quiet.
        """

    # -------------------------------------------------------------- datasets (issue 3)
    def create_dataset(
        self, project_id: str, name: str, *, description: str | None = None
    ) -> Dataset | None:
        """Create dataset ``name`` at version 0; None when the project already has one."""

    def list_datasets(self, project_id: str) -> list[Dataset]:
        """Every dataset of the project, by name."""

    def get_dataset(self, project_id: str, name: str) -> Dataset | None:
        """Dataset ``name`` with its latest version, or None."""

    def write_dataset_records(
        self, project_id: str, dataset: str, records: Sequence[DatasetRecordIn]
    ) -> RecordWrite:
        """Insert records (an existing id is replaced) as one new version.

        Raises:
            NotFoundError: The dataset does not exist.
        """

    def update_dataset_record(
        self, project_id: str, dataset: str, record_id: str, changes: dict[str, Any]
    ) -> DatasetRecord:
        """Change some of ``input``, ``expected``, ``metadata``, ``tags`` (one new version).

        Raises:
            NotFoundError: The dataset or the record (at the latest version) does not exist.
        """

    def delete_dataset_record(self, project_id: str, dataset: str, record_id: str) -> int:
        """Delete a record from the next version; returns that version.

        Raises:
            NotFoundError: The dataset or the record (at the latest version) does not exist.
        """

    def list_dataset_records(self, project_id: str, dataset: str, query: RecordQuery) -> RecordPage:
        """A page of records as they were at a version, in insertion order.

        Raises:
            NotFoundError: The dataset or the version does not exist.
            UsageError: The cursor is not one the store made.
        """

    def list_dataset_versions(self, project_id: str, dataset: str) -> list[DatasetVersion]:
        """Every version of a dataset, oldest first (NotFoundError when there is no dataset)."""

    def add_dataset_records_from_spans(
        self, project_id: str, dataset: str, spans: Sequence[tuple[str, str]]
    ) -> RecordWrite:
        """One record per finished span of ``spans`` ((trace_id, span_id)) as one new version:
        input → input, output → expected, source: the span. Spans not found are left out; when
        none is found no version is made (``ids`` empty).

        Raises:
            NotFoundError: The dataset does not exist.
        """

    # ----------------------------------------------------------- experiments (issue 3)
    def create_experiment(self, project_id: str, experiment: ExperimentIn) -> Experiment:
        """Create a running experiment; a taken name gets a ``-2``, ``-3``, … suffix.

        A dataset named without a version is pinned to the dataset's latest version.
        """

    def list_experiments(self, project_id: str) -> list[Experiment]:
        """Every experiment of the project with its summary, newest first."""

    def get_experiment(self, project_id: str, name: str) -> Experiment | None:
        """Experiment ``name`` with its summary, or None."""

    def add_experiment_cases(
        self, project_id: str, experiment: str, cases: Sequence[ExperimentCase]
    ) -> int:
        """Store cases (idempotent per case_id and trial) and their numeric scores as score
        rows; returns how many were new. NotFoundError when the experiment does not exist."""

    def finish_experiment(
        self,
        project_id: str,
        experiment: str,
        *,
        status: str,
        ended_at: int | None = None,
        summary_scores: Mapping[str, SummaryScore] | None = None,
    ) -> Experiment:
        """Mark an experiment finished or interrupted, with its summary scores (NotFoundError
        when it does not exist)."""

    def finish_running_experiment(self, project_id: str, experiment: str, *, status: str) -> bool:
        """Mark an experiment finished or interrupted only if it is still running, in one
        statement; False (nothing changed) when it ended meanwhile (a cancel) or does not exist."""

    def list_experiment_cases(
        self, project_id: str, experiment: str, *, limit: int = 100, cursor: str | None = None
    ) -> CasePage:
        """A page of an experiment's cases by (case_id, trial)."""

    def compare_experiments(
        self, project_id: str, experiment: str, *, baseline: str | None = None, cases: bool = True
    ) -> Comparison:
        """The experiment against ``baseline`` (default: its explicit baseline, else the latest
        earlier experiment on the same dataset). NotFoundError when either is missing.
        ``cases=False`` leaves the case diffs out and reads no bodies."""

    # ---------------------------------------------------------------- scores (issue 3)
    def record_scores(self, project_id: str, scores: Sequence[ScoreIn]) -> list[str]:
        """Store scores; returns their new ids in order."""

    def list_trace_scores(self, project_id: str, trace_id: str) -> list[Score]:
        """The current (not superseded) scores of a trace, oldest first."""

    # ---------------------------------------------------------------- judges (issue 4)
    def save_judge(self, project_id: str, judge: JudgeIn) -> Judge:
        """Create a judge, or add a version when its definition changed (``created`` says).

        The judge-level fields sent in ``judge`` (description, score_name, threshold,
        threshold_metric) are updated either way.
        """

    def list_judges(self, project_id: str) -> list[Judge]:
        """Every judge of the project at its latest version, by name."""

    def get_judge(self, project_id: str, name: str, *, version: int | None = None) -> Judge | None:
        """Judge ``name`` at ``version`` (latest when None), or None when there is no judge.

        Raises:
            NotFoundError: The judge exists but not that version.
        """

    def list_judge_versions(self, project_id: str, name: str) -> list[JudgeVersion]:
        """Every version of a judge, oldest first (NotFoundError when there is no judge)."""

    def update_judge(self, project_id: str, name: str, changes: dict[str, Any]) -> Judge:
        """Change some of description, score_name, threshold, threshold_metric.

        Raises:
            NotFoundError: The judge does not exist.
        """

    def judge_score_pairs(self, project_id: str, query: PairQuery) -> list[ScorePair]:
        """Judge scores paired with human scores on the same (trace_id, span_id).

        Superseded scores are left out; when a side has several scores on one target the latest
        (by created_at, then id) counts. Most recently judged first.
        """

    # ----------------------------------------------------------- human review (issue 6)
    def create_score_config(self, project_id: str, config: ScoreConfigIn) -> ScoreConfig | None:
        """Create score config ``config.name``; None when the project already has one."""

    def list_score_configs(
        self, project_id: str, *, include_archived: bool = False
    ) -> list[ScoreConfig]:
        """The project's score configs by name (archived ones only when asked)."""

    def get_score_config(self, project_id: str, name: str) -> ScoreConfig | None:
        """Score config ``name`` (archived or not), or None."""

    def update_score_config(
        self, project_id: str, name: str, changes: dict[str, Any]
    ) -> ScoreConfig:
        """Change some of description, min, max, step, categories, archived (never the kind).

        Raises:
            NotFoundError: The config does not exist.
            UsageError: A field cannot change, or the config would become invalid.
        """

    def create_queue(self, project_id: str, queue: QueueIn) -> Queue | None:
        """Create queue ``queue.name``; None when the project already has one."""

    def list_queues(self, project_id: str) -> list[Queue]:
        """The project's queues with their progress, newest first."""

    def get_queue(self, project_id: str, name: str, *, progress: bool = True) -> Queue | None:
        """Queue ``name`` with its progress (zeros when ``progress`` is False), or None."""

    def update_queue(self, project_id: str, name: str, changes: dict[str, Any]) -> Queue:
        """Change some of instructions, assignees, reviews_per_item, archived.

        Raises:
            NotFoundError: The queue does not exist.
        """

    def add_queue_items(
        self, project_id: str, queue: str, items: Sequence[QueueItemRef]
    ) -> AddedItems:
        """Enqueue traces (``span_id`` None) or spans; an item already queued is a duplicate.

        Raises:
            NotFoundError: The queue, or a trace named, does not exist.
        """

    def add_queue_items_from_traces(
        self,
        project_id: str,
        queue: str,
        query: TraceQuery,
        *,
        sample: int | None = None,
        target: Literal["trace", "root_span"] = "trace",
    ) -> AddedItems:
        """Enqueue every trace matching ``query`` (or ``sample`` random ones), in SQL."""

    def list_queue_items(
        self,
        project_id: str,
        queue: str,
        *,
        status: Literal["pending", "done", "all"] = "all",
        limit: int = 50,
        cursor: str | None = None,
    ) -> QueueItemPage:
        """A page of a queue's items in queue order."""

    def next_queue_items(
        self,
        project_id: str,
        queue: str,
        *,
        reviewer: str,
        count: int = 1,
        after: str | None = None,
        now: int | None = None,
    ) -> NextItems:
        """Hold and return the next items ``reviewer`` should review, with the progress.

        An item qualifies when the reviewer has neither reviewed nor skipped it, it still
        needs reviews, and its reviews plus other reviewers' live holds leave room for one
        more. ``after`` (an item id) skips items up to it; ``now`` (µs) defaults to the clock.
        """

    def submit_review(
        self, project_id: str, queue: str, item_id: str, review: ReviewWrite
    ) -> Review:
        """Store a review and its score rows; the reviewer's previous review of the item, if
        any, is superseded. Releases the reviewer's hold."""

    def skip_queue_item(self, project_id: str, queue: str, item_id: str, reviewer: str) -> None:
        """Release the reviewer's hold; ``next_queue_items`` will not offer them the item."""

    def list_queue_reviews(
        self,
        project_id: str,
        queue: str,
        *,
        item_id: str | None = None,
        reviewer: str | None = None,
    ) -> list[Review]:
        """The current reviews of a queue, oldest first."""

    def close(self) -> None:
        """Release connections."""
