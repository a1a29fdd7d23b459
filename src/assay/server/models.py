"""Model calls made by the server on behalf of a project (playground runs, judges, rules).

A project's providers (:mod:`assay.server.routers.v1.providers`) take precedence: the model's
route is worked out the way :func:`assay.llm.route` does (a ``name/`` prefix, ``claude*`` →
``anthropic``, else ``openai``); when the project has a provider of that name, the call goes to
an ``assay.llm`` provider configured from it (key decrypted, cached per process and refreshed
when the stored provider changes). Otherwise the process-wide configuration (``OPENAI_API_KEY``,
``OPENAI_BASE_URL``, …) is used, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from assay.store.base import Store


@dataclass(frozen=True, slots=True)
class ModelTarget:
    """Where a project's call of ``model`` goes.

    Attributes:
        model: The model name to pass to ``assay.llm`` (prefix kept or dropped as needed).
        provider: The ``assay.llm`` provider name to pass as ``provider=``; None: the
            process-wide routing.
    """

    model: str
    provider: str | None


def target_for(store: Store, project_id: str, model: str) -> ModelTarget:
    """Where the project's call of ``model`` goes (blocking: reads the store, cached ~2 s)."""
    raise NotImplementedError
