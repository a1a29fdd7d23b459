"""The jobs API: a project's jobs by page with counts, filters, one job, retry and cancel."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from assay.schema import RuleIn, RuleScorer
from assay.store.base import Store
from assay.store.shapes import JobOutcome, NewJob

P = "/api/v1/projects/bot/jobs"


def _message(response: Any) -> str:
    return str(response.json()["error"]["message"])


def _enqueue(store: Store, project: str, count: int, **fields: Any) -> list[str]:
    pid = store.ensure_project(project)
    return [str(store.enqueue_jobs([NewJob(project_id=pid, **fields)])[0]) for _ in range(count)]


def test_jobs_are_listed_newest_first_with_counts_and_filters(
    client: TestClient, store: Store
) -> None:
    assert client.get(P).status_code == 404, "no such project yet"
    pid = store.ensure_project("bot")
    rule = store.create_rule(pid, RuleIn(name="tone", scorers=[RuleScorer(scorer="valid_json")]))
    assert rule is not None
    scoring = _enqueue(store, "bot", 3, kind="score", rule_id=rule.id, payload={"spans": []})
    backfill = _enqueue(store, "bot", 1, kind="backfill")
    _enqueue(store, "elsewhere", 2, kind="score")
    [claimed] = store.claim_jobs("w1", limit=1, lease_seconds=60)
    assert claimed.id == scoring[0]

    page = client.get(P).json()
    assert [j["id"] for j in page["items"]] == [*backfill, *reversed(scoring)]
    assert page["counts"] == {"queued": 3, "running": 1, "done": 0, "dead": 0, "cancelled": 0}
    first = page["items"][-1]
    assert (first["status"], first["rule"], first["project"], first["claimed_by"]) == (
        "running", "tone", "bot", "w1",
    )  # fmt: skip
    assert first["payload"] == {"spans": []} and first["attempts"] == 1

    by_rule = client.get(P, params={"rule": "tone", "status": "queued"}).json()
    assert [j["id"] for j in by_rule["items"]] == list(reversed(scoring[1:]))
    by_kind = client.get(P, params={"kind": "backfill"}).json()
    assert [j["id"] for j in by_kind["items"]] == backfill

    one = client.get(P, params={"limit": 1}).json()
    two = client.get(P, params={"limit": 1, "cursor": one["next_cursor"]}).json()
    assert [j["id"] for j in one["items"] + two["items"]] == [backfill[0], scoring[2]]

    unknown_rule = client.get(P, params={"rule": "nope"})
    assert unknown_rule.status_code == 404 and "Rule 'nope'" in _message(unknown_rule)
    bad_status = client.get(P, params={"status": "stuck"})
    assert bad_status.status_code == 422 and "status" in bad_status.text
    bad_cursor = client.get(P, params={"cursor": "garbage"})
    assert bad_cursor.status_code == 400 and "cursor" in _message(bad_cursor)


def test_one_job_is_found_only_in_its_project(client: TestClient, store: Store) -> None:
    [mine] = _enqueue(store, "bot", 1, kind="score", payload={"n": 1})
    [theirs] = _enqueue(store, "elsewhere", 1, kind="score")
    got = client.get(f"{P}/{mine}")
    assert got.status_code == 200
    assert (got.json()["kind"], got.json()["payload"], got.json()["rule"]) == (
        "score", {"n": 1}, None,
    )  # fmt: skip
    other = client.get(f"{P}/{theirs}")
    assert other.status_code == 404 and "does not exist in project 'bot'" in _message(other)
    assert client.get(f"{P}/no-such-id").status_code == 404
    assert client.post(f"{P}/{theirs}/cancel").status_code == 404
    untouched = store.get_job(theirs)
    assert untouched is not None and untouched.status == "queued"


def test_a_dead_job_is_retried_and_a_queued_one_cancelled(client: TestClient, store: Store) -> None:
    dead_id, done_id, waiting = _enqueue(store, "bot", 3, kind="score", max_attempts=1)
    claimed = {j.id: j for j in store.claim_jobs("w1", limit=2, lease_seconds=60)}
    assert store.fail_job(claimed[dead_id], "ProviderAuthError: bad key") == "dead"
    assert store.finish_job(claimed[done_id], JobOutcome(result={"ok": 1}))

    not_dead = client.post(f"{P}/{waiting}/retry")
    assert not_dead.status_code == 409 and "is queued" in _message(not_dead)
    retried = client.post(f"{P}/{dead_id}/retry")
    assert retried.status_code == 200
    body = retried.json()
    assert (body["status"], body["attempts"], body["error"]) == (
        "queued", 0, "ProviderAuthError: bad key",
    )  # fmt: skip

    cancelled = client.post(f"{P}/{waiting}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    done = client.post(f"{P}/{done_id}/cancel")
    assert done.status_code == 409 and "is done" in _message(done)
    assert client.get(f"{P}/{done_id}").json()["status"] == "done"
    again = client.post(f"{P}/{waiting}/retry")
    assert again.status_code == 200 and again.json()["status"] == "queued"
