"""``load_prompt``: a prompt version from the registry, cached in the process with a TTL and
stale-while-revalidate, with a last-known-good copy on disk for when the server is unreachable.

```python
prompt = assay.load_prompt("support-bot", "answer", label="production")
resp = client.chat.completions.create(**prompt.build(question=q))
```
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Prompt:
    """One prompt version as the SDK holds it (built from the ``resolvePrompt`` answer).

    Attributes:
        project: The project's name.
        name: The prompt's name.
        version: The version number.
        label: The label it was loaded by, if any.
        messages: The template messages (``{"role", "content"}`` dicts).
        model: The model.
        params: Model parameters (temperature, max_tokens, …).
        tools: Tools in the OpenAI format, or None.
        response_format: A response format in the OpenAI format, or None.
        variables: The top-level variables the messages use.
    """

    def build(self, **variables: Any) -> dict[str, Any]:
        """Keyword arguments for ``openai`` ``chat.completions.create``: ``model``, rendered
        ``messages``, the parameters, ``tools`` and ``response_format`` when set.

        Raises:
            MissingVariableError: A variable the messages need was not given (named).
        """
        raise NotImplementedError

    def build_anthropic(self, **variables: Any) -> dict[str, Any]:
        """Keyword arguments for ``anthropic`` ``messages.create``: the system message as
        ``system``, the rest as ``messages``, ``max_tokens`` (default 1024) and parameters."""
        raise NotImplementedError

    def render(self, variables: Mapping[str, Any]) -> list[dict[str, str]]:
        """The messages with ``variables`` filled in."""
        raise NotImplementedError


def load_prompt(
    project: str | None,
    name: str,
    *,
    label: str | None = None,
    version: int | None = None,
    ttl: float | None = None,
    api_url: str | None = None,
    api_key: str | None = None,
) -> Prompt:
    """A prompt version by label, by number, or the latest (neither given).

    Served from memory while fresher than ``ttl`` (``ASSAY_PROMPT_CACHE_TTL``); an older copy
    is returned at once while one background request refreshes it. The first load asks the
    server; when it cannot be reached the last-known-good copy on disk
    (``ASSAY_PROMPT_CACHE_DIR``) is used, with one warning.

    Raises:
        NotFoundError: The server says the prompt, version or label does not exist.
        ServerUnavailableError: The server cannot be reached and no copy is on disk.
    """
    raise NotImplementedError
