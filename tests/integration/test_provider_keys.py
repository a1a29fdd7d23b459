"""Provider keys with a real ``assay serve``: a key saved through the API is used for playground
runs (streamed over real HTTP) while the process's own OpenAI settings point nowhere; the
database holds no plaintext key; a server with another secret key says so clearly."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet

from assay.testing import FakeLLMServer, FakeReply
from tests.integration.conftest import ServerProcess
from tests.support.postgres import free_port

P = "shop"
KEY = "sk-proj-Zq81LmPx4vTe9Kd"
RUN = {"variant": {"messages": [{"role": "user", "content": "Hi {{who}}"}], "model": "gpt-4o-mini"},
       "variables": {"who": "there"}}  # fmt: skip


def start(db_url: str, workdir: Path, **env: str) -> ServerProcess:
    nowhere = f"http://127.0.0.1:{free_port()}/v1"
    env = {"OPENAI_BASE_URL": nowhere, "OPENAI_API_KEY": "sk-env-elsewhere", **env}
    workdir.mkdir(parents=True, exist_ok=True)
    server = ServerProcess(database_url=db_url, workdir=workdir, env=env)
    server.start()
    return server


def stream_events(api: httpx.Client) -> list[tuple[str, Any]]:
    events: list[tuple[str, Any]] = []
    with api.stream("POST", f"/api/v1/projects/{P}/playground/runs", json=RUN) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((kind, json.loads(line.removeprefix("data: "))))
    return events


def test_a_saved_key_runs_the_playground_and_never_leaves_the_server(
    db_url: str, tmp_path: Path
) -> None:
    secret = Fernet.generate_key().decode()
    server = start(db_url, tmp_path, ASSAY_SECRET_KEY=secret)
    try:
        with FakeLLMServer() as fake, server.client() as api:
            body = {"base_url": fake.openai_base_url, "api_key": KEY}
            saved = api.put(f"/api/v1/projects/{P}/providers/openai", json=body)
            assert saved.status_code == 200 and saved.json()["key_hint"] == "sk-…e9Kd"
            fake.script(FakeReply(content="Hello there", chunks=["Hello", " there"]))
            events = stream_events(api)
            assert [kind for kind, _ in events] == ["delta", "delta", "done"]
            assert events[-1][1]["output"] == "Hello there" and events[-1][1]["cost"] > 0
            assert fake.requests[-1].headers["authorization"] == f"Bearer {KEY}"
            listed = api.get(f"/api/v1/projects/{P}/providers").text
            assert KEY not in listed and KEY not in api.get(f"/api/v1/projects/{P}/audit").text
    finally:
        server.stop()
    assert KEY not in server.log()
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        held = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert KEY.encode() not in held and b"gAAAA" in held


def test_a_server_with_another_secret_key_says_how_to_fix_it(db_url: str, tmp_path: Path) -> None:
    first = start(db_url, tmp_path / "one")
    try:
        with first.client() as api:
            body = {"base_url": "http://127.0.0.1:9/v1", "api_key": KEY}
            assert api.put(f"/api/v1/projects/{P}/providers/openai", json=body).status_code == 200
    finally:
        first.stop()
    key_file = tmp_path / "one" / "data" / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # made on first use, owner only
    second = start(db_url, tmp_path / "two")  # its own data dir: another key file
    try:
        with second.client() as api:
            events = stream_events(api)
            tested = api.post(f"/api/v1/projects/{P}/providers/openai/test", json={"model": "m"})
    finally:
        second.stop()
    assert [kind for kind, _ in events] == ["error"]
    message = events[0][1]["message"]
    assert "provider key of 'openai' cannot be decrypted with this server's secret key" in message
    assert "ASSAY_SECRET_KEY" in message
    assert tested.json()["ok"] is False and "ASSAY_SECRET_KEY" in tested.json()["error"]
    shared = start(db_url, tmp_path / "three", ASSAY_SECRET_KEY=key_file.read_text().strip())
    try:  # given the first server's key, a server reads the key again
        with shared.client() as api:
            tested = api.post(f"/api/v1/projects/{P}/providers/openai/test", json={"model": "m"})
    finally:
        shared.stop()
    assert "cannot be decrypted" not in (tested.json()["error"] or "")
