"""The job queue on a connection: enqueue, claim, renew, finish, fail, retry and cancel.

Functions here run inside the caller's write transaction. A claim marks a job ``running`` with a
fresh ``claim_token`` and a ``lease_until``; every later write of the worker checks the token and
the status in its ``WHERE`` clause, so a worker whose lease ran out (and whose job another
worker took over) or whose job was cancelled changes nothing. Reading jobs back as
:class:`~assay.schema.Job` lives in :mod:`assay.store.sql.job_rows`.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay import config
from assay.errors import ConflictError, NotFoundError, UsageError
from assay.store.shapes import ClaimedJob, JobOutcome, NewJob
from assay.store.sql import projects, queues, scores
from assay.store.sql._ids import uuid7
from assay.store.sql.bodies import json_text, loads_or
from assay.store.sql.dialect import Dialect
from assay.store.sql.online_tables import jobs

_J = jobs.c
_CHUNK = 500
MAX_ERROR_CHARS = 4000


def now_micros() -> int:
    """The clock in microseconds since the epoch."""
    return time.time_ns() // 1000


def micros(seconds: float) -> int:
    """``seconds`` as whole microseconds."""
    return int(seconds * 1_000_000)


def backoff_seconds(
    attempts: int, *, base: float, cap: float, jitter: float | None = None
) -> float:
    """Seconds to wait before the retry that follows failed attempt number ``attempts``.

    ``base * 2**(attempts - 1)``, capped at ``cap``, times a factor in [0.5, 1.0] (``jitter`` in
    [0, 1] picks it; random by default) so that jobs failing together do not retry together.
    """
    raw = min(cap, base * 2.0 ** min(max(attempts - 1, 0), 60))
    factor = 0.5 + 0.5 * (random.random() if jitter is None else jitter)
    return raw * factor


def clip(error: str) -> str:
    """An error text short enough to keep on the row."""
    return error if len(error) <= MAX_ERROR_CHARS else error[: MAX_ERROR_CHARS - 1] + "…"


# ----------------------------------------------------------------------------- enqueue
def _row(job: NewJob, now: int, default_max: int) -> dict[str, Any]:
    attempts = default_max if job.max_attempts is None else job.max_attempts
    if attempts < 1:
        raise UsageError(f"NewJob.max_attempts is {attempts}; a job needs at least 1 attempt")
    return {
        "id": uuid7(),
        "project_id": job.project_id,
        "kind": job.kind,
        "payload": json_text(job.payload),
        "status": "queued",
        "attempts": 0,
        "max_attempts": attempts,
        "run_after": now if job.run_after is None else job.run_after,
        "lease_until": None,
        "claimed_by": None,
        "claim_token": None,
        "error": None,
        "result": None,
        "progress_done": 0,
        "progress_total": job.progress_total,
        "rule_id": job.rule_id,
        "dedupe_key": job.dedupe_key,
        "created_at": now,
        "updated_at": now,
        "started_at": None,
        "finished_at": None,
    }


def insert(
    conn: Connection, dialect: Dialect, new: Sequence[NewJob], *, now: int | None = None
) -> list[str | None]:
    """Enqueue ``new``; returns the id of each job, None for one whose ``dedupe_key`` is taken.

    Cheap enough to run inside the span-ingest transaction: one multi-row insert, plus one
    lookup only when some jobs carry a dedupe key.
    """
    if not new:
        return []
    at = now_micros() if now is None else now
    default_max = int(config.get("job_max_attempts"))
    rows = [_row(job, at, default_max) for job in new]
    dialect.executemany(conn, dialect.insert_ignore(jobs), rows)
    keyed = [row["id"] for row in rows if row["dedupe_key"] is not None]
    landed: set[str] = set()
    for start in range(0, len(keyed), _CHUNK):
        chunk = keyed[start : start + _CHUNK]
        landed.update(conn.scalars(sa.select(_J.id).where(_J.id.in_(chunk))))
    return [row["id"] if row["dedupe_key"] is None or row["id"] in landed else None for row in rows]


# ----------------------------------------------------------------------------- claim
def _kind_filter(kinds: Sequence[str] | None) -> list[sa.ColumnElement[bool]]:
    return [] if kinds is None else [_J.kind.in_(list(kinds))]


def any_due(conn: Connection, *, now: int, kinds: Sequence[str] | None = None) -> bool:
    """Whether some job is due (a cheap read before taking SQLite's write lock)."""
    due = sa.or_(
        sa.and_(_J.status == "queued", _J.run_after <= now),
        sa.and_(_J.status == "running", _J.lease_until < now),
    )
    stmt = sa.select(_J.id).where(due, *_kind_filter(kinds)).limit(1)
    return conn.execute(stmt).first() is not None


def _bury(conn: Connection, row: Mapping[Any, Any], now: int) -> None:
    """A running job whose lease expired on its last attempt is dead."""
    error = (
        f"the worker holding it stopped (lease expired) on attempt {row['attempts']} of "
        f"{row['max_attempts']}, its last; fix the cause and retry it"
    )
    if row["error"]:
        error += f" (the attempt before failed with: {row['error']})"
    conn.execute(
        sa.update(jobs)
        .where(_J.id == row["id"], _J.status == "running")
        .values(
            status="dead",
            error=clip(error),
            claim_token=None,
            lease_until=None,
            finished_at=now,
            updated_at=now,
        )
    )


def claim(
    conn: Connection,
    dialect: Dialect,
    worker: str,
    *,
    limit: int,
    lease_seconds: float,
    kinds: Sequence[str] | None,
    now: int,
) -> list[ClaimedJob]:
    """Take up to ``limit`` due jobs for ``worker``, oldest ``run_after`` first.

    Due: queued with ``run_after`` ≤ now, or running with a lease that ran out (its worker
    stopped). Such a job on its last attempt is dead-lettered instead of being taken.
    """
    if limit <= 0 or (kinds is not None and not kinds):
        return []
    expired = sa.select(jobs).where(
        _J.status == "running", _J.lease_until < now, *_kind_filter(kinds)
    )
    queued = sa.select(jobs).where(_J.status == "queued", _J.run_after <= now, *_kind_filter(kinds))
    rows: list[Mapping[Any, Any]] = []
    for stmt in (expired, queued):
        picked = dialect.skip_locked(stmt.order_by(_J.run_after).limit(limit))
        rows.extend(r._mapping for r in conn.execute(picked))
    taken: list[Mapping[Any, Any]] = []
    for row in rows:
        if row["status"] == "running" and row["attempts"] >= row["max_attempts"]:
            _bury(conn, row, now)
        else:
            taken.append(row)
    taken = sorted(taken, key=lambda r: (r["run_after"], r["id"]))[:limit]
    if not taken:
        return []
    token, lease_until = uuid.uuid4().hex, now + micros(lease_seconds)
    conn.execute(
        sa.update(jobs)
        .where(_J.id.in_([r["id"] for r in taken]))
        .values(
            status="running",
            attempts=_J.attempts + 1,
            claimed_by=worker,
            claim_token=token,
            lease_until=lease_until,
            started_at=sa.func.coalesce(_J.started_at, now),
            updated_at=now,
        )
    )
    return [_claimed(row, token, lease_until) for row in taken]


def _claimed(row: Mapping[Any, Any], token: str, lease_until: int) -> ClaimedJob:
    return ClaimedJob(
        id=row["id"],
        kind=row["kind"],
        payload=loads_or(row["payload"], {}),
        project_id=row["project_id"],
        rule_id=row["rule_id"],
        token=token,
        attempts=int(row["attempts"]) + 1,
        max_attempts=int(row["max_attempts"]),
        lease_until=lease_until,
        progress_done=int(row["progress_done"]),
        progress_total=row["progress_total"],
    )


def _held(job: ClaimedJob) -> tuple[sa.ColumnElement[bool], ...]:
    """The rows still held by ``job``'s claim."""
    return (_J.id == job.id, _J.claim_token == job.token, _J.status == "running")


def extend(conn: Connection, job: ClaimedJob, *, lease_seconds: float, now: int) -> bool:
    """Push the lease ``lease_seconds`` past ``now``; False when the claim is no longer held."""
    lease_until = now + micros(lease_seconds)
    done = conn.execute(sa.update(jobs).where(*_held(job)).values(lease_until=lease_until))
    if done.rowcount == 1:
        job.lease_until = lease_until
        return True
    return False


# ----------------------------------------------------------------------------- finish
def _released(now: int) -> dict[str, Any]:
    return {"claim_token": None, "lease_until": None, "updated_at": now}


def _end_values(job: ClaimedJob, outcome: JobOutcome, now: int, delay: float) -> dict[str, Any]:
    """The job's columns after ``outcome`` (``delay``: the backoff in seconds, if it retries)."""
    values = _released(now)
    if outcome.result is not None:
        values["result"] = json_text(outcome.result)
    if outcome.progress_done is not None:
        values["progress_done"] = outcome.progress_done
    if outcome.progress_total is not None:
        values["progress_total"] = outcome.progress_total
    if outcome.retry is not None:
        values.update(payload=json_text(outcome.retry.payload), error=clip(outcome.retry.error))
        if job.attempts >= job.max_attempts:
            values.update(status="dead", finished_at=now)
        else:
            values.update(status="queued", run_after=now + micros(delay))
    elif outcome.again is not None:
        values.update(
            status="queued", payload=json_text(outcome.again), attempts=0, run_after=now, error=None
        )
    else:
        values.update(status="done", finished_at=now)
    return values


def finish(
    conn: Connection,
    dialect: Dialect,
    job: ClaimedJob,
    outcome: JobOutcome,
    *,
    now: int,
    delay: float,
) -> bool:
    """Apply ``outcome`` and end the claim; False, with nothing written, when it is not held.

    The claim is checked by the first statement (an ``UPDATE`` on the job's id, token and
    status), so that two workers can never both apply an outcome of the same job.
    """
    changed = conn.execute(
        sa.update(jobs).where(*_held(job)).values(**_end_values(job, outcome, now, delay))
    )
    if changed.rowcount != 1:
        return False
    notes = apply(conn, dialect, job, outcome, now=now)
    if notes:
        conn.execute(sa.update(jobs).where(_J.id == job.id).values(error=clip("; ".join(notes))))
    return True


def apply(
    conn: Connection, dialect: Dialect, job: ClaimedJob, outcome: JobOutcome, *, now: int
) -> list[str]:
    """Write the scores, queue items and jobs of ``outcome``; returns notes on what could not
    be written (a queue that does not exist), which never stop the rest."""
    if (outcome.scores or outcome.queue_items) and job.project_id is None:
        raise UsageError(
            f"job {job.id} ({job.kind}) belongs to no project, so it cannot write scores or "
            "queue items; enqueue it with NewJob(project_id=...)"
        )
    if outcome.scores:
        assert job.project_id is not None
        rows = [scores.row_of(job.project_id, s, rule_id=job.rule_id) for s in outcome.scores]
        scores.insert(conn, rows)
    notes: list[str] = []
    if outcome.queue_items:
        assert job.project_id is not None
        project = projects.name_of(conn, job.project_id) or job.project_id
        for add in outcome.queue_items:
            try:
                queue = queues.require(conn, job.project_id, project, add.queue, lock=True)
                queues.add_items(conn, queue, add.items, project=project)
            except NotFoundError as exc:
                notes.append(f"{len(add.items)} item(s) not added to queue {add.queue!r}: {exc}")
    insert(conn, dialect, outcome.jobs, now=now)
    return notes


def fail(conn: Connection, job: ClaimedJob, error: str, *, delay: float, now: int) -> str:
    """Record a failed attempt: queued again ``delay`` seconds from ``now``, or dead on the last
    attempt. Returns the new status, or '' when the claim is no longer held."""
    values = {**_released(now), "error": clip(error)}
    if job.attempts >= job.max_attempts:
        values.update(status="dead", finished_at=now)
    else:
        values.update(status="queued", run_after=now + micros(delay))
    changed = conn.execute(sa.update(jobs).where(*_held(job)).values(**values))
    return str(values["status"]) if changed.rowcount == 1 else ""


# ----------------------------------------------------------------------------- by hand
def _locked(conn: Connection, job_id: str) -> Mapping[Any, Any]:
    row = conn.execute(sa.select(jobs).where(_J.id == job_id).with_for_update()).first()
    if row is None:
        raise NotFoundError(
            f"no job has id {job_id!r}; list a project's jobs with GET "
            "/api/v1/projects/{project}/jobs"
        )
    return row._mapping


def retry(conn: Connection, job_id: str, *, now: int) -> None:
    """Queue a dead or cancelled job again now with its attempts reset (its error is kept
    until it runs). ConflictError for a job in any other state."""
    row = _locked(conn, job_id)
    if row["status"] not in ("dead", "cancelled"):
        raise ConflictError(
            f"job {job_id} is {row['status']}; only dead or cancelled jobs can be retried "
            "(a queued or running job will run anyway)"
        )
    conn.execute(
        sa.update(jobs)
        .where(_J.id == job_id)
        .values(status="queued", attempts=0, run_after=now, finished_at=None, **_released(now))
    )


def cancel(conn: Connection, job_id: str, *, now: int) -> None:
    """Cancel a queued or running job (a running one's outcome will be discarded); a cancelled
    job stays as it is. ConflictError for a job that is done or dead."""
    row = _locked(conn, job_id)
    if row["status"] in ("done", "dead"):
        raise ConflictError(
            f"job {job_id} is {row['status']} already; only queued or running jobs can be "
            "cancelled" + (" (retry a dead job instead)" if row["status"] == "dead" else "")
        )
    if row["status"] == "cancelled":
        return
    conn.execute(
        sa.update(jobs)
        .where(_J.id == job_id)
        .values(status="cancelled", finished_at=now, **_released(now))
    )
