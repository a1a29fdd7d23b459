"""Online rules: their rows, what they have done, and the spans a rule's filter picks.

Functions here run on a connection inside the caller's transaction. A rule's filter becomes
conditions on the ``spans`` table with the same meaning the ingest matcher gives it in Python
(:mod:`assay.server.online`): equal name, kind, status and model, every tag present, each
``key=value`` of metadata equal as text, ``root_only`` a span without parent; spans of an
experiment never match.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from assay.errors import UsageError
from assay.schema import Rule, RuleFilter, RuleIn, RuleRoute, RuleScorer, RuleStats, Span
from assay.store.rules import SpanKey, SpanKeyPage, SpanRange
from assay.store.sql import named
from assay.store.sql._ids import uuid7
from assay.store.sql.bodies import json_text, loads_or
from assay.store.sql.decode import bodies, load_blobs, span_model, to_datetime
from assay.store.sql.dialect import Dialect
from assay.store.sql.eval_tables import scores
from assay.store.sql.online_tables import jobs, rules
from assay.store.sql.query import decode_cursor, encode_cursor
from assay.store.sql.tables import projects, spans

_R = rules.c
_S = spans.c
_J = jobs.c
#: Fields ``update`` may change; the JSON ones are stored as text.
CHANGEABLE = ("description", "enabled", "filter", "sample_rate", "scorers", "route")
_JSON_FIELDS = ("filter", "scorers", "route")
_CHUNK = 500
#: Job states a deleted rule's jobs are cancelled in.
_UNFINISHED = ("queued", "running")
#: How a routed score is marked in its metadata (JSON text written by this store, compact).
ROUTED_KEY = "routed"


def now_micros() -> int:
    """The clock in microseconds since the epoch."""
    return time.time_ns() // 1000


def to_model(row: Mapping[Any, Any], project: str, stats: RuleStats | None = None) -> Rule:
    """A :class:`Rule` from its row."""
    route = loads_or(row["route"], None)
    return Rule(
        id=row["id"],
        project=project,
        name=row["name"],
        description=row["description"],
        enabled=bool(row["enabled"]),
        filter=RuleFilter.model_validate(orjson.loads(row["filter"])),
        sample_rate=float(row["sample_rate"]),
        scorers=[RuleScorer.model_validate(s) for s in orjson.loads(row["scorers"])],
        route=None if route is None else RuleRoute.model_validate(route),
        created_at=to_datetime(row["created_at"]),
        updated_at=to_datetime(row["updated_at"]),
        stats=stats,
    )


def create(
    conn: Connection, dialect: Dialect, project_id: str, body: RuleIn
) -> Mapping[str, Any] | None:
    """Create rule ``body.name``; None when the project already has one of that name."""
    now = now_micros()
    row = {
        "project_id": project_id,
        "id": uuid7(),
        "name": body.name,
        "description": body.description,
        "enabled": body.enabled,
        "filter": json_text(body.filter.model_dump()),
        "sample_rate": body.sample_rate,
        "scorers": json_text([s.model_dump() for s in body.scorers]),
        "route": None if body.route is None else json_text(body.route.model_dump()),
        "created_at": now,
        "updated_at": now,
    }
    return row if dialect.insert_new(conn, rules, row) else None


def find(
    conn: Connection, project_id: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any] | None:
    """The row of rule ``name`` (locked for a write with ``lock``), or None."""
    return named.find(conn, rules, project_id, name, lock=lock)


def require(
    conn: Connection, project_id: str, project: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any]:
    """The row of rule ``name``; NotFoundError naming it when there is none."""
    return named.require(conn, rules, project_id, name, what="Rule", project=project, lock=lock)


def find_by_id(conn: Connection, project_id: str, rule_id: str) -> Mapping[Any, Any] | None:
    """The row of the rule with id ``rule_id``, or None."""
    stmt = sa.select(rules).where(_R.project_id == project_id, _R.id == rule_id)
    row = conn.execute(stmt).first()
    return None if row is None else row._mapping


def list_rows(conn: Connection, project_id: str) -> list[Mapping[Any, Any]]:
    """Every rule row of the project, by name."""
    stmt = sa.select(rules).where(_R.project_id == project_id).order_by(_R.name)
    return [r._mapping for r in conn.execute(stmt)]


def active_rows(conn: Connection) -> list[tuple[Mapping[Any, Any], str]]:
    """Every enabled rule row with its project's name."""
    stmt = (
        sa.select(rules, projects.c.name.label("project_name"))
        .join(projects, projects.c.id == _R.project_id)
        .where(_R.enabled == sa.true())
        .order_by(_R.project_id, _R.name)
    )
    return [(r._mapping, r.project_name) for r in conn.execute(stmt)]


def update(conn: Connection, row: Mapping[Any, Any], changes: Mapping[str, Any]) -> Any:
    """Write ``changes`` (plain JSON values) to the rule's row; returns the row as it is now."""
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise UsageError(f"a rule cannot change {sorted(unknown)}; only {list(CHANGEABLE)}")
    values = dict(changes)
    for name in _JSON_FIELDS:
        if name in values and values[name] is not None:
            values[name] = json_text(values[name])
    values["updated_at"] = now_micros()
    conn.execute(
        sa.update(rules)
        .where(_R.project_id == row["project_id"], _R.id == row["id"])
        .values(**values)
    )
    return {**row, **values}


def delete(conn: Connection, row: Mapping[Any, Any]) -> int:
    """Delete the rule and cancel its unfinished jobs; returns how many were cancelled.

    A running job loses its claim (its token is cleared), so its outcome is discarded.
    """
    pid, rid = row["project_id"], row["id"]
    now = now_micros()
    cancelled = conn.execute(
        sa.update(jobs)
        .where(_J.project_id == pid, _J.rule_id == rid, _J.status.in_(_UNFINISHED))
        .values(
            status="cancelled",
            claim_token=None,
            lease_until=None,
            finished_at=now,
            updated_at=now,
            error="cancelled: the rule was deleted",
        )
    ).rowcount
    conn.execute(sa.delete(rules).where(_R.project_id == pid, _R.id == rid))
    return int(cancelled or 0)


def stats(conn: Connection, row: Mapping[Any, Any], *, now: int) -> RuleStats:
    """What the rule has done: its scores (index ``ix_scores_rule``) and its unfinished or dead
    jobs (index ``ix_jobs_rule``)."""
    pid, rid = row["project_id"], row["id"]
    c = scores.c
    routed = sa.case((c.metadata.like(f'%"{ROUTED_KEY}":%'), 1), else_=0)
    per_span = (
        sa.select(
            sa.func.count().label("n"),
            sa.func.max(c.created_at).label("last"),
            sa.func.sum(routed).label("routed"),
        )
        .where(c.project_id == pid, c.rule_id == rid)
        .group_by(c.trace_id, c.span_id)
        .subquery()
    )
    agg = conn.execute(
        sa.select(
            sa.func.count(),
            sa.func.sum(per_span.c.n),
            sa.func.sum(per_span.c.routed),
            sa.func.max(per_span.c.last),
        )
    ).one()
    counts: dict[str, int] = {}
    oldest: int | None = None
    job_rows = conn.execute(
        sa.select(_J.status, sa.func.count(), sa.func.min(_J.created_at))
        .where(_J.project_id == pid, _J.rule_id == rid, _J.status.in_([*_UNFINISHED, "dead"]))
        .group_by(_J.status)
    )
    for status, count, first in job_rows:
        counts[status] = int(count)
        if status in _UNFINISHED and first is not None:
            oldest = first if oldest is None else min(oldest, first)
    return RuleStats(
        scored_spans=int(agg[0] or 0),
        scores=int(agg[1] or 0),
        routed=int(agg[2] or 0),
        queued_jobs=counts.get("queued", 0),
        running_jobs=counts.get("running", 0),
        dead_jobs=counts.get("dead", 0),
        lag_seconds=None if oldest is None else max(now - oldest, 0) / 1_000_000,
        last_scored_at=None if agg[3] is None else to_datetime(agg[3]),
    )


# ----------------------------------------------------------------------------- spans of a rule
def filter_conditions(dialect: Dialect, where: RuleFilter) -> list[ColumnElement[bool]]:
    """Conditions on ``spans`` meaning what ``where`` means (production spans only)."""
    conds: list[ColumnElement[bool]] = [_S.experiment_id.is_(None)]
    for column, value in (
        (_S.name, where.name),
        (_S.kind, where.kind),
        (_S.status, where.status),
        (_S.model, where.model),
    ):
        if value is not None:
            conds.append(column == value)
    conds.extend(dialect.json_array_has(_S.tags, tag) for tag in where.tag)
    for item in where.metadata:
        key, _, value = item.partition("=")
        conds.append(dialect.json_text(_S.metadata, key) == value)
    if where.root_only:
        conds.append(_S.parent_id.is_(None))
    return conds


def _range_conditions(dialect: Dialect, project_id: str, span_range: SpanRange) -> list[Any]:
    return [
        _S.project_id == project_id,
        _S.start_time >= span_range.start,
        _S.start_time < span_range.end,
        *filter_conditions(dialect, span_range.filter),
    ]


def key_page(
    conn: Connection,
    dialect: Dialect,
    project_id: str,
    span_range: SpanRange,
    *,
    after: str | None,
    limit: int,
) -> SpanKeyPage:
    """A page of matching spans in (start_time, trace_id, span_id) order (index ix_spans_start)."""
    conds = _range_conditions(dialect, project_id, span_range)
    order = (_S.start_time, _S.trace_id, _S.span_id)
    if after:
        start, trace_id, span_id = decode_cursor(after, 4, "rule-spans")
        conds.append(sa.tuple_(*order) > sa.tuple_(start, trace_id, span_id))
    limit = max(1, limit)
    stmt = sa.select(*order).where(*conds).order_by(*order).limit(limit + 1)
    rows = conn.execute(stmt).all()
    page = rows[:limit]
    cursor = None
    if len(rows) > limit:
        last = page[-1]
        cursor = encode_cursor(["rule-spans", last.start_time, last.trace_id, last.span_id])
    return SpanKeyPage(keys=[(r.trace_id, r.span_id) for r in page], next_cursor=cursor)


def count(conn: Connection, dialect: Dialect, project_id: str, span_range: SpanRange) -> int:
    """How many spans match."""
    stmt = sa.select(sa.func.count()).where(*_range_conditions(dialect, project_id, span_range))
    return int(conn.execute(stmt).scalar_one())


def _by_trace(keys: Sequence[SpanKey]) -> list[list[str]]:
    trace_ids = sorted({t for t, _ in keys})
    return [trace_ids[i : i + _CHUNK] for i in range(0, len(trace_ids), _CHUNK)]


def spans_with_bodies(
    conn: Connection, project_id: str, project: str, keys: Sequence[SpanKey]
) -> list[Span]:
    """The finished spans among ``keys`` with their bodies, in the order of ``keys``."""
    wanted = set(keys)
    rows: dict[SpanKey, dict[str, Any]] = {}
    for chunk in _by_trace(keys):
        stmt = sa.select(spans).where(_S.project_id == project_id, _S.trace_id.in_(chunk))
        for row in conn.execute(stmt).mappings():
            key = (row["trace_id"], row["span_id"])
            if key in wanted:
                rows[key] = dict(row)
    blob_data = load_blobs(conn, project_id, rows.values())
    return [
        span_model(rows[key], project, body=bodies(rows[key], blob_data))
        for key in dict.fromkeys(keys)
        if key in rows
    ]


def body_sizes(conn: Connection, project_id: str, keys: Sequence[SpanKey]) -> list[int]:
    """Characters of input plus output of each span found (blobs counted by their length)."""
    wanted = set(keys)
    sizes: list[int] = []
    for chunk in _by_trace(keys):
        stmt = sa.select(_S.trace_id, _S.span_id, _S.input, _S.output, _S.refs).where(
            _S.project_id == project_id, _S.trace_id.in_(chunk)
        )
        for row in conn.execute(stmt):
            if (row.trace_id, row.span_id) not in wanted:
                continue
            size = len(row.input or "") + len(row.output or "")
            for name, ref in (orjson.loads(row.refs) if row.refs else {}).items():
                if name in ("input", "output"):
                    size += int(ref.get("length", 0))
            sizes.append(size)
    return sizes


def scored_by(
    conn: Connection, project_id: str, rule_id: str, keys: Sequence[SpanKey]
) -> set[SpanKey]:
    """Those of ``keys`` with a score of rule ``rule_id`` (index ix_scores_rule)."""
    wanted = set(keys)
    c = scores.c
    found: set[SpanKey] = set()
    for chunk in _by_trace(keys):
        stmt = (
            sa.select(c.trace_id, c.span_id)
            .where(c.project_id == project_id, c.rule_id == rule_id, c.trace_id.in_(chunk))
            .distinct()
        )
        found.update(
            (row.trace_id, row.span_id)
            for row in conn.execute(stmt)
            if (row.trace_id, row.span_id) in wanted
        )
    return found
