"""assay: tracing and evals for LLM agents.

```python
import assay

assay.init(project="support-bot")

@assay.traced(kind="tool")
def search_orders(customer_id: str) -> list[dict]: ...
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assay.sdk import (
    Client,
    Span,
    bind_context,
    current_span,
    current_trace_id,
    extract,
    flush,
    init,
    inject,
    shutdown,
    span,
    start_span,
    traced,
)
from assay.sdk._agent import AgentServer, agent_parameters, serve_agent
from assay.sdk._prompts import Prompt, load_prompt
from assay.sdk.wrappers import wrap_anthropic, wrap_openai

if TYPE_CHECKING:
    from assay import llm
    from assay.evals import Case, Eval, EvalResult, Score, dataset, judge, push_judge, run_eval
    from assay.scorers import agreement, fleiss_kappa, krippendorff_alpha, llm_judge

__version__ = "0.1.0"

# Eval, judge and model names load on first use, so `import assay` stays as light as the SDK.
_LAZY = {
    "Case": "assay.evals",
    "Eval": "assay.evals",
    "EvalResult": "assay.evals",
    "Score": "assay.evals",
    "agreement": "assay.scorers",
    "dataset": "assay.evals",
    "fleiss_kappa": "assay.scorers",
    "judge": "assay.evals",
    "krippendorff_alpha": "assay.scorers",
    "llm_judge": "assay.scorers",
    "push_judge": "assay.evals",
    "run_eval": "assay.evals",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name == "llm":
        return importlib.import_module("assay.llm")
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'assay' has no attribute {name!r}")


__all__ = [
    "AgentServer",
    "Case",
    "Client",
    "Eval",
    "EvalResult",
    "Prompt",
    "Score",
    "Span",
    "__version__",
    "agent_parameters",
    "agreement",
    "bind_context",
    "current_span",
    "current_trace_id",
    "dataset",
    "extract",
    "fleiss_kappa",
    "flush",
    "init",
    "inject",
    "judge",
    "krippendorff_alpha",
    "llm",
    "llm_judge",
    "load_prompt",
    "push_judge",
    "run_eval",
    "serve_agent",
    "shutdown",
    "span",
    "start_span",
    "traced",
    "wrap_anthropic",
    "wrap_openai",
]
