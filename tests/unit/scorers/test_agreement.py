"""agreement(): every figure against scikit-learn, scipy and numpy on random data, plus intervals,
warnings, missing values and errors."""

from __future__ import annotations

import doctest
import json
import math
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import (
    accuracy_score,
    cohen_kappa_score,
    confusion_matrix,
    precision_recall_fscore_support,
)

from assay.errors import UsageError
from assay.scorers import Agreement, Estimate, agreement
from assay.scorers import _agreement_stats as internals

PROPERTY = settings(max_examples=60, deadline=None)
SLOW_REFERENCE = settings(max_examples=40, deadline=None)  # many scikit-learn calls per example
LABELS = st.sampled_from(["bad", "fine", "good", "great"])
ROUNDED = st.floats(-1e3, 1e3).map(lambda v: round(v, 3))
TIED = st.integers(0, 4)


def close(ours: float | None, reference: float, tol: float = 1e-9) -> bool:
    if math.isnan(reference):
        return ours is None
    return ours is not None and abs(ours - reference) <= tol


def value(r: Agreement, name: str) -> float | None:
    return r.metrics[name].value


def judged(n: int, accuracy: float, seed: int) -> tuple[list[str], list[str]]:
    """A judge that copies the human label with probability ``accuracy``, else guesses."""
    rng = np.random.default_rng(seed)
    human = rng.choice(["no", "yes", "maybe"], size=n, p=[0.5, 0.3, 0.2])
    guess = rng.choice(["no", "yes", "maybe"], size=n)
    judge = np.where(rng.random(n) < accuracy, human, guess)
    return judge.tolist(), human.tolist()


# --- categorical figures against scikit-learn ---------------------------------------------


@pytest.mark.filterwarnings("ignore:A single label was found")
@PROPERTY
@given(st.lists(st.tuples(LABELS, LABELS), min_size=1, max_size=60))
def test_categorical_figures_match_scikit_learn(pairs: list[tuple[str, str]]) -> None:
    judge, human = [a for a, _ in pairs], [b for _, b in pairs]
    r = agreement(judge, human, n_boot=0)
    labels = sorted(set(judge) | set(human))
    assert r.kind == "categorical" and r.n == len(pairs) and r.labels == labels
    assert r.confusion == confusion_matrix(human, judge, labels=labels).tolist()
    assert close(value(r, "accuracy"), accuracy_score(human, judge))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns where kappa is undefined
        kappa = cohen_kappa_score(human, judge)
    assert close(value(r, "cohen_kappa"), kappa)
    precision, recall, f1, support = precision_recall_fscore_support(
        human, judge, labels=labels, zero_division=0
    )
    for i, label in enumerate(labels):
        stats_of = r.per_class[label]
        assert close(stats_of["precision"].value, precision[i])  # type: ignore[union-attr]
        assert close(stats_of["recall"].value, recall[i])  # type: ignore[union-attr]
        assert close(stats_of["f1"].value, f1[i])  # type: ignore[union-attr]
        assert stats_of["support"] == support[i]
    macro = precision_recall_fscore_support(
        human, judge, labels=labels, average="macro", zero_division=0
    )
    assert close(value(r, "macro_precision"), macro[0])
    assert close(value(r, "macro_recall"), macro[1])
    assert close(value(r, "macro_f1"), macro[2])


@SLOW_REFERENCE
@given(
    st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=60),
    st.lists(st.sampled_from(["bad", "fine", "good", "great", "awful"]), min_size=1),
)
def test_positive_class_and_given_labels_match_scikit_learn(
    pairs: list[tuple[bool, bool]], extra: list[str]
) -> None:
    judge, human = [a for a, _ in pairs], [b for _, b in pairs]
    r = agreement(judge, human, n_boot=0)
    assert r.labels == [False, True] and r.positive is True  # booleans: both classes, True positive
    p, rec, f, _ = precision_recall_fscore_support(
        human, judge, labels=[False, True], pos_label=True, average="binary", zero_division=0
    )
    assert close(value(r, "precision"), p)
    assert close(value(r, "recall"), rec)
    assert close(value(r, "f1"), f)
    # Labels given explicitly keep their order, and unseen labels get empty rows.
    names = ["x" if a else "y" for a in judge]
    truth = ["x" if b else "y" for b in human]
    labels = ["y", *dict.fromkeys(extra), "x"]
    r = agreement(names, truth, labels=labels, positive="y", n_boot=0)
    assert r.labels == labels
    assert r.confusion == confusion_matrix(truth, names, labels=labels).tolist()
    p, rec, f, _ = precision_recall_fscore_support(
        truth, names, labels=["y"], average="macro", zero_division=0
    )
    assert close(value(r, "precision"), p) and close(value(r, "f1"), f)
    macro = precision_recall_fscore_support(
        truth, names, labels=labels, average="macro", zero_division=0
    )
    assert close(value(r, "macro_f1"), macro[2])


@PROPERTY
@given(st.lists(st.tuples(st.none() | LABELS, st.none() | LABELS), max_size=40))
def test_pairs_with_a_missing_side_are_dropped(pairs: list[tuple[str | None, str | None]]) -> None:
    kept = [(a, b) for a, b in pairs if a is not None and b is not None]
    r = agreement([a for a, _ in pairs], [b for _, b in pairs], kind="categorical", n_boot=0)
    assert (r.n, r.dropped) == (len(kept), len(pairs) - len(kept))
    if kept:
        human, judge = [b for _, b in kept], [a for a, _ in kept]
        assert close(value(r, "accuracy"), accuracy_score(human, judge))
    else:
        assert value(r, "accuracy") is None and "nothing to compare" in r.warnings[0]


# --- numeric figures against scipy and numpy ----------------------------------------------


@PROPERTY
@given(
    st.lists(st.tuples(ROUNDED, ROUNDED), min_size=1, max_size=60)
    | st.lists(st.tuples(TIED, TIED), min_size=1, max_size=60)
)
def test_numeric_figures_match_scipy(pairs: list[tuple[float, float]]) -> None:
    judge, human = [a for a, _ in pairs], [b for _, b in pairs]
    r = agreement(judge, human, n_boot=0)
    assert r.kind == "numeric" and r.n == len(pairs)
    assert close(value(r, "mae"), float(np.mean(np.abs(np.subtract(judge, human)))))
    constant = len(set(judge)) == 1 or len(set(human)) == 1
    if constant:
        assert value(r, "pearson") is None and value(r, "spearman") is None
        assert any("Pearson and Spearman are undefined" in w for w in r.warnings)
        return
    assert close(value(r, "pearson"), stats.pearsonr(judge, human).statistic)
    assert close(value(r, "spearman"), stats.spearmanr(judge, human).statistic)


@PROPERTY
@given(
    st.lists(st.tuples(ROUNDED, ROUNDED), min_size=2, max_size=40)
    | st.lists(st.tuples(TIED, TIED), min_size=2, max_size=40),
    st.integers(0, 2**32 - 1),
)
def test_each_numeric_resample_matches_scipy_on_the_resampled_pairs(
    pairs: list[tuple[float, float]], seed: int
) -> None:
    x, y = np.array(pairs, dtype=np.float64).T
    weights = internals._multiplicities(np.random.default_rng(seed), x.size, 3)
    resampled = internals._Pairs.of(x, y).stats(weights)
    for i, w in enumerate(weights):
        index = np.repeat(np.arange(x.size), w.astype(int))
        a, b = x[index], y[index]
        assert close(resampled["mae"][i], float(np.mean(np.abs(a - b))))
        if np.ptp(a) == 0 or np.ptp(b) == 0:
            assert np.isnan(resampled["pearson"][i]) and np.isnan(resampled["spearman"][i])
            continue
        assert close(resampled["pearson"][i], stats.pearsonr(a, b).statistic, 1e-8)
        assert close(resampled["spearman"][i], stats.spearmanr(a, b).statistic, 1e-8)


@SLOW_REFERENCE
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=40),
    st.integers(0, 2**32 - 1),
)
def test_each_categorical_resample_matches_scikit_learn(
    pairs: list[tuple[int, int]], seed: int
) -> None:
    ref, judge = np.array(pairs).T
    confusion = np.bincount(ref * 4 + judge, minlength=16).reshape(4, 4)
    cells = internals._Cells.of(confusion)
    uniform = np.full(cells.flat.size, 1 / cells.flat.size)
    drawn = np.random.default_rng(seed).multinomial(len(pairs), uniform, size=2)
    figures = internals._class_stats(*cells.tallies(drawn.astype(np.float64)), len(pairs))
    for i, counts in enumerate(drawn):
        rows, cols = np.divmod(np.repeat(cells.flat, counts), 4)
        assert close(figures["accuracy"][i], accuracy_score(rows, cols))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kappa = cohen_kappa_score(rows, cols)
        assert close(
            None if np.isnan(figures["cohen_kappa"][i]) else figures["cohen_kappa"][i], kappa
        )
        prf = precision_recall_fscore_support(rows, cols, labels=range(4), zero_division=0)
        ours = (figures["precision"], figures["recall"], figures["f1"])
        for got, want in zip(ours, prf[:3], strict=True):
            assert np.allclose(got[i], want, rtol=0, atol=1e-12)


# --- intervals ----------------------------------------------------------------------------


def width(e: Estimate) -> float:
    assert e.ci_low is not None and e.ci_high is not None
    return e.ci_high - e.ci_low


def test_intervals_contain_the_estimate_and_narrow_as_pairs_grow() -> None:
    small, large = agreement(*judged(80, 0.7, 1)), agreement(*judged(2000, 0.7, 1))
    for r in (small, large):
        for name, e in r.metrics.items():
            assert e.value is not None and e.ci_low is not None and e.ci_high is not None
            assert e.ci_low <= e.value <= e.ci_high, name
    for name in ("accuracy", "cohen_kappa", "macro_f1"):
        assert width(large.metrics[name]) < width(small.metrics[name]) / 3, name
    assert width(large.per_class["yes"]["recall"]) < width(small.per_class["yes"]["recall"])  # type: ignore[arg-type]
    rng = np.random.default_rng(2)
    x = rng.normal(size=2000)
    y = x + rng.normal(size=2000)
    few, many = agreement(x[:80].tolist(), y[:80].tolist()), agreement(x.tolist(), y.tolist())
    for name in ("pearson", "spearman", "mae"):
        for r in (few, many):
            e = r.metrics[name]
            assert e.ci_low is not None and e.ci_high is not None and e.value is not None
            assert e.ci_low <= e.value <= e.ci_high, name
        assert width(many.metrics[name]) < width(few.metrics[name]) / 3, name


def test_a_95_percent_interval_covers_the_truth_about_95_percent_of_the_time() -> None:
    # Human labels are a fair coin; the judge agrees 80% of the time: true accuracy 0.8.
    rng = np.random.default_rng(3)
    hits = 0
    for trial in range(120):
        human = rng.random(150) < 0.5
        judge = np.where(rng.random(150) < 0.8, human, ~human)
        e = agreement(judge.tolist(), human.tolist(), n_boot=300, seed=trial).metrics["accuracy"]
        assert e.ci_low is not None and e.ci_high is not None
        hits += e.ci_low <= 0.8 <= e.ci_high
    assert 0.87 <= hits / 120 <= 0.995


def test_the_seed_makes_intervals_reproducible() -> None:
    judge, human = judged(100, 0.6, 4)
    first, again = agreement(judge, human, seed=7), agreement(judge, human, seed=7)
    other = agreement(judge, human, seed=8)
    assert first.metrics == again.metrics and first.per_class == again.per_class
    assert first.metrics["cohen_kappa"] != other.metrics["cohen_kappa"]
    assert first.metrics["cohen_kappa"].value == other.metrics["cohen_kappa"].value
    x = [float(i % 7) for i in range(60)]
    y = [float(i % 5) for i in range(60)]
    assert agreement(x, y, seed=1).metrics == agreement(x, y, seed=1).metrics


def test_confidence_sets_the_coverage_and_n_boot_0_turns_intervals_off() -> None:
    judge, human = judged(300, 0.6, 5)
    wide = agreement(judge, human, confidence=0.99).metrics["accuracy"]
    narrow = agreement(judge, human, confidence=0.5).metrics["accuracy"]
    assert width(narrow) < width(wide)
    off = agreement(judge, human, n_boot=0)
    assert off.metrics["accuracy"] == Estimate(wide.value, None, None)
    assert all(e.ci_low is None and e.ci_high is None for e in off.metrics.values())


# --- warnings -----------------------------------------------------------------------------


def test_few_pairs_one_label_and_undefined_kappa_are_warned_about() -> None:
    r = agreement(["yes"] * 7, ["yes"] * 7)
    assert r.warnings[0] == "only 7 pairs: too few to say anything; label at least 30"
    assert any("reference (second argument) gives only one label, 'yes'" in w for w in r.warnings)
    assert any("judge (first argument) gives only one label" in w for w in r.warnings)
    assert value(r, "cohen_kappa") is None and any("kappa is undefined" in w for w in r.warnings)
    assert value(r, "accuracy") == 1.0
    judge, human = judged(30, 0.9, 7)
    assert agreement(judge, human).warnings == []


def test_constant_numbers_make_correlations_undefined_with_a_warning() -> None:
    r = agreement([0.5] * 40, [float(i) for i in range(40)])
    assert value(r, "pearson") is None and value(r, "spearman") is None
    assert r.metrics["pearson"] == Estimate(None)
    assert r.warnings == [
        "every value of the judge (first argument) is 0.5: "
        "Pearson and Spearman are undefined (None)"
    ]
    assert value(r, "mae") == pytest.approx(np.mean(np.abs(0.5 - np.arange(40))))


def test_no_pairs_at_all_gives_no_figures() -> None:
    r = agreement([None, "yes"], ["no", None])
    assert (r.kind, r.n, r.dropped) == ("categorical", 0, 2)
    assert all(e == Estimate(None) for e in r.metrics.values())
    assert r.warnings == ["no pairs with both values: nothing to compare"]
    empty = agreement([], [])
    assert empty.kind == "numeric" and empty.metrics["mae"] == Estimate(None)


def test_nan_counts_as_missing_and_numpy_values_are_accepted() -> None:
    r = agreement(np.array([0.1, np.nan, 0.3, 0.5]), [0.2, 0.2, float("nan"), 0.4], n_boot=0)
    assert (r.n, r.dropped) == (2, 2)
    assert value(r, "mae") == pytest.approx(0.1)
    labels = agreement(np.array(["a", "b", "a"]), np.array(["a", "b", "b"]), n_boot=0)
    assert labels.labels == ["a", "b"] and type(labels.labels[0]) is str
    flags = agreement(np.array([True, False]), [True, True], n_boot=0)
    assert flags.kind == "categorical" and flags.positive is True


# --- the result as data --------------------------------------------------------------------


def test_to_dict_is_plain_json_with_labels_keeping_their_type() -> None:
    r = agreement([True, False, True, True], [True, False, False, True], n_boot=50)
    data = json.loads(json.dumps(r.to_dict()))
    assert data["kind"] == "categorical" and data["n"] == 4 and data["positive"] is True
    assert data["labels"] == [False, True]
    assert data["confusion"] == [[1, 1], [0, 2]]  # rows: reference, columns: judge
    assert [c["label"] for c in data["per_class"]] == [False, True]
    assert data["per_class"][1]["support"] == 2
    assert data["per_class"][1]["precision"]["value"] == pytest.approx(2 / 3)
    assert data["metrics"]["accuracy"] == r.metrics["accuracy"].to_dict()
    assert set(data["metrics"]) == {
        "accuracy",
        "cohen_kappa",
        "macro_precision",
        "macro_recall",
        "macro_f1",
        "precision",
        "recall",
        "f1",
    }
    numeric = json.loads(json.dumps(agreement([1, 2, 3], [1, 3, 2]).to_dict()))
    assert set(numeric["metrics"]) == {"pearson", "spearman", "mae"}
    assert numeric["per_class"] == [] and numeric["confusion"] == []


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: agreement([1, 2, 3], [1, 2]), "got 3 judge values and 2 reference values"),
        (lambda: agreement([1], [1], kind="ordinal"), "kind='ordinal'; use one of auto"),  # type: ignore[arg-type]
        (lambda: agreement(["a", 0.5], ["b", 1.0]), "both labels and numbers (e.g. 'a' and 0.5)"),
        (lambda: agreement([{"a": 1}], [{"a": 1}]), "cannot tell what kind of value {'a': 1}"),
        (lambda: agreement(["a"], [1.5], kind="numeric"), "the judge gave 'a'"),
        (lambda: agreement([1.0], [math.inf], kind="numeric"), "the reference gave inf"),
        (
            lambda: agreement(["a", "c"], ["a", "b"], labels=["a", "b"]),
            "label 'c', which is not in labels",
        ),
        (lambda: agreement(["a"], ["a"], labels=["a", "a"]), "with repeats"),
        (
            lambda: agreement(["a"], ["b"], positive="c"),
            "positive='c', which is not one of the labels",
        ),
        (lambda: agreement([1], [1], n_boot=-1), "n_boot=-1"),
        (
            lambda: agreement([1], [1], confidence=95),
            "confidence=95; pass a coverage between 0 and 1",
        ),
    ],
)
def test_bad_input_gets_an_error_that_says_what_to_do(call: Any, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        call()


def test_labels_or_positive_make_numbers_categorical() -> None:
    r = agreement([1, 2, 2], [1, 2, 1], labels=[1, 2, 3], n_boot=0)
    assert r.kind == "categorical" and r.per_class[3]["support"] == 0
    assert agreement([0, 1], [1, 1], positive=1, n_boot=0).metrics["recall"].value == 0.5


def test_without_numpy_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)  # makes `import numpy` fail
    with pytest.raises(UsageError, match=re.escape("pip install 'assay[llm]'")):
        agreement([1, 2], [1, 2])


def test_importing_the_scorers_does_not_import_numpy() -> None:
    code = "import sys, assay.scorers; print('numpy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


# --- the documentation ----------------------------------------------------------------------


def test_the_agreement_docs_examples_print_what_the_page_says() -> None:
    page = (Path(__file__).resolve().parents[3] / "docs" / "scorers.md").read_text()
    section = page.split("\n## Agreement\n", 1)[1].split("\n## ", 1)[0]
    examples = re.findall(r"^```pycon\n(.*?)^```", section, flags=re.M | re.S)
    assert len(examples) >= 2
    for code in examples:
        test = doctest.DocTestParser().get_doctest(code, {}, "scorers.md", "scorers.md", 0)
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        runner.run(test)
        assert runner.summarize(verbose=False).failed == 0, "see the doctest report above"
