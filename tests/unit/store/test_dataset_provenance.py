"""Records made from production spans, and the sources of the records an experiment ran on."""

from __future__ import annotations

from assay.schema import DatasetRecordIn, ExperimentCase, ExperimentIn, RecordSource
from assay.store import Store
from assay.store.base import RecordQuery
from assay.store.sql.store import SqlStore
from tests.unit.store.conftest import make, span_id, trace_id


def test_records_from_spans_keep_order_bodies_and_source(store: Store, pid: str) -> None:
    store.add_spans(
        pid,
        [
            make(1, 1, input={"question": "a"}, output="A"),
            make(2, 2, input="b", output={"answer": "B"}),
            make(2, 3, parent=2, input="inner", output="no"),
        ],
    )
    store.create_dataset(pid, "golden")
    wanted = [(trace_id(2), span_id(2)), (trace_id(9), span_id(9)), (trace_id(1), span_id(1))]
    written = store.add_dataset_records_from_spans(pid, "golden", wanted)
    assert written.version == 1 and len(written.ids) == 2  # the missing span is left out
    items = store.list_dataset_records(pid, "golden", RecordQuery()).items
    assert [(r.input, r.expected) for r in items] == [
        ("b", {"answer": "B"}),
        ({"question": "a"}, "A"),
    ]
    assert items[0].source == RecordSource(trace_id=trace_id(2), span_id=span_id(2), project="demo")
    nothing = store.add_dataset_records_from_spans(pid, "golden", [(trace_id(9), span_id(9))])
    assert (nothing.version, nothing.ids) == (1, [])  # no span found: no version


def test_large_span_bodies_are_read_from_blobs(db_url: str) -> None:
    store = SqlStore(db_url, inline_limit=64)
    store.migrate()
    try:
        pid = store.ensure_project("demo")
        big = "x" * 5000
        store.add_spans(pid, [make(1, 1, input=big, output={"long": big})])
        store.create_dataset(pid, "golden")
        store.add_dataset_records_from_spans(pid, "golden", [(trace_id(1), span_id(1))])
        (record,) = store.list_dataset_records(pid, "golden", RecordQuery()).items
        assert record.input == big and record.expected == {"long": big}
    finally:
        store.close()


def test_compare_cases_carry_the_source_of_their_dataset_record(store: Store, pid: str) -> None:
    store.create_dataset(pid, "golden")
    source = RecordSource(
        trace_id=trace_id(7), span_id=span_id(7), project="demo", judge="tone", judge_version=2
    )
    ids = store.write_dataset_records(
        pid,
        "golden",
        [DatasetRecordIn(id="r1", input="a", source=source), DatasetRecordIn(id="r2", input="b")],
    ).ids
    store.update_dataset_record(pid, "golden", "r1", {"expected": "A"})  # keeps the source
    for name, value in (("base", 0.0), ("run", 1.0)):
        store.create_experiment(pid, ExperimentIn(name=name, dataset={"name": "golden"}))
        cases = [
            ExperimentCase(case_id=rid, input=rid, scores={"em": value}, dataset_record_id=rid)
            for rid in ids
        ]
        store.add_experiment_cases(pid, name, [*cases, ExperimentCase(case_id="loose", input=1)])
    found = store.compare_experiments(pid, "run", baseline="base")
    by_case = {c.case_id: c.source for c in found.cases}
    assert by_case == {"r1": source, "r2": None, "loose": None}
    light = store.compare_experiments(pid, "run", baseline="base", cases=False)
    assert light.cases == []
