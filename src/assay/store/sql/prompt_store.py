"""``PromptStore``: the prompt methods of :class:`SqlStore` (issue 7). SQL in :mod:`.prompts`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from assay.schema import LabelMove, Prompt, PromptVersion, PromptVersionIn
from assay.store.sql import engine as engines
from assay.store.sql import (
    prompt_tables,  # noqa: F401  (its tables join the metadata)
    prompts,
)
from assay.store.sql.dialect import Dialect


class SqlPromptStore:
    """Mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method

    def save_prompt_version(
        self, project_id: str, name: str, version: PromptVersionIn, *, author: str | None
    ) -> PromptVersion:
        """Add a version (creating the prompt) unless it equals the latest; move its labels."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            return prompts.save(
                conn, self.dialect, project_id, project, name, version, author=author
            )

    def list_prompts(self, project_id: str) -> list[Prompt]:
        """The project's prompts by name."""
        with engines.reading(self.engine) as conn:
            return prompts.list_all(conn, project_id, self._project_name(conn, project_id))

    def get_prompt(self, project_id: str, name: str) -> Prompt | None:
        """Prompt ``name``, or None."""
        with engines.reading(self.engine) as conn:
            return prompts.get(conn, project_id, self._project_name(conn, project_id), name)

    def update_prompt(self, project_id: str, name: str, changes: dict[str, Any]) -> Prompt:
        """Change the description (NotFoundError when the prompt does not exist)."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            return prompts.update(conn, project_id, project, name, changes)

    def delete_prompt(self, project_id: str, name: str) -> bool:
        """Delete a prompt with its versions, labels and moves; False when there was none."""
        with engines.writing(self.engine) as conn:
            return prompts.delete(conn, project_id, name)

    def list_prompt_versions(self, project_id: str, name: str) -> list[PromptVersion]:
        """Every version, newest first (NotFoundError when the prompt does not exist)."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            return prompts.list_versions(conn, project_id, project, name)

    def get_prompt_version(
        self,
        project_id: str,
        name: str,
        *,
        version: int | None = None,
        label: str | None = None,
    ) -> PromptVersion | None:
        """One version by number, by label, or the latest; None when something is missing."""
        with engines.reading(self.engine) as conn:
            return prompts.get_version(conn, project_id, name, version=version, label=label)

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
        """Point ``label`` at ``version`` and record the move (NotFoundError: no such prompt or
        version)."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            prompt = prompts.require(conn, project_id, project, name, lock=True)
            return prompts.move(
                conn, prompt, project, label, version=version, actor=actor, reason=reason,
                undo_of=undo_of,
            )  # fmt: skip

    def remove_prompt_label(
        self, project_id: str, name: str, label: str, *, actor: str | None, reason: str = ""
    ) -> LabelMove | None:
        """Remove a label (recorded); None when it did not exist."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            prompt = prompts.require(conn, project_id, project, name, lock=True)
            return prompts.remove(conn, prompt, label, actor=actor, reason=reason)

    def list_label_moves(
        self, project_id: str, name: str, *, label: str | None = None, limit: int = 100
    ) -> list[LabelMove]:
        """The prompt's label moves, newest first (NotFoundError when it does not exist)."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            prompt = prompts.require(conn, project_id, project, name)
            return prompts.list_moves(conn, prompt, label=label, limit=limit)

    def undo_label_move(
        self, project_id: str, name: str, move_id: str, *, actor: str | None
    ) -> LabelMove:
        """Put the move's label back where it pointed before, recorded with ``undo_of``
        (ConflictError when the label has moved since)."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            prompt = prompts.require(conn, project_id, project, name, lock=True)
            return prompts.undo(conn, prompt, project, move_id, actor=actor)
