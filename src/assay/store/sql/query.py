"""The trace list, the span list and the time series, with keyset cursors."""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from assay.errors import UsageError
from assay.schema import SeriesPoint, SpanPage, TracePage, TraceSummary
from assay.store.base import SeriesQuery, SpanQuery, TraceQuery
from assay.store.sql import score_series, scores, search
from assay.store.sql.decode import bodies, load_blobs, span_model, to_datetime
from assay.store.sql.dialect import Dialect, percentile
from assay.store.sql.eval_tables import scores as score_rows
from assay.store.sql.tables import spans, traces

MAX_LIMIT = 1000
_T = traces.c
SORT_COLUMNS: dict[str, Any] = {
    "start_time": _T.start_time,
    "duration": _T.duration_us,
    "cost": _T.cost,
    "tokens": _T.total_tokens,
}


def encode_cursor(values: list[Any]) -> str:
    """An opaque cursor holding the sort key of the last row of a page."""
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


def decode_cursor(cursor: str, size: int, tag: str) -> list[Any]:
    """The values inside ``cursor``; ``UsageError`` when it was not made by this listing."""
    try:
        values = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        values = None
    if not isinstance(values, list) or len(values) != size or values[0] != tag:
        raise UsageError(
            f"cursor {cursor[:40]!r} was not made by this listing (sort {tag!r}); pass back the "
            "next_cursor of the previous page with the same sort, or no cursor for the first page"
        )
    return values[1:]


def _like(text: str, *, lower: bool = True) -> str:
    if lower:
        text = text.lower()
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _span_conditions(
    dialect: Dialect, s: Any, q: TraceQuery | SpanQuery
) -> list[ColumnElement[bool]]:
    """Conditions on a span's own columns shared by both lists."""
    conds: list[ColumnElement[bool]] = []
    if q.kind is not None:
        conds.append(s.kind == q.kind)
    if q.model is not None:
        conds.append(s.model == q.model)
    for key, value in q.metadata.items():
        conds.append(dialect.json_text(s.metadata, key) == str(value))
    if q.text:
        pattern = _like(q.text)
        # inline bodies are JSON text: quotes, newlines and backslashes appear escaped there
        as_json = orjson.dumps(q.text).decode()[1:-1]
        if dialect.is_sqlite:  # LIKE ignores ASCII case; lower() would only fold ASCII anyway
            needle = _like(as_json, lower=False)
            inline = sa.or_(s.input.like(needle, escape="\\"), s.output.like(needle, escape="\\"))
        else:
            needle = _like(as_json)
            inline = sa.or_(s.input.ilike(needle, escape="\\"), s.output.ilike(needle, escape="\\"))
        conds.append(
            sa.case(
                (s.search_text.is_(None), inline),
                else_=s.search_text.like(pattern, escape="\\"),
            )
        )
    return conds


def _range(col: Any, low: float | None, high: float | None, scale: float = 1) -> list[Any]:
    conds = []
    if low is not None:
        conds.append(col >= low * scale)
    if high is not None:
        conds.append(col <= high * scale)
    return conds


def _experiment(
    dialect: Dialect, experiment_id: str | None, *, by_id: bool = False
) -> ColumnElement[bool]:
    """The production log (no experiment) or one experiment's traces.

    PostgreSQL would answer the production log from the experiment index and sort what it
    finds; walking the index of the requested order and skipping experiment rows is far faster
    there, so its condition is written in a form that index cannot serve. So is it on SQLite
    when the traces are picked ``by_id`` (text search): looking them up by key beats a walk.
    """
    if experiment_id is not None:
        return _T.experiment_id == experiment_id
    if dialect.is_sqlite and not by_id:
        return _T.experiment_id.is_(None)
    return sa.func.coalesce(_T.experiment_id, "") == ""


def _trace_filters(
    dialect: Dialect, project_id: str, q: TraceQuery, *, trace_ids: list[str] | None = None
) -> list[Any]:
    """Conditions of the trace list; ``trace_ids``, when given, are the only traces whose spans
    can match (found through the text index), so no trace is probed span by span."""
    by_id = trace_ids is not None
    conds: list[Any] = [
        _T.project_id == project_id,
        _experiment(dialect, q.experiment_id, by_id=by_id),
    ]
    if q.start_from is not None:
        conds.append(_T.start_time >= q.start_from)
    if q.start_to is not None:
        conds.append(_T.start_time < q.start_to)
    for col, value in (
        (_T.name, q.name),
        (_T.status, q.status),
        (_T.session_id, q.session_id),
        (_T.user_id, q.user_id),
    ):
        if value is not None:
            conds.append(col == value)
    conds.extend(dialect.json_array_has(_T.tags, tag) for tag in q.tags)
    sort_col = SORT_COLUMNS.get(q.sort.lstrip("-"))
    duration = _T.duration_us if sort_col is _T.duration_us else dialect.unindexed(_T.duration_us)
    cost = _T.cost if sort_col is _T.cost else dialect.unindexed(_T.cost)
    conds.extend(_range(duration, q.min_duration_ms, q.max_duration_ms, 1000))
    if q.max_duration_ms is not None:
        conds.append(duration >= 0)
    conds.extend(_range(cost, q.min_cost, q.max_cost))
    s = spans.alias("s")
    span_conds = _span_conditions(dialect, s.c, q)
    if trace_ids is not None:
        conds.append(_T.trace_id.in_(trace_ids))
    elif span_conds:
        match = sa.select(sa.literal(1)).select_from(s)
        match = match.where(
            s.c.project_id == _T.project_id, s.c.trace_id == _T.trace_id, *span_conds
        )
        conds.append(sa.exists(dialect.per_row(match)))
    conds.extend(_score_mean(q))
    return conds


def _score_mean(q: TraceQuery) -> list[ColumnElement[bool]]:
    """The trace's mean current ``score_name`` score below/above the bounds (when asked)."""
    if q.score_name is None or (q.score_below is None and q.score_above is None):
        return []
    c = score_rows.c
    mean = (
        sa.select(sa.func.avg(c.value))
        .where(
            c.project_id == _T.project_id,
            c.trace_id == _T.trace_id,
            c.name == q.score_name,
            c.superseded_by.is_(None),
        )
        .scalar_subquery()
    )
    conds: list[ColumnElement[bool]] = []
    if q.score_below is not None:
        conds.append(mean < q.score_below)
    if q.score_above is not None:
        conds.append(mean > q.score_above)
    return conds


def _text_candidates(
    conn: Connection, dialect: Dialect, project_id: str, q: TraceQuery
) -> list[str] | None:
    """The traces with a span that matches every span condition of ``q``, found through the
    text index; None when there is no text or the index cannot narrow it down."""
    if not q.text:
        return None
    s = spans.alias("s")
    narrow = search.narrowing(conn, dialect, s, q.text)
    if narrow is None:
        return None
    stmt = sa.select(s.c.trace_id).where(
        search.in_project(dialect, s, project_id), narrow, *_span_conditions(dialect, s.c, q)
    )
    found = conn.execute(stmt.limit(search.MAX_CANDIDATES + 1)).scalars().all()
    if len(found) > search.MAX_CANDIDATES:
        return None  # common text: walking the traces in list order finds a page sooner
    return list(dict.fromkeys(found))


def trace_selection(
    dialect: Dialect, project_id: str, q: TraceQuery, *columns: Any, conn: Connection
) -> Any:
    """``SELECT columns FROM traces`` filtered as the trace list filters (no order, no limit).

    For statements over every match, such as ``INSERT … SELECT`` of a whole selection. A text
    filter is first looked up in the text index on ``conn``, as the trace list does.
    """
    trace_ids = _text_candidates(conn, dialect, project_id, q)
    conds = _trace_filters(dialect, project_id, q, trace_ids=trace_ids)
    return sa.select(*columns).select_from(traces).where(*conds)


def _summary(row: Any, project: str, means: dict[str, float]) -> TraceSummary:
    return TraceSummary.model_construct(
        project=project,
        trace_id=row.trace_id,
        root_span_id=row.root_span_id,
        name=row.name,
        start_time=to_datetime(row.start_time),
        end_time=None if row.end_time is None else to_datetime(row.end_time),
        duration_ms=None if row.duration_us < 0 else row.duration_us / 1000.0,
        status=row.status,
        span_count=row.span_count,
        error_count=row.error_count,
        prompt_tokens=row.prompt_tokens,
        completion_tokens=row.completion_tokens,
        total_tokens=row.total_tokens,
        cost=row.cost,
        tags=orjson.loads(row.tags),
        session_id=row.session_id,
        user_id=row.user_id,
        input_preview=row.input_preview,
        output_preview=row.output_preview,
        experiment_id=row.experiment_id,
        scores=means,
    )


def list_traces(
    conn: Connection, dialect: Dialect, project_id: str, project: str, q: TraceQuery
) -> TracePage:
    """A page of traces matching ``q``, in ``q.sort`` order."""
    key = q.sort.lstrip("-")
    if key not in SORT_COLUMNS:
        raise UsageError(
            f"sort {q.sort!r} is not one of {sorted(SORT_COLUMNS)} (prefix - for descending)"
        )
    col, desc = SORT_COLUMNS[key], q.sort.startswith("-")
    trace_ids = _text_candidates(conn, dialect, project_id, q)
    if trace_ids == []:
        return TracePage.model_construct(items=[], next_cursor=None)
    conds = _trace_filters(dialect, project_id, q, trace_ids=trace_ids)
    if trace_ids is not None:  # look the few traces up by key and sort them, no index walk
        col = dialect.unindexed(col)
    if q.cursor:
        value, trace_id = decode_cursor(q.cursor, 3, q.sort)
        after = sa.tuple_(col, _T.trace_id)
        conds.append(
            after < sa.tuple_(value, trace_id) if desc else after > sa.tuple_(value, trace_id)
        )
    order = [col.desc(), _T.trace_id.desc()] if desc else [col.asc(), _T.trace_id.asc()]
    limit = max(1, min(q.limit, MAX_LIMIT))
    rows = conn.execute(sa.select(traces).where(*conds).order_by(*order).limit(limit + 1)).all()
    page = rows[:limit]
    means = scores.means_by_trace(conn, project_id, [r.trace_id for r in page])
    items = [_summary(r, project, means.get(r.trace_id, {})) for r in page]
    cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        cursor = encode_cursor([q.sort, getattr(last, SORT_COLUMNS[key].name), last.trace_id])
    return TracePage.model_construct(items=items, next_cursor=cursor)


def list_spans(
    conn: Connection, dialect: Dialect, project_id: str, project: str, q: SpanQuery
) -> SpanPage:
    """A page of finished spans matching ``q``, newest first."""
    s = spans.c
    narrow = search.narrowing(conn, dialect, spans, q.text) if q.text else None
    if narrow is None:
        conds: list[Any] = [s.project_id == project_id]
    else:
        conds = [search.in_project(dialect, spans, project_id), narrow]
    conds.extend(_span_conditions(dialect, s, q))
    if q.start_from is not None:
        conds.append(s.start_time >= q.start_from)
    if q.start_to is not None:
        conds.append(s.start_time < q.start_to)
    for col, value in ((s.trace_id, q.trace_id), (s.name, q.name), (s.status, q.status)):
        if value is not None:
            conds.append(col == value)
    conds.extend(dialect.json_array_has(s.tags, tag) for tag in q.tags)
    conds.extend(_range(s.duration_us, q.min_duration_ms, q.max_duration_ms, 1000))
    order_key = sa.tuple_(s.start_time, s.trace_id, s.span_id)
    if q.cursor:
        start, trace_id, span_id = decode_cursor(q.cursor, 4, "spans")
        conds.append(order_key < sa.tuple_(start, trace_id, span_id))
    limit = max(1, min(q.limit, MAX_LIMIT))
    stmt = sa.select(spans).where(*conds)
    stmt = stmt.order_by(s.start_time.desc(), s.trace_id.desc(), s.span_id.desc()).limit(limit + 1)
    rows: list[Any] = list(conn.execute(stmt).mappings())
    blob_data = load_blobs(conn, project_id, rows[:limit])
    items = [span_model(r, project, body=bodies(r, blob_data)) for r in rows[:limit]]
    cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        cursor = encode_cursor(["spans", last["start_time"], last["trace_id"], last["span_id"]])
    return SpanPage.model_construct(items=items, next_cursor=cursor)


def series(
    conn: Connection, dialect: Dialect, project_id: str, q: SeriesQuery
) -> list[SeriesPoint]:
    """Per-bucket aggregates of the traces that started in [q.start, q.end)."""
    if q.bucket_seconds <= 0 or q.end <= q.start:
        raise UsageError(
            f"series needs bucket_seconds > 0 and end > start; got bucket_seconds="
            f"{q.bucket_seconds}, start={q.start}, end={q.end}"
        )
    width = q.bucket_seconds * 1_000_000
    count = math.ceil((q.end - q.start) / width)
    bucket = ((_T.start_time - q.start) // width).label("bucket")
    conds = [
        _T.project_id == project_id,
        _T.experiment_id.is_(None),  # production traffic only
        _T.start_time >= q.start,
        _T.start_time < q.end,
    ]
    if q.name is not None:
        conds.append(_T.name == q.name)
    latency = sa.func.nullif(_T.duration_us, -1)
    pct = dialect.percentiles(latency)
    aggregates = [
        sa.func.count().label("traces"),
        sa.func.sum(_T.span_count).label("spans"),
        sa.func.sum(sa.case((_T.status == "error", 1), else_=0)).label("errors"),
        sa.func.sum(_T.prompt_tokens).label("prompt"),
        sa.func.sum(_T.completion_tokens).label("completion"),
        sa.func.sum(_T.total_tokens).label("total"),
        sa.func.sum(_T.cost).label("cost"),
        *([] if pct is None else [pct[0].label("p50"), pct[1].label("p95")]),
    ]
    grouped = {
        r.bucket: r
        for r in conn.execute(sa.select(bucket, *aggregates).where(*conds).group_by(bucket))
    }
    latencies = (
        _python_percentiles(conn, bucket, conds)
        if pct is None
        else {b: (r.p50, r.p95) for b, r in grouped.items()}
    )
    means = score_series.bucket_means(
        conn, project_id, start=q.start, end=q.end, width=width, trace_name=q.name
    )
    return [
        _point(q.start + i * width, grouped.get(i), latencies.get(i), means.get(i, {}))
        for i in range(count)
    ]


def _python_percentiles(
    conn: Connection, bucket: Any, conds: list[Any]
) -> dict[int, tuple[float | None, float | None]]:
    stmt = sa.select(bucket, _T.duration_us).where(*conds, _T.duration_us >= 0)
    values: dict[int, list[float]] = {}
    for b, duration in conn.execute(stmt.order_by(bucket, _T.duration_us)):
        values.setdefault(b, []).append(duration)
    return {b: (percentile(v, 0.5), percentile(v, 0.95)) for b, v in values.items()}


def _point(
    start: int, row: Any, latency: tuple[Any, Any] | None, means: dict[str, float]
) -> SeriesPoint:
    p50, p95 = latency or (None, None)
    traces_n = 0 if row is None else int(row.traces)
    errors = 0 if row is None else int(row.errors or 0)
    return SeriesPoint.model_construct(
        bucket_start=to_datetime(start),
        traces=traces_n,
        spans=0 if row is None else int(row.spans or 0),
        errors=errors,
        error_rate=errors / traces_n if traces_n else 0.0,
        latency_p50_ms=None if p50 is None else float(p50) / 1000.0,
        latency_p95_ms=None if p95 is None else float(p95) / 1000.0,
        prompt_tokens=0 if row is None else int(row.prompt or 0),
        completion_tokens=0 if row is None else int(row.completion or 0),
        total_tokens=0 if row is None else int(row.total or 0),
        cost=0.0 if row is None else float(row.cost or 0.0),
        scores=means,
    )
