"""Versioned datasets: every insert, update or delete call makes exactly one new version.

Functions here run on a connection inside the caller's transaction. Writers lock the dataset's
row first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite has a single writer), so versions are
numbered without gaps even with several servers.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.errors import NotFoundError, UsageError
from assay.schema.eval import (
    Dataset,
    DatasetRecord,
    DatasetRecordIn,
    DatasetVersion,
    RecordPage,
    RecordSource,
)
from assay.store.base import RecordQuery
from assay.store.sql import named
from assay.store.sql._ids import uuid7
from assay.store.sql.bodies import (
    BodyReader,
    BodyWriter,
    json_text,
    loads_or,
    search_text,
)
from assay.store.sql.decode import load_blobs, read_bodies, to_datetime
from assay.store.sql.dialect import Dialect
from assay.store.sql.eval_tables import dataset_record_versions, dataset_versions, datasets
from assay.store.sql.tables import spans

_R = dataset_record_versions.c
_BODIES = ("input", "expected", "metadata")


def _now() -> int:
    return time.time_ns() // 1000


def to_model(row: Mapping[Any, Any], project: str) -> Dataset:
    """A :class:`Dataset` from its row."""
    return Dataset(
        id=row["id"],
        project=project,
        name=row["name"],
        description=row["description"],
        version=row["version"],
        record_count=row["record_count"],
        created_at=to_datetime(row["created_at"]),
        updated_at=to_datetime(row["updated_at"]),
    )


def find(
    conn: Connection, project_id: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any] | None:
    """The row of dataset ``name`` (locked for a write with ``lock``), or None."""
    return named.find(conn, datasets, project_id, name, lock=lock)


def require(
    conn: Connection, project_id: str, project: str, name: str, *, lock: bool = False
) -> Mapping[Any, Any]:
    """The row of dataset ``name``; NotFoundError naming it when there is none."""
    return named.require(
        conn, datasets, project_id, name, what="Dataset", project=project, lock=lock
    )


def create(
    conn: Connection, dialect: Dialect, project_id: str, name: str, description: str | None
) -> Mapping[Any, Any] | None:
    """Insert dataset ``name`` at version 0; None when the name is taken."""
    now = _now()
    row = {
        "project_id": project_id,
        "id": uuid7(),
        "name": name,
        "description": description,
        "version": 0,
        "record_count": 0,
        "created_at": now,
        "updated_at": now,
    }
    if not dialect.insert_new(conn, datasets, row):
        return None
    return row


def list_all(conn: Connection, project_id: str, project: str) -> list[Dataset]:
    """Every dataset of the project, by name."""
    stmt = sa.select(datasets).where(datasets.c.project_id == project_id).order_by(datasets.c.name)
    return [to_model(r._mapping, project) for r in conn.execute(stmt)]


@dataclass(slots=True)
class _Change:
    """What one call did, for its version row."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0


def _current(
    conn: Connection, project_id: str, dataset_id: str, ids: Sequence[str]
) -> dict[str, Mapping[Any, Any]]:
    found: dict[str, Mapping[Any, Any]] = {}
    for i in range(0, len(ids), 500):
        stmt = sa.select(dataset_record_versions).where(
            _R.project_id == project_id,
            _R.dataset_id == dataset_id,
            _R.record_id.in_(ids[i : i + 500]),
            _R.version_to.is_(None),
        )
        found.update((r.record_id, r._mapping) for r in conn.execute(stmt))
    return found


def _close(conn: Connection, project_id: str, dataset_id: str, ids: list[str], v: int) -> None:
    for i in range(0, len(ids), 500):
        conn.execute(
            sa.update(dataset_record_versions)
            .where(
                _R.project_id == project_id,
                _R.dataset_id == dataset_id,
                _R.record_id.in_(ids[i : i + 500]),
                _R.version_to.is_(None),
            )
            .values(version_to=v)
        )


def _new_version(conn: Connection, ds: Mapping[Any, Any], version: int, change: _Change) -> None:
    now = _now()
    count = ds["record_count"] + change.inserted - change.deleted
    conn.execute(
        sa.insert(dataset_versions),
        {
            "project_id": ds["project_id"],
            "dataset_id": ds["id"],
            "version": version,
            "created_at": now,
            "inserted": change.inserted,
            "updated": change.updated,
            "deleted": change.deleted,
            "record_count": count,
        },
    )
    conn.execute(
        sa.update(datasets)
        .where(datasets.c.project_id == ds["project_id"], datasets.c.id == ds["id"])
        .values(version=version, record_count=count, updated_at=now)
    )


def _state_row(
    writer: BodyWriter,
    ds: Mapping[Any, Any],
    record_id: str,
    version: int,
    state: Mapping[Any, Any],
    *,
    created_version: int,
    position: int,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "project_id": ds["project_id"],
        "dataset_id": ds["id"],
        "record_id": record_id,
        "version_from": version,
        "version_to": None,
        "created_version": created_version,
        "position": position,
        "tags": json_text(state.get("tags") or []),
        "source": None if state.get("source") is None else json_text(state["source"]),
        "search_text": search_text(state.get("input"), state.get("expected")),
    }
    writer.encode(row, {name: state.get(name) for name in _BODIES})
    return row


def write_records(
    conn: Connection,
    dialect: Dialect,
    ds: Mapping[Any, Any],
    records: Sequence[DatasetRecordIn],
    *,
    inline_limit: int,
) -> tuple[int, list[str]]:
    """Insert (or, for an existing id, replace) ``records`` as one new version.

    Returns:
        The new version and the record ids in order.
    """
    version = ds["version"] + 1
    ids = [r.id or uuid7() for r in records]
    latest: dict[str, tuple[int, DatasetRecordIn]] = {}
    for pos, (rid, rec) in enumerate(zip(ids, records, strict=True)):
        latest[rid] = (pos, rec)  # the same id twice in one call: the last one wins
    current = _current(conn, ds["project_id"], ds["id"], list(latest))
    writer = BodyWriter(ds["project_id"], inline_limit)
    rows: list[dict[str, Any]] = []
    change = _Change()
    for rid, (pos, rec) in latest.items():
        old = current.get(rid)
        created, position = (
            (version, pos) if old is None else (old["created_version"], old["position"])
        )
        change.inserted += old is None
        change.updated += old is not None
        state = rec.model_dump(mode="json", include={"input", "expected", "metadata", "tags"})
        state["source"] = None if rec.source is None else rec.source.model_dump(mode="json")
        rows.append(
            _state_row(writer, ds, rid, version, state, created_version=created, position=position)
        )
    _close(conn, ds["project_id"], ds["id"], [r for r in latest if r in current], version)
    writer.flush(conn, dialect)
    conn.execute(sa.insert(dataset_record_versions), rows)
    _new_version(conn, ds, version, change)
    return version, ids


def _require_record(
    conn: Connection, ds: Mapping[Any, Any], record_id: str, project: str
) -> Mapping[Any, Any]:
    old = _current(conn, ds["project_id"], ds["id"], [record_id]).get(record_id)
    if old is None:
        raise NotFoundError(
            f"Record {record_id!r} is not in the latest version of dataset {ds['name']!r} of "
            f"project {project!r}; list the records with GET .../datasets/{ds['name']}/records."
        )
    return old


def update_record(
    conn: Connection,
    dialect: Dialect,
    ds: Mapping[Any, Any],
    record_id: str,
    changes: Mapping[Any, Any],
    *,
    project: str,
    inline_limit: int,
) -> DatasetRecord:
    """Change the fields in ``changes`` of record ``record_id``; one new version."""
    old = _require_record(conn, ds, record_id, project)
    version = ds["version"] + 1
    state = BodyReader(conn, ds["project_id"], [old]).read(old, _BODIES)
    state["tags"] = loads_or(old["tags"], [])
    state["source"] = loads_or(old["source"], None)
    state.update(changes)
    writer = BodyWriter(ds["project_id"], inline_limit)
    row = _state_row(
        writer,
        ds,
        record_id,
        version,
        state,
        created_version=old["created_version"],
        position=old["position"],
    )
    _close(conn, ds["project_id"], ds["id"], [record_id], version)
    writer.flush(conn, dialect)
    conn.execute(sa.insert(dataset_record_versions), row)
    _new_version(conn, ds, version, _Change(updated=1))
    return _record(row, BodyReader(conn, ds["project_id"], [row]))


def delete_record(conn: Connection, ds: Mapping[Any, Any], record_id: str, *, project: str) -> int:
    """Delete record ``record_id`` from the next version; returns that version."""
    _require_record(conn, ds, record_id, project)
    version = int(ds["version"]) + 1
    _close(conn, ds["project_id"], ds["id"], [record_id], version)
    _new_version(conn, ds, version, _Change(deleted=1))
    return version


def _record(row: Mapping[Any, Any], reader: BodyReader) -> DatasetRecord:
    body = reader.read(row, _BODIES)
    return DatasetRecord.model_validate(
        {
            "id": row["record_id"],
            "input": body["input"],
            "expected": body["expected"],
            "metadata": body["metadata"] or {},
            "tags": loads_or(row["tags"], []),
            "source": loads_or(row["source"], None),
            "created_version": row["created_version"],
            "updated_version": row["version_from"],
        }
    )


def list_records(
    conn: Connection, ds: Mapping[Any, Any], query: RecordQuery, *, project: str
) -> RecordPage:
    """A page of the records as they were at ``query.version`` (latest when None)."""
    latest = ds["version"]
    version = latest if query.version is None else query.version
    if not 0 <= version <= latest:
        raise NotFoundError(
            f"Dataset {ds['name']!r} of project {project!r} has versions 0 to {latest}; "
            f"version {version} does not exist."
        )
    stmt = sa.select(dataset_record_versions).where(
        _R.project_id == ds["project_id"],
        _R.dataset_id == ds["id"],
        _R.version_from <= version,
        sa.or_(_R.version_to.is_(None), _R.version_to > version),
    )
    if query.cursor is not None:
        cv, pos = _parse_cursor(query.cursor)
        stmt = stmt.where(sa.tuple_(_R.created_version, _R.position) > sa.tuple_(cv, pos))
    if query.text:
        stmt = stmt.where(_R.search_text.contains(query.text.lower(), autoescape=True))
    stmt = stmt.order_by(_R.created_version, _R.position).limit(query.limit + 1)
    rows = [r._mapping for r in conn.execute(stmt)]
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    reader = BodyReader(conn, ds["project_id"], rows)
    cursor = f"{rows[-1]['created_version']}.{rows[-1]['position']}" if more else None
    return RecordPage(items=[_record(r, reader) for r in rows], version=version, next_cursor=cursor)


def _parse_cursor(cursor: str) -> tuple[int, int]:
    head, _, tail = cursor.partition(".")
    if not (head.isdigit() and tail.isdigit()) or len(cursor) > 40:
        raise UsageError(
            f"cursor {cursor!r:.60} is not one this server made; pass next_cursor back unchanged"
        )
    return int(head), int(tail)


def list_versions(conn: Connection, ds: Mapping[Any, Any]) -> list[DatasetVersion]:
    """Every version of the dataset, oldest first."""
    v = dataset_versions.c
    stmt = (
        sa.select(dataset_versions)
        .where(v.project_id == ds["project_id"], v.dataset_id == ds["id"])
        .order_by(v.version)
    )
    return [
        DatasetVersion(
            version=r.version,
            created_at=to_datetime(r.created_at),
            inserted=r.inserted,
            updated=r.updated,
            deleted=r.deleted,
            record_count=r.record_count,
        )
        for r in conn.execute(stmt)
    ]


def records_of_spans(
    conn: Connection, project_id: str, project: str, keys: Sequence[tuple[str, str]]
) -> list[DatasetRecordIn]:
    """One record per finished span of ``keys`` ((trace_id, span_id), in that order): its input
    as input, its output as expected, the span as source. Missing spans are left out."""
    s = spans.c
    found: dict[tuple[str, str], Any] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        stmt = sa.select(s.trace_id, s.span_id, s.input, s.output, s.refs).where(
            s.project_id == project_id,
            s.trace_id.in_({t for t, _ in chunk}),
            s.span_id.in_({sp for _, sp in chunk}),
        )
        found.update(((r.trace_id, r.span_id), r._mapping) for r in conn.execute(stmt))
    rows = [found[k] for k in keys if k in found]
    blob_data = load_blobs(conn, project_id, rows)
    records = []
    for row in rows:
        body = read_bodies(row, ("input", "output"), blob_data)
        source = RecordSource(trace_id=row["trace_id"], span_id=row["span_id"], project=project)
        records.append(DatasetRecordIn(input=body["input"], expected=body["output"], source=source))
    return records


def record_sources(
    conn: Connection, project_id: str, dataset: str | None, record_ids: Sequence[str]
) -> dict[str, RecordSource]:
    """The sources of the records ``record_ids`` of dataset ``dataset`` (its latest state that
    has one), by record id; records without a source are left out."""
    ds = None if dataset is None else find(conn, project_id, dataset)
    if ds is None or not record_ids:
        return {}
    out: dict[str, RecordSource] = {}
    wanted = sorted(set(record_ids))
    for i in range(0, len(wanted), 500):
        stmt = (
            sa.select(_R.record_id, _R.source)
            .where(
                _R.project_id == project_id,
                _R.dataset_id == ds["id"],
                _R.record_id.in_(wanted[i : i + 500]),
                _R.source.is_not(None),
            )
            .order_by(_R.version_from)
        )
        for row in conn.execute(stmt):  # later states come last and win
            out[row.record_id] = RecordSource.model_validate(loads_or(row.source, None))
    return out
