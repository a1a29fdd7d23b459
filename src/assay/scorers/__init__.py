"""Built-in scorers and the ``@scorer`` decorator used to write more.

```python
from assay.scorers import exact_match, levenshtein

Eval("support-bot", data=..., task=..., scores=[exact_match(case_sensitive=False), levenshtein()])
```

A scorer is any callable taking keyword arguments among ``input``, ``output``, ``expected`` and
``metadata`` and returning a number, a :class:`Score`, a list of them, or None (skipped).

Heuristic scorers (each a factory; call it with its options to get the scorer):

- :func:`exact_match`: equality after optional normalisation (case, whitespace, punctuation, NFKC).
- :func:`levenshtein`: normalised edit-distance similarity of two texts.
- :func:`contains`: the output contains a text, or the fraction of several texts it contains.
- :func:`regex`: a regular expression is found in (or fully matches) the output.
- :func:`numeric_diff`: closeness of a number to the expected one, with a tolerance.
- :func:`valid_json`: the output is JSON (optionally valid against a schema).
- :func:`json_schema`: the output validates against a JSON Schema.
- :func:`json_diff`: structural similarity of two JSON values, per key and position.
- :func:`list_contains`: the fraction of expected items found in the output list.
- :func:`embedding_similarity`: cosine similarity of output and expected embeddings (async,
  through :mod:`assay.llm`).

LLM judges (a model picks one of labelled choices through a forced tool call):

- :func:`llm_judge`: a judge of your own: a prompt template, choices with scores, a model.
- Built-in judges, each forkable with ``.fork(...)``: :func:`factuality`, :func:`closed_qa`,
  :func:`answer_relevance`, :func:`faithfulness`, :func:`helpfulness`, :func:`safety`,
  :func:`summary_quality`, :func:`tool_call_correctness`.

How far a judge can be trusted (numpy needed, imported on first use):

- :func:`agreement`: a judge's labels or scores against reference ones (e.g. humans).
- :func:`krippendorff_alpha`, :func:`fleiss_kappa`: agreement among several raters.
- :func:`agreement_scores`: a summary scorer, ``Eval(..., summary_scores=[agreement_scores()])``,
  for evaluating a judge on human-labelled examples.
"""

from __future__ import annotations

from assay.scorers._agreement import (
    Agreement,
    Estimate,
    agreement,
    fleiss_kappa,
    krippendorff_alpha,
)
from assay.scorers._agreement_scores import agreement_scores
from assay.scorers._embedding import embedding_similarity
from assay.scorers._json import json_diff, json_schema, valid_json
from assay.scorers._judge import JudgeAnswerError, LLMJudge, llm_judge
from assay.scorers._judges import (
    answer_relevance,
    closed_qa,
    factuality,
    faithfulness,
    helpfulness,
    safety,
    summary_quality,
    tool_call_correctness,
)
from assay.scorers._list import list_contains
from assay.scorers._match import distance, exact_match, levenshtein
from assay.scorers._numeric import numeric_diff
from assay.scorers._score import REGISTRY, Score, scorer
from assay.scorers._text import contains, regex

__all__ = [
    "REGISTRY",
    "Agreement",
    "Estimate",
    "JudgeAnswerError",
    "LLMJudge",
    "Score",
    "agreement",
    "agreement_scores",
    "answer_relevance",
    "closed_qa",
    "contains",
    "distance",
    "embedding_similarity",
    "exact_match",
    "factuality",
    "faithfulness",
    "fleiss_kappa",
    "helpfulness",
    "json_diff",
    "json_schema",
    "krippendorff_alpha",
    "levenshtein",
    "list_contains",
    "llm_judge",
    "numeric_diff",
    "regex",
    "safety",
    "scorer",
    "summary_quality",
    "tool_call_correctness",
    "valid_json",
]
