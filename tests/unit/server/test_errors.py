"""Every 4xx answer has the one error shape and says what was wrong and where."""

from __future__ import annotations

import gzip
import zlib
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from tests.unit.server.helpers import native_span, pb_request, pb_span


def assert_error(response: Any, status: int, code: str, *words: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details", "request_id"}
    assert error["code"] == code
    assert error["request_id"] == response.headers["x-request-id"]
    for word in words:
        assert word.lower() in error["message"].lower(), error["message"]
    return error


JSON = {"content-type": "application/json"}
PROTOBUF = {"content-type": "application/x-protobuf"}


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b'{"project": "p", "spans": [', 400, ["not valid JSON"]),
        (b"", 400, ["empty"]),
        (b"[1, 2]", 422, ["object"]),
        (b'{"spans": []}', 422, ["project"]),
        (b'{"project": 5, "spans": []}', 422, ["project"]),
        (b'{"project": "p", "spans": {"a": 1}}', 422, ["spans", "list"]),
        (b'{"project": "p"}', 422, ["spans"]),
    ],
)
def test_unreadable_native_batches(
    client: TestClient, body: bytes, status: int, words: list[str]
) -> None:
    response = client.post("/api/v1/spans", content=body, headers=JSON)
    assert_error(response, status, "invalid_request", *words)


def test_bad_gzip_is_a_400(client: TestClient) -> None:
    headers = {**JSON, "content-encoding": "gzip"}
    response = client.post("/api/v1/spans", content=b"not gzip at all", headers=headers)
    assert_error(response, 400, "invalid_request", "gzip")
    truncated = gzip.compress(orjson.dumps({"project": "p", "spans": []}))[:-12]
    response = client.post("/api/v1/spans", content=truncated, headers=headers)
    assert_error(response, 400, "invalid_request", "truncated")


def test_deflate_is_accepted(client: TestClient) -> None:
    body = zlib.compress(orjson.dumps({"project": "p", "spans": [native_span()]}))
    response = client.post(
        "/api/v1/spans", content=body, headers={**JSON, "content-encoding": "deflate"}
    )
    assert response.json()["accepted"] == 1


def test_unknown_encoding_and_content_type_are_415(client: TestClient) -> None:
    response = client.post(
        "/api/v1/spans", content=b"{}", headers={**JSON, "content-encoding": "br"}
    )
    assert_error(response, 415, "unsupported_media_type", "br")
    response = client.post("/api/v1/spans", content=b"{}", headers={"content-type": "text/csv"})
    assert_error(response, 415, "unsupported_media_type", "text/csv")
    response = client.post("/v1/traces", content=b"{}", headers={"content-type": "text/plain"})
    assert_error(response, 415, "unsupported_media_type", "application/x-protobuf")


def test_oversize_bodies_are_413(small_client: TestClient) -> None:
    big = orjson.dumps({"project": "p", "spans": [native_span(input="x" * 30_000)]})
    response = small_client.post("/api/v1/spans", content=big, headers=JSON)
    assert_error(response, 413, "payload_too_large", "20000", "ASSAY_MAX_BODY_BYTES")


def test_gzip_bombs_are_413_after_decompression(small_client: TestClient) -> None:
    bomb = gzip.compress(b" " * 10_000_000)
    assert len(bomb) < 20_000
    headers = {**JSON, "content-encoding": "gzip"}
    response = small_client.post("/api/v1/spans", content=bomb, headers=headers)
    assert_error(response, 413, "payload_too_large", "decompressed")
    response = small_client.post("/v1/traces", content=bomb, headers={**PROTOBUF, **headers})
    assert_error(response, 413, "payload_too_large")


def test_batches_over_the_span_limit_are_413(small_client: TestClient) -> None:
    batch = {"project": "p", "spans": [native_span() for _ in range(6)]}
    response = small_client.post("/api/v1/spans", content=orjson.dumps(batch), headers=JSON)
    assert_error(response, 413, "payload_too_large", "6 spans", "ASSAY_MAX_BATCH_SPANS")
    request = pb_request([pb_span() for _ in range(6)], resource={"assay.project": "p"})
    response = small_client.post(
        "/v1/traces", content=request.SerializeToString(), headers=PROTOBUF
    )
    assert_error(response, 413, "payload_too_large", "6 spans")


def test_malformed_protobuf_is_a_400(client: TestClient) -> None:
    response = client.post("/v1/traces", content=b"\xff\xff\xff\xff garbage", headers=PROTOBUF)
    assert_error(response, 400, "invalid_request", "protobuf")


def test_otlp_without_a_project_is_a_400_saying_how_to_name_one(client: TestClient) -> None:
    body = pb_request([pb_span()]).SerializeToString()
    response = client.post("/v1/traces", content=body, headers=PROTOBUF)
    assert_error(response, 400, "invalid_request", "X-Assay-Project", "assay.project")


def test_unknown_routes_and_methods(client: TestClient) -> None:
    assert_error(client.get("/api/v1/nothing"), 404, "not_found", "/api/v1/nothing")
    assert_error(client.delete("/api/v1/spans"), 405, "method_not_allowed", "DELETE")


def test_unknown_project_trace_and_span_are_404(client: TestClient) -> None:
    assert_error(client.get("/api/v1/projects/ghost/traces"), 404, "not_found", "ghost")
    span = native_span()
    client.post("/api/v1/spans", json={"project": "p", "spans": [span]})
    missing = "ab" * 16
    assert_error(client.get(f"/api/v1/projects/p/traces/{missing}"), 404, "not_found", missing)
    path = f"/api/v1/projects/p/traces/{span['trace_id']}/spans/{'cd' * 8}"
    assert_error(client.get(path), 404, "not_found", "cd" * 8)


def test_bad_query_parameters_are_4xx_naming_the_parameter(client: TestClient) -> None:
    client.post("/api/v1/spans", json={"project": "p", "spans": [native_span()]})
    error = assert_error(
        client.get("/api/v1/projects/p/traces", params={"limit": 5000}), 422, "invalid_request"
    )
    assert error["details"][0]["field"] == "query.limit"
    error = assert_error(
        client.get("/api/v1/projects/p/traces", params={"start_from": "yesterday"}),
        400,
        "invalid_request",
        "start_from",
    )
    assert_error(
        client.get("/api/v1/projects/p/traces", params={"metadata": "novalue"}),
        400,
        "invalid_request",
        "key=value",
    )
    assert_error(
        client.get("/api/v1/projects/p/traces", params={"sort": "sideways"}),
        422,
        "invalid_request",
        "sort",
    )
    assert_error(client.get("/api/v1/projects/p/traces/xyz"), 400, "invalid_request", "trace_id")
    assert_error(
        client.get("/api/v1/projects/p/series", params={"bucket": "fortnight"}),
        400,
        "invalid_request",
        "bucket",
    )


def test_request_ids_are_echoed_or_made(client: TestClient) -> None:
    response = client.get("/api/v1/health", headers={"x-request-id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    assert len(client.get("/api/v1/health").headers["x-request-id"]) == 32


def test_nul_characters_in_names_are_refused_not_crashed_on(client: TestClient) -> None:
    response = client.post("/api/v1/spans", json={"project": "p\x00q", "spans": []})
    assert_error(response, 422, "invalid_request", "project")
    bad = native_span(name="a\x00b")
    good = native_span()
    result = client.post("/api/v1/spans", json={"project": "p", "spans": [bad, good]}).json()
    assert result["accepted"] == 1
    assert result["rejected"][0]["field"] == "name" and "NUL" in result["rejected"][0]["reason"]
    request = pb_request([pb_span(name="n\x00")], resource={"assay.project": "p"})
    response = client.post("/v1/traces", content=request.SerializeToString(), headers=PROTOBUF)
    assert response.status_code == 200
    response = client.get("/api/v1/projects/p/traces", params={"name": "x\x00"})
    assert_error(response, 400, "invalid_request", "NUL")


def test_nul_characters_inside_bodies_are_stored(client: TestClient) -> None:
    span = native_span(input={"text": "a\x00b"}, output="c\x00d", metadata={"k": "\x00"})
    result = client.post("/api/v1/spans", json={"project": "p", "spans": [span]})
    assert result.status_code == 200, result.text
    path = f"/api/v1/projects/p/traces/{span['trace_id']}/spans/{span['span_id']}"
    assert client.get(path).json()["input"] == {"text": "a\x00b"}
