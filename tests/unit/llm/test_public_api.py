"""The public names of ``assay.llm``, and that importing it loads no provider client."""

from __future__ import annotations

import inspect
import subprocess
import sys

from assay import llm


def test_all_is_sorted_and_every_name_documented() -> None:
    assert llm.__all__ == sorted(llm.__all__)
    assert {"chat", "achat", "embed", "aembed", "configure_provider", "ChatResponse"} <= set(
        llm.__all__
    )
    for name in llm.__all__:
        assert inspect.getdoc(getattr(llm, name)), f"{name} has no docstring"


def test_importing_assay_llm_loads_neither_client_library() -> None:
    code = "import sys, assay.llm; print([m for m in ('openai', 'anthropic') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
