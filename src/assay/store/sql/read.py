"""Reading one trace as a tree, and one span."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assay.schema import Span, SpanNode, Trace
from assay.store.sql.decode import LIGHT, OPEN_LIGHT, bodies, load_blobs, span_model
from assay.store.sql.tables import open_spans, spans


def _rows(
    conn: Connection, cols: Iterable[Any], where: list[Any], order: Iterable[Any] = ()
) -> list[dict[str, Any]]:
    result = conn.execute(sa.select(*cols).where(*where).order_by(*order))
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while building many acyclic objects.

    Building a 10,000-span tree otherwise triggers repeated collections that cost more than
    the building itself; nothing made here forms a cycle, so nothing is left behind.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def trace_rows(
    conn: Connection, project_id: str, trace_id: str, *, with_bodies: bool
) -> list[tuple[dict[str, Any], bool]]:
    """The rows of one trace's spans, finished and open, in start order, with an open flag."""
    found: list[tuple[dict[str, Any], bool]] = []
    for table, light in ((spans, LIGHT), (open_spans, OPEN_LIGHT)):
        cols = list(table.c) if with_bodies else light
        where = [table.c.project_id == project_id, table.c.trace_id == trace_id]
        order = [table.c.start_time, table.c.span_id]
        with gc_paused():
            found.extend((row, table is open_spans) for row in _rows(conn, cols, where, order))
    if found and found[-1][1]:  # open spans came last: put them in start order among the others
        found.sort(key=lambda item: (item[0]["start_time"], item[0]["span_id"]))
    return found


def get_trace(
    conn: Connection, project_id: str, project: str, trace_id: str, *, with_bodies: bool
) -> Trace | None:
    """The spans of one trace, finished and open, as a tree of :class:`SpanNode`."""
    found = trace_rows(conn, project_id, trace_id, with_bodies=with_bodies)
    if not found:
        return None
    blob_data = load_blobs(conn, project_id, (r for r, _ in found)) if with_bodies else {}
    nodes: dict[str, SpanNode] = {}
    with gc_paused():
        for row, is_open in found:
            body = bodies(row, blob_data) if with_bodies else None
            node = span_model(row, project, body=body, is_open=is_open, node=True)
            assert isinstance(node, SpanNode)
            nodes.setdefault(node.span_id, node)
        roots, orphans = _link(list(nodes.values()), nodes)
    return Trace.model_construct(
        project=project, trace_id=trace_id, span_count=len(nodes), roots=roots, orphans=orphans
    )


def _link(ordered: list[SpanNode], nodes: dict[str, SpanNode]) -> tuple[list[SpanNode], list[str]]:
    """Attach children to parents; spans whose parent is missing (or in a cycle) become roots."""
    roots: list[SpanNode] = []
    orphans: list[str] = []
    for node in ordered:
        parent = nodes.get(node.parent_id) if node.parent_id is not None else None
        if parent is None or parent is node:
            roots.append(node)
            if node.parent_id is not None:
                orphans.append(node.span_id)
        else:
            parent.children.append(node)
    seen: set[str] = set()
    _walk(roots, seen)
    for node in ordered:  # parent links that loop never reach a root: cut them open
        if node.span_id not in seen:
            nodes[str(node.parent_id)].children.remove(node)
            roots.append(node)
            orphans.append(node.span_id)
            _walk([node], seen)
    return roots, orphans


def _walk(start: list[SpanNode], seen: set[str]) -> None:
    stack = list(start)
    while stack:
        node = stack.pop()
        seen.add(node.span_id)
        stack.extend(node.children)


def get_span(
    conn: Connection, project_id: str, project: str, trace_id: str, span_id: str
) -> Span | None:
    """One span with its bodies; an open span is returned with ``open`` set."""
    for table in (spans, open_spans):
        where = [
            table.c.project_id == project_id,
            table.c.trace_id == trace_id,
            table.c.span_id == span_id,
        ]
        rows = _rows(conn, list(table.c), where)
        if rows:
            blob_data = load_blobs(conn, project_id, rows)
            return span_model(
                rows[0], project, body=bodies(rows[0], blob_data), is_open=table is open_spans
            )
    return None
