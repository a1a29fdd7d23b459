"""One way to call model providers: chat and embeddings over the official OpenAI and Anthropic
clients, with routing, retries, a shared concurrency limit, an optional cache and ``llm`` spans.

```python
from assay import llm

resp = llm.chat("Capital of France?", model="gpt-4o-mini", temperature=0)
resp.content, resp.usage.total_tokens, resp.cost

resp = await llm.achat(
    [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
    model="claude-3-5-haiku-latest",
)

for chunk in llm.chat("Tell me a story", model="gpt-4o-mini", stream=True):
    print(chunk.delta, end="")                 # the last chunk carries chunk.response

async for chunk in await llm.achat("Tell me a story", model="gpt-4o", stream=True):
    print(chunk.delta, end="")

llm.configure_provider("vllm", base_url="http://gpu-box:8000/v1", concurrency=64)
llm.chat("hi", model="vllm/llama-3.1-8b")      # the prefix picks the provider
vectors = llm.embed(["a", "b"], model="text-embedding-3-small")
```

Routing: ``provider=`` wins; else a ``name/`` prefix naming a configured provider (dropped
before sending); else ``claude*`` models go to ``anthropic`` and the rest to ``openai``.
Every provider has one concurrency limit shared by all threads and event loops of the
process (``ASSAY_LLM_CONCURRENCY``); 429, 5xx, timeouts and connection errors are retried with
backoff (``ASSAY_LLM_MAX_RETRIES``); 400/401/403/404/422 raise a
:class:`~assay.errors.ProviderError` at once. ``cache=True`` (or ``ASSAY_LLM_CACHE``) answers
an identical call from disk. With tracing on, every call is an ``llm`` span.
"""

from __future__ import annotations

from assay.llm._call import achat, chat
from assay.llm._embed import aembed, embed
from assay.llm._route import (
    Provider,
    Route,
    configure_provider,
    get_provider,
    reset_providers,
    route,
    supports_tools,
)
from assay.llm._stream import AsyncChatStream, ChatStream
from assay.llm._types import ChatChunk, ChatResponse, ToolCall, Usage

__all__ = [
    "AsyncChatStream",
    "ChatChunk",
    "ChatResponse",
    "ChatStream",
    "Provider",
    "Route",
    "ToolCall",
    "Usage",
    "achat",
    "aembed",
    "chat",
    "configure_provider",
    "embed",
    "get_provider",
    "reset_providers",
    "route",
    "supports_tools",
]
