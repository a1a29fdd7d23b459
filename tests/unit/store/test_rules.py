"""Online rules in the store: create, list, change, delete; stats; the spans a filter picks."""

from __future__ import annotations

import pytest

from assay.errors import NotFoundError, UsageError
from assay.schema import RuleFilter, RuleIn, ScoreIn
from assay.store import Store
from assay.store.rules import SpanRange
from assay.store.shapes import JobOutcome, JobQuery, NewJob
from tests.unit.store.conftest import T0, make, span_id, trace_id

SEC = 1_000_000


def _rule(name: str = "helpful", **fields: object) -> RuleIn:
    body: dict[str, object] = {"name": name, "scorers": [{"scorer": "valid_json"}]}
    body.update(fields)
    return RuleIn.model_validate(body)


def _all(store: Store, pid: str, where: RuleFilter, *, start: int = 0, end: int = 100) -> list:
    spans = SpanRange(where, T0 + start * SEC, T0 + end * SEC)
    keys, cursor = [], None
    while True:
        page = store.rule_span_keys(pid, spans, after=cursor, limit=2)
        keys.extend(page.keys)
        cursor = page.next_cursor
        if cursor is None:
            return keys


def test_rules_are_created_once_listed_by_name_changed_and_deleted(store: Store, pid: str) -> None:
    made = store.create_rule(pid, _rule(description="JSON answers", sample_rate=0.25))
    assert made is not None and made.project == "demo" and made.sample_rate == 0.25
    assert made.stats is not None and made.stats.scores == 0
    assert store.create_rule(pid, _rule()) is None  # the name is taken
    store.create_rule(pid, _rule("another", enabled=False))
    assert [r.name for r in store.list_rules(pid)] == ["another", "helpful"]
    assert all(r.stats is None for r in store.list_rules(pid, stats=False))

    changed = store.update_rule(
        pid,
        "helpful",
        {"enabled": False, "filter": {"kind": "llm", "tag": ["vip"]}, "route": None},
    )
    assert not changed.enabled and changed.filter.kind == "llm" and changed.filter.tag == ["vip"]
    found = store.get_rule(pid, "helpful")
    assert (
        found is not None and found.filter == changed.filter and found.updated_at > made.updated_at
    )
    assert store.rule_by_id(pid, made.id) == found.model_copy(update={"stats": None})
    with pytest.raises(UsageError, match="name"):
        store.update_rule(pid, "helpful", {"name": "renamed"})
    with pytest.raises(NotFoundError, match="Rule 'nope' does not exist in project 'demo'"):
        store.update_rule(pid, "nope", {"enabled": True})

    store.delete_rule(pid, "helpful")
    assert store.get_rule(pid, "helpful") is None and store.rule_by_id(pid, made.id) is None
    with pytest.raises(NotFoundError):
        store.delete_rule(pid, "helpful")


def test_active_rules_are_the_enabled_ones_of_every_project(store: Store, pid: str) -> None:
    other = store.ensure_project("other")
    on = store.create_rule(pid, _rule("on"))
    store.create_rule(pid, _rule("off", enabled=False))
    elsewhere = store.create_rule(other, _rule("on"))
    assert on is not None and elsewhere is not None
    active = store.active_rules()
    assert {p: [r.id for r in rules] for p, rules in active.items()} == {
        pid: [on.id],
        other: [elsewhere.id],
    }
    assert active[other][0].project == "other"
    store.update_rule(other, "on", {"enabled": False})
    assert list(store.active_rules()) == [pid]


def _score_job(store: Store, pid: str, rule_id: str, keys: list[tuple[str, str]]) -> None:
    """Run a score job of the rule through the queue, writing one score per span."""
    store.enqueue_jobs([NewJob("score", {"spans": keys}, project_id=pid, rule_id=rule_id)])
    (job,) = store.claim_jobs("test", limit=1, lease_seconds=60)
    scores = [
        ScoreIn(trace_id=t, span_id=s, name="valid_json", value=0.0, source="code",
                metadata={"rule": "r", "routed": "q"} if n == 0 else {"rule": "r"})
        for n, (t, s) in enumerate(keys)
    ]  # fmt: skip
    assert store.finish_job(job, JobOutcome(scores=scores))


def test_stats_count_scores_jobs_and_lag(store: Store, pid: str) -> None:
    store.add_spans(pid, [make(1, 1), make(1, 2, 1), make(2, 3)])
    rule = store.create_rule(pid, _rule())
    assert rule is not None
    _score_job(store, pid, rule.id, [(trace_id(1), span_id(1)), (trace_id(1), span_id(2))])
    _score_job(store, pid, rule.id, [(trace_id(1), span_id(1))])  # a second score, same span
    waiting = NewJob("score", {"spans": []}, project_id=pid, rule_id=rule.id)
    store.enqueue_jobs([waiting, waiting])
    found = store.get_rule(pid, "helpful")
    assert found is not None and found.stats is not None
    stats = found.stats
    assert (stats.scored_spans, stats.scores, stats.routed) == (2, 3, 2)
    assert (stats.queued_jobs, stats.running_jobs, stats.dead_jobs) == (2, 0, 0)
    assert stats.lag_seconds is not None and stats.lag_seconds >= 0
    assert stats.last_scored_at is not None
    keys = [(trace_id(1), span_id(1)), (trace_id(1), span_id(2)), (trace_id(2), span_id(3))]
    assert store.scored_by_rule(pid, rule.id, keys) == set(keys[:2])
    assert store.scored_by_rule(pid, "another-rule", keys) == set()


def test_deleting_a_rule_cancels_its_waiting_jobs_and_keeps_its_scores(
    store: Store, pid: str
) -> None:
    store.add_spans(pid, [make(1, 1)])
    rule = store.create_rule(pid, _rule())
    assert rule is not None
    _score_job(store, pid, rule.id, [(trace_id(1), span_id(1))])
    store.enqueue_jobs([NewJob("score", {"spans": []}, project_id=pid, rule_id=rule.id)] * 2)
    (running,) = store.claim_jobs("test", limit=1, lease_seconds=60)
    assert store.delete_rule(pid, "helpful") == 2
    statuses = {j.status for j in store.list_jobs(pid, JobQuery(rule_id=rule.id, limit=100)).items}
    assert statuses == {"done", "cancelled"}
    # the running job's outcome is discarded: its claim is gone
    late = ScoreIn(trace_id=trace_id(1), span_id=span_id(1), name="late", value=1.0)
    assert not store.finish_job(running, JobOutcome(scores=[late]))
    names = [s.name for s in store.list_trace_scores(pid, trace_id(1))]
    assert names == ["valid_json"]


@pytest.fixture
def spans(store: Store, pid: str) -> str:
    store.add_spans(
        pid,
        [
            make(1, 1, start=0, name="chat", kind="agent", tags=["vip"], metadata={"env": "prod"}),
            make(1, 2, 1, start=1 * SEC, kind="llm", model="gpt-4o", metadata={"n": 1, "ok": True}),
            make(1, 3, 1, start=2 * SEC, kind="tool", status="error", tags=["vip", "beta"]),
            make(2, 4, start=3 * SEC, name="chat", kind="agent", metadata={"env": "dev"}),
            make(2, 5, 4, start=4 * SEC, kind="llm", model="gpt-4o-mini", input="x" * 10),
            make(3, 6, start=5 * SEC, name="case", kind="eval", experiment_id="exp-1"),
            make(4, 7, start=6 * SEC, name="open", duration_ms=None),
        ],
    )
    return pid


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({}, [1, 2, 3, 4, 5]),
        ({"name": "chat"}, [1, 4]),
        ({"kind": "llm"}, [2, 5]),
        ({"status": "error"}, [3]),
        ({"model": "gpt-4o"}, [2]),
        ({"tag": ["vip"]}, [1, 3]),
        ({"tag": ["vip", "beta"]}, [3]),
        ({"metadata": ["env=prod"]}, [1]),
        ({"metadata": ["n=1", "ok=true"]}, [2]),
        ({"root_only": True}, [1, 4]),
        ({"root_only": True, "metadata": ["env=dev"]}, [4]),
    ],
)
def test_the_spans_of_a_rule_are_finished_production_spans_matching_its_filter(
    store: Store, spans: str, where: dict[str, object], expected: list[int]
) -> None:
    keys = _all(store, spans, RuleFilter.model_validate(where))
    assert [int(s, 16) for _, s in keys] == expected  # oldest first, paged two at a time
    count = store.count_rule_spans(
        spans, SpanRange(RuleFilter.model_validate(where), T0, T0 + 100 * SEC)
    )
    assert count == len(expected)


def test_the_range_is_start_inclusive_end_exclusive(store: Store, spans: str) -> None:
    keys = _all(store, spans, RuleFilter(), start=1, end=3)
    assert [int(s, 16) for _, s in keys] == [2, 3]
    with pytest.raises(UsageError, match="cursor"):
        store.rule_span_keys(spans, SpanRange(RuleFilter(), T0, T0 + SEC), after="bogus")


def test_body_sizes_count_input_and_output_characters(store: Store, pid: str) -> None:
    store.add_spans(pid, [make(1, 1, input="abcd", output="ef"), make(1, 2, 1)])
    store.add_spans(pid, [make(2, 3, input="x" * 100_000)])  # large: kept as a blob
    keys = [(trace_id(1), span_id(1)), (trace_id(1), span_id(2)), (trace_id(2), span_id(3))]
    sizes = sorted(store.span_body_sizes(pid, keys))
    assert sizes[:2] == [0, len('"abcd"') + len('"ef"')]
    assert sizes[2] >= 100_000


def test_spans_to_score_are_read_at_once_with_their_bodies(store: Store, pid: str) -> None:
    big = "x" * 100_000  # kept as a blob
    store.add_spans(
        pid,
        [
            make(1, 1, input="q", output=big, expected="e", metadata={"k": "v"}),
            make(1, 2, 1, output="a"),
            make(2, 3, duration_ms=None),  # open: not a span to score
        ],
    )
    keys = [(trace_id(1), span_id(2)), (trace_id(2), span_id(3)), (trace_id(9), span_id(9))]
    keys.insert(1, (trace_id(1), span_id(1)))
    found = store.spans_to_score(pid, keys)
    assert [s.span_id for s in found] == [span_id(2), span_id(1)]  # in the order asked
    first = found[1]
    assert (first.input, first.output, first.expected) == ("q", big, "e")
    assert first.metadata == {"k": "v"} and first.parent_id is None
    assert found[0].parent_id == span_id(1) and store.spans_to_score(pid, []) == []
