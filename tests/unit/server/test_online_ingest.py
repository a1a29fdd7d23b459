"""The ingest side of online rules: the matcher, sampling, and the score jobs a batch enqueues."""

from __future__ import annotations

import os
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assay.schema import Rule, RuleFilter, RuleIn
from assay.server.online import CHUNK, Matcher, OnlineRules, in_sample
from assay.store.base import NewSpan, Store
from assay.store.rules import SpanRange
from assay.store.shapes import JobQuery
from tests.unit.server.helpers import NOW, json_request, json_span, native_span, pb_request, pb_span

PROJECT = "shop"


def _span(**fields: Any) -> NewSpan:
    base: dict[str, Any] = {
        "trace_id": os.urandom(16).hex(),
        "span_id": os.urandom(8).hex(),
        "parent_id": None,
        "name": "chat",
        "kind": "llm",
        "start_time": 1,
        "end_time": 2,
        "status": "ok",
    }
    base.update(fields)
    return NewSpan(**base)


def _rule(where: dict[str, Any] | None = None, rate: float = 1.0, rule_id: str = "r1") -> Rule:
    return Rule.model_validate(
        {
            "id": rule_id, "project": PROJECT, "name": "r", "created_at": 0, "updated_at": 0,
            "filter": where or {}, "sample_rate": rate, "scorers": [{"scorer": "valid_json"}],
        }
    )  # fmt: skip


@pytest.mark.parametrize(
    ("where", "span", "matches"),
    [
        ({"name": "chat"}, {}, True),
        ({"name": "chat"}, {"name": "search"}, False),
        ({"kind": "tool"}, {}, False),
        ({"status": "error"}, {"status": "error"}, True),
        ({"model": "gpt-4o"}, {"model": "gpt-4o-mini"}, False),
        ({"tag": ["vip", "beta"]}, {"tags": ["beta", "vip", "x"]}, True),
        ({"tag": ["vip", "beta"]}, {"tags": ["vip"]}, False),
        ({"metadata": ["env=prod"]}, {"metadata": {"env": "prod"}}, True),
        ({"metadata": ["env=prod"]}, {"metadata": {"env": "dev"}}, False),
        ({"metadata": ["env=prod"]}, {}, False),
        ({"metadata": ["n=3", "ok=true"]}, {"metadata": {"n": 3, "ok": True}}, True),
        ({"root_only": True}, {}, True),
        ({"root_only": True}, {"parent_id": "ab" * 8}, False),
        ({}, {"experiment_id": "exp-1"}, False),
    ],
)
def test_a_rule_matches_spans_by_each_filter_field(
    where: dict[str, Any], span: dict[str, Any], matches: bool
) -> None:
    assert Matcher.of(_rule(where)).matches(_span(**span)) is matches


def test_sampling_keeps_the_rate_and_is_the_same_for_the_same_span() -> None:
    spans = [_span() for _ in range(10_000)]
    for rate in (0.1, 0.5):
        matcher = Matcher.of(_rule(rate=rate))
        kept = [s for s in spans if matcher.sampled(s)]
        assert abs(len(kept) / len(spans) - rate) < 0.02
        assert [s for s in spans if matcher.sampled(s)] == kept  # deterministic
        assert all(in_sample("r1", s.trace_id, s.span_id, rate) for s in kept)
    other = Matcher.of(_rule(rate=0.5, rule_id="r2"))  # another rule samples other spans
    mine = {s.span_id for s in spans if Matcher.of(_rule(rate=0.5)).sampled(s)}
    assert mine != {s.span_id for s in spans if other.sampled(s)}
    assert not any(Matcher.of(_rule(rate=0.0)).sampled(s) for s in spans[:100])


@pytest.mark.parametrize(
    "where",
    [
        {},
        {"kind": "llm", "model": "gpt-4o"},
        {"tag": ["vip"], "metadata": ["env=prod"]},
        {"metadata": ["n=1", "ok=false"]},
        {"root_only": True, "status": "error"},
    ],
)
def test_the_matcher_and_the_backfill_pick_the_same_spans(
    store: Store, where: dict[str, Any]
) -> None:
    pid = store.ensure_project(PROJECT)
    variants = [
        {"kind": "llm", "model": "gpt-4o"}, {"kind": "tool"}, {"tags": ["vip"]},
        {"tags": ["vip"], "metadata": {"env": "prod"}}, {"metadata": {"n": 1, "ok": False}},
        {"metadata": {"n": 1.5, "ok": True}}, {"status": "error"}, {"parent_id": "cd" * 8},
        {"status": "error", "parent_id": "ef" * 8}, {"experiment_id": "exp-1"},
    ]  # fmt: skip
    spans = [
        _span(start_time=NOW_US + i, end_time=NOW_US + i + 5, **v) for i, v in enumerate(variants)
    ]
    store.add_spans(pid, spans)
    matcher = Matcher.of(_rule(where))
    by_python = {(s.trace_id, s.span_id) for s in spans if matcher.matches(s)}
    page = store.rule_span_keys(pid, SpanRange(RuleFilter.model_validate(where), 0, 2**62))
    assert set(page.keys) == by_python


NOW_US = int(NOW * 1_000_000)


# ----------------------------------------------------------------------------- through the app
def _create(client: TestClient, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "json", "scorers": [{"scorer": "valid_json"}]}
    body.update(fields)
    response = client.post(f"/api/v1/projects/{PROJECT}/rules", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _ingest(client: TestClient, spans: list[dict[str, Any]]) -> None:
    response = client.post("/api/v1/spans", json={"project": PROJECT, "spans": spans})
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == len(spans)


def _score_jobs(store: Store) -> list[list[list[str]]]:
    pid = store.find_project(PROJECT)
    assert pid is not None
    page = store.list_jobs(pid, JobQuery(kind="score", limit=1000))
    return [job.payload["spans"] for job in reversed(page.items)]


def test_a_batch_enqueues_one_job_with_the_matching_sampled_spans(
    client: TestClient, store: Store
) -> None:
    _ingest(client, [native_span()])  # the project exists before the rule
    rule = _create(client, filter={"kind": "llm", "tag": ["vip"]}, sample_rate=0.5)
    assert _score_jobs(store) == []  # spans before the rule are a backfill's business
    spans = [native_span(kind="llm", tags=["vip"]) for _ in range(60)]
    spans += [native_span(kind="tool", tags=["vip"]), native_span(kind="llm")]
    _ingest(client, spans)
    wanted = [
        [s["trace_id"], s["span_id"]]
        for s in spans[:60]
        if in_sample(rule["id"], s["trace_id"], s["span_id"], 0.5)
    ]
    assert 10 < len(wanted) < 50
    assert _score_jobs(store) == [wanted]
    _ingest(client, spans)  # resent: nothing new written, nothing enqueued
    assert _score_jobs(store) == [wanted]


def test_large_batches_are_split_into_jobs_of_at_most_a_hundred_spans(
    client: TestClient, store: Store
) -> None:
    _create(client)
    spans = [native_span() for _ in range(250)]
    _ingest(client, spans)
    jobs = _score_jobs(store)
    assert sorted(len(j) for j in jobs) == [50, CHUNK, CHUNK]
    keys = sorted((k[0], k[1]) for j in jobs for k in j)  # each span once
    assert keys == sorted((s["trace_id"], s["span_id"]) for s in spans)


def test_experiment_spans_start_events_and_projects_without_rules_enqueue_nothing(
    client: TestClient, store: Store
) -> None:
    _ingest(client, [native_span()])
    assert _score_jobs(store) == []  # no rule at all
    _create(client)
    client.post("/api/v1/spans", json={"project": "elsewhere", "spans": [native_span()]})
    assert store.list_jobs(store.find_project("elsewhere"), JobQuery()).items == []  # type: ignore[arg-type]
    started = native_span(end_time=None)
    _ingest(client, [native_span(experiment_id="exp-1"), started])
    assert _score_jobs(store) == []
    _ingest(client, [{**started, "end_time": NOW + 1, "output": "{}"}])  # the end event
    assert _score_jobs(store) == [[[started["trace_id"], started["span_id"]]]]


def test_otlp_batches_enqueue_jobs_too(client: TestClient, store: Store) -> None:
    _create(client, filter={"name": "answer"})
    request = pb_request([pb_span(name="answer"), pb_span(name="retrieve")])
    response = client.post(
        "/v1/traces",
        content=request.SerializeToString(),
        headers={"content-type": "application/x-protobuf", "x-assay-project": PROJECT},
    )
    assert response.status_code == 200
    picked = request.resource_spans[0].scope_spans[0].spans[0]
    expected = [[picked.trace_id.hex(), picked.span_id.hex()]]
    assert _score_jobs(store) == [expected]
    spans = [json_span(name="answer"), json_span(name="other")]
    response = client.post(
        "/v1/traces", json=json_request(spans), headers={"x-assay-project": PROJECT}
    )
    assert response.status_code == 200
    assert _score_jobs(store)[1] == [[spans[0]["traceId"], spans[0]["spanId"]]]


def test_disabling_or_deleting_a_rule_stops_new_jobs_at_once(
    client: TestClient, store: Store
) -> None:
    _create(client)
    _ingest(client, [native_span()])
    response = client.patch(f"/api/v1/projects/{PROJECT}/rules/json", json={"enabled": False})
    assert response.status_code == 200
    _ingest(client, [native_span()])
    client.patch(f"/api/v1/projects/{PROJECT}/rules/json", json={"enabled": True})
    _ingest(client, [native_span()])
    assert client.delete(f"/api/v1/projects/{PROJECT}/rules/json").status_code == 204
    _ingest(client, [native_span()])
    assert len(_score_jobs(store)) == 2


def test_rules_changed_by_another_server_are_seen_after_the_refresh(store: Store) -> None:
    now = [0.0]
    cache = OnlineRules(refresh_seconds=2.0, clock=lambda: now[0])
    pid = store.ensure_project(PROJECT)
    assert cache.followup(store, pid) is None
    store.create_rule(pid, RuleIn(name="r", scorers=[{"scorer": "valid_json"}]))  # type: ignore[list-item]
    now[0] = 1.9
    assert cache.followup(store, pid) is None  # cached
    now[0] = 2.1
    followup = cache.followup(store, pid)
    assert followup is not None
    (job,) = followup([_span()])
    assert job.kind == "score" and job.project_id == pid and len(job.payload["spans"]) == 1
    store.update_rule(pid, "r", {"enabled": False})
    cache.invalidate()  # what a change through this server does
    assert cache.followup(store, pid) is None
