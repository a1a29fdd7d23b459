"""Settings: explicit argument, then ASSAY_* variable, then assay.toml, then the default."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assay import config
from assay.errors import ConfigError


def test_precedence_and_a_changed_toml_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASSAY_BATCH_SIZE", raising=False)
    assert config.get("batch_size") == config.SETTINGS["batch_size"].default
    toml = tmp_path / "assay.toml"
    toml.write_text("[assay]\nbatch_size = 250\n")
    assert config.get("batch_size") == 250
    toml.write_text("[assay]\nbatch_size = 300\n")
    os.utime(toml, (1, 1))  # a new mtime even on coarse file systems
    assert config.get("batch_size") == 300
    monkeypatch.setenv("ASSAY_BATCH_SIZE", "40")
    assert config.get("batch_size") == 40
    assert config.get("batch_size", 7) == 7


def test_wrong_values_say_where_they_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ASSAY_BATCH_SIZE", "many")
    with pytest.raises(ConfigError, match="ASSAY_BATCH_SIZE is 'many'; it must be a int"):
        config.get("batch_size")
    monkeypatch.delenv("ASSAY_BATCH_SIZE")
    (tmp_path / "assay.toml").write_text("[assay\n")
    with pytest.raises(ConfigError, match=r"assay\.toml cannot be read"):
        config.get("batch_size")
