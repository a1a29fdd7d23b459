"""assay: tracing and evals for LLM agents.

```python
import assay

assay.init(project="support-bot")

@assay.traced(kind="tool")
def search_orders(customer_id: str) -> list[dict]: ...
```
"""

from __future__ import annotations

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

__version__ = "0.1.0"


__all__ = [
    "Client",
    "Span",
    "__version__",
    "bind_context",
    "current_span",
    "current_trace_id",
    "extract",
    "flush",
    "init",
    "inject",
    "shutdown",
    "span",
    "start_span",
    "traced",
    "wrap_anthropic",
    "wrap_openai",
]
