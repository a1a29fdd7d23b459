"""Agreement between the reviewers of a queue, per score config, and the items they disagree on.

Alpha is :func:`assay.scorers.krippendorff_alpha` (nominal for categorical and boolean
configs, interval for numeric ones) over the items with at least two reviews. Its 95 %
interval comes from resampling items with replacement; each resample's alpha is computed from
per-item sums (Krippendorff's coincidence form), so a thousand resamples cost one matrix
product rather than a thousand calls. Text configs have no agreement figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from assay.schema import ConfigAgreement, Review, ReviewerDisagreement, ScoreConfig
from assay.scorers import krippendorff_alpha

Floats = npt.NDArray[np.float64]
MIN_ITEMS = 10
_TOLERANCE = 1e-9


@dataclass(slots=True)
class _Item:
    review: Review
    values: dict[str, Any] = field(default_factory=dict)


def queue_agreement(
    configs: Sequence[ScoreConfig],
    reviews: Sequence[Review],
    *,
    n_boot: int = 1000,
    seed: int = 0,
    limit: int = 100,
) -> list[ConfigAgreement]:
    """Agreement per config (text configs left out), in the order of ``configs``.

    Args:
        configs: The queue's score configs.
        reviews: The queue's current reviews.
        n_boot: Bootstrap resamples of the items (0: no interval).
        seed: Seed of the resampling.
        limit: Most disagreements listed per config.
    """
    return [
        _one(config, reviews, n_boot=n_boot, seed=seed, limit=limit)
        for config in configs
        if config.kind != "text"
    ]


def _rated(config: ScoreConfig, reviews: Sequence[Review]) -> list[_Item]:
    """The items with at least two reviews answering ``config``, in first-review order."""
    items: dict[str, _Item] = {}
    for review in reviews:
        if config.name in review.scores:
            item = items.setdefault(review.item_id, _Item(review))
            item.values[review.reviewer] = review.scores[config.name]
    return [item for item in items.values() if len(item.values) >= 2]


def _coded(config: ScoreConfig, value: Any) -> Any:
    if config.kind == "numeric":
        return float(value)
    if config.kind == "boolean":
        return "true" if value is True or value == "true" else "false"
    return str(value)


def _one(
    config: ScoreConfig, reviews: Sequence[Review], *, n_boot: int, seed: int, limit: int
) -> ConfigAgreement:
    items = _rated(config, reviews)
    warnings: list[str] = []
    found = ConfigAgreement(config=config.name, kind=config.kind, items=len(items))
    if not items:
        warnings.append("no item has two reviews of this config yet; alpha needs them")
        found.warnings = warnings
        return found
    raters = sorted({r for item in items for r in item.values})
    table = [[_coded(config, item.values.get(r)) if r in item.values else None for item in items]
             for r in raters]  # fmt: skip
    level: Literal["interval", "nominal"] = "interval" if config.kind == "numeric" else "nominal"
    found.alpha = krippendorff_alpha(table, level=level)
    if found.alpha is None:
        warnings.append("every review gave the same value, so alpha is undefined")
    elif n_boot > 0:
        found.ci_low, found.ci_high = _interval(table, level, n_boot=n_boot, seed=seed)
    if len(items) < MIN_ITEMS:
        warnings.append(
            f"only {len(items)} item(s) with two or more reviews; the interval is wide "
            f"below {MIN_ITEMS}"
        )
    found.warnings = warnings
    found.disagreements = _disagreements(config, items, limit)
    return found


def _sums(table: list[list[Any]], level: str) -> tuple[Floats, Floats, Floats]:
    """Per item: ratings m, observed disagreement d, and per-value counts (nominal) or the
    sums of values and squares (interval)."""
    columns = [[v for v in column if v is not None] for column in zip(*table, strict=True)]
    m = np.array([len(c) for c in columns], dtype=np.float64)
    if level == "interval":
        s1 = np.array([sum(c) for c in columns], dtype=np.float64)
        s2 = np.array([sum(v * v for v in c) for c in columns], dtype=np.float64)
        d = 2 * (m * s2 - s1 * s1) / (m - 1)
        return m, d, np.stack([s1, s2], axis=1)
    domain = sorted({v for c in columns for v in c})
    index = {v: i for i, v in enumerate(domain)}
    counts = np.zeros((len(columns), len(domain)), dtype=np.float64)
    for u, column in enumerate(columns):
        for v in column:
            counts[u, index[v]] += 1
    d = (m * m - (counts * counts).sum(axis=1)) / (m - 1)
    return m, d, counts


def weighted_alpha(table: list[list[Any]], level: str, weights: Floats) -> Floats:
    """Alpha of the items of ``table`` (raters × items) drawn ``weights`` times each.

    ``weights`` has shape (resamples, items); weights of 1 give the plain alpha. NaN where a
    resample has no disagreement to expect.
    """
    m, d, sums = _sums(table, level)
    n = weights @ m
    observed = weights @ d
    pooled = weights @ sums
    if level == "interval":
        expected = 2 * (n * pooled[:, 1] - pooled[:, 0] ** 2)
    else:
        expected = n * n - (pooled * pooled).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1 - (n - 1) * observed / expected
    alpha[expected <= _TOLERANCE * np.maximum(n * n, 1)] = np.nan
    return np.asarray(alpha, dtype=np.float64)


def _interval(
    table: list[list[Any]], level: str, *, n_boot: int, seed: int
) -> tuple[float | None, float | None]:
    size = len(table[0])
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(size, np.full(size, 1.0 / size), size=n_boot).astype(np.float64)
    alphas = weighted_alpha(table, level, weights)
    alphas = alphas[np.isfinite(alphas)]
    if alphas.size == 0:
        return None, None
    low, high = np.percentile(alphas, [2.5, 97.5])
    return float(low), float(high)


def _differ(config: ScoreConfig, values: list[Any]) -> bool:
    if config.kind == "numeric":
        numbers = [float(v) for v in values]
        return max(numbers) - min(numbers) > _TOLERANCE
    return len({_coded(config, v) for v in values}) > 1


def _disagreements(
    config: ScoreConfig, items: list[_Item], limit: int
) -> list[ReviewerDisagreement]:
    out: list[ReviewerDisagreement] = []
    for item in items:
        if len(out) >= limit:
            break
        if _differ(config, list(item.values.values())):
            out.append(
                ReviewerDisagreement(
                    item_id=item.review.item_id,
                    trace_id=item.review.trace_id,
                    span_id=item.review.span_id,
                    values=dict(sorted(item.values.items())),
                )
            )
    return out
