"""Score means per bucket in the time series: by when the score was given, production only."""

from __future__ import annotations

import pytest

from assay.schema import ScoreIn
from assay.store import SeriesQuery, Store
from assay.store.sql.decode import to_datetime
from tests.unit.store.conftest import T0, make, trace_id

SEC = 1_000_000


@pytest.fixture
def scored(store: Store, pid: str) -> str:
    """Two traces named chat and search, scored in the first and the second two-second bucket."""
    store.add_spans(pid, [make(1, 10, name="chat"), make(2, 20, start=SEC, name="search")])

    def score(trace: int, name: str, value: float | None, at: int, **kw: object) -> ScoreIn:
        return ScoreIn(
            trace_id=trace_id(trace), name=name, value=value,
            created_at=to_datetime(T0 + at), **kw,  # type: ignore[arg-type]
        )  # fmt: skip

    store.record_scores(
        pid,
        [
            score(1, "helpful", 1.0, 0),
            score(2, "helpful", 0.5, SEC),
            score(2, "tone", None, SEC, label="polite"),
            score(1, "helpful", 0.0, 2 * SEC),
            score(2, "correct", 0.25, 3 * SEC),
            score(1, "helpful", 0.0, SEC, experiment_id="exp-1"),
            score(1, "helpful", 1.0, 9 * SEC),
        ],
    )
    return pid


def test_series_carries_the_mean_of_each_score_per_bucket(store: Store, scored: str) -> None:
    points = store.series(scored, SeriesQuery(start=T0, end=T0 + 6 * SEC, bucket_seconds=2))
    assert [p.scores for p in points] == [
        {"helpful": pytest.approx(0.75)},
        {"helpful": 0.0, "correct": 0.25},
        {},
    ]


def test_score_series_follows_the_root_name_filter(store: Store, scored: str) -> None:
    named = store.series(
        scored, SeriesQuery(start=T0, end=T0 + 4 * SEC, bucket_seconds=4, name="search")
    )
    assert [p.scores for p in named] == [{"helpful": 0.5, "correct": 0.25}]
