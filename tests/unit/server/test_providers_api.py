"""Provider keys through the API: saved encrypted (the database holds no plaintext key), shown
masked, kept when left out, audited without the key, tested with one short call, and used by a
rule's judge instead of the process-wide provider."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient

from assay import llm
from assay.server import models, secrets
from assay.store.base import Store
from assay.store.sql.prompt_tables import provider_keys
from assay.testing import FakeLLMServer, FakeReply
from tests.support.postgres import free_port
from tests.support.wait import wait_until
from tests.unit.server.helpers import native_span
from tests.unit.server.test_online_scoring import jobs_settled, trace_scores, verdicts, worker
from tests.unit.server.test_rules_api import P, judge

KEY = "sk-proj-4f9aQ2LmZx7Qa"
BASE = f"/api/v1/projects/{P}/providers"
FAST = {"backoff_base": 0.001, "backoff_cap": 0.01, "max_retries": 0}


@pytest.fixture(scope="module")
def model_server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as fake:
        yield fake


@pytest.fixture
def fake(model_server: FakeLLMServer) -> FakeLLMServer:
    model_server.reset()
    return model_server


@pytest.fixture(autouse=True)
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A secret key of the test's own, and the process-wide providers aimed where nothing
    listens: a call that reaches a model went through the project's provider."""
    monkeypatch.setenv("ASSAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSAY_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("ASSAY_LLM_CACHE_DIR", str(tmp_path / "llm-cache"))
    nowhere = f"http://127.0.0.1:{free_port()}"
    llm.configure_provider("openai", base_url=nowhere + "/v1", api_key="sk-env-elsewhere", **FAST)
    llm.configure_provider("anthropic", base_url=nowhere, api_key="sk-env-elsewhere", **FAST)
    yield nowhere
    llm.reset_providers()


def save(client: TestClient, name: str = "openai", **body: Any) -> Any:
    return client.put(f"{BASE}/{name}", json=body)


def save_fake(client: TestClient, fake: FakeLLMServer, name: str = "openai", **body: Any) -> Any:
    response = save(client, name, base_url=fake.openai_base_url, api_key=KEY, **body)
    assert response.status_code == 200, response.text
    return response.json()


def database_bytes(store: Store, db_url: str) -> bytes:
    """Everything the database holds of the providers: the SQLite files, or PostgreSQL's rows."""
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    engine: sa.Engine = store.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return repr(list(conn.execute(sa.select(provider_keys)))).encode()


def test_a_saved_key_is_shown_masked_and_the_database_holds_no_plaintext(
    client: TestClient, store: Store, db_url: str, fake: FakeLLMServer
) -> None:
    saved = save_fake(client, fake)
    assert saved["key_hint"] == "sk-…x7Qa" and saved["kind"] == "openai"
    assert saved["base_url"] == fake.openai_base_url and saved["updated_by"] == "local"
    listed = client.get(BASE)
    assert listed.status_code == 200 and [p["name"] for p in listed.json()] == ["openai"]
    assert KEY not in str(saved) and KEY not in listed.text
    held = database_bytes(store, db_url)
    assert KEY.encode() not in held and b"4f9aQ2LmZx" not in held
    assert b"gAAAA" in held  # a Fernet token is what is stored


def test_leaving_the_key_out_keeps_it_and_the_audit_log_never_holds_it(
    client: TestClient, fake: FakeLLMServer
) -> None:
    save_fake(client, fake)
    kept = save(client, "openai", kind="openai", base_url=fake.openai_base_url + "/")
    assert kept.status_code == 200 and kept.json()["key_hint"] == "sk-…x7Qa"
    assert kept.json()["base_url"] == fake.openai_base_url  # trailing slash dropped
    assert client.post(f"{BASE}/openai/test", json={"model": "gpt-4o-mini"}).json()["ok"]
    assert fake.requests[-1].headers["authorization"] == f"Bearer {KEY}"
    assert client.delete(f"{BASE}/openai").status_code == 204
    audit = client.get(f"/api/v1/projects/{P}/audit")
    assert audit.status_code == 200 and KEY not in audit.text
    events = [(e["action"], e["details"]) for e in audit.json()["items"]]
    assert events == [
        ("provider.delete", {"name": "openai"}),
        ("provider.save", {"name": "openai", "kind": "openai",
                           "base_url": fake.openai_base_url, "key_changed": False}),
        ("provider.save", {"name": "openai", "kind": "openai",
                           "base_url": fake.openai_base_url, "key_changed": True}),
    ]  # fmt: skip


def test_a_new_key_takes_effect_at_once(client: TestClient, fake: FakeLLMServer) -> None:
    save_fake(client, fake)
    assert client.post(f"{BASE}/openai/test", json={"model": "gpt-4o-mini"}).json()["ok"]
    assert save(client, "openai", base_url=fake.openai_base_url, api_key="sk-new-key-000000001")
    assert client.post(f"{BASE}/openai/test", json={"model": "gpt-4o-mini"}).json()["ok"]
    assert fake.requests[-1].headers["authorization"] == "Bearer sk-new-key-000000001"


def test_the_test_call_reports_the_providers_refusal_without_the_key(
    client: TestClient, fake: FakeLLMServer
) -> None:
    save_fake(client, fake, "groq")
    fake.script(FakeReply(status=401, content=f"Incorrect API key provided: {KEY}."))
    answer = client.post(f"{BASE}/groq/test", json={"model": "llama-3.1-8b"})
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["ok"] is False and result["model"] == "llama-3.1-8b"
    assert "provider 'groq'" in result["error"] and "rejected the API key" in result["error"]
    assert "PUT …/providers/groq" in result["error"] and "project-" not in result["error"]
    assert KEY not in answer.text and "4f9aQ2" not in answer.text
    assert fake.requests[-1].json["model"] == "llama-3.1-8b"  # the prefix is not sent
    assert fake.requests[-1].json["max_tokens"] == 5


def test_a_key_saved_under_another_secret_key_is_a_clear_error_on_use(
    client: TestClient, fake: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_fake(client, fake, "other-server")
    monkeypatch.setenv("ASSAY_SECRET_KEY", Fernet.generate_key().decode())
    result = client.post(f"{BASE}/other-server/test", json={"model": "m"}).json()
    assert result["ok"] is False and fake.calls == 0
    assert "provider key of 'other-server' cannot be decrypted" in result["error"]
    assert "ASSAY_SECRET_KEY" in result["error"]


def test_a_provider_without_a_key_is_allowed(client: TestClient, fake: FakeLLMServer) -> None:
    local = save(client, "local", base_url=fake.openai_base_url)
    assert local.status_code == 200 and local.json()["key_hint"] == ""
    assert client.post(f"{BASE}/local/test", json={"model": "llama3"}).json()["ok"] is True
    assert "authorization" not in fake.requests[-1].headers or (
        KEY not in fake.requests[-1].headers["authorization"]
    )
    assert save(client, "anthropic", kind="anthropic").status_code == 200


@pytest.mark.parametrize(
    ("name", "body", "status", "field"),
    [
        ("bad name", {"api_key": KEY}, 400, "path.name"),
        ("-dash", {"api_key": KEY}, 400, "path.name"),
        ("groq", {"api_key": KEY, "base_url": "ftp://example.com"}, 422, "body.base_url"),
        ("groq", {"api_key": KEY, "base_url": "not a url"}, 422, "body.base_url"),
        ("groq", {"api_key": KEY, "base_url": "http://[::1:8000/v1"}, 422, "body.base_url"),
        ("groq", {"api_key": KEY, "base_url": "http://127.0.0.1:80000/v1"}, 422, "body.base_url"),
        ("groq", {"api_key": KEY, "base_url": "http://127.0.0.1:80a/v1"}, 422, "body.base_url"),
        ("groq", {"api_key": KEY, "kind": "cohere"}, 422, "body.kind"),
        ("groq", {"api_key": "   "}, 422, "body.api_key"),
    ],
)
def test_unusable_providers_are_refused_saying_what_to_fix(
    client: TestClient, name: str, body: dict[str, Any], status: int, field: str
) -> None:
    answer = save(client, name, **body)
    assert answer.status_code == status, answer.text
    assert field in [d["field"] for d in answer.json()["error"]["details"]]
    assert KEY not in answer.text
    assert client.get(BASE).status_code == 404  # nothing was saved, not even the project


def test_unknown_providers_and_projects_are_404(client: TestClient) -> None:
    assert client.get("/api/v1/projects/nowhere/providers").status_code == 404
    assert save(client, "openai", api_key=KEY).status_code == 200
    for answer in (
        client.delete(f"{BASE}/groq"),
        client.post(f"{BASE}/groq/test", json={"model": "m"}),
    ):
        assert answer.status_code == 404 and "Provider 'groq' does not exist" in answer.text


def test_a_rules_judge_scores_through_the_projects_provider(
    client: TestClient, store: Store, fake: FakeLLMServer
) -> None:
    verdicts(fake)
    judge(client)
    save_fake(client, fake)
    rule = client.post(f"/api/v1/projects/{P}/rules", json={
        "name": "helpful", "scorers": [{"judge": "helpful"}]})  # fmt: skip
    assert rule.status_code == 201, rule.text
    span = native_span(input="q", output="a good answer")
    assert client.post("/api/v1/spans", json={"project": P, "spans": [span]}).status_code == 200
    with worker(store):
        wait_until(lambda: jobs_settled(store))
    scores = [s for s in trace_scores(client, span["trace_id"]) if s["name"] == "helpful"]
    assert [(s["value"], s["label"], s["source"]) for s in scores] == [(1.0, "yes", "llm_judge")]
    assert fake.calls == 1 and fake.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_a_rules_judge_refused_by_the_projects_provider_names_it_and_the_fix(
    client: TestClient, store: Store, fake: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the job's error speaks of the project's provider, not of the server's internal one
    monkeypatch.setenv("ASSAY_JOB_MAX_ATTEMPTS", "1")
    fake.respond_with(lambda body: FakeReply(status=401, content="Incorrect API key provided"))
    judge(client)
    save_fake(client, fake)
    rule = client.post(f"/api/v1/projects/{P}/rules", json={
        "name": "helpful", "scorers": [{"judge": "helpful"}]})  # fmt: skip
    assert rule.status_code == 201, rule.text
    span = native_span(input="q", output="a good answer")
    assert client.post("/api/v1/spans", json={"project": P, "spans": [span]}).status_code == 200
    with worker(store):
        wait_until(lambda: jobs_settled(store))
    jobs = client.get(f"/api/v1/projects/{P}/jobs", params={"kind": "score"}).json()["items"]
    error = jobs[0]["error"]
    assert "provider 'openai'" in error and "PUT …/providers/openai" in error, error
    assert "project-" not in error and "configure_provider" not in error and KEY not in error


def test_models_go_to_the_projects_provider_of_their_route_else_the_process_wide_one(
    store: Store,
) -> None:
    pid = store.ensure_project(P)
    assert models.target_for(store, pid, "gpt-4o-mini") == models.ModelTarget("gpt-4o-mini", None)
    assert models.target_for(store, pid, "groq/llama") == models.ModelTarget("groq/llama", None)
    for name, kind, url in [("openai", "openai", None), ("anthropic", "anthropic", None),
                            ("groq", "openai", "https://api.groq.com/openai/v1")]:  # fmt: skip
        store.put_provider_key(pid, name, kind=kind, base_url=url, actor=None,
                               key_cipher=secrets.encrypt(f"key-of-{name}-123456"),
                               key_hint="k")  # fmt: skip
        models.forget(pid, name)
    routed = {
        model: models.target_for(store, pid, model)
        for model in ("gpt-4o-mini", "claude-3-5-haiku-latest", "groq/llama-3.1-8b", "vllm/x")
    }
    assert routed["gpt-4o-mini"] == models.ModelTarget("gpt-4o-mini", f"project-{pid}-openai")
    assert routed["claude-3-5-haiku-latest"] == models.ModelTarget(
        "claude-3-5-haiku-latest", f"project-{pid}-anthropic"
    )
    assert routed["groq/llama-3.1-8b"] == models.ModelTarget("llama-3.1-8b", f"project-{pid}-groq")
    assert routed["vllm/x"] == models.ModelTarget("vllm/x", None)  # the project has no vllm
    groq = llm.get_provider(f"project-{pid}-groq")
    assert (groq.kind, groq.base_url, groq.api_key) == (
        "openai", "https://api.groq.com/openai/v1", "key-of-groq-123456",
    )  # fmt: skip
    assert llm.get_provider(f"project-{pid}-anthropic").kind == "anthropic"


@pytest.mark.parametrize(
    "body",
    [
        {"apiKey": KEY},  # a field we do not know, named like a secret
        {"api_key": [KEY]},  # a known secret field of the wrong type
        {"base_url": 7, "api_key": KEY},  # a secret beside another field's error
    ],
)
def test_a_rejected_body_never_echoes_the_key(client: TestClient, body: dict[str, Any]) -> None:
    response = client.put(f"{BASE}/openai", json=body)
    assert response.status_code == 422, response.text
    assert KEY not in response.text and KEY[-4:] not in response.text, response.text
    assert "[hidden]" in response.text or "base_url" in response.text
