"""A real server with ASSAY_AUTH=true: a key made with `assay keys create` lets the SDK and an
OpenTelemetry exporter ingest; without it (or with it revoked) they are refused."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import REPO, ServerProcess, child_env, run_agent
from tests.support.wait import wait_until

PROJECT = "secured"


@pytest.fixture
def auth_server(db_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    proc = ServerProcess(database_url=db_url, workdir=tmp_path, env={"ASSAY_AUTH": "true"})
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


def assay_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assay.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=child_env(),
        cwd=REPO,
    )


def make_key(server: ServerProcess, role: str = "engineer") -> str:
    done = assay_cli(
        "keys", "create", "--project", PROJECT, "--name", "ci", "--role", role,
        "--database-url", server.database_url,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    secret = done.stdout.strip()
    assert secret.startswith("assay_") and "\n" not in secret, "stdout is the secret alone"
    assert "shown this once" in done.stderr
    return secret


def trace_names(server: ServerProcess, secret: str) -> list[str]:
    headers = {"Authorization": f"Bearer {secret}"}
    response = httpx.get(
        f"{server.url}/api/v1/projects/{PROJECT}/traces", headers=headers, timeout=10
    )
    assert response.status_code == 200, response.text
    return sorted(t["name"] for t in response.json()["items"])


def test_the_sdk_and_an_otel_exporter_ingest_with_a_key_and_are_refused_without(
    auth_server: ServerProcess,
) -> None:
    secret = make_key(auth_server)

    refused = httpx.get(f"{auth_server.url}/api/v1/projects/{PROJECT}/traces", timeout=10)
    assert refused.status_code == 401

    run_agent("snippet", auth_server.url, PROJECT)  # no ASSAY_API_KEY: dropped with a warning
    run_agent("otel", auth_server.url, PROJECT)  # no header
    assert trace_names(auth_server, secret) == [], "nothing gets in without a key"

    run_agent("snippet", auth_server.url, PROJECT, ASSAY_API_KEY=secret)
    headers = f"authorization=Bearer%20{secret}"
    run_agent("otel", auth_server.url, PROJECT, OTEL_EXPORTER_OTLP_HEADERS=headers)
    names = wait_until(lambda: (n := trace_names(auth_server, secret)) and len(n) == 2 and n)
    assert names == ["answer", "qa-chain"]


def test_a_revoked_key_stops_working_at_once(auth_server: ServerProcess) -> None:
    secret = make_key(auth_server)
    assert trace_names(auth_server, secret) == []
    listing = assay_cli(
        "keys", "list", "--project", PROJECT, "--database-url", auth_server.database_url
    )
    key_id = listing.stdout.split()[0]
    revoke = assay_cli(
        "keys", "revoke", key_id, "--project", PROJECT,
        "--database-url", auth_server.database_url,
    )  # fmt: skip
    assert revoke.returncode == 0, revoke.stderr
    response = httpx.get(
        f"{auth_server.url}/api/v1/projects/{PROJECT}/traces",
        headers={"Authorization": f"Bearer {secret}"},
        timeout=10,
    )
    assert response.status_code == 401
    assert "revoked or unknown" in response.json()["error"]["message"]
