"""The application's lifetime and its answer to unexpected failures."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assay.server import create_app
from tests.unit.server.helpers import native_span


def test_app_opens_migrates_and_closes_its_own_store(db_url: str) -> None:
    span = native_span()
    with TestClient(create_app(database_url=db_url)) as client:
        response = client.post("/api/v1/spans", json={"project": "own", "spans": [span]})
        assert response.json()["accepted"] == 1
    with TestClient(create_app(database_url=db_url)) as client:
        path = f"/api/v1/projects/own/traces/{span['trace_id']}"
        assert client.get(path).json()["span_count"] == 1


class ExplodingStore:
    """A Store whose every call fails the way a bug would (not a StoreError)."""

    def __getattr__(self, name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("secret connection string postgres://u:pw@db")

        return fail


def test_unexpected_errors_are_a_generic_500_with_the_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = TestClient(create_app(ExplodingStore()))  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="assay.server"):
        response = client.get("/api/v1/projects", headers={"x-request-id": "req-42"})
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "internal_error" and error["request_id"] == "req-42"
    assert "req-42" in error["message"] and "secret" not in response.text
    assert response.headers["x-request-id"] == "req-42"
    assert "secret connection string" in caplog.text
