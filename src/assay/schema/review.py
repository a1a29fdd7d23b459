"""Human review: score configs (the rubrics people score with), annotation queues and reviews.

A :class:`ScoreConfig` names a rubric of a project: numeric (a range and a step), categorical
(labels worth a value each, described for annotators), boolean, or free text. Human scores of
that name follow it. A :class:`Queue` holds items (a trace, or one span of it) that people
review with the queue's configs; each item needs ``reviews_per_item`` independent reviews.
Reviewers are plain names until users and roles exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assay.schema.eval import TraceListFilter

ScoreConfigKind = Literal["numeric", "categorical", "boolean", "text"]
QueueItemStatus = Literal["pending", "done"]
ReviewValue = bool | float | str
_NAME = Field(min_length=1, max_length=200)


# ----------------------------------------------------------------------------- score configs
class ScoreCategory(BaseModel):
    """One label of a categorical config, its value and what it means to an annotator."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=200)
    value: float
    description: str | None = None


class _ScoreConfigFields(BaseModel):
    name: str = _NAME
    kind: ScoreConfigKind
    description: str | None = Field(default=None, description="What to judge, for annotators.")
    min: float | None = Field(default=None, description="Numeric: lowest value.")
    max: float | None = Field(default=None, description="Numeric: highest value.")
    step: float | None = Field(default=None, gt=0, description="Numeric: allowed increment.")
    categories: list[ScoreCategory] | None = Field(
        default=None, description="Categorical: at least two labels, each with its value."
    )


def check_config_shape(
    kind: str,
    *,
    low: float | None,
    high: float | None,
    step: float | None,
    categories: list[ScoreCategory] | None,
) -> None:
    """Raise ValueError saying why these fields do not make a config of ``kind``."""
    if kind == "numeric":
        if low is None or high is None or not low < high:
            raise ValueError(
                f"a numeric config needs min < max; got min={low}, max={high} "
                '(e.g. "min": 1, "max": 5, "step": 1)'
            )
        if step is not None and step > high - low:
            raise ValueError(f"step {step} is larger than the range {low}..{high}")
    elif low is not None or high is not None or step is not None:
        raise ValueError(f"min, max and step belong to numeric configs, not {kind!r} ones")
    if kind == "categorical":
        labels = [c.label for c in categories or []]
        if len(labels) < 2:
            raise ValueError(
                f"a categorical config needs at least 2 categories; got {labels!r} "
                '(e.g. [{"label": "good", "value": 1}, {"label": "bad", "value": 0}])'
            )
        repeated = sorted({label for label in labels if labels.count(label) > 1})
        if repeated:
            raise ValueError(f"category labels must be unique; {repeated!r} repeat")
    elif categories is not None:
        raise ValueError(f"categories belong to categorical configs, not {kind!r} ones")


class ScoreConfigIn(_ScoreConfigFields):
    """Body of ``POST /api/v1/projects/{project}/score-configs``."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _fits_kind(self) -> ScoreConfigIn:
        check_config_shape(
            self.kind, low=self.min, high=self.max, step=self.step, categories=self.categories
        )
        return self


class ScoreConfigPatch(BaseModel):
    """Body of ``PATCH .../score-configs/{name}``: only the fields sent change.

    ``kind`` may be sent only with the config's own kind: a kind never changes.
    """

    model_config = ConfigDict(extra="forbid")

    kind: ScoreConfigKind | None = None
    description: str | None = None
    min: float | None = None
    max: float | None = None
    step: float | None = Field(default=None, gt=0)
    categories: list[ScoreCategory] | None = None
    archived: bool | None = None


class ScoreConfig(_ScoreConfigFields):
    """A stored score config."""

    id: str
    archived: bool = False
    created_at: datetime
    updated_at: datetime


# ------------------------------------------------------------------------------------ queues
class _QueueFields(BaseModel):
    name: str = _NAME
    instructions: str | None = Field(default=None, description="Markdown shown to reviewers.")
    score_configs: list[str] = Field(
        min_length=1, description="Names of the score configs reviewers fill in, in order."
    )
    reviews_per_item: int = Field(default=1, ge=1, le=100)
    assignees: list[str] = Field(
        default_factory=list, description="Reviewer names; empty means anyone."
    )
    hold_seconds: int = Field(
        default=600, ge=0, le=7 * 86_400, description="How long an item shown stays held."
    )


class QueueIn(_QueueFields):
    """Body of ``POST /api/v1/projects/{project}/queues``."""

    model_config = ConfigDict(extra="forbid")


class QueuePatch(BaseModel):
    """Body of ``PATCH .../queues/{queue}``: only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    instructions: str | None = None
    assignees: list[str] | None = None
    reviews_per_item: int | None = Field(default=None, ge=1, le=100)
    archived: bool | None = None


class QueueProgress(BaseModel):
    """How far a queue is: items, items with enough reviews, reviews, items held now."""

    items: int = 0
    completed: int = Field(default=0, description="Items with reviews_per_item reviews.")
    reviews: int = 0
    in_progress: int = Field(default=0, description="Items someone holds now.")
    by_reviewer: dict[str, int] = Field(default_factory=dict, description="Reviews per reviewer.")


class Queue(_QueueFields):
    """A stored queue with its progress."""

    id: str
    archived: bool = False
    created_at: datetime
    progress: QueueProgress = Field(default_factory=QueueProgress)


class QueueItemRef(BaseModel):
    """A trace (``span_id`` null) or one span of it."""

    model_config = ConfigDict(extra="forbid")

    trace_id: str
    span_id: str | None = None


class QueueFilter(TraceListFilter):
    """The filters of ``GET .../traces`` as a JSON object (with the score filter), for a queue."""


class QueueItemsIn(BaseModel):
    """Body of ``POST .../queues/{queue}/items``: ``items`` by hand, or a ``filter``."""

    model_config = ConfigDict(extra="forbid")

    items: list[QueueItemRef] | None = Field(default=None, max_length=10_000)
    filter: QueueFilter | None = None
    sample: int | None = Field(default=None, ge=1, description="N random matching traces.")
    target: Literal["trace", "root_span"] = Field(
        default="trace", description="Filter only: enqueue the trace or its root span."
    )

    @model_validator(mode="after")
    def _one_source(self) -> QueueItemsIn:
        if (self.items is None) == (self.filter is None):
            raise ValueError('send either "items" (a list) or "filter" (an object), not both')
        if self.items is not None and self.sample is not None:
            raise ValueError('"sample" applies to a filter; leave it out with "items"')
        return self


class QueueItemsResult(BaseModel):
    """What adding items did: new items, and items the queue already had."""

    added: int
    duplicates: int


class QueueItem(BaseModel):
    """An item of a queue with what a reviewer list shows of its trace."""

    id: str
    trace_id: str
    span_id: str | None = None
    added_at: datetime
    reviews: int = 0
    status: QueueItemStatus = "pending"
    trace_name: str | None = None
    input_preview: str | None = None
    output_preview: str | None = None


class QueueItemPage(BaseModel):
    """A page of queue items in queue order; pass ``next_cursor`` back as ``cursor``."""

    items: list[QueueItem]
    next_cursor: str | None = None


class NextIn(BaseModel):
    """Body of ``POST .../queues/{queue}/next``."""

    model_config = ConfigDict(extra="forbid")

    reviewer: str = _NAME
    count: int = Field(default=1, ge=1, le=5, description="Items to hold and return (prefetch).")
    after: str | None = Field(default=None, description="Only items after this item id.")


class NextItems(BaseModel):
    """Items held for the reviewer (empty: nothing left for them) and the queue's progress."""

    items: list[QueueItem]
    progress: QueueProgress


class ReviewIn(BaseModel):
    """Body of ``POST .../queues/{queue}/items/{item_id}/reviews``.

    ``scores`` maps config names to a number (numeric), a label (categorical), a boolean, or
    text (text configs).
    """

    model_config = ConfigDict(extra="forbid")

    reviewer: str = _NAME
    scores: dict[str, ReviewValue] = Field(min_length=1)
    comment: str | None = None
    corrected_output: Any = Field(default=None, description="What the output should have been.")


class SkipIn(BaseModel):
    """Body of ``POST .../items/{item_id}/skip``."""

    model_config = ConfigDict(extra="forbid")

    reviewer: str = _NAME


class Review(BaseModel):
    """A stored review: the reviewer's scores of one item, as score rows ``score_ids``."""

    id: str
    item_id: str
    trace_id: str
    span_id: str | None = None
    reviewer: str
    scores: dict[str, ReviewValue]
    comment: str | None = None
    corrected_output: Any = None
    created_at: datetime
    score_ids: list[str] = Field(default_factory=list)


class ReviewerDisagreement(BaseModel):
    """An item the reviewers scored differently, with each reviewer's value."""

    item_id: str
    trace_id: str
    span_id: str | None = None
    values: dict[str, ReviewValue | None]


class ConfigAgreement(BaseModel):
    """Agreement between reviewers on one score config of a queue.

    Krippendorff's alpha (nominal for categorical and boolean configs, interval for numeric)
    over the ``items`` with at least two reviews, with a bootstrap interval over items.
    """

    config: str
    kind: ScoreConfigKind
    items: int
    alpha: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    warnings: list[str] = Field(default_factory=list)
    disagreements: list[ReviewerDisagreement] = Field(default_factory=list)
