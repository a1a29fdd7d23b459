"""Shared fixtures: the ``--db`` switch, database URLs for both backends, the fake LLM server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import assay.sdk._util
from tests.support.postgres import Cluster, start_cluster

# A failure of the SDK itself fails our tests (users' programs only get a warning).
assay.sdk._util.RAISE_INTERNAL_ERRORS = True


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        default="sqlite",
        choices=["sqlite", "postgresql", "all"],
        help="Which store backends the store/API tests run on (default sqlite).",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--db")
        backends = ["sqlite", "postgresql"] if choice == "all" else [choice]
        metafunc.parametrize("backend", backends, scope="session")


_cluster: Cluster | None = None


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    cluster = start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database of the selected backend."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'assay.db'}"
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database()
