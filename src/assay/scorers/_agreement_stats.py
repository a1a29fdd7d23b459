"""The numbers behind :func:`assay.scorers.agreement`: point estimates and bootstrap resamples.

Imported only once numpy is known to be importable. No Python loop runs per resample; each
statistic is computed for a whole block of resamples at once:

- Categorical: a resample of the pairs (with replacement) only changes how many pairs fall in
  each cell of the confusion matrix. Those counts follow a multinomial distribution over the
  cells, with probabilities ``cell / n``, so one resample is one multinomial draw over the
  non-empty cells, and its cost does not grow with the number of pairs.
- Numeric: a resample gives each pair a multiplicity (0, 1, 2, ...). Pearson, Spearman and the
  mean absolute error are weighted sums with those multiplicities; the ranks of a resample follow
  from the weights of the tie groups of the original values, so no resample is ever sorted.

The interval is the percentile bootstrap: the ``(1 - confidence) / 2`` and
``(1 + confidence) / 2`` quantiles (numpy's linear interpolation) of the resampled statistic.
Resamples in which a statistic is undefined (kappa with chance agreement 1, a correlation of a
constant resample) are left out of its quantiles.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assay.scorers._agreement import CATEGORICAL_METRICS, CLASS_METRICS, Estimate

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

#: Cells per block of resamples (8 bytes each): small blocks stay in the CPU cache, which is
#: faster than one big block, and bound the memory used.
_CHUNK_CELLS = 131_072


@dataclass(frozen=True, slots=True)
class Categorical:
    """Categorical agreement: the confusion matrix and the estimates.

    Attributes:
        confusion: Counts; rows are the reference's labels, columns the judge's.
        metrics: Accuracy, Cohen's kappa and the macro averages.
        per_class: Precision, recall and F1 of each label, in label order.
    """

    confusion: list[list[int]]
    metrics: dict[str, Estimate]
    per_class: list[dict[str, Estimate]]


def categorical(
    ref: Sequence[int],
    judge: Sequence[int],
    n_labels: int,
    *,
    n_boot: int,
    confidence: float,
    seed: int,
) -> Categorical:
    """Agreement of label codes ``judge`` with reference codes ``ref``, in ``range(n_labels)``."""
    cells = np.asarray(ref, dtype=np.int64) * n_labels + np.asarray(judge, dtype=np.int64)
    confusion = np.bincount(cells, minlength=n_labels * n_labels).reshape(n_labels, n_labels)
    n = int(cells.size)
    point = _class_stats(
        np.diagonal(confusion)[None, :].astype(np.float64),
        confusion.sum(axis=1)[None, :].astype(np.float64),
        confusion.sum(axis=0)[None, :].astype(np.float64),
        n,
    )
    boot = _class_resamples(confusion, n_boot, seed) if n_boot > 0 and n >= 2 else None
    metrics = {
        name: _estimates(point[name][:, None], _column(boot, name), confidence)[0]
        for name in CATEGORICAL_METRICS
    }
    columns = {
        name: _estimates(point[name], None if boot is None else boot[name], confidence)
        for name in CLASS_METRICS
    }
    per_class = [{name: columns[name][j] for name in CLASS_METRICS} for j in range(n_labels)]
    return Categorical(confusion=confusion.tolist(), metrics=metrics, per_class=per_class)


def numeric(
    judge: Sequence[float],
    ref: Sequence[float],
    *,
    n_boot: int,
    confidence: float,
    seed: int,
) -> dict[str, Estimate]:
    """Pearson, Spearman and mean absolute error of paired numbers, with bootstrap intervals."""
    x = np.asarray(judge, dtype=np.float64)
    y = np.asarray(ref, dtype=np.float64)
    pairs = _Pairs.of(x, y)
    point = pairs.stats(np.ones((1, x.size)))
    boot: dict[str, Floats] | None = None
    if n_boot > 0 and x.size >= 2:
        rng = np.random.default_rng(seed)
        blocks = [
            pairs.stats(_multiplicities(rng, x.size, size)) for size in _blocks(n_boot, x.size)
        ]
        boot = {name: np.concatenate([b[name] for b in blocks]) for name in point}
    return {
        name: _estimates(point[name][:, None], _column(boot, name), confidence)[0]
        for name in ("pearson", "spearman", "mae")
    }


def _class_stats(tp: Floats, ref: Floats, judge: Floats, n: int) -> dict[str, Floats]:
    """Every categorical statistic from per-class tallies of shape (resamples, labels).

    ``tp``: pairs where both sides gave the class; ``ref``/``judge``: how often each side gave it.
    Conventions follow scikit-learn with ``zero_division=0``: precision is 0 when the judge never
    gives the class, recall 0 when the reference never does, F1 0 when neither does. Kappa is
    NaN (undefined) when chance agreement is 1, i.e. both sides give one and the same class.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(judge > 0, tp / judge, 0.0)
        recall = np.where(ref > 0, tp / ref, 0.0)
        both = ref + judge
        f1 = np.where(both > 0, 2 * tp / both, 0.0)
        agreed = tp.sum(axis=1)
        chance = (ref * judge).sum(axis=1)
        square = float(n) * n
        kappa = np.where(chance < square, (agreed * n - chance) / (square - chance), np.nan)
    return {
        "accuracy": agreed / n,
        "cohen_kappa": kappa,
        "macro_precision": precision.mean(axis=1),
        "macro_recall": recall.mean(axis=1),
        "macro_f1": f1.mean(axis=1),
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def _class_resamples(confusion: Ints, n_boot: int, seed: int) -> dict[str, Floats]:
    """The categorical statistics of ``n_boot`` resamples, drawn as multinomial cell counts."""
    cells = _Cells.of(confusion)
    n = int(confusion.sum())
    probs = confusion.ravel()[cells.flat] / n
    rng = np.random.default_rng(seed)
    blocks = []
    for count in _blocks(n_boot, max(cells.flat.size, cells.size)):
        drawn = rng.multinomial(n, probs, size=count).astype(np.float64)
        blocks.append(_class_stats(*cells.tallies(drawn), n))
    return {name: np.concatenate([b[name] for b in blocks]) for name in blocks[0]}


@dataclass(frozen=True, slots=True)
class _Cells:
    """The non-empty cells of a confusion matrix, laid out to sum counts by row and column."""

    size: int
    flat: Ints
    rows: Ints
    diagonal: npt.NDArray[np.bool_]
    row_starts: Ints
    col_order: Ints
    col_starts: Ints
    cols_sorted: Ints

    @classmethod
    def of(cls, confusion: Ints) -> _Cells:
        size = confusion.shape[0]
        flat = np.flatnonzero(confusion.ravel())  # row-major: rows come out sorted
        rows, cols = np.divmod(flat, size)
        col_order = np.argsort(cols, kind="stable")
        cols_sorted = cols[col_order]
        return cls(
            size=size,
            flat=flat,
            rows=rows,
            diagonal=rows == cols,
            row_starts=np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]),
            col_order=col_order,
            col_starts=np.flatnonzero(np.r_[True, cols_sorted[1:] != cols_sorted[:-1]]),
            cols_sorted=cols_sorted,
        )

    def tallies(self, drawn: Floats) -> tuple[Floats, Floats, Floats]:
        """Per-class (agreed, reference, judge) counts from cell counts (resamples, cells)."""
        count = drawn.shape[0]
        tp = np.zeros((count, self.size))
        tp[:, self.rows[self.diagonal]] = drawn[:, self.diagonal]
        ref = np.zeros((count, self.size))
        ref[:, self.rows[self.row_starts]] = np.add.reduceat(drawn, self.row_starts, axis=1)
        judge = np.zeros((count, self.size))
        by_col = np.add.reduceat(drawn[:, self.col_order], self.col_starts, axis=1)
        judge[:, self.cols_sorted[self.col_starts]] = by_col
        return tp, ref, judge


@dataclass(frozen=True, slots=True)
class _Ties:
    """The tie groups of one variable, in ascending value order."""

    order: Ints
    ends: Ints
    group: Ints

    @classmethod
    def of(cls, values: Floats) -> _Ties:
        order = np.argsort(values, kind="stable")
        ordered = values[order]
        last = np.r_[ordered[1:] != ordered[:-1], True]
        group = np.empty(values.size, dtype=np.int64)
        group[order] = np.cumsum(np.r_[True, last[:-1]]) - 1
        return cls(order=order, ends=np.flatnonzero(last), group=group)

    def ranks(self, w: Floats) -> tuple[Floats, Floats]:
        """Each tie group's multiplicity and centred average rank, per row of multiplicities.

        A group of multiplicity ``g`` ending at cumulative weight ``c`` holds ranks
        ``c - g + 1 .. c``, so its average rank is ``c - (g - 1) / 2``; the mean rank of a
        resample of ``n`` is always ``(n + 1) / 2``, which is subtracted.
        """
        n = self.group.size
        upto = np.cumsum(np.take(w, self.order, axis=1), axis=1)
        if self.ends.size < n:
            upto = np.take(upto, self.ends, axis=1)
        weight = upto.copy()
        weight[:, 1:] -= upto[:, :-1]
        upto -= 0.5 * weight
        upto += 0.5 - (n + 1) / 2
        return weight, upto


@dataclass(frozen=True, slots=True)
class _Pairs:
    """Paired numbers, prepared once for any number of weighted resamples."""

    columns: Floats
    x_ties: _Ties
    y_ties: _Ties

    @classmethod
    def of(cls, x: Floats, y: Floats) -> _Pairs:
        # Centring at the overall means keeps the one-pass weighted sums accurate.
        xc, yc = x - x.mean(), y - y.mean()
        columns = np.stack([xc, yc, xc * xc, yc * yc, xc * yc, np.abs(x - y)], axis=1)
        return cls(columns=columns, x_ties=_Ties.of(x), y_ties=_Ties.of(y))

    def stats(self, w: Floats) -> dict[str, Floats]:
        """Pearson, Spearman and MAE for each row of multiplicities ``w`` (resamples, pairs)."""
        n = w.shape[1]
        mx, my, sxx, syy, sxy, mae = (w @ self.columns / n).T
        gx, rx = self.x_ties.ranks(w)
        gy, ry = self.y_ties.ranks(w)
        # A resample is constant on one side when all its weight sits in one tie group.
        flat = (gx.max(axis=1) == n) | (gy.max(axis=1) == n)
        # Spearman is Pearson of the average ranks.
        cross = np.einsum(
            "ij,ij,ij->i",
            w,
            np.take(rx, self.x_ties.group, axis=1),
            np.take(ry, self.y_ties.group, axis=1),
        )
        vx = np.einsum("ij,ij,ij->i", gx, rx, rx)
        vy = np.einsum("ij,ij,ij->i", gy, ry, ry)
        return {
            "pearson": _correlation(sxy - mx * my, (sxx - mx * mx) * (syy - my * my), flat),
            "spearman": _correlation(cross, vx * vy, flat),
            "mae": mae,
        }


def _correlation(cov: Floats, var_product: Floats, flat: npt.NDArray[np.bool_]) -> Floats:
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.clip(cov / np.sqrt(var_product), -1.0, 1.0)
    return np.where(flat | ~(var_product > 0), np.nan, r)


def _multiplicities(rng: np.random.Generator, n: int, count: int) -> Floats:
    """How often each of ``n`` pairs is drawn in each of ``count`` resamples of size ``n``."""
    drawn = rng.integers(0, n, size=(count, n))
    drawn += (np.arange(count, dtype=np.int64) * n)[:, None]
    return np.bincount(drawn.ravel(), minlength=count * n).reshape(count, n).astype(np.float64)


def _blocks(total: int, width: int) -> list[int]:
    """Split ``total`` resamples into blocks of at most ``_CHUNK_CELLS / width`` rows."""
    step = max(1, _CHUNK_CELLS // max(width, 1))
    return [min(step, total - start) for start in range(0, total, step)]


def _column(boot: dict[str, Floats] | None, name: str) -> Floats | None:
    return None if boot is None else boot[name][:, None]


def _estimates(point: Floats, boot: Floats | None, confidence: float) -> list[Estimate]:
    """One Estimate per column: ``point`` has shape (1, k) or (k,), ``boot`` (resamples, k)."""
    values = np.asarray(point, dtype=np.float64).reshape(-1)
    lows = highs = np.full(values.size, np.nan)
    if boot is not None:
        tail = (1 - confidence) / 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all resamples undefined
            lows, highs = np.nanquantile(boot, [tail, 1 - tail], axis=0)
    out = []
    for value, low, high in zip(values, lows, highs, strict=True):
        if np.isnan(value):
            out.append(Estimate(None))
        elif np.isnan(low) or np.isnan(high):
            out.append(Estimate(float(value)))
        else:
            out.append(Estimate(float(value), float(low), float(high)))
    return out
