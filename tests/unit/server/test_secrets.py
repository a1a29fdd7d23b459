"""Provider keys at rest: encrypted under the server's secret key (the setting, else a key file
made once with mode 0600 that racing processes agree on), masked for display, and a clear error
when the key that encrypted them is not this server's."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from assay.errors import ConfigError
from assay.server import secrets
from tests.integration.conftest import child_env

KEY = "sk-proj-4f9aQ2LmZx7Qa"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ASSAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ASSAY_SECRET_KEY", raising=False)
    return tmp_path / "data"


def test_a_key_is_encrypted_and_decrypted_with_the_configured_secret(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.setenv("ASSAY_SECRET_KEY", Fernet.generate_key().decode())
    token = secrets.encrypt(KEY)
    assert KEY not in token and "4f9aQ2" not in token
    assert secrets.decrypt(token) == KEY
    assert not (data_dir / "secret.key").exists()  # the setting wins: no key file is made


def test_without_the_setting_a_key_file_is_made_once_readable_only_by_its_owner(
    data_dir: Path,
) -> None:
    token = secrets.encrypt(KEY)
    key_file = data_dir / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    first = key_file.read_bytes()
    assert secrets.decrypt(secrets.encrypt("again")) == "again" and key_file.read_bytes() == first
    assert secrets.decrypt(token) == KEY


def test_processes_starting_together_agree_on_one_key_file(data_dir: Path) -> None:
    program = "from assay.server import secrets; print(secrets.encrypt('shared'))"
    env = child_env(ASSAY_DATA_DIR=str(data_dir))
    procs = [
        subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, env=env)
        for _ in range(6)
    ]
    tokens = [p.communicate(timeout=60)[0].decode().strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert {secrets.decrypt(t) for t in tokens} == {"shared"}  # every one made with the same key
    assert [p.name for p in data_dir.iterdir()] == ["secret.key"]  # no temp files left behind


def test_a_key_encrypted_elsewhere_is_a_clear_error_naming_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ASSAY_SECRET_KEY", Fernet.generate_key().decode())
    token = secrets.encrypt(KEY)
    monkeypatch.setenv("ASSAY_SECRET_KEY", Fernet.generate_key().decode())
    with pytest.raises(ConfigError) as caught:
        secrets.decrypt(token, name="groq")
    message = str(caught.value)
    assert "provider key of 'groq' cannot be decrypted with this server's secret key" in message
    assert "ASSAY_SECRET_KEY" in message and "docs/configuration.md" in message
    assert KEY not in message


def test_a_secret_key_that_is_no_fernet_key_says_how_to_make_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ASSAY_SECRET_KEY", "hunter2")
    with pytest.raises(ConfigError, match=r"not a Fernet key.*Fernet\.generate_key\(\)"):
        secrets.encrypt(KEY)


def test_a_damaged_key_file_is_a_clear_error(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / "secret.key").write_text("not a key")
    with pytest.raises(ConfigError, match="does not hold a Fernet key"):
        secrets.encrypt(KEY)


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        (KEY, "sk-…x7Qa"),
        ("sk-ant-api03-abcdefghijklmnop-WXYZ", "sk-…WXYZ"),
        ("abcdefghijklmnopqrst", "abc…qrst"),
        ("abcdefghijklmnopqrs", "…rs"),
        ("gsk_4f9aQ2Lm", "…Lm"),
        ("short-key", "…ey"),
        ("abcdefgh", "…gh"),
        ("abcdefg", "…"),
        ("abc", "…"),
    ],
)
def test_mask_shows_little_of_a_key_and_less_of_a_short_one(key: str, hint: str) -> None:
    assert secrets.mask(key) == hint
    assert len(hint) - 1 <= max(2, len(key) * 7 // 20)  # never more than 35% of the key


def test_the_key_file_is_private_even_under_a_permissive_umask(data_dir: Path) -> None:
    old = os.umask(0)
    try:
        secrets.encrypt(KEY)
    finally:
        os.umask(old)
    assert stat.S_IMODE((data_dir / "secret.key").stat().st_mode) == 0o600
