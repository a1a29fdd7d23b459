"""``serve_agent``: expose a task function (the one ``Eval`` runs) as an HTTP endpoint the
playground can run with parameter overrides; its spans join the caller's trace.

```python
def answer(question: str) -> str:
    params = assay.agent_parameters()        # defaults merged with the caller's overrides
    ...

assay.serve_agent(answer, parameters={"model": "gpt-4o-mini", "temperature": 0.2}, port=8710)
```

The endpoint (standard library HTTP server, one thread per request):

- ``GET /`` answers :class:`assay.schema.AgentInfo` (task name, parameters with defaults).
- ``POST /run`` with ``{"input": …, "parameters": {…}}`` and a ``traceparent`` header runs the
  task inside that remote context and answers a ``text/event-stream``: ``delta`` events
  (``{"text": …}``) for each piece a generator task yields, then ``done``
  (``{"output": …, "trace_id": …}``) or ``error`` (``{"message": …, "type": …}``).
  Parameter overrides also pin prompt versions: ``{"prompts": {"answer": "staging"}}`` (a label)
  or ``{"prompts": {"answer": 3}}`` makes ``load_prompt(..., "answer", ...)`` inside the run
  load that label or version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


class AgentServer:
    """A running agent endpoint.

    Attributes:
        url: ``http://host:port`` it listens on.
    """

    url: str

    def close(self) -> None:
        """Stop listening and wait for running requests to end."""
        raise NotImplementedError


def agent_parameters() -> dict[str, Any]:
    """The parameters of the run in progress (defaults merged with the caller's overrides);
    the defaults when called outside a run."""
    raise NotImplementedError


def prompt_override(name: str) -> str | int | None:
    """The label (str) or version (int) the run in progress pins prompt ``name`` to through its
    ``prompts`` parameter, or None (``load_prompt`` calls this)."""
    raise NotImplementedError


def serve_agent(
    task: Callable[..., Any],
    *,
    parameters: Mapping[str, Any] | None = None,
    host: str = "127.0.0.1",
    port: int = 8710,
    block: bool = True,
) -> AgentServer:
    """Serve ``task`` over HTTP (see the module docstring for the protocol).

    ``task`` takes the input (a dict input is passed as keyword arguments when the function
    names them, else as one argument), may accept ``parameters`` as a keyword, may be async,
    and may be a generator (sync or async) yielding text pieces that stream to the caller.
    ``block=False`` serves from a background thread and returns at once (``port=0`` picks a
    free port; read ``.url``).
    """
    raise NotImplementedError
