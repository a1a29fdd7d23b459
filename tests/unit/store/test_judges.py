"""Judges in the store: versions only on a changed definition, and scores paired with humans'."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assay.errors import NotFoundError
from assay.schema import JudgeIn, ScoreIn
from assay.store import Store
from assay.store.base import PairQuery

CHOICES = {"good": 1.0, "bad": 0.0}


def _judge(**fields: object) -> JudgeIn:
    body: dict[str, object] = {
        "name": "tone",
        "prompt": "Is {output} polite?",
        "choices": CHOICES,
        "model": "gpt-4o-mini",
    }
    body.update(fields)
    return JudgeIn.model_validate(body)


def test_a_changed_definition_makes_a_version_and_the_same_one_does_not(
    store: Store, pid: str
) -> None:
    first = store.save_judge(pid, _judge(description="politeness"))
    assert (first.version, first.created, first.score_name, first.threshold_metric) == (
        1, True, "tone", "cohen_kappa",
    )  # fmt: skip
    again = store.save_judge(pid, _judge(choices={"good": 1.0, "bad": 0.0}))
    assert (again.version, again.created, again.description) == (1, False, "politeness")
    for change in (
        {"prompt": "Is {output} kind?"},
        {"choices": {"bad": 0.0, "good": 1.0}},  # the order the model sees changed
        {"model": "gpt-4o"},
        {"use_cot": False},
        {"params": {"temperature": 0}},
    ):
        made = store.save_judge(pid, _judge(**change))
        assert made.created and made.version == made.latest_version
    assert [v.version for v in store.list_judge_versions(pid, "tone")] == [1, 2, 3, 4, 5, 6]
    same = store.save_judge(pid, _judge(params={"temperature": 0}, description="changed"))
    assert (same.version, same.created, same.description) == (6, False, "changed")
    old = store.get_judge(pid, "tone", version=2)
    assert old is not None and (old.prompt, old.version, old.latest_version) == (
        "Is {output} kind?", 2, 6,
    )  # fmt: skip
    assert store.get_judge(pid, "nope") is None
    with pytest.raises(NotFoundError, match="versions 1 to 6; version 9 does not exist"):
        store.get_judge(pid, "tone", version=9)


def test_judge_fields_change_without_a_version(store: Store, pid: str) -> None:
    store.save_judge(pid, _judge())
    store.save_judge(pid, _judge(name="helpful", score_name="helpfulness", threshold=0.5))
    kept = store.save_judge(pid, _judge(threshold=0.6, threshold_metric="accuracy"))
    assert (kept.created, kept.threshold, kept.threshold_metric) == (False, 0.6, "accuracy")
    changed = store.update_judge(pid, "tone", {"threshold": None, "description": "be kind"})
    assert (changed.threshold, changed.description, changed.version) == (None, "be kind", 1)
    assert changed.updated_at >= changed.created_at
    listed = store.list_judges(pid)
    assert [(j.name, j.score_name, j.threshold) for j in listed] == [
        ("helpful", "helpfulness", 0.5), ("tone", "tone", None),
    ]  # fmt: skip
    assert store.list_judges(store.ensure_project("other")) == []
    with pytest.raises(NotFoundError, match="'ghost'"):
        store.update_judge(pid, "ghost", {"threshold": 0.1})
    with pytest.raises(NotFoundError, match="'ghost'"):
        store.list_judge_versions(pid, "ghost")


def test_scores_keep_judge_version_and_given_time(store: Store, pid: str) -> None:
    trace = "ab" * 16
    when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    store.record_scores(
        pid,
        [
            ScoreIn(trace_id=trace, name="tone", label="good", source="llm_judge", judge="tone",
                    judge_version=3, created_at=when),
            ScoreIn(trace_id=trace, name="tone", value=1.0, source="human"),
        ],
    )  # fmt: skip
    got = store.list_trace_scores(pid, trace)
    assert [(s.judge, s.judge_version, s.created_at) for s in got[:1]] == [("tone", 3, when)]
    assert (got[1].judge, got[1].judge_version) == (None, None)
    assert got[1].created_at > when


def _score(
    trace: int, span: int | None, source: str, label: str, day: int, **fields: object
) -> ScoreIn:
    return ScoreIn.model_validate(
        {
            "trace_id": f"{trace:032x}",
            "span_id": None if span is None else f"{span:016x}",
            "name": "tone",
            "label": label,
            "value": CHOICES[label],
            "source": source,
            "created_at": datetime(2026, 3, day, tzinfo=UTC),
            **({"judge": "tone", "judge_version": 1} if source == "llm_judge" else {}),
            **fields,
        }
    )


def test_pairs_take_the_latest_score_of_each_side_per_target(store: Store, pid: str) -> None:
    store.record_scores(
        pid,
        [
            # trace 1, span 1: the judge changed its mind; the later label counts
            _score(1, 1, "llm_judge", "bad", 2, rationale="rude"),
            _score(1, 1, "llm_judge", "good", 3, rationale="fine"),
            _score(1, 1, "human", "good", 4, author="ann"),
            # trace 1 as a whole (no span): pairs only with a trace-level human score
            _score(1, None, "llm_judge", "bad", 5),
            _score(1, None, "human", "good", 1, author="bob"),
            _score(1, None, "human", "bad", 6, author="cat"),
            # trace 2: no human score, no pair
            _score(2, 7, "llm_judge", "good", 6),
            # trace 3: another judge version, another judge, and a human score of another name
            _score(3, 1, "llm_judge", "bad", 7, judge_version=2),
            _score(3, 1, "llm_judge", "bad", 8, judge="other"),
            _score(3, 1, "human", "good", 7, name="tone-v2"),
            _score(3, 1, "human", "good", 7),
        ],
    )
    query = PairQuery(judge="tone", score_name="tone", human="tone", version=1)
    got = store.judge_score_pairs(pid, query)
    assert [
        (p.trace_id[-1], p.span_id and p.span_id[-1], p.judge_label, p.human_label, p.author)
        for p in got
    ] == [("1", None, "bad", "bad", "cat"), ("1", "1", "good", "good", "ann")]
    assert got[1].rationale == "fine"
    assert got[1].judged_at == int(datetime(2026, 3, 3, tzinfo=UTC).timestamp()) * 1_000_000
    every = store.judge_score_pairs(pid, PairQuery("tone", "tone", "tone", version=None))
    assert [p.trace_id[-1] for p in every] == ["3", "1", "1"]
    since = int(datetime(2026, 3, 4, tzinfo=UTC).timestamp()) * 1_000_000
    recent = store.judge_score_pairs(pid, PairQuery("tone", "tone", "tone", 1, since=since))
    assert [p.span_id for p in recent] == [None]
    renamed = store.judge_score_pairs(pid, PairQuery("tone", "tone", "tone-v2"))
    assert [p.human_label for p in renamed] == ["good"]
