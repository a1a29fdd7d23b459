"""Experiments and their cases; case scores become score rows in the same transaction.

Cases are keyed by (project, experiment, case_id, trial) and inserted ``ON CONFLICT DO NOTHING``,
so a resent batch changes nothing. Summaries are computed on read from the case rows.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from assay.errors import UsageError
from assay.evals._stats import summarize
from assay.schema.eval import (
    CasePage,
    Experiment,
    ExperimentCase,
    ExperimentIn,
    ExperimentTotals,
    ScoreIn,
    ScorerSummary,
    SummaryScore,
)
from assay.store.sql import named, scores
from assay.store.sql._ids import uuid7
from assay.store.sql.bodies import BodyReader, BodyWriter, json_text, loads_or
from assay.store.sql.decode import to_datetime, to_micros
from assay.store.sql.dialect import Dialect
from assay.store.sql.eval_tables import experiment_cases, experiments

_C = experiment_cases.c
_E = experiments.c
_BODIES = ("input", "output", "expected", "metadata")
#: Columns a summary needs (no bodies).
LIGHT = [
    _C.case_id, _C.trial, _C.error, _C.scores, _C.score_errors, _C.duration_ms,
    _C.prompt_tokens, _C.completion_tokens, _C.total_tokens, _C.cost,
]  # fmt: skip


def find(
    conn: Connection, project_id: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any] | None:
    """The row of experiment ``name`` (locked for a write with ``lock``), or None."""
    return named.find(conn, experiments, project_id, name, lock=lock)


def require(
    conn: Connection, project_id: str, project: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any]:
    """The row of experiment ``name``; NotFoundError naming it when there is none."""
    return named.require(
        conn, experiments, project_id, name, what="Experiment", project=project, lock=lock
    )


def _free_name(conn: Connection, project_id: str, name: str) -> str:
    """``name``, or ``name-2``, ``name-3``, … — the first one not taken."""
    like = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"
    stmt = sa.select(_E.name).where(
        _E.project_id == project_id, sa.or_(_E.name == name, _E.name.like(like, escape="\\"))
    )
    taken = {r for (r,) in conn.execute(stmt)}
    if name not in taken:
        return name
    n = 2
    while f"{name}-{n}" in taken:
        n += 1
    return f"{name}-{n}"


def create(
    conn: Connection,
    dialect: Dialect,
    project_id: str,
    body: ExperimentIn,
    *,
    dataset_version: int | None,
) -> Mapping[Any, Any]:
    """Insert a running experiment under the first free name derived from ``body.name``."""
    started = to_micros(body.started_at) if body.started_at else time.time_ns() // 1000
    row: dict[str, Any] = {
        "project_id": project_id,
        "id": uuid7(),
        "dataset_name": None if body.dataset is None else body.dataset.name,
        "dataset_version": dataset_version,
        "metadata": json_text(body.metadata),
        "git": None if body.git is None else body.git.model_dump_json(),
        "baseline": body.baseline,
        "trial_count": body.trial_count,
        "status": "running",
        "started_at": started,
        "ended_at": None,
    }
    for _ in range(20):  # another writer may take the same free name meanwhile
        row["name"] = _free_name(conn, project_id, body.name)
        if dialect.insert_new(conn, experiments, row):
            return row
    raise UsageError(f"could not find a free experiment name for {body.name!r}; pick another")


def list_rows(conn: Connection, project_id: str) -> list[Mapping[Any, Any]]:
    """Every experiment row of the project, newest first."""
    stmt = (
        sa.select(experiments)
        .where(_E.project_id == project_id)
        .order_by(_E.started_at.desc(), _E.id.desc())
    )
    return [r._mapping for r in conn.execute(stmt)]


def finish(
    conn: Connection,
    row: Mapping[Any, Any],
    *,
    status: str,
    ended_at: int | None,
    summary_scores: Mapping[str, SummaryScore] | None = None,
) -> None:
    """Mark the experiment finished or interrupted, with its summary scores if any."""
    values: dict[str, Any] = {"status": status, "ended_at": ended_at or time.time_ns() // 1000}
    if summary_scores:
        values["summary_scores"] = json_text(
            {k: v.model_dump(mode="json") for k, v in summary_scores.items()}
        )
    conn.execute(
        sa.update(experiments)
        .where(_E.project_id == row["project_id"], _E.id == row["id"])
        .values(**values)
    )


def finish_if_running(conn: Connection, project_id: str, name: str, *, status: str) -> bool:
    """Compare-and-set: end experiment ``name`` only if it is still running; True when it was."""
    ended = conn.execute(
        sa.update(experiments)
        .where(_E.project_id == project_id, _E.name == name, _E.status == "running")
        .values(status=status, ended_at=time.time_ns() // 1000)
        .returning(_E.id)
    )
    return ended.first() is not None


def _case_row(
    writer: BodyWriter, exp: Mapping[Any, Any], case: ExperimentCase, now: int
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "project_id": exp["project_id"],
        "experiment_id": exp["id"],
        "case_id": case.case_id,
        "trial": case.trial,
        "trace_id": case.trace_id,
        "span_id": case.span_id,
        "error": None if case.error is None else case.error.model_dump_json(),
        "scores": json_text(case.scores),
        "score_errors": _dump_map(case.score_errors),
        "score_metadata": json_text(case.score_metadata) if case.score_metadata else None,
        "duration_ms": case.duration_ms,
        "prompt_tokens": case.prompt_tokens,
        "completion_tokens": case.completion_tokens,
        "total_tokens": case.total_tokens,
        "cost": case.cost,
        "dataset_record_id": case.dataset_record_id,
        "created_at": now,
    }
    values = {name: getattr(case, name) for name in _BODIES}
    values["metadata"] = case.metadata or None
    writer.encode(row, values)
    return row


def _dump_map(errors: Mapping[Any, Any]) -> str | None:
    if not errors:
        return None
    return json_text({k: v.model_dump(mode="json") for k, v in errors.items()})


def add_cases(
    conn: Connection,
    dialect: Dialect,
    exp: Mapping[Any, Any],
    cases: Sequence[ExperimentCase],
    *,
    inline_limit: int,
) -> int:
    """Insert the cases not stored yet, with a score row per numeric score; returns how many."""
    now = time.time_ns() // 1000
    writer = BodyWriter(exp["project_id"], inline_limit)
    unique = {(c.case_id, c.trial): c for c in cases}
    rows = [_case_row(writer, exp, c, now) for c in unique.values()]
    module: Any = sqlite if dialect.is_sqlite else postgresql
    stmt = module.insert(experiment_cases).on_conflict_do_nothing().returning(_C.case_id, _C.trial)
    inserted = {(r.case_id, r.trial) for r in conn.execute(stmt, rows)} if rows else set()
    writer.flush(conn, dialect)
    score_rows = []
    for key in inserted:
        case = unique[key]
        if case.trace_id is None:
            continue
        for name, value in case.scores.items():
            if value is None or not math.isfinite(value):
                continue
            score = _case_score(case, name, value, exp["id"])
            score_rows.append(scores.row_of(exp["project_id"], score, created_at=now))
    scores.insert(conn, score_rows)
    return len(inserted)


def _case_score(case: ExperimentCase, name: str, value: float, experiment_id: str) -> ScoreIn:
    """The score row of one case score; an LLM judge's keeps its choice, rationale, version."""
    meta = case.score_metadata.get(name) or {}
    judge = meta.get("judge") if isinstance(meta.get("judge"), str) else None
    version = meta.get("judge_version")
    choice, why = meta.get("choice"), meta.get("rationale")
    return ScoreIn.model_construct(
        trace_id=case.trace_id, span_id=case.span_id, name=name, value=value,
        label=choice if judge and isinstance(choice, str) else None,
        source="llm_judge" if judge else "code", scorer=judge or name, author=None,
        rationale=why if judge and isinstance(why, str) else None, metadata=meta,
        experiment_id=experiment_id, judge=judge,
        judge_version=version if judge and isinstance(version, int) else None, created_at=None,
    )  # fmt: skip


def light_cases(conn: Connection, exp: Mapping[Any, Any]) -> list[Mapping[Any, Any]]:
    """The case rows of an experiment without bodies."""
    stmt = sa.select(*LIGHT).where(
        _C.project_id == exp["project_id"], _C.experiment_id == exp["id"]
    )
    return [r._mapping for r in conn.execute(stmt)]


def full_cases(conn: Connection, exp: Mapping[Any, Any]) -> list[ExperimentCase]:
    """Every case of an experiment with its bodies, by case id and trial."""
    stmt = (
        sa.select(experiment_cases)
        .where(_C.project_id == exp["project_id"], _C.experiment_id == exp["id"])
        .order_by(_C.case_id, _C.trial)
    )
    rows = [r._mapping for r in conn.execute(stmt)]
    reader = BodyReader(conn, exp["project_id"], rows)
    return [_case_model(r, reader) for r in rows]


def scored_cases(conn: Connection, exp: Mapping[Any, Any]) -> list[ExperimentCase]:
    """Every case of an experiment without its bodies: enough for summaries and comparisons."""
    stmt = (
        sa.select(*LIGHT, _C.trace_id, _C.span_id, _C.score_metadata, _C.dataset_record_id)
        .where(_C.project_id == exp["project_id"], _C.experiment_id == exp["id"])
        .order_by(_C.case_id, _C.trial)  # the order of the pairs, as in full_cases
    )
    return [_case_model(r._mapping, None) for r in conn.execute(stmt)]


def _case_model(row: Mapping[Any, Any], reader: BodyReader | None) -> ExperimentCase:
    body = dict.fromkeys(_BODIES) if reader is None else reader.read(row, _BODIES)
    return ExperimentCase.model_validate(
        {
            "case_id": row["case_id"],
            "trial": row["trial"],
            "trace_id": row["trace_id"],
            "span_id": row["span_id"],
            **body,
            "metadata": body["metadata"] or {},
            "error": loads_or(row["error"], None),
            "scores": orjson.loads(row["scores"]),
            "score_errors": loads_or(row["score_errors"], {}),
            "score_metadata": loads_or(row["score_metadata"], {}),
            "duration_ms": row["duration_ms"],
            "prompt_tokens": row["prompt_tokens"],
            "completion_tokens": row["completion_tokens"],
            "total_tokens": row["total_tokens"],
            "cost": row["cost"],
            "dataset_record_id": row["dataset_record_id"],
        }
    )


def page_cases(
    conn: Connection, exp: Mapping[Any, Any], *, limit: int, cursor: str | None
) -> CasePage:
    """A page of cases ordered by (case_id, trial)."""
    stmt = sa.select(experiment_cases).where(
        _C.project_id == exp["project_id"], _C.experiment_id == exp["id"]
    )
    if cursor:
        case_id, sep, trial = cursor.rpartition(":")
        if not sep or not trial.isdigit():
            raise UsageError(
                f"cursor {cursor!r:.60} is not one this server made; pass next_cursor back"
            )
        stmt = stmt.where(sa.tuple_(_C.case_id, _C.trial) > sa.tuple_(case_id, int(trial)))
    stmt = stmt.order_by(_C.case_id, _C.trial).limit(limit + 1)
    rows = [r._mapping for r in conn.execute(stmt)]
    more = len(rows) > limit
    rows = rows[:limit]
    reader = BodyReader(conn, exp["project_id"], rows)
    next_cursor = f"{rows[-1]['case_id']}:{rows[-1]['trial']}" if more else None
    return CasePage(items=[_case_model(r, reader) for r in rows], next_cursor=next_cursor)


def to_model(
    row: Mapping[Any, Any], project: str, cases: Sequence[Mapping[Any, Any]]
) -> Experiment:
    """An :class:`Experiment` with its summary computed from its (light) case rows."""
    per_scorer: dict[str, list[float | None]] = {}
    errors: dict[str, int] = {}
    for case in cases:
        for name, value in orjson.loads(case["scores"]).items():
            per_scorer.setdefault(name, []).append(value)
        for name in loads_or(case["score_errors"], {}):
            per_scorer.setdefault(name, [])
            errors[name] = errors.get(name, 0) + 1
    summary = {}
    for name in sorted(per_scorer):
        s = summarize(per_scorer[name])
        summary[name] = ScorerSummary(
            mean=s.mean, count=s.count, errors=errors.get(name, 0), stdev=s.stdev
        )
    durations = summarize(c["duration_ms"] for c in cases)
    totals = ExperimentTotals(
        duration_ms_mean=durations.mean,
        prompt_tokens=sum(c["prompt_tokens"] or 0 for c in cases),
        completion_tokens=sum(c["completion_tokens"] or 0 for c in cases),
        total_tokens=sum(c["total_tokens"] or 0 for c in cases),
        cost=math.fsum(c["cost"] or 0.0 for c in cases),
    )
    dataset = None
    if row["dataset_name"] is not None:
        dataset = {"name": row["dataset_name"], "version": row["dataset_version"]}
    return Experiment.model_validate(
        {
            "id": row["id"],
            "project": project,
            "name": row["name"],
            "dataset": dataset,
            "metadata": orjson.loads(row["metadata"]),
            "git": loads_or(row["git"], None),
            "baseline": row["baseline"],
            "trial_count": row["trial_count"],
            "status": row["status"],
            "started_at": to_datetime(row["started_at"]),
            "ended_at": None if row["ended_at"] is None else to_datetime(row["ended_at"]),
            "case_count": len(cases),
            "error_count": sum(1 for c in cases if c["error"] is not None),
            "summary": summary,
            "summary_scores": loads_or(row.get("summary_scores"), {}),
            "totals": totals,
        }
    )


def default_baseline(conn: Connection, exp: Mapping[Any, Any]) -> Mapping[Any, Any] | None:
    """The latest experiment of the project on the same dataset name that started earlier."""
    same_dataset = (
        _E.dataset_name.is_(None)
        if exp["dataset_name"] is None
        else _E.dataset_name == exp["dataset_name"]
    )
    earlier = sa.or_(
        _E.started_at < exp["started_at"],
        sa.and_(_E.started_at == exp["started_at"], _E.id < exp["id"]),
    )
    stmt = (
        sa.select(experiments)
        .where(_E.project_id == exp["project_id"], _E.id != exp["id"], same_dataset, earlier)
        .order_by(_E.started_at.desc(), _E.id.desc())
        .limit(1)
    )
    row = conn.execute(stmt).first()
    return None if row is None else row._mapping
