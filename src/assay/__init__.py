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
from assay.sdk.wrappers import wrap_anthropic, wrap_openai

if TYPE_CHECKING:
    from assay.evals import Case, Eval, EvalResult, Score, dataset, run_eval

__version__ = "0.1.0"

# Eval names load on first use, so `import assay` stays as light as the tracing SDK.
_LAZY = {
    "Case": "assay.evals",
    "Eval": "assay.evals",
    "EvalResult": "assay.evals",
    "Score": "assay.evals",
    "dataset": "assay.evals",
    "run_eval": "assay.evals",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'assay' has no attribute {name!r}")


__all__ = [
    "Case",
    "Client",
    "Eval",
    "EvalResult",
    "Score",
    "Span",
    "__version__",
    "bind_context",
    "current_span",
    "current_trace_id",
    "dataset",
    "extract",
    "flush",
    "init",
    "inject",
    "run_eval",
    "shutdown",
    "span",
    "start_span",
    "traced",
    "wrap_anthropic",
    "wrap_openai",
]
