"""Indexed text search over span input and output (the ``text`` filter of both lists).

Search itself is a case-insensitive substring match (``query._text_condition``); the indexes
here only narrow which spans it has to look at, so a result is never wrong because of them.

- SQLite: ``span_search``, a contentless FTS5 word index (unicode61, diacritics folded) keyed by
  ``spans.rowid``, filled after the fact by :func:`index_next` (the server calls it while ingest
  is quiet), and ``span_search_state.indexed_rowid``, the highest rowid indexed so far. Spans
  above it (the tail) are always candidates, so a span is searchable the moment it is committed.
  A query's words become prefix terms (``"refund"* "order"*``), so on an indexed span a search
  must start at the start of a word: "efund" no longer finds "refund" (see docs/querying.md).
- PostgreSQL: a GIN trigram index (pg_trgm) on :func:`pg_text`, kept in step by PostgreSQL;
  substring semantics are unchanged.

When the index cannot narrow much (a short or common word, a long unindexed tail, no pg_trgm)
:func:`narrowing` returns None and the lists search as they always did.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from assay.store.sql.dialect import Dialect
from assay.store.sql.tables import metadata, spans

FTS_TABLE = "span_search"
STATE_TABLE = "span_search_state"
TRGM_INDEX = "ix_spans_search_trgm"
MIN_WORD = 3  # shorter words match too much to narrow anything; they are left to the recheck
MIN_TRGM = 3  # pg_trgm needs a trigram in the needle to use the index
MAX_CANDIDATES = 2_000  # more index hits than this: the list's own walk finds a page sooner
MAX_TAIL = 20_000  # more unindexed spans than this: scanning the tail costs what a walk does
state = sa.Table(  # read on SQLite only; the FTS5 table itself has no Table object
    STATE_TABLE,
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("indexed_rowid", sa.BigInteger, nullable=False),
)
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return " " if code is None else chr(int(code, 16))


def indexed_text(input_json: str | None, output_json: str | None, search: str | None) -> str:
    """The text the word index holds for one span: what search reads, as plain words.

    Inline bodies are JSON text, whose escapes would glue letters onto words (``\\nworld``), so
    they are decoded; ``search_text`` (blob bodies) may be plain text or the head of JSON, so a
    copy with escapes decoded is added when it holds a backslash.
    """
    if search is not None:
        return search + "\n" + _ESCAPE.sub(_unescape, search) if "\\" in search else search
    return _ESCAPE.sub(_unescape, f"{input_json or ''}\n{output_json or ''}")


def _is_word_char(ch: str) -> bool:
    """Whether FTS5's unicode61 tokenizer (default categories) keeps ``ch`` inside a word."""
    if ch.isascii():
        return ch.isalnum()
    # marks count as word characters here even where unicode61 splits on them: a word that
    # FTS5 then splits becomes a phrase, which detail=none refuses, and search falls back to a
    # scan; the other way round a word could be cut short and a match missed
    category = unicodedata.category(ch)
    return category[0] in "LNM" or category == "Co"


def words(text: str) -> list[str]:
    """The words of ``text`` as the word index splits them."""
    found: list[str] = []
    current: list[str] = []
    for ch in text:
        if _is_word_char(ch):
            current.append(ch)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


def match_query(text: str, *, exact: bool = False) -> str | None:
    """An FTS5 query for the spans that may contain ``text``, or None when it has no word of
    at least MIN_WORD characters.

    Words are quoted, so nothing a user types is read as FTS syntax. A word that ends the text
    may go on in the span ("refund" in "refunds"), so it is a prefix term, unless ``exact``
    (a narrower query that is cheap to count: prefix terms cost a merge of every word they
    begin); a word followed by anything else in the text is whole in the span too.
    """
    found = words(text)
    open_end = bool(found) and not exact and _is_word_char(text[-1])
    terms = [
        f'"{w}"*' if open_end and i == len(found) - 1 else f'"{w}"'
        for i, w in enumerate(found)
        if len(w) >= MIN_WORD
    ]
    return " ".join(dict.fromkeys(terms)) or None


def rowid(table: Any) -> ColumnElement[int]:
    """``rowid`` of the spans table (or alias) ``table`` (SQLite)."""
    return sa.literal_column(f"{table.name}.rowid")


def watermark(conn: Connection) -> int:
    """The highest ``spans.rowid`` the word index holds (SQLite)."""
    value = conn.exec_driver_sql(f"SELECT indexed_rowid FROM {STATE_TABLE}").scalar()
    return int(value or 0)


def index_next(conn: Connection, dialect: Dialect, *, limit: int) -> int:
    """Add the next ``limit`` spans after the watermark to the word index, move the watermark;
    returns how many were indexed (always 0 on PostgreSQL, whose index is kept in step).

    Run it inside a write transaction: SQLite hands out rowids in commit order there, so no
    span can appear below the watermark later (retention lowers it when it deletes the top).
    """
    if not dialect.is_sqlite or limit <= 0:
        return 0
    after = watermark(conn)
    rows = conn.exec_driver_sql(
        "SELECT rowid, input, output, search_text FROM spans WHERE rowid > ? "
        "ORDER BY rowid LIMIT ?",
        (after, limit),
    ).all()
    if not rows:
        return 0
    conn.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (?, ?)",
        [(r[0], indexed_text(r[1], r[2], r[3])) for r in rows],
    )
    conn.exec_driver_sql(f"UPDATE {STATE_TABLE} SET indexed_rowid = ?", (rows[-1][0],))
    return len(rows)


def after_span_delete(conn: Connection, dialect: Dialect) -> None:
    """Keep the watermark at or below the highest rowid left, in the deleting transaction.

    A rowid table hands out max(rowid)+1, so deleting the newest spans makes their rowids free
    again. Were the watermark left above them, a new span taking such a rowid would count as
    indexed and never be, and a search could miss it. Lowered here, new spans land in the tail
    and get indexed; the index entries of deleted spans stay (contentless FTS5 cannot delete
    without the old text) but only ever add candidates, which the exact recheck drops.
    """
    if dialect.is_sqlite:
        conn.exec_driver_sql(
            f"UPDATE {STATE_TABLE} SET indexed_rowid = "
            "min(indexed_rowid, coalesce((SELECT max(rowid) FROM spans), 0))"
        )


def pg_text(s: Any) -> ColumnElement[str]:
    """The expression the trigram index is built on, over the columns ``s`` (migration 0009
    spells the same SQL).

    Constants are written into the SQL, not bound, so that the planner matches the index
    expression even in a generic plan of a prepared statement.
    """
    empty: ColumnElement[str] = sa.literal_column("''")
    joined = (
        sa.func.coalesce(s.input, empty)
        .op("||")(sa.literal_column("E'\\n'"))
        .op("||")(sa.func.coalesce(s.output, empty))
    )
    return sa.func.coalesce(s.search_text, joined)


def _pg_indexed(conn: Connection) -> bool:
    found = conn.exec_driver_sql(f"SELECT to_regclass('{TRGM_INDEX}') IS NOT NULL").scalar()
    return bool(found)


def _pg_condition(s: Any, text: str) -> ColumnElement[bool]:
    expr = pg_text(s.c)
    as_json = orjson.dumps(text).decode()[1:-1]
    needles = dict.fromkeys([as_json, text])  # inline JSON bodies, then search_text
    return sa.or_(*(expr.ilike(_like(n), escape="\\") for n in needles))


def _pg_estimate(conn: Connection, condition: ColumnElement[bool]) -> float:
    """The planner's estimate of how many spans meet ``condition`` (from ANALYZE statistics
    of the indexed expression; a bitmap scan of the index would read every hit to count)."""
    stmt: sa.Select[Any] = sa.select(sa.literal_column("1")).select_from(spans).where(condition)
    sql = stmt.compile(dialect=conn.dialect)
    cursor = conn.connection.cursor()
    try:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", sql.params)
        plan: Any = cursor.fetchone()
    finally:
        cursor.close()
    plan = plan[0]
    if isinstance(plan, str):
        plan = orjson.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_match(query: str) -> sa.Select[Any]:
    fts = sa.table(FTS_TABLE, sa.column("rowid"))
    return sa.select(fts.c.rowid).where(sa.literal_column(FTS_TABLE).op("MATCH")(query))


def _more_than(conn: Connection, query: str, limit: int) -> bool:
    limited = _fts_match(query).limit(limit + 1).subquery()
    return int(conn.execute(sa.select(sa.func.count()).select_from(limited)).scalar_one()) > limit


def in_project(dialect: Dialect, s: Any, project_id: str) -> ColumnElement[bool]:
    """``s.project_id = project_id`` for a query narrowed by :func:`narrowing`: on SQLite in a
    form no index serves, so that the candidates drive the query (looked up by rowid) instead
    of a walk over every span of the project."""
    column: ColumnElement[str] = s.c.project_id
    if dialect.is_sqlite:
        column = column.op("||")(sa.literal_column("''"))
    return column == project_id


def narrowing(conn: Connection, dialect: Dialect, s: Any, text: str) -> ColumnElement[bool] | None:
    """A condition on spans ``s`` (table or alias) that an index answers and that holds for
    every span containing ``text``; None when the index would not narrow the search enough.

    The caller keeps the exact substring condition beside it.
    """
    if not dialect.is_sqlite:
        if len(text) < MIN_TRGM or not _pg_indexed(conn):
            return None
        if _pg_estimate(conn, _pg_condition(spans, text)) > 10 * MAX_CANDIDATES:
            return None  # common text by the planner's statistics (rough): the walk is quicker
        return _pg_condition(s, text)
    query = match_query(text)
    if query is None:
        return None
    indexed = watermark(conn)
    top = conn.exec_driver_sql("SELECT max(rowid) FROM spans").scalar() or 0
    if top - indexed > MAX_TAIL:
        return None
    # whole words first: counting them stops early, while a prefix term merges every word
    # it begins before the first hit, so a common word is told apart cheaply
    counted = dict.fromkeys([match_query(text, exact=True) or query, query])
    try:
        if any(_more_than(conn, q, MAX_CANDIDATES) for q in counted):
            return None  # common words: the list's walk finds a page sooner
    except sa.exc.OperationalError:  # a word the tokenizer splits unlike words(): scan
        return None
    match = _fts_match(query)
    tail: sa.Select[Any] = sa.select(sa.literal_column("rowid")).select_from(sa.table("spans"))
    # one IN over a union, not an OR: SQLite then looks the candidates up by rowid instead of
    # walking every span of the project
    return rowid(s).in_(sa.union_all(match, tail.where(sa.literal_column("rowid") > indexed)))
