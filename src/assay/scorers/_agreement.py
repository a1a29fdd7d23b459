"""How far a judge can be trusted: agreement of paired labels or scores, and among raters.

```python
from assay.scorers import agreement

r = agreement(judge_labels, human_labels)  # the reference (humans) is the second argument
r.metrics["cohen_kappa"]  # Estimate(value=0.71, ci_low=0.58, ci_high=0.82)
```

The statistics need numpy (``pip install 'assay[llm]'``); it is imported on the first call, so
``import assay.scorers`` stays light.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from assay.errors import UsageError

Kind = Literal["auto", "categorical", "numeric"]
Level = Literal["nominal", "ordinal", "interval", "ratio"]

#: Fewer pairs than this get a warning: the intervals are too wide to say anything.
MIN_PAIRS = 30
#: Categorical figures for all classes together, and for each class.
CATEGORICAL_METRICS = ("accuracy", "cohen_kappa", "macro_precision", "macro_recall", "macro_f1")
CLASS_METRICS = ("precision", "recall", "f1")
_KINDS = ("auto", "categorical", "numeric")
_LEVELS = ("nominal", "ordinal", "interval", "ratio")


@dataclass(frozen=True, slots=True)
class Estimate:
    """A statistic with its bootstrap confidence interval.

    Attributes:
        value: The statistic on all pairs; None when it is undefined (see the warnings).
        ci_low: Lower end of the interval; None without an interval (``n_boot=0``, fewer
            than 2 pairs, or an undefined value).
        ci_high: Upper end of the interval, or None likewise.
    """

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None

    def to_dict(self) -> dict[str, float | None]:
        """``{"value": ..., "ci_low": ..., "ci_high": ...}``."""
        return {"value": self.value, "ci_low": self.ci_low, "ci_high": self.ci_high}


@dataclass(frozen=True)
class Agreement:
    """The result of :func:`agreement`.

    Attributes:
        kind: ``"categorical"`` or ``"numeric"``.
        n: Pairs used (both values present).
        dropped: Pairs left out because one side was missing (None or NaN).
        metrics: Figures by name. Categorical: ``accuracy``, ``cohen_kappa``,
            ``macro_precision``, ``macro_recall``, ``macro_f1``, and with a positive class
            ``precision``, ``recall``, ``f1`` of that class. Numeric: ``pearson``,
            ``spearman``, ``mae``.
        warnings: Plain sentences about what makes the figures weak or undefined.
        labels: Categorical: the labels, in the order of ``confusion``'s rows and columns.
        confusion: Categorical: ``confusion[i][j]`` counts pairs where the reference (second
            argument, e.g. the human) said ``labels[i]`` and the judge (first argument) said
            ``labels[j]``; rows are the reference, columns the judge, as in scikit-learn's
            ``confusion_matrix(y_true=reference, y_pred=judge)``.
        per_class: Categorical: for each label, ``precision``, ``recall``, ``f1`` (Estimates)
            and ``support`` (int: how often the reference gave the label).
        positive: Categorical: the class behind the top-level precision/recall/F1, or None.
        confidence: Coverage of the intervals.
        n_boot: Number of bootstrap resamples (0: no intervals).
    """

    kind: Literal["categorical", "numeric"]
    n: int
    dropped: int
    metrics: dict[str, Estimate]
    warnings: list[str] = field(default_factory=list)
    labels: list[Any] = field(default_factory=list)
    confusion: list[list[int]] = field(default_factory=list)
    per_class: dict[Any, dict[str, Estimate | int]] = field(default_factory=dict)
    positive: Any = None
    confidence: float = 0.95
    n_boot: int = 1000

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data; ``per_class`` becomes a list in label order.

        Each ``per_class`` entry is ``{"label": ..., "support": int, "precision": {...},
        "recall": {...}, "f1": {...}}``, so labels keep their type (``true`` stays a boolean).
        """
        per_class = []
        for label in self.labels:
            stats = self.per_class[label]
            entry: dict[str, Any] = {"label": label}
            for name, stat in stats.items():
                entry[name] = stat.to_dict() if isinstance(stat, Estimate) else stat
            per_class.append(entry)
        return {
            "kind": self.kind,
            "n": self.n,
            "dropped": self.dropped,
            "confidence": self.confidence,
            "n_boot": self.n_boot,
            "warnings": list(self.warnings),
            "metrics": {name: est.to_dict() for name, est in self.metrics.items()},
            "labels": list(self.labels),
            "positive": self.positive,
            "confusion": [list(row) for row in self.confusion],
            "per_class": per_class,
        }


def agreement(
    a: Collection[Any],
    b: Collection[Any],
    *,
    kind: Kind = "auto",
    labels: Sequence[Any] | None = None,
    positive: Any = None,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    names: tuple[str, str] = ("judge (first argument)", "reference (second argument)"),
) -> Agreement:
    """Agreement of a judge's labels or scores ``a`` with reference ones ``b`` (e.g. humans).

    Pairs where either side is None (or a float NaN) are dropped and counted in ``dropped``.
    Every figure comes with a percentile-bootstrap interval over pairs; fewer than
    :data:`MIN_PAIRS` pairs add a warning.

    Args:
        a: The judge's values, one per item.
        b: The reference values for the same items, in the same order.
        kind: ``"categorical"`` (labels: confusion matrix, accuracy, precision/recall/F1,
            Cohen's kappa) or ``"numeric"`` (Pearson, Spearman, mean absolute error).
            ``"auto"`` picks categorical when the values are strings or booleans (or when
            ``labels`` or ``positive`` is given) and numeric when they are numbers.
        labels: Categorical: every label, in the order to report; values outside it are an
            error. Default: the labels seen, sorted (``[False, True]`` for booleans).
        positive: Categorical: a class whose precision, recall and F1 are also reported at
            the top level (one class against the rest). Default ``True`` for booleans.
        n_boot: Bootstrap resamples; 0 gives no intervals.
        confidence: Coverage of the intervals, between 0 and 1.
        seed: Seed of the resampling; the same inputs and seed give the same intervals.
        names: What the warnings call the two sides, e.g. ``("judge", "human scores")``.

    Returns:
        An :class:`Agreement`.

    Raises:
        UsageError: Unequal lengths, an unknown ``kind``, values that do not fit the kind,
            bad ``labels``/``positive``/``n_boot``/``confidence``, or numpy missing.
    """
    _check_options(kind, n_boot, confidence)
    if len(a) != len(b):
        raise UsageError(
            f"agreement() got {len(a)} judge values and {len(b)} reference values; "
            "pass one value per item on each side, with None where one is missing"
        )
    _require_numpy("agreement()")
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if not _missing(x) and not _missing(y)]
    dropped = len(a) - len(pairs)
    chosen = _resolve_kind(kind, pairs, a, b, labels is not None or positive is not None)
    if chosen == "numeric":
        return _numeric(
            pairs, dropped, n_boot=n_boot, confidence=confidence, seed=seed, names=names
        )
    return _categorical(
        pairs,
        dropped,
        labels=labels,
        positive=positive,
        n_boot=n_boot,
        confidence=confidence,
        seed=seed,
        names=names,
    )


def krippendorff_alpha(
    ratings: Any, *, level: Level = "nominal", order: Sequence[Any] | None = None
) -> float | None:
    """Krippendorff's alpha: agreement among several raters, allowing missing ratings.

    1 is perfect agreement, 0 what chance would give, below 0 systematic disagreement.

    Args:
        ratings: A raters × items table (list of lists or 2-D numpy array): one row per
            rater, one column per item; None or NaN where a rater did not rate an item.
            Items with fewer than two ratings are ignored.
        level: ``"nominal"`` (labels, may be strings), ``"ordinal"`` (ordered values),
            ``"interval"`` or ``"ratio"`` (numbers).
        order: Ordinal only: the values from lowest to highest, when their natural sort
            order is not the right one (``["low", "mid", "high"]``).

    Returns:
        Alpha, or None when it is undefined: no item has two ratings, or the ratings use a
        single value (so no disagreement is possible).

    Raises:
        UsageError: An unknown level, a table with rows of different lengths, non-numbers
            at the interval or ratio level, values missing from ``order``, or numpy missing.
    """
    if level not in _LEVELS:
        raise UsageError(
            f"krippendorff_alpha() got level={level!r}; use one of {', '.join(_LEVELS)}"
        )
    _require_numpy("krippendorff_alpha()")
    from assay.scorers._alpha import alpha

    return alpha(ratings, level=level, order=order)


def fleiss_kappa(ratings: Any) -> float | None:
    """Fleiss' kappa: agreement among raters who all rate every item with a label.

    Each item must have the same number of ratings (the raters may differ from item to item);
    for tables with missing ratings use :func:`krippendorff_alpha`.

    Args:
        ratings: A raters × items table (list of lists or 2-D numpy array) of labels; None
            or NaN marks a missing rating. Items nobody rated are ignored.

    Returns:
        Kappa, or None when it is undefined: no rated items, fewer than two ratings per
        item, or a single label used throughout.

    Raises:
        UsageError: Rows of different lengths, items with different numbers of ratings, or
            numpy missing.
    """
    _require_numpy("fleiss_kappa()")
    from assay.scorers._alpha import fleiss

    return fleiss(ratings)


def _check_options(kind: str, n_boot: int, confidence: float) -> None:
    if kind not in _KINDS:
        raise UsageError(f"agreement() got kind={kind!r}; use one of {', '.join(_KINDS)}")
    if isinstance(n_boot, bool) or not isinstance(n_boot, int) or n_boot < 0:
        raise UsageError(
            f"agreement() got n_boot={n_boot!r}; pass a whole number of resamples, "
            "0 for no confidence intervals"
        )
    if not 0 < confidence < 1:
        raise UsageError(
            f"agreement() got confidence={confidence!r}; pass a coverage between 0 and 1, "
            "such as 0.95"
        )


def _require_numpy(what: str) -> None:
    try:
        import numpy  # noqa: F401
    except ImportError as exc:
        raise UsageError(
            f"{what} needs numpy, which is not installed; install it with "
            "`pip install 'assay[llm]'`"
        ) from exc


def _missing(value: Any) -> bool:
    """None, or a NaN of any float type (the exact-type checks are a fast path)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool:
        return False
    return value is None or (isinstance(value, numbers.Real) and value != value)


def _is_bool(value: Any) -> bool:
    kind = type(value)
    return kind is bool or (kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_"))


def _is_number(value: Any) -> bool:
    kind = type(value)
    if kind is float or kind is int:
        return True
    return isinstance(value, numbers.Real) and not _is_bool(value)


def _resolve_kind(
    kind: Kind,
    pairs: list[tuple[Any, Any]],
    a: Collection[Any],
    b: Collection[Any],
    categorical_options: bool,
) -> Literal["categorical", "numeric"]:
    if kind != "auto":
        return kind
    if categorical_options:
        return "categorical"
    values = [v for pair in pairs for v in pair] or [v for v in [*a, *b] if not _missing(v)]
    label = next((v for v in values if isinstance(v, str) or _is_bool(v)), None)
    number = next((v for v in values if _is_number(v)), None)
    other = next(
        (v for v in values if not (isinstance(v, str) or _is_bool(v) or _is_number(v))), None
    )
    if other is not None:
        raise UsageError(
            f"agreement() cannot tell what kind of value {other!r} is; pass "
            "kind='categorical' (labels) or kind='numeric' (numbers)"
        )
    if label is not None and number is not None:
        raise UsageError(
            f"agreement() got both labels and numbers (e.g. {label!r} and {number!r}); "
            "pass kind='categorical' or kind='numeric'"
        )
    return "categorical" if label is not None else "numeric"


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (for JSON); anything else unchanged."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return value.item()
    return value


def _label_order(values: list[Any], labels: Sequence[Any] | None) -> list[Any]:
    try:
        seen = set(values)
        given = None if labels is None else [_plain(v) for v in labels]
        if given is not None and len(set(given)) != len(given):
            raise UsageError(f"agreement() got labels={given!r} with repeats; list each once")
    except TypeError as exc:
        raise UsageError(
            f"agreement() needs hashable labels (strings, booleans, numbers); got {exc}"
        ) from exc
    if given is not None:
        unknown = [v for v in values if v not in set(given)]
        if unknown:
            raise UsageError(
                f"agreement() got the label {unknown[0]!r}, which is not in labels={given!r}; "
                "add it to labels or leave labels out"
            )
        return given
    if seen and all(_is_bool(v) for v in seen):
        return [False, True]
    plain = [_plain(v) for v in seen]
    try:
        return sorted(plain)
    except TypeError:
        return sorted(plain, key=lambda v: (type(v).__name__, repr(v)))


def _categorical(
    pairs: list[tuple[Any, Any]],
    dropped: int,
    *,
    labels: Sequence[Any] | None,
    positive: Any,
    n_boot: int,
    confidence: float,
    seed: int,
    names: tuple[str, str],
) -> Agreement:
    from assay.scorers import _agreement_stats as stats

    order = _label_order([v for pair in pairs for v in pair], labels)
    positive = _positive(positive, order)
    if pairs:
        code = {label: i for i, label in enumerate(order)}
        result = stats.categorical(
            [code[y] for _, y in pairs],
            [code[x] for x, _ in pairs],
            len(order),
            n_boot=n_boot,
            confidence=confidence,
            seed=seed,
        )
        confusion, metrics, classes = result.confusion, dict(result.metrics), result.per_class
    else:
        confusion = [[0] * len(order) for _ in order]
        metrics = {name: Estimate(None) for name in CATEGORICAL_METRICS}
        classes = [{name: Estimate(None) for name in CLASS_METRICS} for _ in order]
    per_class: dict[Any, dict[str, Estimate | int]] = {
        label: {**classes[i], "support": sum(confusion[i])} for i, label in enumerate(order)
    }
    if positive is not None:
        metrics.update({name: classes[order.index(positive)][name] for name in CLASS_METRICS})
    return Agreement(
        kind="categorical",
        n=len(pairs),
        dropped=dropped,
        metrics=metrics,
        warnings=_categorical_warnings(pairs, metrics, names),
        labels=order,
        confusion=confusion,
        per_class=per_class,
        positive=positive,
        confidence=confidence,
        n_boot=n_boot,
    )


def _positive(positive: Any, order: list[Any]) -> Any:
    """The positive class: as given, or True for boolean labels; it must be one of the labels."""
    if positive is None:
        return True if len(order) == 2 and all(_is_bool(v) for v in order) else None
    positive = _plain(positive)
    if positive not in order:
        raise UsageError(
            f"agreement() got positive={positive!r}, which is not one of the labels {order!r}; "
            "pass one of them"
        )
    return positive


def _numeric(
    pairs: list[tuple[Any, Any]],
    dropped: int,
    *,
    n_boot: int,
    confidence: float,
    seed: int,
    names: tuple[str, str],
) -> Agreement:
    from assay.scorers import _agreement_stats as stats

    judge = _numbers([x for x, _ in pairs], "judge")
    ref = _numbers([y for _, y in pairs], "reference")
    if pairs:
        metrics = stats.numeric(judge, ref, n_boot=n_boot, confidence=confidence, seed=seed)
    else:
        metrics = {name: Estimate(None) for name in ("pearson", "spearman", "mae")}
    notes = _size_warnings(len(pairs))
    for side, values in ((names[0], judge), (names[1], ref)):
        if values and min(values) == max(values):
            notes.append(
                f"every value of the {side} is {values[0]!r}: Pearson and Spearman are "
                "undefined (None)"
            )
    return Agreement(
        kind="numeric",
        n=len(pairs),
        dropped=dropped,
        metrics=metrics,
        warnings=notes,
        confidence=confidence,
        n_boot=n_boot,
    )


def _numbers(values: list[Any], side: str) -> list[float]:
    """The values as floats; anything but a finite number is an error."""
    try:
        floats = [float(v) for v in values if _is_number(v) or _is_bool(v)]
    except (TypeError, ValueError):  # a numbers.Real that float() refuses
        floats = []
    if len(floats) == len(values) and all(math.isfinite(v) for v in floats):
        return floats
    bad = next(v for v in values if not (_is_number(v) or _is_bool(v)) or not math.isfinite(v))
    raise UsageError(
        f"agreement() with kind='numeric' needs finite numbers; the {side} gave {bad!r}; "
        "pass numbers, or kind='categorical' for labels"
    )


def _size_warnings(n: int) -> list[str]:
    if n == 0:
        return ["no pairs with both values: nothing to compare"]
    if n < MIN_PAIRS:
        return [f"only {n} pairs: too few to say anything; label at least {MIN_PAIRS}"]
    return []


def _categorical_warnings(
    pairs: list[tuple[Any, Any]], metrics: dict[str, Estimate], names: tuple[str, str]
) -> list[str]:
    notes = _size_warnings(len(pairs))
    if not pairs:
        return notes
    for side, values in (
        (names[1], {_plain(y) for _, y in pairs}),
        (names[0], {_plain(x) for x, _ in pairs}),
    ):
        if len(values) == 1:
            notes.append(f"the {side} gives only one label, {next(iter(values))!r}")
    if metrics["cohen_kappa"].value is None:
        notes.append(
            "Cohen's kappa is undefined (None): both sides give one and the same label, "
            "so chance agreement is 1"
        )
    return notes
