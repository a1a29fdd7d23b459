"""Schemathesis over every operation of the OpenAPI schema, authentication on, with a valid key.

Each operation gets a bounded number of generated requests (half of them aimed at a seeded
project, so they reach past the 404 of an unknown project) sent with an admin key of that
project; every answer must be no 5xx and
must match the schema the server publishes. Failures of all operations are gathered and shown
together, with the request tried.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from assay.schema import ScoreIn
from assay.server import create_app
from assay.store.base import Store
from tests.unit.store.conftest import make, trace_id

EXAMPLES = 15
CHECKS = [not_a_server_error, response_schema_conformance]
SEEDED = "demo"


@dataclass
class Tally:
    """Requests tried and failures found, per operation."""

    requests: int = 0
    failures: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def app(store: Store) -> Iterator[tuple[FastAPI, str]]:
    pid = store.ensure_project(SEEDED)
    store.add_spans(pid, [make(1, 1, input={"q": "hi"}, output="hello"), make(1, 2, parent=1)])
    store.record_scores(pid, [ScoreIn(trace_id=trace_id(1), name="quality", value=0.5)])
    key = store.create_api_key(pid, "fuzz", "admin", None)
    yield create_app(store, auth=True), key.secret


def _fuzz(operation: Any, tally: Tally, secret: str) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), seeded=st.booleans())
    def run(case: Any, seeded: bool) -> None:
        if seeded and case.path_parameters and "project" in case.path_parameters:
            case.path_parameters["project"] = SEEDED
        tally.requests += 1
        response = case.call(headers={"Authorization": f"Bearer {secret}"})
        case.validate_response(response, checks=CHECKS)

    run()


def test_every_operation_answers_without_5xx_and_as_documented(
    app: tuple[FastAPI, str],
) -> None:
    server, secret = app
    schema = schemathesis.openapi.from_asgi("/openapi.json", server)
    tally = Tally()
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    for operation in operations:
        try:
            _fuzz(operation, tally, secret)
        except (
            Exception,
            BaseExceptionGroup,
        ) as exc:  # gathered, so one run reports every failing operation
            tally.failures[operation.label] = str(exc)[:2000]
    print(f"schema fuzz: {len(operations)} operations, {tally.requests} requests, "
          f"{len(tally.failures)} failing operations")  # fmt: skip
    assert len(operations) > 50
    assert not tally.failures, "\n\n".join(f"{k}:\n{v}" for k, v in tally.failures.items())
