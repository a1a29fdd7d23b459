"""Scores as rows: round trip, order, and the project they belong to."""

from __future__ import annotations

from assay.schema import ScoreIn
from assay.store import Store


def test_scores_round_trip_per_trace(store: Store, pid: str) -> None:
    trace = "ab" * 16
    ids = store.record_scores(
        pid,
        [
            ScoreIn(trace_id=trace, span_id="cd" * 8, name="helpful", value=0.75, source="human",
                    author="ann", rationale="mostly right", metadata={"queue": "q1"}),
            ScoreIn(trace_id=trace, name="tone", label="polite", source="llm_judge", scorer="j1"),
            ScoreIn(trace_id="ef" * 16, name="other", value=1.0),
        ],
    )  # fmt: skip
    assert len(set(ids)) == 3
    got = store.list_trace_scores(pid, trace)
    assert [(s.id, s.name, s.value, s.label, s.source) for s in got] == [
        (ids[0], "helpful", 0.75, None, "human"),
        (ids[1], "tone", None, "polite", "llm_judge"),
    ]
    assert (got[0].author, got[0].rationale, got[0].metadata) == (
        "ann",
        "mostly right",
        {"queue": "q1"},
    )
    other = store.ensure_project("other")
    assert store.list_trace_scores(other, trace) == []
