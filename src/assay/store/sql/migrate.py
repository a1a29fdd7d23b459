"""Alembic, configured in code: the revisions ship inside ``assay.store.migrations``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

import assay.store.migrations
from assay.store.sql.dialect import Dialect
from assay.store.sql.engine import writing

MIGRATIONS_DIR = Path(assay.store.migrations.__file__).parent


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@cache
def heads() -> frozenset[str]:
    """The head revisions of the shipped migrations."""
    return frozenset(ScriptDirectory.from_config(_config()).get_heads())


def current(engine: Engine) -> frozenset[str]:
    """The revisions the database is at (empty for a new database)."""
    with engine.connect() as conn:
        return frozenset(MigrationContext.configure(conn).get_current_heads())


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision; nearly free when it is already there."""
    if current(engine) == heads():
        return
    with writing(engine) as conn:
        Dialect(engine.dialect.name).lock_migrations(conn)
        cfg = _config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
