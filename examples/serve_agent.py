"""A support agent the playground can run: ``assay.serve_agent`` exposes its task over HTTP.

    OPENAI_BASE_URL=http://127.0.0.1:9000/v1 python examples/serve_agent.py 8710

then register it with the project (or use the playground's Agents tab)::

    curl -X PUT http://127.0.0.1:8000/api/v1/projects/support-bot/agents/support \\
         -H 'content-type: application/json' -d '{"url": "http://127.0.0.1:8710"}'

In the playground, pick the agent ``support``, change ``temperature`` or ``tone`` and run it: the
answer streams back and its trace (agent, tool, model call) sits under the playground's run.
Without a model key, the fake model stands in: ``python -m assay.testing.fake_llm --port 9000``.
Ctrl-C stops the agent.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import openai

import assay

assay.init(project=os.environ.get("ASSAY_PROJECT", "support-bot"))
client = assay.wrap_openai(openai.OpenAI(api_key=os.environ.get("OPENAI_API_KEY", "unused")))


@assay.traced(kind="tool")
def lookup_order(order_id: str) -> dict[str, str]:
    return {"order_id": order_id, "status": "packed", "carrier": "DHL"}


def support(question: str, *, parameters: dict[str, Any]) -> Iterator[str]:
    """Answer a customer; each piece of the model's answer streams to the caller."""
    order = lookup_order("1042")
    stream = client.chat.completions.create(
        model=parameters["model"],
        temperature=parameters["temperature"],
        messages=[
            {"role": "system", "content": f"You are a {parameters['tone']} support agent."},
            {"role": "user", "content": f"{question}\n\nOrder: {order}"},
        ],
        stream=True,
    )
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            yield chunk.choices[0].delta.content


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8710
    defaults = {"model": "gpt-4o-mini", "temperature": 0.2, "tone": "friendly"}
    assay.serve_agent(support, parameters=defaults, port=port)
