"""JSON bodies of dataset records and experiment cases: inline when small, else a blob.

The same pointer format as spans (``refs[name] = {store, key, sha256, length}`` into the shared
``blobs`` table), built on the public helpers of :mod:`~assay.store.sql.encode` and
:mod:`~assay.store.sql.decode`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from assay.store.sql.decode import load_blobs
from assay.store.sql.dialect import Dialect
from assay.store.sql.encode import dumps
from assay.store.sql.tables import blobs

SEARCH_CHARS = 4096


def insert_new(conn: Connection, dialect: Dialect, table: sa.Table, row: dict[str, Any]) -> bool:
    """Insert ``row`` unless it clashes with a key; True when it was inserted.

    (``RETURNING`` tells reliably on both drivers; psycopg reports no rowcount here.)
    """
    module: Any = sqlite if dialect.is_sqlite else postgresql
    key = next(iter(table.primary_key.columns))
    stmt = module.insert(table).on_conflict_do_nothing().returning(key)
    return conn.execute(stmt, row).first() is not None


def loads_or(text: str | None, default: Any) -> Any:
    """The JSON value of ``text``, or ``default`` when it is NULL."""
    return default if text is None else orjson.loads(text)


def json_text(value: Any) -> str:
    """``value`` as JSON text."""
    return dumps(value).decode()


@dataclass(slots=True)
class BodyWriter:
    """Encodes bodies of rows of one project and collects the blobs they point to."""

    project_id: str
    inline_limit: int
    blobs: dict[str, bytes] = field(default_factory=dict)

    def encode(self, row: dict[str, Any], values: Mapping[Any, Any]) -> None:
        """Set ``row[name]`` (inline JSON or None) for each body and ``row["refs"]``."""
        refs: dict[str, Any] = {}
        for name, value in values.items():
            row[name] = None
            if value is None:
                continue
            raw = dumps(value)
            if len(raw) <= self.inline_limit:
                row[name] = raw.decode()
                continue
            digest = hashlib.sha256(raw).hexdigest()
            self.blobs[digest] = raw
            refs[name] = {"store": "db", "key": digest, "sha256": digest, "length": len(raw)}
        row["refs"] = json_text(refs) if refs else None

    def flush(self, conn: Connection, dialect: Dialect) -> None:
        """Write the collected blobs (each once per project)."""
        rows = [
            {"project_id": self.project_id, "sha256": k, "length": len(v), "data": v}
            for k, v in sorted(self.blobs.items())  # one order: no deadlocks on PostgreSQL
        ]
        if rows:
            conn.execute(dialect.insert_ignore(blobs), rows)
        self.blobs.clear()


def search_text(*values: Any) -> str:
    """Bounded lower-case text of some values (each clipped alone), for substring search."""
    parts = []
    for value in values:
        if value is None:
            continue
        text = value if isinstance(value, str) else dumps(value).decode(errors="ignore")
        parts.append(text[: SEARCH_CHARS // 2])
    return "\n".join(parts).replace("\x00", "").lower()


class BodyReader:
    """Reads bodies back from rows, loading the blobs they point to in one go."""

    def __init__(
        self, conn: Connection, project_id: str, rows: Iterable[Mapping[Any, Any]]
    ) -> None:
        self._blobs = load_blobs(conn, project_id, rows)

    def read(self, row: Mapping[Any, Any], names: Sequence[str]) -> dict[str, Any]:
        """The bodies ``names`` of ``row`` as plain values (None when absent)."""
        refs = orjson.loads(row["refs"]) if row["refs"] else {}
        out: dict[str, Any] = {}
        for name in names:
            ref = refs.get(name)
            if ref is not None:
                raw = self._blobs.get(ref["sha256"])
                out[name] = None if raw is None else orjson.loads(raw)
            else:
                out[name] = loads_or(row[name], None)
        return out
