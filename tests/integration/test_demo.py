"""``assay demo`` fills a fresh database through the real ingest path, then serves it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import ServerProcess, child_env, get_trace, list_all, walk


@pytest.mark.xdist_group("demo")
def test_demo_stores_the_support_bot_and_the_otel_job(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    cmd = [sys.executable, "-m", "assay.cli", "demo", "--exit", "--port", "0"]
    cmd += ["--data-dir", str(data)]
    done = subprocess.run(
        cmd, capture_output=True, text=True, timeout=120, env=child_env(), cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "support-bot" in done.stdout and "/api/v1/projects/support-bot/traces" in done.stdout

    server = ServerProcess(database_url=f"sqlite:///{data / 'assay.db'}", workdir=tmp_path)
    server.start()
    try:
        with server.client() as api:
            projects = {p["name"]: p for p in api.get("/api/v1/projects").json()}
            assert projects["support-bot"]["trace_count"] == 20
            assert projects["faq-indexer"]["trace_count"] == 1

            traces = list_all(api, "/api/v1/projects/support-bot/traces", tag="refund")
            assert len(traces) >= 5
            assert len({t["session_id"] for t in traces}) == len(traces)
            trace = get_trace(api, "support-bot", traces[0]["trace_id"])
            assert trace["orphans"] == []
            spans = list(walk(trace["roots"]))
            call = next(s for s in spans if s["name"] == "call refund-agent")
            assert [c["name"] for c in call["children"]] == ["refund-agent"]
            assert {s["kind"] for s in spans} >= {"agent", "task", "tool", "llm"}

            failed = list_all(api, "/api/v1/projects/support-bot/spans", status="error")
            assert {s["name"] for s in failed} == {"search_orders"}
            assert failed[0]["error"]["type"] == "LookupError"
    finally:
        server.stop()


def test_demo_refuses_to_wipe_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    cmd = [sys.executable, "-m", "assay.cli", "demo", "--exit", "--data-dir", str(tmp_path)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=child_env())
    assert done.returncode == 2
    assert "not made by `assay demo`" in done.stderr
    assert done.stderr.strip().count("\n") == 0
    assert (tmp_path / "precious.txt").read_text() == "keep me"
