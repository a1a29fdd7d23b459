"""Evaluate an LLM judge the way an agent is evaluated.

The dataset is support answers that a person labelled ``polite``, ``neutral`` or ``rude``; the
task is the judge (its output is the label it chose); the score is its agreement with the person:
``exact_match`` per answer, and Cohen's kappa, accuracy and macro F1 with confidence intervals for
the run (``agreement_scores``). Change the judge's prompt, run again, and the comparison with the
previous run says whether the judge got closer to the people.

    assay eval examples/judges --fail-under cohen_kappa=0.6

The judge model is any OpenAI-compatible endpoint (``OPENAI_BASE_URL``, ``OPENAI_API_KEY``,
``JUDGE_MODEL``). ``JUDGE_PROMPT=terse`` picks the second prompt below. With ``JUDGE_VERSION``
set, the judge is the one stored on the server under the name ``tone`` (``latest`` or a number)
instead of the local definition.
"""

from __future__ import annotations

import os

import assay
from assay import Eval
from assay.scorers import agreement_scores, exact_match, llm_judge

PROJECT = os.environ.get("ASSAY_PROJECT", "support-bot")
MODEL = os.environ.get("JUDGE_MODEL", "gpt-4o-mini")
CHOICES = {"polite": 1.0, "neutral": 0.5, "rude": 0.0}
PROMPTS = {
    "careful": (
        "A customer wrote to support and got the answer below. Judge only the tone of the "
        "answer, not whether it is correct.\n\n"
        "[Customer]\n{{input}}\n\n[Answer]\n{{output}}\n\n"
        "polite: courteous and respectful. neutral: matter-of-fact, neither warm nor curt. "
        "rude: dismissive, blaming or sarcastic."
    ),
    "terse": "Customer: {{input}}\nAnswer: {{output}}\nTone of the answer?",
}

# Support answers with the label a support lead gave each (what the judge should agree with).
LABELLED = [
    ("Where is my parcel?", "Thanks for your patience! It left our depot today.", "polite"),
    ("Where is my parcel?", "It ships Monday.", "neutral"),
    ("Where is my parcel?", "Read the tracking page like everyone else.", "rude"),
    ("Can I get a refund?", "Of course, I have started the refund for you.", "polite"),
    ("Can I get a refund?", "Refunds take 5 days.", "neutral"),
    ("Can I get a refund?", "You should have read the policy before buying.", "rude"),
    ("The app crashes.", "Sorry about that! Could you send us the version number?", "polite"),
    ("The app crashes.", "Update the app.", "neutral"),
    ("The app crashes.", "Works for everyone else, so it's your phone.", "rude"),
    ("I was charged twice.", "Apologies, the second charge is reversed now.", "polite"),
    ("I was charged twice.", "The second charge will be reversed.", "neutral"),
    ("I was charged twice.", "Check your statement properly next time.", "rude"),
]
DATA = [
    {"input": {"question": q, "answer": a}, "expected": label, "id": f"tone-{i}"}
    for i, (q, a, label) in enumerate(LABELLED)
]

version = os.environ.get("JUDGE_VERSION")
if version:
    judge = assay.judge(PROJECT, "tone", None if version == "latest" else int(version))
else:
    prompt = os.environ.get("JUDGE_PROMPT", "careful")
    judge = llm_judge("tone", PROMPTS[prompt], CHOICES, model=MODEL)


async def tone_verdict(item: dict[str, str]) -> str:
    """The task: the judge's label for one support answer."""
    score = await judge(input=item["question"], output=item["answer"])
    assert score is not None  # the prompt does not use {{expected}}, so nothing is skipped
    return str(score.metadata["choice"])


Eval(
    PROJECT,
    data=DATA,
    task=tone_verdict,
    scores=[exact_match()],
    summary_scores=[agreement_scores(labels=list(CHOICES))],
    experiment_name=os.environ.get("EXPERIMENT_NAME", "tone-judge"),
    metadata={"judge_version": judge.version, "model": judge.model, "prompt": judge.prompt},
    max_concurrency=8,
)
