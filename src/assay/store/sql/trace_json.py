"""One trace serialized straight from its rows: the hot read behind the trace view.

The result is byte-for-byte a ``schema.Trace`` in JSON, but built without a model per span:
stored JSON (bodies, tags, metrics) is passed through as it is instead of parsed and encoded
again, which makes a 10,000-span trace several times cheaper to answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy.engine import Connection

from assay.store.sql.decode import load_blobs, span_fields

_Fragment = orjson.Fragment
_BODIES = ("input", "output", "expected", "metadata")
_EMPTY = _Fragment(b"{}")


def encode_trace(
    conn: Connection,
    project_id: str,
    project: str,
    trace_id: str,
    found: list[tuple[dict[str, Any], bool]],
    *,
    with_bodies: bool,
) -> bytes:
    """The JSON of a ``schema.Trace`` made of ``found`` (rows in start order, open flag)."""
    blob_data = load_blobs(conn, project_id, (r for r, _ in found)) if with_bodies else {}
    nodes: dict[str, dict[str, Any]] = {}
    for row, is_open in found:
        node = _span(row, project, is_open, blob_data if with_bodies else None)
        nodes.setdefault(node["span_id"], node)
    roots, orphans = link(list(nodes.values()), nodes)
    trace = {
        "project": project,
        "trace_id": trace_id,
        "span_count": len(nodes),
        "roots": roots,
        "orphans": orphans,
    }
    return orjson.dumps(trace, option=orjson.OPT_UTC_Z)


def _span(
    row: Mapping[str, Any], project: str, is_open: bool, blob_data: Mapping[str, bytes] | None
) -> dict[str, Any]:
    error = row["error"]
    node = span_fields(row, project, is_open)
    node["error"] = None if error is None else _error(error)
    node["metadata"] = _EMPTY
    node["tags"] = _Fragment(row["tags"])
    node["metrics"] = _Fragment(row["metrics"])
    node["children"] = []
    if blob_data is not None:
        refs = orjson.loads(row["refs"]) if row["refs"] else {}
        for name in _BODIES:
            ref = refs.get(name)
            raw = row[name] if ref is None else blob_data.get(ref["sha256"])
            if raw is not None:
                node[name] = _Fragment(raw)
    return node


def _error(text: str) -> dict[str, Any]:
    error = orjson.loads(text)
    return {
        "type": str(error.get("type", "")),
        "message": str(error.get("message", "")),
        "traceback": error.get("traceback"),
    }


def link(
    ordered: list[dict[str, Any]], nodes: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Attach children to parents; spans whose parent is missing (or in a cycle) become roots."""
    roots: list[dict[str, Any]] = []
    orphans: list[str] = []
    for node in ordered:
        parent_id = node["parent_id"]
        parent = nodes.get(parent_id) if parent_id is not None else None
        if parent is None or parent is node:
            roots.append(node)
            if parent_id is not None:
                orphans.append(node["span_id"])
        else:
            parent["children"].append(node)
    seen: set[str] = set()
    _walk(roots, seen)
    for node in ordered:  # parent links that loop never reach a root: cut them open
        if node["span_id"] not in seen:
            siblings = nodes[node["parent_id"]]["children"]
            del siblings[next(i for i, c in enumerate(siblings) if c is node)]
            roots.append(node)
            orphans.append(node["span_id"])
            _walk([node], seen)
    return roots, orphans


def _walk(start: list[dict[str, Any]], seen: set[str]) -> None:
    stack = list(start)
    while stack:
        node = stack.pop()
        seen.add(node["span_id"])
        stack.extend(node["children"])
