"""An example eval: a support bot answers questions; exact match and edit distance score it.

Run it with ``assay eval examples/evals`` (a server at ASSAY_API_URL receives the experiment;
without one it is written to .assay/experiments/). The model is any OpenAI-compatible endpoint:
``OPENAI_BASE_URL`` (the tests point it at ``assay.testing.FakeLLMServer``) and ``MODEL``.
"""

from __future__ import annotations

import os

from openai import AsyncOpenAI

import assay
from assay import Eval
from assay.scorers import exact_match, levenshtein

MODEL = os.environ.get("MODEL", "gpt-4o-mini")
SYSTEM = os.environ.get("SYSTEM_PROMPT", "Answer in as few words as possible.")

client = assay.wrap_openai(
    AsyncOpenAI(
        base_url=os.environ.get("OPENAI_BASE_URL"),
        api_key=os.environ.get("OPENAI_API_KEY", "sk-example"),
        max_retries=0,
    )
)

CASES = [
    {"input": "What is the capital of France?", "expected": "Paris"},
    {"input": "How many days are in a week?", "expected": "7"},
    {"input": "What colour is the sky on a clear day?", "expected": "Blue"},
    {"input": "Which planet is closest to the sun?", "expected": "Mercury"},
]


async def answer(question: str) -> str:
    """The task: one chat completion."""
    reply = await client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}],
    )
    return reply.choices[0].message.content or ""


Eval(
    os.environ.get("ASSAY_PROJECT", "support-bot"),
    data=CASES,
    task=answer,
    scores=[exact_match(case_sensitive=False), levenshtein()],
    experiment_name=os.environ.get("EXPERIMENT_NAME", "support-bot"),
    metadata={"model": MODEL, "system_prompt": SYSTEM},
    max_concurrency=4,
)
