"""``import assay`` is the SDK alone: no server, store, web framework or LLM client is loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

HEAVY = [
    "fastapi",
    "sqlalchemy",
    "alembic",
    "uvicorn",
    "starlette",
    "openai",
    "anthropic",
    "assay.server",
    "assay.store",
]


def modules_after(code: str) -> set[str]:
    """The names in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    program = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_import_assay_loads_no_server_or_client_library() -> None:
    assert heavy_in(modules_after("import assay")) == []


def test_touching_every_public_name_stays_light() -> None:
    code = "import assay\nfor name in assay.__all__:\n    getattr(assay, name)"
    assert heavy_in(modules_after(code)) == []


def test_the_cli_help_does_not_load_the_server() -> None:
    code = "import assay.cli\nassay.cli.build_parser().format_help()"
    assert heavy_in(modules_after(code)) == []
