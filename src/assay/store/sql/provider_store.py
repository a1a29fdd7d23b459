"""``ProviderStore``: the provider keys of :class:`SqlStore` (issue 7), encrypted by the server.
SQL in :mod:`.providers`."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from assay.schema import ProviderKey
from assay.store.prompts import ProviderSecret
from assay.store.sql import engine as engines
from assay.store.sql import (
    prompt_tables,  # noqa: F401  (its tables join the metadata)
    providers,
)
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
        """Create or replace a provider. ``key_cipher``/``key_hint`` None keep the stored key
        (a new provider without a key has none: a local model server, say)."""
        fields = {"kind": kind, "base_url": base_url, "updated_by": actor}
        with engines.writing(self.engine) as conn:
            self._project_name(conn, project_id)
            row = providers.put(
                conn,
                self.dialect,
                project_id,
                name,
                fields=fields,
                key_cipher=key_cipher,
                key_hint=key_hint,
            )
            return providers.to_model(row)

    def list_provider_keys(self, project_id: str) -> list[ProviderKey]:
        """The project's providers by name, keys masked."""
        with engines.reading(self.engine) as conn:
            return [providers.to_model(row) for row in providers.list_rows(conn, project_id)]

    def get_provider_secret(self, project_id: str, name: str) -> ProviderSecret | None:
        """A provider with its encrypted key, or None."""
        with engines.reading(self.engine) as conn:
            row = providers.find(conn, project_id, name)
            return None if row is None else providers.to_secret(row)

    def delete_provider_key(self, project_id: str, name: str) -> bool:
        """Forget a provider; False when there was none."""
        with engines.writing(self.engine) as conn:
            return providers.delete(conn, project_id, name)
