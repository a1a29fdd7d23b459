"""Evals: ``Eval()``, the async runner, datasets as the SDK sees them, experiment reports.

```python
from assay import Eval
from assay.scorers import exact_match

Eval("support-bot", data=[{"input": "2+2", "expected": "4"}], task=answer, scores=[exact_match()])
```
"""

from __future__ import annotations

from assay.evals._data import Case
from assay.evals._dataset import Dataset, dataset
from assay.evals._eval import Eval, run_eval
from assay.evals._judges import judge, push_judge
from assay.evals._result import EvalResult, GateFailure, ScorerStats
from assay.evals._runner import Hooks
from assay.scorers import Score

__all__ = [
    "Case",
    "Dataset",
    "Eval",
    "EvalResult",
    "GateFailure",
    "Hooks",
    "Score",
    "ScorerStats",
    "dataset",
    "judge",
    "push_judge",
    "run_eval",
]
