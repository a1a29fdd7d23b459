"""The job queue: enqueue with dedupe, claims and leases, finishing with effects, failures,
dead letters, retry and cancel, listing; concurrent claimers never share a job."""

from __future__ import annotations

import threading
import time

import pytest

from assay.errors import ConflictError, NotFoundError
from assay.schema import QueueIn, QueueItemRef, RuleIn, RuleScorer, ScoreIn
from assay.store import Store
from assay.store.shapes import ClaimedJob, JobOutcome, JobQuery, JobRetry, NewJob, QueueAdd
from assay.store.sql.jobs import backoff_seconds
from tests.unit.store.conftest import make, trace_id

S = 1_000_000  # one second in microseconds


def _now() -> int:
    return time.time_ns() // 1000


def _claim_one(store: Store, *, now: int | None = None, lease: float = 30.0) -> ClaimedJob:
    claimed = store.claim_jobs("w1", limit=1, lease_seconds=lease, now=now)
    assert len(claimed) == 1, claimed
    return claimed[0]


def test_enqueue_fills_the_defaults_and_a_taken_dedupe_key_is_skipped(
    store: Store, pid: str
) -> None:
    first = store.enqueue_jobs(
        [
            NewJob(kind="score", payload={"spans": [["a", "b"]]}, project_id=pid),
            NewJob(kind="evaluate_alerts", dedupe_key="periodic:evaluate_alerts:1"),
            NewJob(kind="score", project_id=pid, max_attempts=3, progress_total=7),
        ]
    )
    assert all(isinstance(i, str) for i in first)
    again = store.enqueue_jobs(
        [
            NewJob(kind="evaluate_alerts", dedupe_key="periodic:evaluate_alerts:1"),
            NewJob(kind="evaluate_alerts", dedupe_key="periodic:evaluate_alerts:2"),
        ]
    )
    assert again[0] is None and isinstance(again[1], str)

    job = store.get_job(str(first[0]))
    assert job is not None
    assert (job.project, job.kind, job.status, job.attempts) == ("demo", "score", "queued", 0)
    assert job.max_attempts == 10, "the job_max_attempts setting"
    assert job.payload == {"spans": [["a", "b"]]}
    assert job.started_at is None and job.finished_at is None
    third = store.get_job(str(first[2]))
    assert third is not None and (third.max_attempts, third.progress_total) == (3, 7)
    unowned = store.list_jobs(None, JobQuery())
    assert [j.kind for j in unowned.items] == ["evaluate_alerts", "evaluate_alerts"]
    assert store.get_job("no-such-job") is None


def test_claims_take_the_oldest_due_jobs_up_to_the_limit(store: Store, pid: str) -> None:
    t = _now()
    ids = store.enqueue_jobs(
        [
            NewJob(kind="score", project_id=pid, run_after=t - 1 * S, payload={"n": 1}),
            NewJob(kind="score", project_id=pid, run_after=t - 3 * S, payload={"n": 3}),
            NewJob(kind="backfill", project_id=pid, run_after=t - 2 * S, payload={"n": 2}),
            NewJob(kind="score", project_id=pid, run_after=t + 60 * S, payload={"n": 4}),
        ]
    )
    first = store.claim_jobs("w1", limit=2, lease_seconds=300, now=t)
    assert [j.payload["n"] for j in first] == [3, 2]
    assert all(j.attempts == 1 and j.lease_until == t + 300 * S for j in first)
    assert store.claim_jobs("w2", limit=5, lease_seconds=300, kinds=["backfill"], now=t) == []
    second = store.claim_jobs("w2", limit=5, lease_seconds=300, now=t)
    assert [j.payload["n"] for j in second] == [1], "the future job waits"
    later = store.claim_jobs("w2", limit=5, lease_seconds=30, now=t + 61 * S)
    assert [j.id for j in later] == [ids[3]]

    running = store.get_job(first[0].id)
    assert running is not None
    assert (running.status, running.claimed_by, running.attempts) == ("running", "w1", 1)
    assert running.started_at is not None


def test_a_claimed_job_is_taken_over_only_after_its_lease_expires(store: Store, pid: str) -> None:
    t = _now()
    [job_id] = store.enqueue_jobs([NewJob(kind="score", project_id=pid, run_after=t)])
    slow = _claim_one(store, now=t, lease=10)
    assert store.claim_jobs("w2", limit=1, lease_seconds=10, now=t + 9 * S) == []
    fast = store.claim_jobs("w2", limit=1, lease_seconds=10, now=t + 11 * S)
    assert [j.id for j in fast] == [job_id]
    assert fast[0].token != slow.token and fast[0].attempts == 2

    store.add_spans(pid, [make(1, 1)])
    late = JobOutcome(scores=[ScoreIn(trace_id=trace_id(1), name="x", value=1.0)])
    assert store.finish_job(slow, late) is False, "the old claim is void"
    assert store.extend_job_lease(slow, lease_seconds=60) is False
    assert store.fail_job(slow, "boom") == ""
    assert store.list_trace_scores(pid, trace_id(1)) == [], "nothing of it was written"
    assert store.finish_job(fast[0], JobOutcome(result={"ok": True})) is True
    done = store.get_job(str(job_id))
    assert done is not None
    assert (done.status, done.result, done.claimed_by) == ("done", {"ok": True}, "w2")
    assert done.finished_at is not None


def test_a_renewed_lease_keeps_the_job(store: Store, pid: str) -> None:
    store.enqueue_jobs([NewJob(kind="score", project_id=pid)])
    job = _claim_one(store, lease=1)
    assert store.extend_job_lease(job, lease_seconds=60) is True
    assert store.claim_jobs("w2", limit=1, lease_seconds=1, now=_now() + 30 * S) == []
    assert len(store.claim_jobs("w2", limit=1, lease_seconds=1, now=_now() + 61 * S)) == 1


def test_finish_writes_scores_queue_items_and_jobs_together(store: Store, pid: str) -> None:
    store.add_spans(pid, [make(1, 1), make(2, 2)])
    store.create_queue(pid, QueueIn(name="doubtful", score_configs=["tone"]))
    [job_id] = store.enqueue_jobs([NewJob(kind="score", project_id=pid, rule_id="rule-1")])
    job = _claim_one(store)
    outcome = JobOutcome(
        scores=[
            ScoreIn(trace_id=trace_id(1), span_id=f"{1:016x}", name="helpful", value=0.2),
            ScoreIn(trace_id=trace_id(2), name="helpful", value=0.9, source="llm_judge"),
        ],
        queue_items=[
            QueueAdd(queue="doubtful", items=[QueueItemRef(trace_id=trace_id(1))]),
            QueueAdd(queue="gone", items=[QueueItemRef(trace_id=trace_id(2))]),
        ],
        jobs=[NewJob(kind="notify", project_id=pid, dedupe_key="n-1")],
        result={"scored": 2},
        progress_done=2,
        progress_total=2,
    )
    assert store.finish_job(job, outcome) is True

    scores = store.list_trace_scores(pid, trace_id(1)) + store.list_trace_scores(pid, trace_id(2))
    assert sorted((s.value, s.rule_id) for s in scores) == [(0.2, "rule-1"), (0.9, "rule-1")]
    items = store.list_queue_items(pid, "doubtful").items
    assert [(i.trace_id, i.span_id) for i in items] == [(trace_id(1), None)]
    follow = store.list_jobs(pid, JobQuery(kind="notify")).items
    assert len(follow) == 1 and follow[0].status == "queued"
    done = store.get_job(str(job_id))
    assert done is not None and done.status == "done"
    assert (done.result, done.progress_done, done.progress_total) == ({"scored": 2}, 2, 2)
    assert done.error is not None and "'gone'" in done.error, "the missing queue is noted"


def test_a_failing_job_backs_off_then_is_dead_with_its_error(
    store: Store, pid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_JOB_BACKOFF_BASE", "10")
    monkeypatch.setenv("ASSAY_JOB_BACKOFF_CAP", "15")
    [job_id] = store.enqueue_jobs([NewJob(kind="score", project_id=pid, max_attempts=3)])
    waits = []
    for attempt in (1, 2):
        job = _claim_one(store, now=_now() + 3600 * S * attempt)
        assert job.attempts == attempt
        before = _now()
        assert store.fail_job(job, f"ProviderError: down #{attempt}") == "queued"
        queued = store.get_job(str(job_id))
        assert queued is not None and queued.status == "queued"
        assert queued.error == f"ProviderError: down #{attempt}"
        waits.append(queued.run_after.timestamp() - before / S)
    assert 5 - 0.5 <= waits[0] <= 10 + 0.5, waits  # base, with jitter in [0.5, 1]
    assert 7.5 - 0.5 <= waits[1] <= 15 + 0.5, waits  # 2 × base, capped at 15
    assert store.claim_jobs("w1", limit=1, lease_seconds=30) == [], "not due before its backoff"

    last = _claim_one(store, now=_now() + 3 * 3600 * S)
    assert store.fail_job(last, "ProviderError: still down") == "dead"
    dead = store.get_job(str(job_id))
    assert dead is not None
    assert (dead.status, dead.attempts, dead.error) == ("dead", 3, "ProviderError: still down")
    assert dead.finished_at is not None
    assert store.claim_jobs("w1", limit=1, lease_seconds=30, now=_now() + 9 * 3600 * S) == []


def test_backoff_doubles_is_capped_and_jittered() -> None:
    assert backoff_seconds(1, base=2, cap=300, jitter=1.0) == 2
    assert backoff_seconds(4, base=2, cap=300, jitter=1.0) == 16
    assert backoff_seconds(4, base=2, cap=300, jitter=0.0) == 8
    assert backoff_seconds(50, base=2, cap=300, jitter=1.0) == 300
    assert backoff_seconds(5000, base=2, cap=300, jitter=1.0) == 300
    assert all(1 <= backoff_seconds(1, base=2, cap=300) <= 2 for _ in range(100))


def test_fail_with_retry_in_overrides_the_backoff(store: Store, pid: str) -> None:
    [job_id] = store.enqueue_jobs([NewJob(kind="score", project_id=pid)])
    before = _now()
    assert store.fail_job(_claim_one(store), "rate limited", retry_in=120) == "queued"
    job = store.get_job(str(job_id))
    assert job is not None
    assert 119 <= job.run_after.timestamp() - before / S <= 121


def test_a_job_whose_worker_stopped_on_its_last_attempt_is_dead(store: Store, pid: str) -> None:
    [job_id] = store.enqueue_jobs([NewJob(kind="score", project_id=pid, max_attempts=1)])
    t = _now()
    _claim_one(store, now=t, lease=5)
    assert store.claim_jobs("w2", limit=5, lease_seconds=5, now=t + 6 * S) == []
    dead = store.get_job(str(job_id))
    assert dead is not None and dead.status == "dead"
    assert dead.error is not None and "the worker holding it stopped (lease expired)" in dead.error


def test_an_outcome_with_retry_keeps_what_worked_and_requeues_the_rest(
    store: Store, pid: str
) -> None:
    store.add_spans(pid, [make(1, 1)])
    [job_id] = store.enqueue_jobs([NewJob(kind="score", project_id=pid, payload={"n": [1, 2]})])
    job = _claim_one(store)
    outcome = JobOutcome(
        scores=[ScoreIn(trace_id=trace_id(1), name="x", value=1.0)],
        retry=JobRetry(payload={"n": [2]}, error="ProviderUnavailableError: 500"),
    )
    assert store.finish_job(job, outcome) is True
    assert len(store.list_trace_scores(pid, trace_id(1))) == 1
    queued = store.get_job(str(job_id))
    assert queued is not None
    assert (queued.status, queued.payload, queued.attempts) == ("queued", {"n": [2]}, 1)
    assert queued.error == "ProviderUnavailableError: 500"


def test_an_outcome_with_again_queues_the_next_page_at_once(store: Store, pid: str) -> None:
    [job_id] = store.enqueue_jobs([NewJob(kind="backfill", project_id=pid, payload={"page": 0})])
    job = _claim_one(store)
    again = JobOutcome(again={"page": 1}, progress_done=500, progress_total=1200)
    assert store.finish_job(job, again) is True
    queued = store.get_job(str(job_id))
    assert queued is not None
    assert (queued.status, queued.payload, queued.attempts) == ("queued", {"page": 1}, 0)
    assert (queued.progress_done, queued.progress_total) == (500, 1200)
    nxt = _claim_one(store)
    assert (nxt.id, nxt.payload, nxt.progress_done) == (job_id, {"page": 1}, 500)


def test_retry_and_cancel_follow_the_status(store: Store, pid: str) -> None:
    a, b, c = store.enqueue_jobs(
        [NewJob(kind="score", project_id=pid, max_attempts=1) for _ in range(3)]
    )
    assert a and b and c
    with pytest.raises(ConflictError, match="queued; only dead or cancelled"):
        store.retry_job(a)
    assert store.cancel_job(a).status == "cancelled"
    assert store.cancel_job(a).status == "cancelled", "cancelling twice is harmless"
    retried = store.retry_job(a)
    assert (retried.status, retried.attempts, retried.finished_at) == ("queued", 0, None)

    claimed = {j.id: j for j in store.claim_jobs("w1", limit=3, lease_seconds=30)}
    assert store.fail_job(claimed[b], "ValueError: bad input") == "dead"
    with pytest.raises(ConflictError, match="dead already"):
        store.cancel_job(b)
    again = store.retry_job(b)
    assert (again.status, again.attempts, again.error) == ("queued", 0, "ValueError: bad input")

    assert store.cancel_job(c).status == "cancelled", "a running job can be cancelled"
    assert store.finish_job(claimed[c], JobOutcome(result={"late": 1})) is False
    assert store.extend_job_lease(claimed[c], lease_seconds=30) is False
    assert store.finish_job(claimed[a], JobOutcome()) is True
    with pytest.raises(ConflictError, match="done already"):
        store.cancel_job(a)
    with pytest.raises(NotFoundError):
        store.retry_job("nope")


def test_jobs_list_newest_first_by_pages_with_counts_and_rule_names(store: Store, pid: str) -> None:
    rule = store.create_rule(pid, RuleIn(name="tone", scorers=[RuleScorer(scorer="valid_json")]))
    assert rule is not None
    other = store.ensure_project("other")
    store.enqueue_jobs([NewJob(kind="score", project_id=other)])
    ids = []
    for _ in range(5):
        ids += store.enqueue_jobs([NewJob(kind="score", project_id=pid, rule_id=rule.id)])
    ids += store.enqueue_jobs([NewJob(kind="backfill", project_id=pid)])
    store.cancel_job(str(ids[0]))

    seen, cursor = [], None
    while True:
        page = store.list_jobs(pid, JobQuery(limit=4, cursor=cursor))
        seen += [j.id for j in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    assert page.counts == {"queued": 5, "running": 0, "done": 0, "dead": 0, "cancelled": 1}
    of_rule = store.list_jobs(pid, JobQuery(rule_id=rule.id, status="queued"))
    assert [j.rule for j in of_rule.items] == ["tone"] * 4
    assert of_rule.counts["queued"] == 4 and of_rule.counts["cancelled"] == 1
    assert [j.kind for j in store.list_jobs(pid, JobQuery(kind="backfill")).items] == ["backfill"]


def test_concurrent_claimers_never_get_the_same_job(store: Store, pid: str) -> None:
    total = 120
    store.enqueue_jobs([NewJob(kind="score", project_id=pid) for _ in range(total)])
    got: list[list[str]] = [[] for _ in range(4)]
    start = threading.Barrier(4)

    def claimer(n: int) -> None:
        start.wait()
        while True:
            claimed = store.claim_jobs(f"w{n}", limit=3, lease_seconds=60)
            if not claimed:
                return
            got[n] += [j.id for j in claimed]

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    every = [i for ids in got for i in ids]
    assert len(every) == total and len(set(every)) == total
    assert store.list_jobs(pid, JobQuery()).counts["running"] == total
