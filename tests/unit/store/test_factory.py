"""open_store: URLs it accepts, folders it makes, and a schema that matches the code."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from assay.errors import ConfigError
from assay.store import open_store
from assay.store.sql import SqlStore, search
from assay.store.sql.tables import metadata


def test_sqlite_url_creates_missing_folders(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "assay.db"
    store = open_store(f"sqlite:///{path}")
    store.migrate()
    assert path.is_file()
    store.close()


def test_default_url_is_sqlite_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ASSAY_DATABASE_URL", raising=False)
    store = open_store()
    store.migrate()
    assert (tmp_path / "data" / "assay.db").is_file()
    store.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://localhost/db", "scheme 'mysql'"),
        ("sqlite://", "names no database file"),
        ("sqlite:///:memory:", "names no database file"),
        ("::::", "not a database URL"),
    ],
)
def test_unusable_urls_are_config_errors(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        open_store(url)


def test_plain_postgresql_urls_use_psycopg(db_url: str, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    plain = db_url.replace("postgresql+psycopg://", "postgresql://")
    store = open_store(plain)
    assert isinstance(store, SqlStore)
    assert store.engine.url.drivername == "postgresql+psycopg"
    store.migrate()
    assert store.ensure_project("p")
    store.close()


def _not_full_text_index(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave out the text-search indexes no Table object describes: SQLite's FTS5 table with
    its shadow tables, and PostgreSQL's trigram index (made only when pg_trgm can be)."""
    if type_ == "index":
        return name != search.TRGM_INDEX
    fts = search.FTS_TABLE
    is_fts = name is not None and (name == fts or name.startswith(fts + "_"))
    return not (type_ == "table" and is_fts and name != search.STATE_TABLE)


def test_migrations_make_exactly_the_schema_the_code_uses(db_url: str) -> None:
    store = open_store(db_url)
    store.migrate()
    assert isinstance(store, SqlStore)
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": _not_full_text_index})
        diff = compare_metadata(context, metadata)
        tables = set(sa.inspect(conn).get_table_names())
    assert diff == []
    assert {"projects", "spans", "open_spans", "traces", "blobs"} <= tables
    store.close()
