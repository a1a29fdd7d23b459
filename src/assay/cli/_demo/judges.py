"""The demo's judge: a helpfulness judge on the production traces, and a person's labels.

Run by ``assay demo`` as ``python -m assay.cli._demo.judges --llm-url URL`` with
``ASSAY_API_URL`` and ``ASSAY_PROJECT`` set. It stores the built-in ``helpfulness`` judge on the
server (with an agreement threshold), runs it on every production trace of the support bot
through the provider layer, and posts its scores next to the labels a support lead gave the
same traces. The fake model always picks the first choice, so the judge calls everything
helpful while the support lead does not: the agreement API shows a judge not to be trusted.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from assay import llm, push_judge
from assay.cli._demo.agent import MODEL
from assay.evals._api import ApiClient, q
from assay.scorers import LLMJudge, helpfulness

#: The rubric reviewers follow; the judge's choices, described for people.
RUBRIC = {
    "name": "helpfulness",
    "kind": "categorical",
    "description": "Would this answer help the customer who asked?",
    "categories": [
        {"label": "helpful", "value": 1.0, "description": "Solves the problem or moves it on."},
        {"label": "somewhat", "value": 0.5, "description": "Helps, but is vague or incomplete."},
        {"label": "unhelpful", "value": 0.0, "description": "Does not help, or misleads."},
    ],
}
QUEUE_NAME = "refund-answers"
#: A queue of the refund conversations, each to be reviewed by two people.
QUEUE: dict[str, Any] = {
    "name": QUEUE_NAME,
    "instructions": "Read the customer's question and the **final answer**. Would it help them?",
    "score_configs": ["helpfulness"],
    "reviews_per_item": 2,
    "hold_seconds": 600,
}

#: The support lead's label for the n-th trace (newest first), repeating.
LEAD = ["helpful"] * 5 + ["somewhat", "helpful", "unhelpful", "helpful", "somewhat"]
LEAD_AUTHOR = "support-lead@example.com"


def production_traces(api: ApiClient, project: str) -> list[dict[str, Any]]:
    """Every trace of the production log (no experiment), newest first."""
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = api.get(f"/projects/{q(project)}/traces", limit=200, cursor=cursor)
        out += [t for t in page["items"] if t["experiment_id"] is None and t["root_span_id"]]
        cursor = page.get("next_cursor")
        if not cursor:
            return out


async def judge_all(judge: LLMJudge, traces: list[dict[str, Any]]) -> list[Any]:
    """The judge's score of each trace's root input and output."""
    return await asyncio.gather(
        *(judge(input=t["input_preview"], output=t["output_preview"]) for t in traces)
    )


def score_rows(judge: LLMJudge, traces: list[dict[str, Any]], found: list[Any]) -> list[Any]:
    """The judge's scores and the support lead's labels as rows for the scores API."""
    rows: list[dict[str, Any]] = []
    for i, (trace, score) in enumerate(zip(traces, found, strict=True)):
        target = {"trace_id": trace["trace_id"], "span_id": trace["root_span_id"]}
        rows.append(
            {
                **target,
                "name": judge.name,
                "value": score.value,
                "label": score.metadata["choice"],
                "rationale": score.metadata.get("rationale"),
                "source": "llm_judge",
                "judge": judge.name,
                "judge_version": judge.version,
            }
        )
        label = LEAD[i % len(LEAD)]
        human = {"name": judge.name, "value": judge.choices[label], "label": label}
        rows.append({**target, **human, "source": "human", "author": LEAD_AUTHOR})
    return rows


def make_queue(api: ApiClient, project: str) -> None:
    """The rubric and a review queue of the refund conversations, for people to work through."""
    base = f"/projects/{q(project)}"
    api.post(f"{base}/score-configs", RUBRIC)
    api.post(f"{base}/queues", QUEUE)
    items = {"filter": {"tag": ["refund"]}, "target": "trace"}
    added = api.post(f"{base}/queues/{q(QUEUE_NAME)}/items", items)
    print(f"  review queue {QUEUE_NAME!r}: {added['added']} conversations to review", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Store the judge, score the production traces, post the scores, print the agreement."""
    parser = argparse.ArgumentParser(prog="python -m assay.cli._demo.judges")
    parser.add_argument("--llm-url", required=True, help="OpenAI-compatible base URL (…/v1)")
    parser.add_argument("--project", default="support-bot", help="Project of the traces")
    args = parser.parse_args(argv)
    llm.configure_provider("openai", base_url=args.llm_url, api_key="sk-demo")
    judge = push_judge(
        args.project,
        helpfulness(model=MODEL),
        description="Does the bot's answer help the customer?",
        threshold=0.6,
    )
    api = ApiClient()
    try:
        traces = production_traces(api, args.project)
        found = asyncio.run(judge_all(judge, traces))
        api.post(
            f"/projects/{q(args.project)}/scores", {"scores": score_rows(judge, traces, found)}
        )
        report = api.get(f"/projects/{q(args.project)}/judges/{q(judge.name)}/agreement")
        make_queue(api, args.project)
    finally:
        api.close()
    kappa = report["metrics"]["cohen_kappa"]["value"]
    accuracy = report["metrics"]["accuracy"]["value"]
    print(
        f"  judge {judge.name!r} v{judge.version} on {report['n']} traces vs the support lead: "
        f"accuracy {accuracy:.2f}, kappa {0.0 if kappa is None else kappa:.2f}"
        + (" (diverging)" if report["diverging"] else ""),
        flush=True,
    )


if __name__ == "__main__":
    main()
