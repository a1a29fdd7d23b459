"""The secure default and ``assay users`` as a user meets them: real processes, real HTTP."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import ServerProcess, child_env
from tests.support.wait import wait_until

PASSWORD = "first admin pass"


def assay(
    *args: str, cwd: Path, stdin: str = "", timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "assay.cli", *args]
    environment = child_env(ASSAY_DATA_DIR=str(cwd / "data"), **env)
    return subprocess.run(
        cmd, input=stdin, capture_output=True, text=True, timeout=timeout, env=environment, cwd=cwd
    )


def test_a_public_address_with_authentication_off_is_refused_with_how_to(tmp_path: Path) -> None:
    done = assay("serve", "--host", "0.0.0.0", "--port", "0", cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "0.0.0.0" in lines[0]
    assert (
        "set ASSAY_AUTH=true and create an admin with `assay users create EMAIL --admin`"
        in (lines[0])
    )
    assert not (tmp_path / "data").exists(), "nothing is created before the refusal"


@pytest.fixture
def public_server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    log = tmp_path / "serve.log"
    cmd = [sys.executable, "-m", "assay.cli", "serve", "--host", "0.0.0.0", "--port", "0"]
    env = child_env(ASSAY_DATA_DIR=str(tmp_path / "data"), ASSAY_AUTH="true")
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    try:
        yield proc, log
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def test_with_authentication_on_it_binds_a_public_address_and_asks_for_sign_in(
    public_server: tuple[subprocess.Popen[bytes], Path],
) -> None:
    proc, log = public_server

    def serving() -> re.Match[str] | None:
        assert proc.poll() is None, log.read_text()
        return re.search(r"serving on http://0\.0\.0\.0:(\d+)", log.read_text())

    port = int(wait_until(serving, timeout=30).group(1))
    text = log.read_text()
    assert "no user exists yet" in text and "assay users create EMAIL --admin" in text
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(f"{base}/api/v1/health", timeout=5).status_code == 200)
    assert httpx.get(f"{base}/api/v1/projects", timeout=5).status_code == 401
    me = httpx.get(f"{base}/api/v1/auth/me", timeout=5).json()
    assert me["auth"] is True and me["user"] is None


def _login(client: httpx.Client, email: str, password: str) -> httpx.Response:
    return client.post("/api/v1/auth/login", json={"email": email, "password": password})


def test_the_first_admin_from_the_cli_signs_in_and_a_reset_ends_their_session(
    db_url: str, tmp_path: Path
) -> None:
    made = assay(
        "users", "create", "Admin@Example.com", "--admin", "--name", "Ada",
        "--password-stdin", "--database-url", db_url, cwd=tmp_path, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "created instance admin admin@example.com" in made.stdout
    server = ServerProcess(database_url=db_url, workdir=tmp_path, env={"ASSAY_AUTH": "true"})
    server.start()
    try:
        assert "no user exists yet" not in server.log()
        with server.client() as browser:
            signed_in = _login(browser, "admin@example.com", PASSWORD)
            assert signed_in.status_code == 200, signed_in.text
            assert signed_in.json()["user"]["is_admin"] is True
            cookie = signed_in.headers["set-cookie"]
            assert "HttpOnly" in cookie and "SameSite=lax" in cookie
            assert browser.get("/api/v1/users").status_code == 200
            reset = assay(
                "users", "reset-password", "admin@example.com", "--database-url", db_url,
                cwd=tmp_path, stdin="second admin pass\n",
            )  # fmt: skip
            assert reset.returncode == 0, reset.stderr
            assert browser.get("/api/v1/users").status_code == 401
        with server.client() as browser:
            assert _login(browser, "admin@example.com", PASSWORD).status_code == 401
            assert _login(browser, "admin@example.com", "second admin pass").status_code == 200
            users = browser.get("/api/v1/users").json()
            assert [u["email"] for u in users] == ["admin@example.com"]
    finally:
        server.stop()
    listed = assay("users", "list", "--database-url", db_url, cwd=tmp_path)
    assert listed.stdout.strip() == "admin@example.com (Ada)  [admin]"


def test_cli_mistakes_are_one_line_each(db_url: str, tmp_path: Path) -> None:
    url = ("--database-url", db_url)
    short = assay("users", "create", "a@example.com", *url, cwd=tmp_path, stdin="short\n")
    assert short.returncode == 2 and "at least 12" in short.stderr
    assert assay("users", "list", *url, cwd=tmp_path).stdout.startswith("no users yet")
    first = assay("users", "create", "a@example.com", *url, cwd=tmp_path, stdin=PASSWORD)
    assert first.returncode == 0, first.stderr
    again = assay("users", "create", "A@example.com", *url, cwd=tmp_path, stdin=PASSWORD)
    assert again.returncode == 2 and "exists already" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    unknown = assay("users", "reset-password", "b@example.com", *url, cwd=tmp_path, stdin=PASSWORD)
    assert unknown.returncode == 2 and "no user has email" in unknown.stderr
