"""Semantic closeness of output and expected answer: :func:`embedding_similarity`."""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from typing import Any

from assay.scorers._score import Score, scorer

ScoreFn = Callable[..., Awaitable[Score | None]]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def cosine(a: list[float], b: list[float]) -> float:
    """Cosine similarity of two vectors; 0.0 when either has no length."""
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


@scorer
def embedding_similarity(
    *, model: str = "text-embedding-3-small", provider: str | None = None
) -> ScoreFn:
    """Cosine similarity of the embeddings of the output and the expected answer.

    Both are embedded as text (JSON for dicts and lists) in one call through
    :func:`assay.llm.aembed`, so the call is routed, limited, retried, cached and traced like
    any model call. The score is the cosine similarity clipped to [0, 1]: ``max(0, cos)``, so
    unrelated or opposite texts score 0 and the same meaning scores close to 1. The raw cosine
    is kept in the metadata. Identical texts score 1.0 and an empty text against a non-empty
    one 0.0, without a call; cases without ``expected`` are skipped.

    Args:
        model: The embedding model, e.g. ``text-embedding-3-small`` or ``vllm/bge-m3``.
        provider: The configured provider to call, whatever the model's name.

    Returns:
        The async scorer, named ``embedding_similarity``.
    """

    async def score(*, output: Any, expected: Any, **_: Any) -> Score | None:
        if expected is None:
            return None
        a, b = _as_text(output), _as_text(expected)
        if a == b:
            return Score("", 1.0, {"cosine": 1.0})
        if not a or not b:
            return Score("", 0.0, {"cosine": 0.0, "empty": "output" if not a else "expected"})
        from assay import llm

        va, vb = await llm.aembed([a, b], model=model, provider=provider)
        cos = cosine(va, vb)
        return Score("", min(1.0, max(0.0, cos)), {"cosine": cos, "model": model})

    return score
