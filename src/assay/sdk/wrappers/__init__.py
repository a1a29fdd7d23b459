"""Client wrappers that turn OpenAI and Anthropic calls into ``llm`` spans.

Neither provider SDK is imported until its wrapper runs on a client, so ``import assay``
stays light.
"""

from __future__ import annotations

from assay.sdk.wrappers.anthropic import wrap_anthropic
from assay.sdk.wrappers.openai import wrap_openai

__all__ = ["wrap_anthropic", "wrap_openai"]
