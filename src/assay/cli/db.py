"""``assay db upgrade``: create the database schema or migrate it to the latest revision."""

from __future__ import annotations

import argparse

from assay.cli import _server


def run(args: argparse.Namespace) -> int:
    """Migrate the database named by the arguments and settings; return the exit code."""
    url = _server.resolve_database_url(args.database_url, args.data_dir)
    store = _server.open_migrated_store(url)
    store.close()
    print(f"database {_server.redact(url)} is up to date")
    return 0
