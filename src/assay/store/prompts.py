"""The part of the Store protocol that keeps prompts, provider keys and agents (issue 7).

Prompt versions are immutable; a label points at one version of its prompt and every move is
recorded (:class:`~assay.schema.LabelMove`) so it can be undone. Provider keys arrive here
already encrypted by the server (:mod:`assay.server.secrets`): the store never sees a plaintext
key. Agents are endpoints made by ``assay.serve_agent`` that the playground can run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from assay.schema import (
    Agent,
    AgentIn,
    AgentInfo,
    LabelMove,
    Prompt,
    PromptVersion,
    PromptVersionIn,
    ProviderKey,
)


@dataclass(frozen=True, slots=True)
class ProviderSecret:
    """A stored provider as the server uses it: the key still encrypted.

    Attributes:
        name: The provider's name in the project (``openai``, ``anthropic`` or a prefix).
        kind: ``openai`` or ``anthropic`` (the wire format).
        base_url: Where requests go; None means the official API.
        key_cipher: The encrypted key (decrypt with :func:`assay.server.secrets.decrypt`), or None.
        updated_at: Microseconds since the epoch; changes whenever the provider is saved.
    """

    name: str
    kind: str
    base_url: str | None
    key_cipher: str | None
    updated_at: int


class PromptStore(Protocol):
    """Prompts, their versions and labels."""

    def save_prompt_version(
        self, project_id: str, name: str, version: PromptVersionIn, *, author: str | None
    ) -> PromptVersion:
        """Add a version (creating the prompt on its first one) and move ``version.labels`` to
        it, in one transaction; each label move is recorded with ``author`` as the actor.

        A body whose content (messages, model, params, tools, response_format) equals the
        latest version's makes no new version: that version comes back with ``created=False``
        (its labels still move). ``description``, when given, sets the prompt's description.
        """

    def list_prompts(self, project_id: str) -> list[Prompt]:
        """The project's prompts by name."""

    def get_prompt(self, project_id: str, name: str) -> Prompt | None:
        """Prompt ``name``, or None."""

    def update_prompt(self, project_id: str, name: str, changes: dict[str, Any]) -> Prompt:
        """Change the description (NotFoundError when the prompt does not exist)."""

    def delete_prompt(self, project_id: str, name: str) -> bool:
        """Delete a prompt with its versions, labels and moves; False when there was none."""

    def list_prompt_versions(self, project_id: str, name: str) -> list[PromptVersion]:
        """Every version, newest first (NotFoundError when the prompt does not exist)."""

    def get_prompt_version(
        self,
        project_id: str,
        name: str,
        *,
        version: int | None = None,
        label: str | None = None,
    ) -> PromptVersion | None:
        """One version: by number, by the label pointing at it, or the latest when neither is
        given. None when the prompt, the version or the label does not exist."""

    def move_prompt_label(
        self,
        project_id: str,
        name: str,
        label: str,
        *,
        version: int,
        actor: str | None,
        reason: str = "",
        undo_of: str | None = None,
    ) -> LabelMove:
        """Point ``label`` at ``version`` and record the move (from where it pointed).

        Raises:
            NotFoundError: The prompt or the version does not exist.
        """

    def remove_prompt_label(
        self, project_id: str, name: str, label: str, *, actor: str | None, reason: str = ""
    ) -> LabelMove | None:
        """Remove a label (recorded as a move to None); None when the label did not exist.
        NotFoundError when the prompt does not exist."""

    def list_label_moves(
        self, project_id: str, name: str, *, label: str | None = None, limit: int = 100
    ) -> list[LabelMove]:
        """The prompt's label moves, newest first (NotFoundError when it does not exist)."""

    def undo_label_move(
        self, project_id: str, name: str, move_id: str, *, actor: str | None
    ) -> LabelMove:
        """Put the move's label back where it pointed before (removing it when the move
        created it), recorded as a new move with ``undo_of``.

        Raises:
            NotFoundError: The prompt or the move does not exist.
            ConflictError: The label has moved since (it no longer points at the move's
                ``to_version``); the message says where it points now.
        """


class ProviderStore(Protocol):
    """A project's model providers, keys encrypted."""

    def put_provider_key(
        self,
        project_id: str,
        name: str,
        *,
        kind: str,
        base_url: str | None,
        key_cipher: str | None,
        key_hint: str | None,
        actor: str | None,
    ) -> ProviderKey:
        """Create or replace a provider. ``key_cipher``/``key_hint`` None keep the stored key
        (a new provider without a key has none: a local model server, say)."""

    def list_provider_keys(self, project_id: str) -> list[ProviderKey]:
        """The project's providers by name, keys masked."""

    def get_provider_secret(self, project_id: str, name: str) -> ProviderSecret | None:
        """A provider with its encrypted key, or None."""

    def delete_provider_key(self, project_id: str, name: str) -> bool:
        """Forget a provider; False when there was none."""


class AgentStore(Protocol):
    """Agent endpoints registered with a project."""

    def put_agent(self, project_id: str, name: str, agent: AgentIn, *, info: AgentInfo) -> Agent:
        """Register or update agent ``name`` with what its endpoint said about itself."""

    def list_agents(self, project_id: str) -> list[Agent]:
        """The project's agents by name."""

    def get_agent(self, project_id: str, name: str) -> Agent | None:
        """Agent ``name``, or None."""

    def delete_agent(self, project_id: str, name: str) -> bool:
        """Forget an agent; False when there was none."""
