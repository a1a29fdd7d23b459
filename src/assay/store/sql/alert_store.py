"""``AlertStore``: the alert methods of :class:`SqlStore` (issue 9)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from assay.store.sql.dialect import Dialect


class SqlAlertStore:
    """Mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method
