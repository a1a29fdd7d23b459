"""Online evaluation: rules that score production spans as they arrive, the jobs that do the
work, and alerts on a project's series.

A :class:`Rule` picks production spans with a :class:`RuleFilter` (the trace list's filter
language, applied to each span), keeps a deterministic ``sample_rate`` share of them, and runs
its scorers (server judges by version, or built-in code scorers) on each. Its scores carry
``rule_id``; a :class:`RuleRoute` sends spans whose score crosses a threshold to an annotation
queue. A backfill runs a rule over a past time range.

A :class:`Job` is one entry of the durable queue every background task goes through. An
:class:`Alert` watches one series of a project over a window and notifies a webhook when it
crosses its threshold and when it recovers; :class:`AlertEvent` is its history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

JobStatus = Literal["queued", "running", "done", "dead", "cancelled"]
AlertMetric = Literal[
    "error_rate", "p95_latency_ms", "cost_per_hour", "trace_count", "score_mean", "judge_agreement"
]
AlertOperator = Literal["above", "below"]
AlertState = Literal["ok", "firing", "no_data"]
WebhookFormat = Literal["json", "slack"]
_NAME = Field(min_length=1, max_length=200)


# ----------------------------------------------------------------------------- rules
class RuleFilter(BaseModel):
    """Which finished production spans a rule looks at; every field set must match.

    The names and meanings follow the trace list's filters, applied to each span itself.
    """

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, description="The span's name, exactly.")
    kind: str | None = Field(default=None, description="llm, tool, agent, retrieval, task, …")
    status: Literal["ok", "error"] | None = None
    tag: list[str] = Field(default_factory=list, description="All must be on the span.")
    metadata: list[str] = Field(default_factory=list, description="key=value; all must match.")
    model: str | None = None
    root_only: bool = Field(default=False, description="Only root spans (one per trace).")


class RuleScorer(BaseModel):
    """One scorer of a rule: a server judge (pinned to a version, or its latest) or a built-in
    code scorer from ``assay.scorers`` by name with its arguments."""

    model_config = ConfigDict(extra="forbid")

    judge: str | None = Field(default=None, max_length=200, description="A judge's name.")
    version: int | None = Field(
        default=None, ge=1, description="The judge's version; null runs its latest."
    )
    scorer: str | None = Field(
        default=None, max_length=200, description="A built-in scorer, e.g. valid_json."
    )
    args: dict[str, Any] = Field(default_factory=dict, description="Arguments of the scorer.")

    @model_validator(mode="after")
    def _one_of(self) -> RuleScorer:
        if (self.judge is None) == (self.scorer is None):
            raise ValueError(
                'name exactly one of "judge" (a server judge) or "scorer" (a built-in scorer)'
            )
        if self.scorer is not None and self.version is not None:
            raise ValueError('"version" applies to judges only')
        return self


class RuleRoute(BaseModel):
    """Send a span to an annotation queue when its ``score_name`` score crosses a bound."""

    model_config = ConfigDict(extra="forbid")

    queue: str = _NAME
    score_name: str = _NAME
    below: float | None = Field(default=None, description="Route when the score is below this.")
    above: float | None = Field(default=None, description="Route when the score is above this.")

    @model_validator(mode="after")
    def _a_bound(self) -> RuleRoute:
        if self.below is None and self.above is None:
            raise ValueError('give "below" or "above": the score that sends a span to the queue')
        return self


class _RuleFields(BaseModel):
    description: str | None = None
    enabled: bool = True
    filter: RuleFilter = Field(default_factory=RuleFilter)
    sample_rate: float = Field(default=1.0, ge=0.0, le=1.0, description="Share of spans scored.")
    scorers: list[RuleScorer] = Field(min_length=1, max_length=20)
    route: RuleRoute | None = None


class RuleIn(_RuleFields):
    """Body of ``POST /api/v1/projects/{project}/rules``."""

    model_config = ConfigDict(extra="forbid")

    name: str = _NAME


class RulePatch(BaseModel):
    """Body of ``PATCH .../rules/{name}``: only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = None
    enabled: bool | None = None
    filter: RuleFilter | None = None
    sample_rate: float | None = Field(default=None, ge=0.0, le=1.0)
    scorers: list[RuleScorer] | None = Field(default=None, min_length=1, max_length=20)
    route: RuleRoute | None = None


class RuleStats(BaseModel):
    """What a rule has done: spans scored, jobs waiting, failed, and how far behind it is."""

    scored_spans: int = 0
    scores: int = 0
    routed: int = 0
    queued_jobs: int = 0
    running_jobs: int = 0
    dead_jobs: int = 0
    lag_seconds: float | None = Field(
        default=None, description="Age of the oldest job of the rule still waiting."
    )
    last_scored_at: datetime | None = None


class Rule(_RuleFields):
    """A stored rule."""

    id: str
    project: str
    name: str
    created_at: datetime
    updated_at: datetime
    stats: RuleStats | None = None


class BackfillIn(BaseModel):
    """Body of ``POST .../rules/{name}/backfills``: run the rule over a past time range.

    With ``dry_run`` nothing starts; the answer is the estimate alone.
    """

    model_config = ConfigDict(extra="forbid")

    start: str | float = Field(description="RFC 3339 or Unix seconds (inclusive).")
    end: str | float = Field(description="RFC 3339 or Unix seconds (exclusive).")
    dry_run: bool = False


class BackfillEstimate(BaseModel):
    """What a backfill would do: spans that match, how many the sample keeps, model calls,
    and their estimated cost (USD; null when a judge's model has no known price)."""

    matching_spans: int
    sampled_spans: int
    already_scored: int = Field(description="Sampled spans the rule has scored already.")
    judge_calls: int
    estimated_cost: float | None
    estimated_tokens: int


class Backfill(BaseModel):
    """A backfill: its estimate and, unless it was a dry run, the job doing it."""

    estimate: BackfillEstimate
    job: Job | None = None


# ----------------------------------------------------------------------------- jobs
class Job(BaseModel):
    """One entry of the job queue."""

    id: str
    project: str | None = None
    kind: str
    status: JobStatus
    attempts: int
    max_attempts: int
    payload: dict[str, Any] = Field(default_factory=dict)
    result: dict[str, Any] | None = None
    error: str | None = Field(default=None, description="The last failure, when there was one.")
    progress_done: int = 0
    progress_total: int | None = None
    rule: str | None = Field(default=None, description="Name of the rule the job works for.")
    claimed_by: str | None = None
    run_after: datetime
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class JobPage(BaseModel):
    """A page of jobs, newest first."""

    items: list[Job]
    next_cursor: str | None = None
    counts: dict[str, int] = Field(
        default_factory=dict, description="Jobs of the project per status (whole list)."
    )


# ----------------------------------------------------------------------------- alerts
class _AlertFields(BaseModel):
    description: str | None = None
    enabled: bool = True
    metric: AlertMetric
    score_name: str | None = Field(
        default=None, max_length=200, description="score_mean: the scores averaged."
    )
    judge: str | None = Field(
        default=None, max_length=200, description="judge_agreement: the judge compared."
    )
    agreement_metric: str | None = Field(
        default=None, description='judge_agreement: the statistic (default "cohen_kappa").'
    )
    trace_filter: dict[str, Any] = Field(
        default_factory=dict,
        description="Trace-list filters (name, tag, …) the series is computed over.",
    )
    operator: AlertOperator
    threshold: float
    window_seconds: int = Field(default=300, ge=10, le=7 * 86400)
    webhook_url: str | None = Field(default=None, max_length=2000)
    webhook_format: WebhookFormat = "json"


class AlertIn(_AlertFields):
    """Body of ``POST /api/v1/projects/{project}/alerts``."""

    model_config = ConfigDict(extra="forbid")

    name: str = _NAME

    @model_validator(mode="after")
    def _metric_needs(self) -> AlertIn:
        if self.metric == "score_mean" and not self.score_name:
            raise ValueError('metric "score_mean" needs score_name: the scores to average')
        if self.metric == "judge_agreement" and not self.judge:
            raise ValueError('metric "judge_agreement" needs judge: the judge to compare')
        return self


class AlertPatch(BaseModel):
    """Body of ``PATCH .../alerts/{name}``: only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = None
    enabled: bool | None = None
    score_name: str | None = None
    judge: str | None = None
    agreement_metric: str | None = None
    trace_filter: dict[str, Any] | None = None
    operator: AlertOperator | None = None
    threshold: float | None = None
    window_seconds: int | None = Field(default=None, ge=10, le=7 * 86400)
    webhook_url: str | None = None
    webhook_format: WebhookFormat | None = None


class Alert(_AlertFields):
    """A stored alert with its current state."""

    id: str
    project: str
    name: str
    state: AlertState
    value: float | None = Field(default=None, description="The series' value at evaluation.")
    evaluated_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class AlertEvent(BaseModel):
    """One notification of an alert: it fired, or it resolved."""

    id: str
    alert: str
    kind: Literal["firing", "resolved"]
    value: float | None
    threshold: float
    link: str = Field(description="The filtered traces of the window, in the web UI.")
    delivery: Literal["none", "pending", "delivered", "failed"]
    delivery_error: str | None = None
    delivered_at: datetime | None = None
    created_at: datetime


class AlertEventPage(BaseModel):
    """A page of alert events, newest first."""

    items: list[AlertEvent]
    next_cursor: str | None = None


class AlertTestResult(BaseModel):
    """Answer of ``POST .../alerts/{name}/test``: how the test notification went."""

    delivered: bool = Field(description="The webhook answered with a 2xx.")
    status_code: int | None = Field(default=None, description="The webhook's HTTP status.")
    error: str | None = Field(default=None, description="Why it was not delivered.")


Backfill.model_rebuild()
