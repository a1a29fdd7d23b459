"""The committed OpenAPI schema matches the server."""

from __future__ import annotations

from pathlib import Path

from assay.server.openapi import render

COMMITTED = Path(__file__).resolve().parents[3] / "schemas" / "openapi.json"


def test_committed_schema_is_current() -> None:
    generated = render()
    assert COMMITTED.is_file(), "schemas/openapi.json is missing; run: make openapi"
    assert COMMITTED.read_text() == generated, (
        "schemas/openapi.json is out of date; regenerate it with "
        "`make openapi` (python -m assay.server.openapi > schemas/openapi.json)"
    )


def test_operations_have_camel_case_ids_and_tags() -> None:
    import json

    schema = json.loads(render())
    operations = {
        op["operationId"]: op for path in schema["paths"].values() for op in path.values()
    }
    assert {
        "ingestSpans",
        "exportTraces",
        "listProjects",
        "listTraces",
        "getTrace",
        "getSpan",
        "listSpans",
        "getSeries",
        "getHealth",
    } <= set(operations)
    assert all(op.get("tags") for op in operations.values())
    assert "SpanIngestBatch" in schema["components"]["schemas"]
    assert "ErrorResponse" in schema["components"]["schemas"]
