"""The JSON fast path of a whole trace says exactly what the model path says."""

from __future__ import annotations

import orjson
import pytest

from assay.schema import Trace
from assay.store import Store
from assay.store.sql.store import SqlStore
from tests.unit.store.conftest import make, span_id, trace_id


def same_trace(store: Store, pid: str, tid: str, *, bodies: bool) -> dict[str, object]:
    raw = store.trace_json(pid, tid, bodies=bodies)
    model = store.get_trace(pid, tid, bodies=bodies)
    assert raw is not None and model is not None
    fast = Trace.model_validate(orjson.loads(raw)).model_dump(mode="json")
    assert fast == model.model_dump(mode="json")
    return fast


@pytest.mark.parametrize("bodies", [True, False])
def test_tree_with_errors_open_spans_and_orphans_matches_the_model(
    store: Store, pid: str, bodies: bool
) -> None:
    store.add_spans(
        pid,
        [
            make(1, 1, start=0, name="agent", input={"q": "où?"}, output="ok", tags=["a", "b"],
                 metadata={"step": 1, "nested": {"x": [1, 2]}}, session_id="s1"),
            make(1, 2, 1, start=5, kind="llm", model="gpt-4o-mini",
                 input=[{"role": "user", "content": "hi"}], output={"role": "assistant"},
                 metrics={"prompt_tokens": 3, "completion_tokens": 2, "cost": 0.001}),
            make(1, 3, 1, start=7, kind="tool", status="error",
                 error={"type": "KeyError", "message": "'x'", "traceback": "Traceback ..."}),
            make(1, 4, 1, start=9, duration_ms=None, name="still running"),
            make(1, 5, 99, start=11, name="parent not here yet"),
        ],
    )  # fmt: skip
    fast = same_trace(store, pid, trace_id(1), bodies=bodies)
    assert fast["orphans"] == [span_id(5)]
    (root, orphan) = fast["roots"]
    assert [c["name"] for c in root["children"]] == ["span-2", "span-3", "still running"]
    assert orphan["name"] == "parent not here yet"


def test_bodies_kept_as_blobs_come_back_the_same(db_url: str) -> None:
    store = SqlStore(db_url, inline_limit=100)
    store.migrate()
    pid = store.ensure_project("blobs")
    big = {"text": "x" * 500, "items": list(range(50))}
    store.add_spans(pid, [make(1, 1, input=big, output="y" * 300, metadata={"k": "v" * 200})])
    fast = same_trace(store, pid, trace_id(1), bodies=True)
    assert fast["roots"][0]["input"] == big
    store.close()


def test_unknown_trace_is_none(store: Store, pid: str) -> None:
    assert store.trace_json(pid, trace_id(42)) is None
