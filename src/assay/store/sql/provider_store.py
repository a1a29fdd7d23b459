"""``ProviderStore``: the provider keys of :class:`SqlStore` (issue 7), encrypted by the server."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from assay.schema import ProviderKey
from assay.store.prompts import ProviderSecret
from assay.store.sql import prompt_tables  # noqa: F401  (its tables join the metadata)
from assay.store.sql.dialect import Dialect


class SqlProviderStore:
    """Mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method

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
        raise NotImplementedError

    def list_provider_keys(self, project_id: str) -> list[ProviderKey]:
        raise NotImplementedError

    def get_provider_secret(self, project_id: str, name: str) -> ProviderSecret | None:
        raise NotImplementedError

    def delete_provider_key(self, project_id: str, name: str) -> bool:
        raise NotImplementedError
