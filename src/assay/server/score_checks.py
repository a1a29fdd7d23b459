"""Human scores against their score config: the checks, and the value and label each gives.

A numeric config bounds the value to [min, max] on its step (the usual [0, 1] bound of scores
does not apply); a categorical one takes a label and sets the value from it; a boolean one
takes true/false (value 1/0, label "true"/"false"); a text one keeps its text as the
score's rationale, with no value.
"""

from __future__ import annotations

import math

from pydantic import Field

from assay.schema import ScoreConfig, ScoreIn
from assay.store.base import ReviewScore

_STEP_TOLERANCE = 1e-9


class HumanScoreIn(ScoreIn):
    """A score whose name has a config: the config, not [0, 1], bounds its value."""

    value: float | None = Field(default=None, allow_inf_nan=False)


class ConfigMismatch(ValueError):
    """A score does not fit its config; ``field`` names the offending field."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def _numeric(config: ScoreConfig, value: float, field: str) -> float:
    low, high = config.min, config.max
    assert low is not None and high is not None  # a numeric config always has both
    if not low <= value <= high:
        raise ConfigMismatch(
            field, f"is {value:g}, outside [{low:g}, {high:g}] of score config {config.name!r}"
        )
    if config.step is not None:
        steps = (value - low) / config.step
        if abs(steps - round(steps)) > _STEP_TOLERANCE * max(1.0, abs(steps)):
            raise ConfigMismatch(
                field,
                f"is {value:g}, not on the steps of {config.step:g} from {low:g} that score "
                f"config {config.name!r} allows",
            )
    return float(value)


def _labels(config: ScoreConfig) -> dict[str, float]:
    return {c.label: c.value for c in config.categories or []}


def _category(config: ScoreConfig, label: object, field: str) -> tuple[float, str]:
    labels = _labels(config)
    if not isinstance(label, str) or label not in labels:
        raise ConfigMismatch(
            field, f"is {label!r}; score config {config.name!r} takes one of {list(labels)!r}"
        )
    return labels[label], label


def _boolean(answer: object, field: str, name: str) -> bool:
    if isinstance(answer, bool):
        return answer
    if answer in ("true", "false"):
        return answer == "true"
    if isinstance(answer, int | float) and answer in (0, 1):
        return bool(answer)
    raise ConfigMismatch(field, f"is {answer!r}; score config {name!r} takes true or false")


def review_score(config: ScoreConfig, answer: bool | float | str) -> ReviewScore:
    """The score row of one answer of a review.

    Raises:
        ConfigMismatch: The answer does not fit the config (``field`` is ``scores.NAME``).
    """
    field = f"scores.{config.name}"
    if config.kind == "numeric":
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            raise ConfigMismatch(
                field, f"is {answer!r}; score config {config.name!r} takes a number"
            )
        return ReviewScore(config.name, _numeric(config, answer, field))
    if config.kind == "categorical":
        value, label = _category(config, answer, field)
        return ReviewScore(config.name, value, label)
    if config.kind == "boolean":
        truth = _boolean(answer, field, config.name)
        return ReviewScore(config.name, 1.0 if truth else 0.0, "true" if truth else "false")
    if not isinstance(answer, str) or not answer.strip():
        raise ConfigMismatch(field, f"is {answer!r}; score config {config.name!r} takes text")
    return ReviewScore(config.name, None, None, text=answer)


def answer_of(config: ScoreConfig, answer: bool | float | str) -> bool | float | str:
    """The answer as the review keeps it: a number, a label, a boolean or the text."""
    row = review_score(config, answer)
    if config.kind == "boolean":
        return row.value == 1.0
    if config.kind == "categorical":
        return str(row.label)
    return answer if row.value is None else row.value


def human_score(config: ScoreConfig, score: ScoreIn) -> ScoreIn:
    """``score`` (source human, named for ``config``) checked, with value and label set.

    Raises:
        ConfigMismatch: It does not fit the config (``field`` is value, label or rationale).
    """
    value, label = score.value, score.label
    if value is not None and not math.isfinite(value):
        raise ConfigMismatch("value", f"is {value}; send a finite number")
    if config.kind == "numeric":
        if value is None:
            raise ConfigMismatch("value", f"is missing; score config {config.name!r} is numeric")
        value = _numeric(config, value, "value")
    elif config.kind == "categorical":
        if label is None:
            raise ConfigMismatch(
                "label", f"is missing; score config {config.name!r} takes one of its labels"
            )
        value, label = _category(config, label, "label")
    elif config.kind == "boolean":
        truth = _boolean(label if value is None else value, "value", config.name)
        if (
            label is not None
            and value is not None
            and _boolean(label, "label", config.name) != truth
        ):
            raise ConfigMismatch("label", f"is {label!r} but value is {value:g}; they disagree")
        value, label = (1.0 if truth else 0.0), ("true" if truth else "false")
    else:
        if value is not None or label is not None:
            raise ConfigMismatch(
                "value" if value is not None else "label",
                f"is set; score config {config.name!r} is text: send the text as rationale",
            )
        if not (score.rationale or "").strip():
            raise ConfigMismatch(
                "rationale", f"is empty; score config {config.name!r} keeps its text there"
            )
    return ScoreIn.model_construct(
        **{**dict(score), "value": value, "label": label}, _fields_set=score.model_fields_set
    )
