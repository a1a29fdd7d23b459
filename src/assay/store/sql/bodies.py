"""JSON bodies of dataset records and experiment cases: inline when small, else a blob.

The same pointer format as spans (``refs[name] = {store, key, sha256, length}`` into the shared
``blobs`` table), built on the public helpers of :mod:`~assay.store.sql.encode` and
:mod:`~assay.store.sql.decode`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy.engine import Connection

from assay.store.sql.decode import load_blobs, read_bodies
from assay.store.sql.dialect import Dialect
from assay.store.sql.encode import blob_rows, dumps, keep
from assay.store.sql.tables import blobs

SEARCH_CHARS = 4096


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
            if value is not None:
                row[name] = keep(dumps(value), name, self.inline_limit, self.blobs, refs)
        row["refs"] = json_text(refs) if refs else None

    def flush(self, conn: Connection, dialect: Dialect) -> None:
        """Write the collected blobs (each once per project)."""
        if self.blobs:
            conn.execute(dialect.insert_ignore(blobs), blob_rows(self.project_id, self.blobs))
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
        return read_bodies(row, names, self._blobs)
