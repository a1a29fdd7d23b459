"""Everything that differs between SQLite and PostgreSQL, in one place.

Upserts, JSON lookups, tag containment, per-trace write locks and percentiles. Every other
module builds portable SQLAlchemy Core and asks this one for the few dialect-specific pieces.
"""

from __future__ import annotations

import itertools
import math
import sqlite3
from collections.abc import Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

_ROWS_PER_STATEMENT = 1024
_SIZE_STEP = 32


class Dialect:
    """The dialect-specific SQL for one engine; ``name`` is ``sqlite`` or ``postgresql``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.is_sqlite = name == "sqlite"
        self._compiled: dict[tuple[int, tuple[str, ...]], Any] = {}
        self._statements: dict[tuple[str, str], Any] = {}
        self._values: dict[tuple[str, tuple[str, ...], int, bool], str] = {}
        self._max_variables: int | None = None

    def insert_ignore(self, table: sa.Table) -> Any:
        """``INSERT … ON CONFLICT DO NOTHING`` on ``table``'s primary key."""
        key = ("ignore", table.name)
        if key not in self._statements:
            module: Any = sqlite if self.is_sqlite else postgresql
            self._statements[key] = module.insert(table).on_conflict_do_nothing()
        return self._statements[key]

    def insert_new(self, conn: Connection, table: sa.Table, row: dict[str, Any]) -> bool:
        """Insert ``row`` unless it clashes with a key; True when it was inserted.

        (``RETURNING`` tells reliably on both drivers; psycopg reports no rowcount here.)
        """
        module: Any = sqlite if self.is_sqlite else postgresql
        key = next(iter(table.primary_key.columns))
        stmt = module.insert(table).on_conflict_do_nothing().returning(key)
        return conn.execute(stmt, row).first() is not None

    def upsert(self, table: sa.Table) -> Any:
        """``INSERT … ON CONFLICT (primary key) DO UPDATE`` of every other column."""
        key = ("upsert", table.name)
        if key not in self._statements:
            module: Any = sqlite if self.is_sqlite else postgresql
            stmt = module.insert(table)
            keys = [c.name for c in table.primary_key.columns]
            update = {c.name: stmt.excluded[c.name] for c in table.c if c.name not in keys}
            self._statements[key] = stmt.on_conflict_do_update(index_elements=keys, set_=update)
        return self._statements[key]

    def random_id(self) -> ColumnElement[str]:
        """A new random 32-hex-digit id per row, made by the database (for ``INSERT … SELECT``)."""
        if self.is_sqlite:
            return sa.func.lower(sa.func.hex(sa.func.randomblob(16)))
        uuid = sa.cast(sa.func.gen_random_uuid(), sa.Text)
        return sa.func.replace(uuid, "-", "")

    def executemany(self, conn: Connection, stmt: Any, rows: Sequence[dict[str, Any]]) -> None:
        """Run ``stmt`` once per row through the driver's executemany, fast.

        The statement is compiled by SQLAlchemy once per dialect and the rows are handed to the
        driver as they are (tuples for positional drivers), skipping per-row processing that
        these plain values (text, integers, floats, bytes) do not need.
        """
        if not rows:
            return
        columns = list(rows[0])
        key = (id(stmt), tuple(columns))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = stmt.compile(dialect=conn.dialect, column_keys=columns)
            self._compiled[key] = compiled
        if compiled.positional:
            order = compiled.positiontup
            params: Any = [tuple([row[k] for k in order]) for row in rows]
        else:
            params = rows
        conn.exec_driver_sql(compiled.string, params)

    def write_rows(
        self,
        conn: Connection,
        table: sa.Table,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        update: bool = False,
    ) -> None:
        """Insert ``rows`` (tuples in ``columns`` order), ignoring those whose key exists, or
        with ``update`` replacing them (every non-key column).

        On SQLite up to a thousand rows go in one ``INSERT … VALUES (…), (…)`` statement: the
        driver lets other threads run while SQLite works on a statement, and one statement per
        batch gives them the interpreter once, not once per row (waiting to get it back after
        every row made a busy server's writes several times slower). PostgreSQL uses
        ``executemany``.
        """
        if not rows:
            return
        if not self.is_sqlite:
            stmt = self.upsert(table) if update else self.insert_ignore(table)
            self.executemany(conn, stmt, [dict(zip(columns, row, strict=True)) for row in rows])
            return
        per_statement = max(1, min(_ROWS_PER_STATEMENT, self._variables(conn) // len(columns)))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            # a few statement sizes only (each is prepared once per connection): the last row
            # is repeated up to the next size, which inserts or updates nothing more
            size = min(-(-len(chunk) // _SIZE_STEP) * _SIZE_STEP, per_statement)
            if size > len(chunk):
                chunk = [*chunk, *([chunk[-1]] * (size - len(chunk)))]
            sql = self._values_sql(table, tuple(columns), size, update)
            conn.exec_driver_sql(sql, tuple(itertools.chain.from_iterable(chunk)))

    def _variables(self, conn: Connection) -> int:
        """How many ``?`` one SQLite statement may hold (32,766 since SQLite 3.32, 999 before)."""
        if self._max_variables is None:
            raw: Any = conn.connection.dbapi_connection
            try:
                self._max_variables = int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
            except (AttributeError, sqlite3.Error):
                self._max_variables = 999
        return self._max_variables

    def _values_sql(
        self, table: sa.Table, columns: tuple[str, ...], size: int, update: bool
    ) -> str:
        """The SQLite text of a ``size``-row insert."""
        key = (table.name, columns, size, update)
        sql = self._values.get(key)
        if sql is None:
            one = "(" + ",".join("?" * len(columns)) + ")"
            sql = f"INSERT INTO {table.name} ({','.join(columns)}) VALUES " + ",".join([one] * size)
            keys = [c.name for c in table.primary_key.columns]
            if update:
                changes = ",".join(f"{c}=excluded.{c}" for c in columns if c not in keys)
                sql += f" ON CONFLICT ({','.join(keys)}) DO UPDATE SET {changes}"
            else:
                sql += " ON CONFLICT DO NOTHING"
            self._values[key] = sql
        return sql

    def unindexed(self, column: ColumnElement[Any]) -> ColumnElement[Any]:
        """``column`` in a form SQLite will not pick an index for (its planner has no statistics).

        Used for range filters that usually match many rows: walking the index of the sort order
        and filtering beats collecting every match from the range's index and sorting them.
        """
        return column + 0 if self.is_sqlite else column

    def per_row(self, subquery: Any) -> Any:
        """A correlated EXISTS subquery PostgreSQL runs per outer row, as SQLite does.

        PostgreSQL would otherwise turn it into a semi-join over every matching span; with a
        LIMIT the outer walk down the sort index stops early, so probing per row is far faster.
        ``OFFSET 0`` keeps the planner from flattening it.
        """
        return subquery if self.is_sqlite else subquery.offset(0)

    def json_text(self, column: ColumnElement[Any], key: str) -> ColumnElement[Any]:
        """The value of top-level ``key`` of a JSON-object text column, as text."""
        if self.is_sqlite:
            path = '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
            kind = sa.func.json_type(column, path)
            return sa.case(  # booleans read as true/false, as PostgreSQL's ->> gives them
                (kind.in_(["true", "false"]), kind),
                else_=sa.cast(sa.func.json_extract(column, path), sa.Text),
            )
        return sa.cast(column, postgresql.JSONB).op("->>")(sa.literal(key, sa.Text))

    def json_array_has(self, column: ColumnElement[Any], value: str) -> ColumnElement[bool]:
        """True when the JSON-array text ``column`` holds the string ``value``."""
        if self.is_sqlite:
            each = sa.func.json_each(column).table_valued("value").alias("each_tag")
            return sa.exists(
                sa.select(sa.literal(1)).select_from(each).where(each.c.value == value)
            )
        array = sa.literal(orjson.dumps([value]).decode(), sa.Text)
        return sa.cast(column, postgresql.JSONB).op("@>")(sa.cast(array, postgresql.JSONB))

    def lock_traces(self, conn: Connection, project_id: str, trace_ids: Sequence[str]) -> None:
        """Serialise writers of the same traces (PostgreSQL; SQLite has one writer already)."""
        if self.is_sqlite or not trace_ids:
            return
        keys = sorted(f"{project_id}/{t}" for t in trace_ids)
        conn.execute(
            sa.text(
                "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) "
                "FROM (SELECT unnest(CAST(:keys AS text[])) AS k ORDER BY 1) AS s"
            ),
            {"keys": keys},
        )

    def skip_locked(self, select: sa.Select[Any]) -> sa.Select[Any]:
        """``select`` locking the rows it returns and passing over rows other transactions
        hold (``FOR UPDATE SKIP LOCKED``, PostgreSQL); SQLite's write transaction is the lock."""
        return select if self.is_sqlite else select.with_for_update(skip_locked=True)

    def lock_migrations(self, conn: Connection) -> None:
        """Let only one process migrate at a time (PostgreSQL)."""
        if not self.is_sqlite:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7426001)"))

    def percentiles(self, column: ColumnElement[Any]) -> tuple[Any, Any] | None:
        """SQL aggregates for p50 and p95 of ``column``, or None to compute them in Python."""
        if self.is_sqlite:
            return None
        return (
            sa.func.percentile_cont(0.5).within_group(column),
            sa.func.percentile_cont(0.95).within_group(column),
        )


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (as PostgreSQL's ``percentile_cont``) of sorted values."""
    if not sorted_values:
        return None
    pos = (len(sorted_values) - 1) * q
    low = math.floor(pos)
    high = min(low + 1, len(sorted_values) - 1)
    frac = pos - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * frac
