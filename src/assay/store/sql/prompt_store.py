"""``PromptStore``: the prompt methods of :class:`SqlStore` (issue 7). SQL in :mod:`.prompts`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from assay.schema import LabelMove, Prompt, PromptVersion, PromptVersionIn
from assay.store.sql import prompt_tables  # noqa: F401  (its tables join the metadata)
from assay.store.sql.dialect import Dialect


class SqlPromptStore:
    """Mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method

    def save_prompt_version(
        self, project_id: str, name: str, version: PromptVersionIn, *, author: str | None
    ) -> PromptVersion:
        raise NotImplementedError

    def list_prompts(self, project_id: str) -> list[Prompt]:
        raise NotImplementedError

    def get_prompt(self, project_id: str, name: str) -> Prompt | None:
        raise NotImplementedError

    def update_prompt(self, project_id: str, name: str, changes: dict[str, Any]) -> Prompt:
        raise NotImplementedError

    def delete_prompt(self, project_id: str, name: str) -> bool:
        raise NotImplementedError

    def list_prompt_versions(self, project_id: str, name: str) -> list[PromptVersion]:
        raise NotImplementedError

    def get_prompt_version(
        self,
        project_id: str,
        name: str,
        *,
        version: int | None = None,
        label: str | None = None,
    ) -> PromptVersion | None:
        raise NotImplementedError

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
        raise NotImplementedError

    def remove_prompt_label(
        self, project_id: str, name: str, label: str, *, actor: str | None, reason: str = ""
    ) -> LabelMove | None:
        raise NotImplementedError

    def list_label_moves(
        self, project_id: str, name: str, *, label: str | None = None, limit: int = 100
    ) -> list[LabelMove]:
        raise NotImplementedError

    def undo_label_move(
        self, project_id: str, name: str, move_id: str, *, actor: str | None
    ) -> LabelMove:
        raise NotImplementedError
