"""The public surface of ``import assay`` and what importing it costs."""

from __future__ import annotations

import subprocess
import sys

import assay


def test_all_is_sorted_and_complete() -> None:
    assert assay.__all__ == sorted(assay.__all__)
    expected = {
        "init", "flush", "shutdown", "span", "start_span", "traced", "current_span",
        "current_trace_id", "inject", "extract", "bind_context", "Span", "Client",
        "wrap_openai", "wrap_anthropic", "__version__",
        "Case", "Eval", "EvalResult", "Score", "dataset", "run_eval",
        "llm", "llm_judge", "judge", "push_judge", "agreement", "krippendorff_alpha",
        "fleiss_kappa",
        "Prompt", "load_prompt", "AgentServer", "agent_parameters", "serve_agent",
    }  # fmt: skip
    assert set(assay.__all__) == expected
    for name in assay.__all__:
        assert getattr(assay, name) is not None
    assert assay.__version__ == "0.1.0"


def test_importing_assay_loads_no_server_or_opentelemetry_code() -> None:
    code = (
        "import sys, assay; "
        "heavy = [m for m in ('fastapi', 'sqlalchemy', 'alembic', 'uvicorn', 'assay.server', "
        "'assay.store', 'opentelemetry', 'httpx', 'assay.llm', 'openai', 'anthropic', 'numpy') "
        "if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
