"""Every setting in ``assay.config.SETTINGS`` is documented in docs/configuration.md, correctly."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assay.config import SETTINGS

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def documented_rows() -> dict[str, list[str]]:
    """Table rows of the doc keyed by setting name: [name, env, type, default, meaning]."""
    rows: dict[str, list[str]] = {}
    for line in DOC.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"`[a-z_]+`", cells[0]):
            rows[cells[0].strip("`")] = cells
    return rows


def shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value == "":
        return '""'
    return str(value)


def test_every_setting_has_a_row_with_its_env_var_type_and_meaning() -> None:
    rows = documented_rows()
    missing = sorted(set(SETTINGS) - set(rows))
    assert not missing, f"add these settings to docs/configuration.md: {missing}"
    for name, setting in SETTINGS.items():
        _, env, type_, _, meaning = rows[name]
        assert env == f"`{setting.env}`", name
        assert type_ == setting.type.__name__, name
        assert len(meaning) > 20, f"{name}: say what the setting does"


def test_documented_defaults_match_the_code() -> None:
    rows = documented_rows()
    for name, setting in SETTINGS.items():
        assert rows[name][3] == f"`{shown(setting.default)}`", name


def test_no_stale_settings_are_documented() -> None:
    stale = sorted(set(documented_rows()) - set(SETTINGS))
    assert not stale, f"these documented settings no longer exist: {stale}"
    env_vars = set(re.findall(r"ASSAY_[A-Z_]+[A-Z]", DOC.read_text()))
    known = {s.env for s in SETTINGS.values()}
    assert env_vars <= known, f"unknown variables in the doc: {sorted(env_vars - known)}"
