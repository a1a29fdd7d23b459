"""``SqlAccessStore``: the access methods of :class:`SqlStore` (issue 8)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from assay.store.sql import auth_tables  # noqa: F401  (its tables join the metadata)
from assay.store.sql.dialect import Dialect


class SqlAccessStore:
    """Mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method
