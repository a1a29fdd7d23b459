"""``assay serve`` fills the text-search index in the background once spans have arrived."""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import httpx
import sqlalchemy as sa

from tests.integration.conftest import ServerProcess
from tests.support.wait import wait_until

PROJECT = "search"


def ingest(api: httpx.Client, texts: list[str]) -> list[str]:
    """One root span per text (its input); returns the trace ids."""
    start = time.time() - 1
    spans: list[dict[str, Any]] = [
        {
            "trace_id": uuid.uuid4().hex,
            "span_id": os.urandom(8).hex(),
            "name": "answer",
            "start_time": start,
            "end_time": start + 0.1,
            "input": text,
            "output": {"reply": "ok"},
        }
        for text in texts
    ]
    answer = api.post("/api/v1/spans", json={"project": PROJECT, "spans": spans})
    assert answer.status_code == 200, answer.text
    return [s["trace_id"] for s in spans]


def found(api: httpx.Client, text: str) -> list[str]:
    answer = api.get(f"/api/v1/projects/{PROJECT}/traces", params={"q": text})
    assert answer.status_code == 200, answer.text
    return sorted(t["trace_id"] for t in answer.json()["items"])


def indexed_up_to(database_url: str) -> tuple[int, int]:
    """(watermark, highest span rowid) of a SQLite store, read as another process would."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            mark = conn.exec_driver_sql("SELECT indexed_rowid FROM span_search_state").scalar()
            top = conn.exec_driver_sql("SELECT max(rowid) FROM spans").scalar()
            return int(mark or 0), int(top or 0)
    finally:
        engine.dispose()


def test_spans_are_indexed_after_ingest_and_found(
    server: ServerProcess, api: httpx.Client, backend: str
) -> None:
    refund = ingest(api, ["Please refund order 42", "hello there"])[0]
    assert found(api, "refund") == [refund]  # searchable at once, indexed or not
    if backend == "sqlite":
        wait_until(lambda: (mark := indexed_up_to(server.database_url))[0] == mark[1] > 0)
    late = ingest(api, ["a late refund"])[0]
    assert found(api, "refund") == sorted([refund, late])
    assert found(api, "chargeback") == []
    if backend == "sqlite":
        wait_until(lambda: (mark := indexed_up_to(server.database_url))[0] == mark[1] >= 3)
    assert found(api, "refund") == sorted([refund, late])
    server.stop()  # the indexer thread ends with the server
    assert server.proc is None
