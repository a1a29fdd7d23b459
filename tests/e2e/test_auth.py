"""Users, roles, API keys and sign-in in the browser, against a server with ``ASSAY_AUTH=true``.

The first instance admin is made with ``assay users create --admin`` before the server starts,
as a person setting up a server would. Then: signing in (a wrong password says so), creating a
user and giving them the viewer role, an API key shown once that ingest accepts until it is
revoked, the audit log of those changes, signing out (the old page is then unreadable), and a
viewer who sees no write actions: neither the "New …" buttons nor the row-level ones (trace, rule,
jobs, judge, queue and dataset pages).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SHOTS
from tests.integration.conftest import ServerProcess, child_env

PROJECT = "support-bot"
ADMIN, ADMIN_PASSWORD = "admin@example.com", "correct horse battery staple"
VIEWER, VIEWER_PASSWORD = "vera@example.com", "viewer password 1234"
P = f"/api/v1/projects/{PROJECT}"
RULE = "helpfulness-on-answers"
TRACE_ID, SPAN_ID = f"{1:032x}", f"{1:016x}"  # the admin fixture's trace


def _create_admin(database_url: str, workdir: Path) -> None:
    """``assay users create ADMIN --admin --password-stdin`` on the server's database."""
    cmd = [sys.executable, "-m", "assay.cli", "users", "create", ADMIN, "--admin"]
    cmd += ["--password-stdin", "--database-url", database_url]
    env = child_env(ASSAY_DATA_DIR=str(workdir / "data"))
    done = subprocess.run(
        cmd, input=ADMIN_PASSWORD + "\n", capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    """A server with authentication on (and the settings a test passes as ``param``), its
    first admin made with the CLI before it starts."""
    database_url = f"sqlite:///{tmp_path / 'assay.db'}"
    _create_admin(database_url, tmp_path)
    env = {"ASSAY_AUTH": "true", **getattr(request, "param", {})}
    proc = ServerProcess(database_url=database_url, workdir=tmp_path, env=env)
    proc.start()
    yield proc
    proc.stop()


def _signed_in(server: ServerProcess, email: str, password: str) -> httpx.Client:
    """An HTTP client with a session of ``email`` and its CSRF token on every request."""
    client = server.client()
    me = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert me.status_code == 200, me.text
    client.headers["X-CSRF-Token"] = me.json()["csrf_token"]
    return client


@pytest.fixture
def admin(server: ServerProcess) -> Iterator[httpx.Client]:
    """The admin's session, with the project made and one trace in it."""
    client = _signed_in(server, ADMIN, ADMIN_PASSWORD)
    try:
        assert client.post("/api/v1/projects", json={"name": PROJECT}).status_code == 201
        assert _ingest(client, trace=1) < 300
        yield client
    finally:
        client.close()


def _ingest(client: httpx.Client, *, trace: int, headers: dict[str, str] | None = None) -> int:
    """Send one span of trace ``trace`` to the project; the HTTP status."""
    now = time.time() - 5
    span = {
        "trace_id": f"{trace:032x}",
        "span_id": f"{trace:016x}",
        "name": f"answer-{trace}",
        "kind": "agent",
        "start_time": now,
        "end_time": now + 0.2,
    }
    sent = client.post(
        "/api/v1/spans", json={"project": PROJECT, "spans": [span]}, headers=headers or {}
    )
    return sent.status_code


def _sign_in(page: Any, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile("^Password")).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_signing_in_shows_a_wrong_password_then_lands_on_projects(
    server: ServerProcess, admin: httpx.Client, page: Any
) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("link", name="Traces")).to_have_count(0)  # no app before sign-in
    _sign_in(page, ADMIN, "not the password at all")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Could not sign in")
    expect(alert).to_contain_text("Wrong email or password")
    page.screenshot(path=str(SHOTS / "auth_wrong_password.png"), full_page=True)

    _sign_in(page, ADMIN, ADMIN_PASSWORD)
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    expect(page.get_by_test_id("signed-in-user")).to_have_text(ADMIN)
    expect(page.get_by_role("link", name=PROJECT)).to_be_visible()

    # An instance admin makes an empty project and goes on to give people roles in it.
    page.get_by_role("button", name="New project").click()
    page.get_by_role("dialog").get_by_label("Name").fill("billing-bot")
    page.get_by_role("button", name="Create project").click()
    expect(page).to_have_url(re.compile("/projects/billing-bot/settings/members$"))
    expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    expect(page.get_by_text("No members yet")).to_be_visible()


@pytest.mark.parametrize("server", [{"ASSAY_LOGIN_ATTEMPTS": "2"}], indirect=True)
def test_too_many_wrong_passwords_say_how_long_to_wait(server: ServerProcess, page: Any) -> None:
    page.goto("/")
    for _ in range(2):
        _sign_in(page, ADMIN, "not the password at all")
        expect(page.get_by_role("alert")).to_contain_text("Wrong email or password")
    _sign_in(page, ADMIN, ADMIN_PASSWORD)  # even the right one waits now
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Too many attempts")
    expect(alert).to_contain_text("Try again in 15 minutes.")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_an_admin_adds_a_viewer_makes_and_revokes_a_key_and_the_audit_log_shows_it(
    server: ServerProcess, admin: httpx.Client, page: Any
) -> None:
    page.goto("/")
    _sign_in(page, ADMIN, ADMIN_PASSWORD)

    # A new user, made on the Users page.
    page.get_by_role("link", name="Users", exact=True).click()
    page.get_by_role("button", name="New user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Email").fill(VIEWER)
    dialog.get_by_label("Name").fill("Vera")
    dialog.get_by_label(re.compile("^Password")).fill(VIEWER_PASSWORD)
    dialog.get_by_role("button", name="Create user").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("user-row").filter(has_text=VIEWER)).to_be_visible()

    # ... given the viewer role in the project.
    page.goto(f"/projects/{PROJECT}/traces")
    page.get_by_role("link", name="Members", exact=True).click()
    page.get_by_label("Email").fill(VIEWER)
    page.get_by_role("button", name="Add member").click()
    row = page.get_by_test_id("member-row").filter(has_text=VIEWER)
    expect(row.get_by_label(f"Role of {VIEWER}")).to_have_value("viewer")

    # An API key: its secret shown once, and ingest takes it.
    page.get_by_role("link", name="API keys", exact=True).click()
    page.get_by_label("Key name").fill("ci")
    page.get_by_role("button", name="Create key").click()
    shown = page.get_by_test_id("new-key-secret")
    expect(shown).to_contain_text("you will not see it again")
    secret = page.get_by_test_id("api-key-secret").inner_text()
    assert re.fullmatch(r"assay_[A-Za-z0-9_-]{32}", secret), secret
    page.screenshot(path=str(SHOTS / "auth_key_created.png"), full_page=True)
    with server.client() as program:
        bearer = {"Authorization": f"Bearer {secret}"}
        assert _ingest(program, trace=2, headers=bearer) < 300
        shown.get_by_role("button", name="I have copied it").click()
        expect(shown).to_be_hidden()
        page.reload()
        key_row = page.get_by_test_id("api-key-row").filter(has_text="ci")
        expect(key_row).to_contain_text(secret[:8])
        expect(page.get_by_text(secret)).to_have_count(0)  # never shown again

        # Revoked, the key is refused.
        key_row.get_by_role("button", name="Revoke ci").click()
        key_row.get_by_role("button", name="Revoke ci").click()
        expect(key_row).to_have_attribute("data-revoked", "true")
        assert _ingest(program, trace=3, headers=bearer) == 401

    # Traces kept 30 days from now on.
    page.get_by_role("link", name="Settings", exact=True).click()
    expect(page.get_by_test_id("retention-now")).to_have_text("Traces are kept forever.")
    page.get_by_label("Keep traces forever").uncheck()
    page.get_by_label("Delete traces older than (days)").fill("30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("retention-now")).to_contain_text("older than 30 days")
    assert admin.get(f"/api/v1/projects/{PROJECT}/settings").json()["retention_days"] == 30

    # The audit log names who did each of those changes.
    page.get_by_role("link", name="Audit log", exact=True).click()
    events = page.get_by_test_id("audit-event")
    changes = [
        ("member.add", VIEWER),
        ("key.create", "ci"),
        ("key.revoke", "ci"),
        ("settings.update", PROJECT),
    ]
    for action, target in changes:
        event = page.locator(f'[data-testid="audit-event"][data-action="{action}"]')
        expect(event).to_contain_text(target)
        expect(event).to_contain_text(ADMIN)
    expect(events.first).to_contain_text("settings update")  # newest first
    page.screenshot(path=str(SHOTS / "auth_audit_log.png"), full_page=True)


def _add_viewer(admin: httpx.Client) -> None:
    """The user ``VIEWER``, given the viewer role in the project by the admin."""
    made = admin.post("/api/v1/users", json={"email": VIEWER, "password": VIEWER_PASSWORD})
    assert made.status_code == 201, made.text
    added = admin.post(
        f"/api/v1/projects/{PROJECT}/members", json={"email": VIEWER, "role": "viewer"}
    )
    assert added.status_code == 201, added.text


def test_a_viewer_sees_no_write_actions_and_signing_out_locks_the_page(
    server: ServerProcess, admin: httpx.Client, page: Any
) -> None:
    _add_viewer(admin)

    traces = f"/projects/{PROJECT}/traces"
    page.goto(traces)
    _sign_in(page, VIEWER, VIEWER_PASSWORD)
    # Back on the page that was asked for, reading the project.
    expect(page.get_by_role("link", name="answer-1")).to_be_visible()
    expect(page.get_by_test_id("signed-in-user")).to_have_text("vera@example.com")
    nav = page.get_by_role("navigation")
    for hidden in ["Members", "API keys", "Audit log", "Settings", "Users"]:
        expect(nav.get_by_role("link", name=hidden, exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Add all to dataset")).to_have_count(0)
    for section, heading, action in [
        ("Datasets", "Datasets", "New dataset"),
        ("Alerts", "Alerts", "New alert"),
        ("Score configs", "Score configs", "New score config"),
    ]:
        nav.get_by_role("link", name=section, exact=True).click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        expect(page.get_by_role("button", name=action)).to_have_count(0)
    page.get_by_role("link", name="Projects", exact=True).click()
    expect(page.get_by_role("link", name=PROJECT)).to_be_visible()
    expect(page.get_by_role("button", name="New project")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "auth_viewer.png"), full_page=True)

    # Signing out ends the session: the sign-in page, and the old page cannot be read.
    page.goto(traces)
    expect(page.get_by_role("link", name="answer-1")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.go_back()
    page.goto(traces)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("link", name="answer-1")).to_have_count(0)
    answer = page.request.get(f"/api/v1/projects/{PROJECT}/traces")
    assert answer.status == 401


def _made(answer: httpx.Response) -> None:
    assert answer.status_code in (200, 201), answer.text


def _objects(admin: httpx.Client) -> None:
    """As the admin: a judge that disagrees with a person on trace 1, a rule running it whose
    job dies (no LLM answers), a dataset with a record, and a review queue holding the trace."""
    judge = {
        "name": "helpfulness",
        "prompt": "Does this answer help?\n\n{{input}}\n\n{{output}}",
        "choices": {"helpful": 1.0, "unhelpful": 0.0},
        "model": "gpt-4o-mini",
    }
    _made(admin.post(f"{P}/judges", json=judge))
    target = {"trace_id": TRACE_ID, "span_id": SPAN_ID, "name": "helpfulness"}
    scores = [
        {**target, "value": 1.0, "label": "helpful", "source": "llm_judge",
         "judge": "helpfulness", "judge_version": 1, "rationale": "It answers."},
        {**target, "value": 0.0, "label": "unhelpful", "source": "human",
         "author": ADMIN},
    ]  # fmt: skip
    _made(admin.post(f"{P}/scores", json={"scores": scores}))
    rule = {"name": RULE, "filter": {"name": "answer-2"}, "scorers": [{"judge": "helpfulness"}]}
    _made(admin.post(f"{P}/rules", json=rule))
    assert _ingest(admin, trace=2) < 300  # a job for the rule, which dies at once
    _made(admin.post(f"{P}/datasets", json={"name": "golden"}))
    record = {"input": "Where is my parcel?", "expected": "On its way."}
    _made(admin.post(f"{P}/datasets/golden/records", json={"records": [record]}))
    categories = [{"label": "correct", "value": 1}, {"label": "wrong", "value": 0}]
    config = {"name": "correctness", "kind": "categorical", "categories": categories}
    _made(admin.post(f"{P}/score-configs", json=config))
    _made(admin.post(f"{P}/queues", json={"name": "triage", "score_configs": ["correctness"]}))
    _made(admin.post(f"{P}/queues/triage/items", json={"filter": {}}))
    deadline = time.monotonic() + 30
    while admin.get(f"{P}/jobs", params={"status": "dead"}).json()["items"] == []:
        assert time.monotonic() < deadline, admin.get(f"{P}/jobs").text
        time.sleep(0.2)


DEAD_JOBS = {
    "ASSAY_JOB_MAX_ATTEMPTS": "1",
    "ASSAY_WORKER_POLL_INTERVAL": "0.1",
    "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",  # nothing listens: the judge's job fails
    "OPENAI_API_KEY": "x",
}


@pytest.mark.parametrize("server", [DEAD_JOBS], indirect=True)
def test_a_viewer_sees_no_row_actions_on_traces_rules_jobs_judges_queues_and_datasets(
    server: ServerProcess, admin: httpx.Client, page: Any
) -> None:
    _objects(admin)
    _add_viewer(admin)
    page.goto(f"/projects/{PROJECT}/traces/{TRACE_ID}")
    _sign_in(page, VIEWER, VIEWER_PASSWORD)

    # The trace view: neither a dataset nor a queue can be added to.
    expect(page.get_by_test_id("span-detail")).to_be_visible()
    expect(page.get_by_test_id("trace-header")).to_contain_text("answer-1")
    for name in [
        "Add trace to dataset",
        "Add to dataset",
        "Add trace to queue",
        "Add span to queue",
    ]:
        expect(page.get_by_role("button", name=name)).to_have_count(0)

    # A rule: its switch is read-only, no edit, delete or backfill.
    page.goto(f"/projects/{PROJECT}/online/{RULE}")
    expect(page.get_by_role("heading", name=RULE)).to_be_visible()
    expect(page.get_by_label(f"Rule {RULE} enabled")).to_be_disabled()
    for name in ["Edit", "Delete", "Estimate"]:
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)
    expect(page.get_by_test_id("backfill")).to_have_count(0)
    page.goto(f"/projects/{PROJECT}/online")
    expect(page.get_by_test_id("rule-row")).to_have_count(1)
    expect(page.get_by_label(f"Rule {RULE} enabled")).to_be_disabled()

    # The jobs page: a dead job, which the viewer cannot retry.
    page.goto(f"/projects/{PROJECT}/jobs")
    row = page.get_by_test_id("job-row").filter(has_text=RULE)
    expect(row).to_have_attribute("data-status", "dead")
    expect(row.get_by_role("button")).to_have_count(0)  # no Retry (nor Cancel)

    # A judge: its threshold is shown read-only, a disagreement cannot go to a dataset.
    page.goto(f"/projects/{PROJECT}/judges/helpfulness?tab=disagreements")
    expect(page.get_by_test_id("disagreement")).to_have_count(1)
    expect(page.get_by_role("button", name="Add to dataset")).to_have_count(0)
    expect(page.get_by_role("button", name="Save threshold")).to_have_count(0)

    # A queue: no items to add, no reviewing; a dataset: records are only viewed.
    page.goto(f"/projects/{PROJECT}/queues/triage")
    expect(page.get_by_role("heading", name="triage")).to_be_visible()
    for name in ["Add items", "Start reviewing"]:
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    expect(page.get_by_role("link", name="Start reviewing")).to_have_count(0)
    page.goto(f"/projects/{PROJECT}/datasets/golden")
    expect(page.get_by_test_id("record-row")).to_have_count(1)
    for name in ["Add record", "Edit record", "Delete record"]:
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    expect(page.get_by_role("button", name="View record")).to_be_visible()
    page.screenshot(path=str(SHOTS / "auth_viewer_dataset.png"), full_page=True)
