"""Datasets, experiments, comparisons and scores as they travel between the SDK and the server.

Datasets are versioned: every insert, update or delete call makes exactly one new version and
records keep stable ids. An experiment is one run of a task over a dataset (version) with
scorers; its cases arrive in batches while it runs (``ExperimentCase``, idempotent per
``(case_id, trial)``), the spans of each case through the normal span ingest. A
:class:`Comparison` pairs the cases of two experiments by ``case_id``.
Times are RFC 3339 strings in UTC on the way out; on the way in also Unix seconds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from assay.schema.span import ErrorInfo, IngestRejection

ExperimentStatus = Literal["running", "finished", "interrupted"]
ScoreSource = Literal["code", "human", "llm_judge", "api"]
CaseStatus = Literal["improved", "regressed", "unchanged", "errored", "new"]


# ---------------------------------------------------------------------------------- datasets
class DatasetIn(BaseModel):
    """Body of ``POST /api/v1/projects/{project}/datasets``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    description: str | None = None


class Dataset(BaseModel):
    """A dataset and its latest version (0 = no change yet)."""

    id: str
    project: str
    name: str
    description: str | None = None
    version: int = 0
    record_count: int = 0
    created_at: datetime
    updated_at: datetime


class RecordSource(BaseModel):
    """Where a record came from: the production span, and the review or judge verdict that
    picked it (when it came from one)."""

    trace_id: str
    span_id: str
    project: str | None = None
    review_id: str | None = Field(default=None, description="The review it was taken from.")
    reviewer: str | None = Field(default=None, description="Who wrote that review.")
    judge: str | None = Field(default=None, description="The judge whose verdict flagged it.")
    judge_version: int | None = Field(default=None, description="That judge's version.")


class DatasetRecordIn(BaseModel):
    """One record to insert, or to update when ``id`` names an existing record."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, description="Stable id; server-made UUIDv7 when absent.")
    input: Any
    expected: Any = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    source: RecordSource | None = None


class RecordBatch(BaseModel):
    """Body of ``POST .../datasets/{name}/records``: items in the shape of DatasetRecordIn."""

    records: list[dict[str, Any]]


class TraceListFilter(BaseModel):
    """The filters of ``GET .../traces`` (same names, same meaning) as a JSON object.

    ``score_below``/``score_above`` compare the mean of the trace's current ``score_name``
    scores (strictly below / above); a trace without such scores does not match.
    """

    model_config = ConfigDict(extra="forbid")

    start_from: str | float | None = Field(default=None, description="RFC 3339 or Unix seconds.")
    start_to: str | float | None = Field(default=None, description="RFC 3339 or Unix seconds.")
    name: str | None = None
    kind: str | None = None
    status: Literal["ok", "error"] | None = None
    tag: list[str] = Field(default_factory=list, description="All must match.")
    metadata: list[str] = Field(default_factory=list, description="key=value; all must match.")
    model: str | None = None
    min_duration_ms: float | None = Field(default=None, ge=0)
    max_duration_ms: float | None = Field(default=None, ge=0)
    min_cost: float | None = Field(default=None, ge=0)
    max_cost: float | None = Field(default=None, ge=0)
    q: str | None = Field(default=None, description="Text searched in input and output.")
    session_id: str | None = None
    user_id: str | None = None
    experiment_id: str | None = Field(
        default=None, description="Traces of this experiment; left out, the production log."
    )
    score_name: str | None = Field(default=None, min_length=1, max_length=200)
    score_below: float | None = None
    score_above: float | None = None

    @model_validator(mode="after")
    def _score_bounds_need_a_name(self) -> TraceListFilter:
        bounded = self.score_below is not None or self.score_above is not None
        if bounded and not self.score_name:
            raise ValueError(
                "score_below/score_above need score_name: the name of the scores to compare"
            )
        return self


class RecordsFromTraces(BaseModel):
    """Body of ``POST .../datasets/{name}/records/from-traces``."""

    model_config = ConfigDict(extra="forbid")

    filter: TraceListFilter = Field(default_factory=TraceListFilter)
    limit: int = Field(default=1000, ge=1, le=10_000, description="Most traces taken.")


class RecordBatchResult(BaseModel):
    """What one insert call did: the new version, the ids in request order, the rejections."""

    version: int
    ids: list[str | None] = Field(description="Record ids in request order; null when rejected.")
    rejected: list[IngestRejection] = Field(default_factory=list)


class RecordPatch(BaseModel):
    """Body of ``PATCH .../records/{record_id}``: only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    input: Any = None
    expected: Any = None
    metadata: dict[str, Any] | None = None
    tags: list[str] | None = None


class DatasetRecord(BaseModel):
    """A record as it is at some version."""

    id: str
    input: Any = None
    expected: Any = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    source: RecordSource | None = None
    created_version: int
    updated_version: int


class RecordPage(BaseModel):
    """A page of records at ``version``; pass ``next_cursor`` back as ``cursor``."""

    items: list[DatasetRecord]
    version: int
    next_cursor: str | None = None


class DatasetVersion(BaseModel):
    """One version of a dataset: what the change did and how many records it left."""

    version: int
    created_at: datetime
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    record_count: int = 0


class VersionResult(BaseModel):
    """Answer of a delete: the version it made."""

    version: int


# ------------------------------------------------------------------------------- experiments
class DatasetRef(BaseModel):
    """The dataset (and version) an experiment ran on."""

    name: str
    version: int | None = None


class GitInfo(BaseModel):
    """Where the code that ran the experiment came from."""

    commit: str | None = None
    branch: str | None = None
    dirty: bool = False


class ExperimentIn(BaseModel):
    """Body of ``POST /api/v1/projects/{project}/experiments``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    dataset: DatasetRef | None = None
    metadata: dict[str, Any] = Field(default_factory=dict, description="The run's parameters.")
    git: GitInfo | None = None
    baseline: str | None = Field(default=None, description="Name of an explicit baseline.")
    trial_count: int = Field(default=1, ge=1)
    started_at: datetime | None = None


class ScorerSummary(BaseModel):
    """A scorer over the experiment: mean of its numeric values, how many, how many failed."""

    mean: float | None = None
    count: int = 0
    errors: int = 0
    stdev: float | None = None


class ExperimentTotals(BaseModel):
    """Latency, tokens and cost over the experiment's cases."""

    duration_ms_mean: float | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost: float = 0.0


class SummaryScore(BaseModel):
    """A score of the whole experiment (e.g. a judge's kappa against human labels).

    Unlike case scores it is not bounded to [0, 1]; ``metadata`` holds what explains it
    (confidence interval, number of pairs, warnings).
    """

    value: float | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class Experiment(BaseModel):
    """A stored experiment with its summary."""

    id: str
    project: str
    name: str
    dataset: DatasetRef | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    git: GitInfo | None = None
    baseline: str | None = None
    trial_count: int = 1
    status: ExperimentStatus = "running"
    started_at: datetime
    ended_at: datetime | None = None
    case_count: int = 0
    error_count: int = 0
    summary: dict[str, ScorerSummary] = Field(default_factory=dict)
    summary_scores: dict[str, SummaryScore] = Field(
        default_factory=dict, description="Scores of the whole run, from summary scorers."
    )
    totals: ExperimentTotals = Field(default_factory=ExperimentTotals)


class ExperimentCase(BaseModel):
    """One case (one trial of one input) of an experiment, with its scores.

    ``case_id`` is stable across experiments (the dataset record id, else a hash of the
    input), so that two experiments can be paired. ``trace_id``/``span_id`` name the case's
    root span.
    """

    case_id: str
    trial: int = Field(default=0, ge=0)
    trace_id: str | None = None
    span_id: str | None = None
    input: Any = None
    output: Any = None
    expected: Any = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    error: ErrorInfo | None = None
    scores: dict[str, float | None] = Field(default_factory=dict)
    score_errors: dict[str, ErrorInfo] = Field(default_factory=dict)
    score_metadata: dict[str, dict[str, Any]] = Field(default_factory=dict)
    duration_ms: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None
    cost: float | None = None
    dataset_record_id: str | None = None


CaseResult = ExperimentCase


class CaseBatch(BaseModel):
    """Body of ``POST .../experiments/{name}/cases``: items in the shape of ExperimentCase."""

    cases: list[dict[str, Any]]


class CaseBatchResult(BaseModel):
    """What a case batch did."""

    accepted: int
    rejected: list[IngestRejection] = Field(default_factory=list)


class CasePage(BaseModel):
    """A page of cases; pass ``next_cursor`` back as ``cursor``."""

    items: list[ExperimentCase]
    next_cursor: str | None = None


class ExperimentFinish(BaseModel):
    """Body of ``POST .../experiments/{name}/finish``."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["finished", "interrupted"] = "finished"
    ended_at: datetime | None = None
    summary_scores: dict[str, SummaryScore] = Field(
        default_factory=dict, description="Scores of the whole run (summary scorers)."
    )


# ------------------------------------------------------------------------------- comparison
class ScorerComparison(BaseModel):
    """One scorer (or metric) of an experiment against its baseline over the shared cases.

    ``diff`` = experiment − baseline; ``ci_low``/``ci_high`` bound it at 95 % (paired
    bootstrap). improved/regressed/unchanged count cases by the sign of their difference.
    """

    name: str
    experiment_mean: float | None = None
    baseline_mean: float | None = None
    diff: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n_pairs: int = 0
    improved: int = 0
    regressed: int = 0
    unchanged: int = 0


class ScoreDiff(BaseModel):
    """One score of one case in both experiments."""

    experiment: float | None = None
    baseline: float | None = None
    diff: float | None = None


class CaseDiff(BaseModel):
    """One case in both experiments (trials averaged).

    ``trace_id``/``baseline_trace_id`` name the trace of the case's first trial in each
    experiment (null when the case was not traced or the baseline lacks it); ``error`` is the
    experiment's first error on the case, if any.
    """

    case_id: str
    trace_id: str | None = None
    baseline_trace_id: str | None = None
    input: Any = None
    experiment_output: Any = None
    baseline_output: Any = None
    expected: Any = None
    scores: dict[str, ScoreDiff] = Field(default_factory=dict)
    status: CaseStatus = "unchanged"
    error: ErrorInfo | None = None
    source: RecordSource | None = Field(
        default=None, description="Where the case's dataset record came from (production)."
    )


class Comparison(BaseModel):
    """An experiment against its baseline."""

    experiment: str
    baseline: str
    scorers: list[ScorerComparison] = Field(default_factory=list)
    metrics: list[ScorerComparison] = Field(
        default_factory=list, description='Same shape for "duration_ms", "total_tokens", "cost".'
    )
    summary_scores: list[ScorerComparison] = Field(
        default_factory=list,
        description="Summary scores of both runs: the means are the two values (no pairs, no CI).",
    )
    cases: list[CaseDiff] = Field(default_factory=list)


# ----------------------------------------------------------------------------------- scores
class ScoreIn(BaseModel):
    """One score to record on a trace (or span)."""

    model_config = ConfigDict(extra="forbid")

    trace_id: str
    span_id: str | None = None
    name: str = Field(min_length=1, max_length=200)
    value: float | None = Field(default=None, ge=0.0, le=1.0)
    label: str | None = None
    source: ScoreSource = "api"
    scorer: str | None = None
    author: str | None = None
    rationale: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    experiment_id: str | None = None
    judge: str | None = Field(
        default=None, max_length=200, description="Name of the judge that wrote the score."
    )
    judge_version: int | None = Field(
        default=None, ge=1, le=2**62, description="Version of that judge; needs judge."
    )
    created_at: datetime | None = Field(
        default=None,
        description="When the score was given (RFC 3339 or Unix seconds); default now. "
        "Set it to import labels with their original time.",
    )

    @field_validator("judge_version")
    @classmethod
    def _version_needs_judge(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and info.data.get("judge") is None:
            raise ValueError(
                f"is {value} but judge is missing; send the judge's name with its version"
            )
        return value


class ScoreBatch(BaseModel):
    """Body of ``POST /api/v1/projects/{project}/scores``: items in the shape of ScoreIn."""

    scores: list[dict[str, Any]]


class ScoreBatchResult(BaseModel):
    """What a score batch did: ids in request order (null when rejected)."""

    accepted: int
    ids: list[str | None] = Field(default_factory=list)
    rejected: list[IngestRejection] = Field(default_factory=list)


class Score(BaseModel):
    """A stored score row."""

    id: str
    trace_id: str
    span_id: str | None = None
    name: str
    value: float | None = None
    label: str | None = None
    source: ScoreSource
    scorer: str | None = None
    author: str | None = None
    rationale: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    experiment_id: str | None = None
    judge: str | None = None
    judge_version: int | None = None
    review_id: str | None = Field(
        default=None, description="The queue review that wrote the score (human reviews)."
    )
    rule_id: str | None = Field(
        default=None, description="The online rule that wrote the score (online evaluation)."
    )
    created_at: datetime
