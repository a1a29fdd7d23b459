"""LLM judges as server objects, and how far a judge agrees with the humans.

A judge is a named, versioned LLM scorer of a project: a prompt template, the choices the model
picks from (each worth a value in [0, 1]), the model and its parameters. Posting a judge whose
prompt, choices, model, ``use_cot`` or params differ from its latest version makes the next
version; posting the same definition again changes nothing. ``description``, ``score_name``,
``threshold`` and ``threshold_metric`` belong to the judge, not to a version.

:class:`JudgeAgreement` compares the scores a judge wrote (source ``llm_judge``) with the human
scores (source ``human``) on the same traces and spans.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

AgreementMetric = Literal[
    "accuracy",
    "cohen_kappa",
    "macro_precision",
    "macro_recall",
    "macro_f1",
    "pearson",
    "spearman",
    "mae",
]
AgreementKind = Literal["categorical", "numeric"]


def _check_choices(choices: dict[str, float]) -> dict[str, float]:
    if len(choices) < 2:
        raise ValueError(
            f"has {len(choices)} choice(s) {list(choices)!r}; a judge needs at least 2, "
            'e.g. {"pass": 1.0, "fail": 0.0}'
        )
    for label, value in choices.items():
        if not label.strip():
            raise ValueError(f"has an empty label {label!r}; give every choice a name")
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"gives {label!r} the value {value}; values must be in [0, 1]")
    return choices


class JudgeIn(BaseModel):
    """Body of ``POST /api/v1/projects/{project}/judges``: create a judge or a new version."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    prompt: str = Field(
        min_length=1,
        description=(
            "Template with {{input}}, {{output}}, {{expected}} and {{metadata.KEY}} variables."
        ),
    )
    choices: dict[str, float] = Field(description="Label → value in [0, 1]; at least two.")
    model: str = Field(min_length=1, max_length=200)
    use_cot: bool = Field(default=True, description="Ask for a rationale before the choice.")
    params: dict[str, Any] = Field(
        default_factory=dict, description="Model parameters such as temperature."
    )
    description: str | None = None
    score_name: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Name of the scores the judge writes and is compared on; default its name.",
    )
    threshold: float | None = Field(
        default=None,
        ge=-1.0,
        le=1.0,
        description="The judge is diverging when threshold_metric falls below it (mae: above).",
    )
    threshold_metric: AgreementMetric | None = Field(
        default=None, description='Default "cohen_kappa" for a new judge.'
    )

    @field_validator("prompt")
    @classmethod
    def _prompt_has_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is blank; write the instructions the model should follow")
        return value

    @field_validator("choices")
    @classmethod
    def _choices_are_usable(cls, value: dict[str, float]) -> dict[str, float]:
        return _check_choices(value)


class JudgePatch(BaseModel):
    """Body of ``PATCH .../judges/{name}``: only the fields sent change (not versioned)."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = None
    score_name: str | None = Field(default=None, min_length=1, max_length=200)
    threshold: float | None = Field(default=None, ge=-1.0, le=1.0)
    threshold_metric: AgreementMetric | None = None


class JudgeVersion(BaseModel):
    """One version of a judge's definition."""

    version: int
    prompt: str
    choices: dict[str, float]
    model: str
    use_cot: bool = True
    params: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime


class Judge(BaseModel):
    """A judge with one of its versions (the latest unless another was asked for)."""

    id: str
    project: str
    name: str
    description: str | None = None
    score_name: str
    threshold: float | None = None
    threshold_metric: AgreementMetric = "cohen_kappa"
    latest_version: int
    version: int
    prompt: str
    choices: dict[str, float]
    model: str
    use_cot: bool = True
    params: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime
    updated_at: datetime
    version_created_at: datetime
    created: bool = Field(
        default=False, description="True when this request made a new version (POST only)."
    )


# --------------------------------------------------------------------------------- agreement
class Estimate(BaseModel):
    """A figure with its bootstrap confidence interval (null bounds: not computed)."""

    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None


class ClassAgreement(BaseModel):
    """How well the judge finds one label, taking the human's label as the truth."""

    label: str
    support: int = Field(description="How often the human gave the label.")
    precision: Estimate = Field(default_factory=Estimate)
    recall: Estimate = Field(default_factory=Estimate)
    f1: Estimate = Field(default_factory=Estimate)


class Disagreement(BaseModel):
    """One target where the judge and the human disagree."""

    trace_id: str
    span_id: str | None = None
    judge_value: float | None = None
    judge_label: str | None = None
    human_value: float | None = None
    human_label: str | None = None
    rationale: str | None = Field(default=None, description="The judge's rationale.")
    author: str | None = Field(default=None, description="Who wrote the human score.")
    judged_at: datetime


class AgreementPoint(BaseModel):
    """Agreement over the pairs judged in one ISO week (Monday, UTC)."""

    week_start: date
    n: int
    metrics: dict[str, Estimate] = Field(default_factory=dict)


class JudgeAgreement(BaseModel):
    """How far a judge agrees with the human scores of the same name on the same targets.

    ``kind`` is categorical (labels compared) or numeric (values compared); ``n`` counts the
    pairs used. ``diverging`` is true when the agreement is below the judge's threshold, or
    fell significantly from one week to the next; ``diverging_reasons`` says why.
    """

    judge: str
    version: int | None = Field(description="The judge version compared; null for all.")
    score_name: str
    human: str
    kind: AgreementKind
    n: int
    dropped: int = 0
    threshold: float | None = None
    threshold_metric: AgreementMetric
    metrics: dict[str, Estimate] = Field(default_factory=dict)
    per_class: list[ClassAgreement] = Field(default_factory=list)
    labels: list[str] = Field(default_factory=list)
    confusion: list[list[int]] = Field(
        default_factory=list, description="Rows: human label; columns: judge label (as labels)."
    )
    warnings: list[str] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)
    series: list[AgreementPoint] = Field(default_factory=list)
    diverging: bool = False
    diverging_reasons: list[str] = Field(default_factory=list)
