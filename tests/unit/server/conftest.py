"""Fixtures: a real store (SQLite, and PostgreSQL with --db all) behind the real app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assay.server import create_app
from assay.store.base import Store
from assay.store.factory import open_store


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    opened.migrate()
    yield opened
    opened.close()


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as test_client:
        yield test_client


@pytest.fixture
def small_client(store: Store) -> Iterator[TestClient]:
    """An app with tiny limits, to reach the 413 answers cheaply."""
    app = create_app(store, max_body_bytes=20_000, max_batch_spans=5)
    with TestClient(app) as test_client:
        yield test_client
