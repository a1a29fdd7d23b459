"""Judges kept on the server: fetch one as a scorer, or push a local one as a new version.

```python
import assay

tone = assay.judge("support-bot", "tone")            # the latest version, as a scorer
Eval("support-bot", data=..., task=..., scores=[tone])  # its scores record name and version

assay.push_judge("support-bot", llm_judge("tone", prompt, choices, model="gpt-4o-mini"))
```
"""

from __future__ import annotations

from typing import Any

from assay.evals._api import ApiClient, q
from assay.scorers._judge import LLMJudge


def _from_server(body: dict[str, Any]) -> LLMJudge:
    return LLMJudge(
        name=str(body["name"]),
        prompt=str(body["prompt"]),
        choices=dict(body["choices"]),
        model=str(body["model"]),
        use_cot=bool(body.get("use_cot", True)),
        params=dict(body.get("params") or {}),
        version=int(body["version"]),
        score_name=body.get("score_name") or None,
    )


def judge(
    project: str,
    name: str,
    version: int | None = None,
    *,
    cache: bool | None = None,
    api_url: str | None = None,
    api_key: str | None = None,
) -> LLMJudge:
    """Fetch a judge defined on the server, as a scorer for ``Eval``.

    Args:
        project: The judge's project.
        name: The judge's name.
        version: A version number; the latest when None.
        cache: Reuse identical model calls from the on-disk cache (None: ``ASSAY_LLM_CACHE``).
        api_url: Server URL (``ASSAY_API_URL`` when None).
        api_key: API key (``ASSAY_API_KEY`` when None).

    Returns:
        The judge; the scores it gives carry its name and version in their metadata.

    Raises:
        ApiNotFoundError: The project, the judge or that version does not exist.
        ServerUnavailableError: The server could not be reached.
    """
    api = ApiClient(api_url, api_key)
    try:
        body = api.get(f"/projects/{q(project)}/judges/{q(name)}", version=version)
    finally:
        api.close()
    found = _from_server(body)
    return found if cache is None else found.fork(cache=cache, version=found.version)


def push_judge(
    project: str,
    judge: LLMJudge,
    *,
    description: str | None = None,
    threshold: float | None = None,
    threshold_metric: str | None = None,
    api_url: str | None = None,
    api_key: str | None = None,
) -> LLMJudge:
    """Store ``judge`` on the server; a changed prompt, choice set or model makes a new version.

    Args:
        project: The project the judge belongs to.
        judge: The judge, e.g. from :func:`~assay.scorers.llm_judge`.
        description: What the judge is for, shown with it.
        threshold: The agreement with human scores under which the judge is flagged as
            diverging (on ``threshold_metric``, default Cohen's kappa).
        threshold_metric: ``cohen_kappa``, ``accuracy``, ``macro_f1``, ``pearson``, … .
        api_url: Server URL (``ASSAY_API_URL`` when None).
        api_key: API key (``ASSAY_API_KEY`` when None).

    Returns:
        The judge as stored, with its version number.
    """
    body = judge.definition()
    extra = {"description": description, "threshold": threshold}
    extra["threshold_metric"] = threshold_metric
    body.update({k: v for k, v in extra.items() if v is not None})
    api = ApiClient(api_url, api_key)
    try:
        body = api.post(f"/projects/{q(project)}/judges", body)
    finally:
        api.close()
    return _from_server(body).fork(cache=judge.cache, mode=judge.mode, version=body["version"])
