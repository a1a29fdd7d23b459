"""The ``assay`` command as a user runs it: refusals are one line, ``db upgrade`` makes a DB."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import ServerProcess, child_env
from tests.support.postgres import free_port


def assay(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "assay.cli", *args]
    env = child_env(ASSAY_DATA_DIR=str(cwd / "data"))
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::"])
def test_serve_refuses_non_loopback_host_with_one_line(host: str, tmp_path: Path) -> None:
    done = assay("serve", "--host", host, "--port", "0", cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert host in lines[0]
    assert "authentication" in lines[0]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "data").exists(), "nothing is created before the refusal"


def test_serve_reports_a_port_in_use_in_one_line(server: ServerProcess, tmp_path: Path) -> None:
    done = assay("serve", "--port", str(server.port), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert f"port {server.port}" in done.stderr and "in use" in done.stderr


def test_db_upgrade_creates_a_fresh_sqlite_database(tmp_path: Path) -> None:
    target = tmp_path / "new" / "nested" / "assay.db"
    target.parent.mkdir(parents=True)
    done = assay("db", "upgrade", "--database-url", f"sqlite:///{target}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout
    with sqlite3.connect(target) as conn:
        tables = {row[0] for row in conn.execute("select name from sqlite_master")}
    assert "alembic_version" in tables
    assert len(tables) > 2

    again = assay("db", "upgrade", "--database-url", f"sqlite:///{target}", cwd=tmp_path)
    assert again.returncode == 0, again.stderr


def test_db_upgrade_defaults_to_the_data_dir(tmp_path: Path) -> None:
    done = assay("db", "upgrade", "--data-dir", str(tmp_path / "fresh"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "fresh" / "assay.db").is_file()


def test_a_bad_database_url_is_one_line(tmp_path: Path) -> None:
    done = assay("db", "upgrade", "--database-url", "mysql://nobody@localhost/x", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "mysql" in done.stderr


def test_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://nobody:secret@127.0.0.1:{free_port()}/assay"
    done = assay("db", "upgrade", "--database-url", url, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "cannot open the database" in done.stderr
    assert "secret" not in done.stderr, "passwords are not printed"
