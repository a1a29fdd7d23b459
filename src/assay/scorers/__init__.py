"""Built-in scorers and the ``@scorer`` decorator used to write more.

```python
from assay.scorers import exact_match, levenshtein

Eval("support-bot", data=..., task=..., scores=[exact_match(case_sensitive=False), levenshtein()])
```

A scorer is any callable taking keyword arguments among ``input``, ``output``, ``expected`` and
``metadata`` and returning a number, a :class:`Score`, a list of them, or None (skipped).
"""

from __future__ import annotations

from assay.scorers._match import distance, exact_match, levenshtein
from assay.scorers._score import REGISTRY, Score, scorer

__all__ = ["REGISTRY", "Score", "distance", "exact_match", "levenshtein", "scorer"]
