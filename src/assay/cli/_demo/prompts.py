"""The demo's prompts and model provider: the support bot's reply prompt in the registry.

Run by ``assay demo`` as ``python -m assay.cli._demo.prompts --llm-url URL`` with
``ASSAY_API_URL`` and ``ASSAY_PROJECT`` set, before the support bot answers anything. It saves
the prompt ``reply`` twice: version 1 (the wording the bot shipped with) labelled
``production``, version 2 (friendlier, under review) labelled ``staging``. The bot loads the
``production`` version with ``assay.load_prompt``, so every conversation's last model call
says which prompt version wrote it. It also stores the project's ``openai`` provider, pointing
at the demo's fake model with a made-up key (kept encrypted), so the playground can run.
"""

from __future__ import annotations

import argparse
from typing import Any

from assay.cli._demo.agent import MODEL, SYSTEM
from assay.evals._api import ApiClient, q

PROMPT_NAME = "reply"
_USER = "Plan: {{plan}}\nFacts: {{facts}}"
VERSIONS: list[dict[str, Any]] = [
    {
        "description": "The support bot's last step: rewrite the draft answer for the customer.",
        "messages": [
            {"role": "system", "content": SYSTEM + " Rewrite the draft for the customer."},
            {"role": "user", "content": _USER},
            {"role": "user", "content": "{{draft}}"},
        ],
        "model": MODEL,
        "params": {"temperature": 0.3},
        "message": "The wording the bot shipped with",
        "labels": ["production"],
    },
    {
        "messages": [
            {
                "role": "system",
                "content": SYSTEM + " Rewrite the draft for the customer: thank them first, "
                "keep it under three sentences{{#customer_id}}, and mention their account "
                "{{customer_id}}{{/customer_id}}.",
            },
            {"role": "user", "content": _USER},
            {"role": "user", "content": "{{draft}}"},
        ],
        "model": MODEL,
        "params": {"temperature": 0.2, "max_tokens": 200},
        "message": "Friendlier and shorter; names the account when known",
        "labels": ["staging"],
    },
]


def main(argv: list[str] | None = None) -> None:
    """Save the prompt's versions and the project's provider."""
    parser = argparse.ArgumentParser(prog="python -m assay.cli._demo.prompts")
    parser.add_argument("--llm-url", required=True, help="OpenAI-compatible base URL (…/v1)")
    parser.add_argument("--project", default="support-bot", help="Project of the prompt")
    args = parser.parse_args(argv)
    api = ApiClient()
    project = args.project
    for body in VERSIONS:
        saved = api.post(f"/projects/{q(project)}/prompts/{PROMPT_NAME}/versions", body)
        print(f"  prompt {PROMPT_NAME} v{saved['version']} → {', '.join(saved['labels'])}")
    provider = {"kind": "openai", "base_url": args.llm_url, "api_key": "sk-demo-not-a-real-key"}
    api.request("PUT", f"/projects/{q(project)}/providers/openai", json=provider)
    print("  provider openai → the demo's fake model (key stored encrypted)")
    api.close()


if __name__ == "__main__":
    main()
