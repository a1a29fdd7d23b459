"""Versioned datasets in the store: every change is a version, and every version reads back."""

from __future__ import annotations

import pytest

from assay.errors import NotFoundError
from assay.schema import DatasetRecordIn
from assay.store import Store
from assay.store.base import RecordQuery


def _at(store: Store, pid: str, version: int | None = None) -> list[tuple[str, object, object]]:
    page = store.list_dataset_records(pid, "golden", RecordQuery(version=version, limit=1000))
    return [(r.id, r.input, r.expected) for r in page.items]


def test_insert_update_delete_each_make_a_version_and_old_versions_read_back(
    store: Store, pid: str
) -> None:
    assert store.create_dataset(pid, "golden", description="hand-picked") is not None
    assert store.create_dataset(pid, "golden") is None  # the name is taken
    first = store.write_dataset_records(
        pid,
        "golden",
        [DatasetRecordIn(input="a", expected="A"), DatasetRecordIn(id="b", input="b", tags=["x"])],
    )
    assert first.version == 1 and first.ids[1] == "b"
    a = first.ids[0]
    updated = store.update_dataset_record(pid, "golden", a, {"expected": "AA"})
    assert (updated.expected, updated.created_version, updated.updated_version) == ("AA", 1, 2)
    assert (
        store.write_dataset_records(pid, "golden", [DatasetRecordIn(id="b", input="b2")]).version
        == 3
    )
    assert store.delete_dataset_record(pid, "golden", a) == 4
    assert _at(store, pid, 0) == []
    assert _at(store, pid, 1) == [(a, "a", "A"), ("b", "b", None)]
    assert _at(store, pid, 2) == [(a, "a", "AA"), ("b", "b", None)]
    assert _at(store, pid, 3) == [(a, "a", "AA"), ("b", "b2", None)]
    assert _at(store, pid, 4) == [("b", "b2", None)] == _at(store, pid)
    versions = store.list_dataset_versions(pid, "golden")
    assert [(v.version, v.inserted, v.updated, v.deleted, v.record_count) for v in versions] == [
        (1, 2, 0, 0, 2), (2, 0, 1, 0, 2), (3, 0, 1, 0, 2), (4, 0, 0, 1, 1),
    ]  # fmt: skip
    info = store.get_dataset(pid, "golden")
    assert info is not None and (info.version, info.record_count) == (4, 1)
    with pytest.raises(NotFoundError, match="version 9"):
        _at(store, pid, 9)


def test_records_page_in_insertion_order_and_large_bodies_round_trip(
    store: Store, pid: str
) -> None:
    store.create_dataset(pid, "golden")
    big = {"text": "x" * 200_000}
    store.write_dataset_records(pid, "golden", [DatasetRecordIn(input=i) for i in range(5)])
    store.write_dataset_records(pid, "golden", [DatasetRecordIn(input=big, expected="needle")])
    seen, cursor = [], None
    while True:
        page = store.list_dataset_records(pid, "golden", RecordQuery(limit=2, cursor=cursor))
        seen += [r.input for r in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [0, 1, 2, 3, 4, big]
    found = store.list_dataset_records(pid, "golden", RecordQuery(text="NEEDLE"))
    assert [r.input for r in found.items] == [big]


def test_unknown_dataset_and_record_raise_not_found_naming_them(store: Store, pid: str) -> None:
    with pytest.raises(NotFoundError, match="'nope'"):
        store.write_dataset_records(pid, "nope", [DatasetRecordIn(input=1)])
    store.create_dataset(pid, "golden")
    with pytest.raises(NotFoundError, match="'r1'"):
        store.delete_dataset_record(pid, "golden", "r1")
    assert store.get_dataset(pid, "golden").version == 0  # type: ignore[union-attr]
