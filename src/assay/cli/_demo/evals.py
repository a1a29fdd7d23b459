"""The demo's evals: a golden dataset drawn from the demo questions and two experiments on it.

Run by ``assay demo`` as ``python -m assay.cli._demo.evals --llm-url URL`` with
``ASSAY_API_URL`` and ``ASSAY_PROJECT`` set; it uses nothing but the public SDK.

The task looks up the facts with the support bot's tools, drafts an answer and has the model
polish it. The fake model echoes the text it is asked to polish, so the prompt template decides
the answer: "baseline-prompt" passes the whole draft, "shorter-prompt" only its first sentence.
Against the golden answers some cases get better with the shorter prompt and some get worse.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import assay
from assay import Eval
from assay.cli._demo.agent import MODEL, SYSTEM, SupportBot, draft_reply
from assay.cli._demo.questions import QUESTIONS, Question
from assay.evals import Dataset
from assay.scorers import exact_match, levenshtein

DATASET = "support-golden"
#: Which demo questions go into the golden dataset (15 of the 20).
PICKED = (0, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 14, 16, 17, 19)
#: Golden answers that differ from the bot's own draft.
GOLDEN = {
    4: "We ship to the US and Canada.",
    7: "Standard shipping takes 3-5 business days, express 1-2.",
    10: "I could not find that order; could you share the order number?",
    17: "We do not price-match.",
    19: "We accept cards, PayPal and gift cards.",
}
#: A golden answer corrected after the first version, to show a second dataset version.
CORRECTED = (2, "Items can be returned within 30 days; shoes must be unworn.")
PROMPTS = {
    "baseline-prompt": ("v1", "Rewrite the draft for the customer."),
    "shorter-prompt": ("v2", "Rewrite the draft for the customer in one short sentence."),
}


def first_sentence(text: str) -> str:
    """The text up to and including its first full stop followed by a space (or all of it)."""
    head, sep, _ = text.partition(". ")
    return head + "." if sep else text


def build_dataset(project: str, bot: SupportBot) -> Dataset:
    """Create (or extend) the golden dataset: one version with 15 records, one correction."""
    ds = assay.dataset(project, DATASET)
    records = []
    for index in PICKED:
        q = QUESTIONS[index]
        records.append(
            {
                "input": {"question": q.text, "customer_id": q.customer_id},
                "expected": GOLDEN.get(index) or draft_reply(q, bot.gather(q)),
                "metadata": {"intent": q.intent, "channel": q.channel},
                "tags": [q.intent],
            }
        )
    result = ds.insert_many(records)
    fix_index, fix_text = CORRECTED
    record_id = result.ids[PICKED.index(fix_index)]
    if record_id is not None:
        ds.update(record_id, expected=fix_text)
    return ds


def make_task(bot: SupportBot, experiment: str) -> Callable[[dict[str, Any]], str]:
    """The task of one experiment: facts from the tools, a draft, one model call to polish it."""
    version, instruction = PROMPTS[experiment]
    by_text = {q.text: q for q in QUESTIONS}

    def answer(input: dict[str, Any]) -> str:
        q: Question = by_text[input["question"]]
        draft = draft_reply(q, bot.gather(q))
        if version == "v2":
            draft = first_sentence(draft)
        response = bot.client.chat.completions.create(
            model=MODEL,
            messages=[
                {"role": "system", "content": f"{SYSTEM} {instruction}"},
                {"role": "user", "content": draft},
            ],
        )
        return response.choices[0].message.content or ""

    return answer


def main(argv: list[str] | None = None) -> None:
    """Build the dataset, run both experiments, print what changed."""
    parser = argparse.ArgumentParser(prog="python -m assay.cli._demo.evals")
    parser.add_argument("--llm-url", required=True, help="OpenAI-compatible base URL (…/v1)")
    parser.add_argument("--project", default="support-bot", help="Project of the dataset")
    args = parser.parse_args(argv)
    bot = SupportBot(args.llm_url, "http://127.0.0.1:9")  # the refund agent is not needed
    ds = build_dataset(args.project, bot)
    print(f"  dataset {DATASET!r}: {len(ds.to_list())} records, version {ds.version}", flush=True)
    for name, (version, instruction) in PROMPTS.items():
        result = Eval(
            args.project,
            data=ds,
            task=make_task(bot, name),
            scores=[exact_match(), levenshtein()],
            experiment_name=name,
            metadata={"prompt": version, "instruction": instruction, "model": MODEL},
            max_concurrency=8,
            quiet=True,
        )
        line = f"  experiment {result.experiment_name!r}: " + ", ".join(
            f"{k} {v.mean:.3f}" for k, v in result.summary.items() if v.mean is not None
        )
        cmp = result.scorer_comparison("levenshtein")
        if cmp is not None and result.comparison is not None:
            line += (
                f"; vs {result.comparison.baseline!r}: {cmp.improved} improved, "
                f"{cmp.regressed} regressed"
            )
        print(line, flush=True)


if __name__ == "__main__":
    main()
