"""A migrated store on each selected backend, and a maker of spans."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from assay.store import NewSpan, Store, open_store

T0 = 1_700_000_000_000_000  # microseconds
_ids = itertools.count(1)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = open_store(db_url)
    s.migrate()
    yield s
    s.close()


@pytest.fixture
def pid(store: Store) -> str:
    return store.ensure_project("demo")


def trace_id(n: int) -> str:
    return f"{n:032x}"


def span_id(n: int) -> str:
    return f"{n:016x}"


def make(
    trace: int,
    span: int,
    parent: int | None = None,
    *,
    start: int = 0,
    duration_ms: float | None = 10.0,
    **fields: Any,
) -> NewSpan:
    """A finished span of trace ``trace`` starting ``start`` µs after T0 (None duration: open)."""
    start_time = T0 + start
    defaults: dict[str, Any] = {
        "name": f"span-{span}",
        "kind": "task",
        "status": "ok",
    }
    defaults.update(fields)
    return NewSpan(
        trace_id=trace_id(trace),
        span_id=span_id(span),
        parent_id=None if parent is None else span_id(parent),
        start_time=start_time,
        end_time=None if duration_ms is None else start_time + int(duration_ms * 1000),
        **defaults,
    )
