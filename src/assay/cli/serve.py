"""``assay serve``: open the store, migrate it and run the HTTP server in this process.

A job worker runs beside the server on a thread of its own (its own event loop), unless the
``worker`` setting or ``--no-worker`` turns it off; it stops after the server on shutdown. So
does the search indexer, which fills SQLite's text-search index while ingest is quiet.
"""

from __future__ import annotations

import argparse

from assay import config
from assay.cli import _server
from assay.server.search_indexer import SearchIndexer

WORKER_DRAIN_SECONDS = 5.0


def run(args: argparse.Namespace) -> int:
    """Run the server until SIGINT or SIGTERM; return the exit code."""
    host = str(config.get("host", args.host))
    port = int(config.get("port", args.port))
    auth = bool(config.get("auth"))
    _server.check_loopback(host, auth=auth)
    url = _server.resolve_database_url(args.database_url, args.data_dir)
    sock = _server.bind_socket(host, port)
    try:
        store = _server.open_migrated_store(url)
        try:
            if auth:
                _server.warn_if_no_users(store)
            server = _server.make_server(store)
            worker = _server.start_worker(
                store, url=_server.public_url(sock), enabled=getattr(args, "worker", None)
            )
            indexer = SearchIndexer(store).start()
            print(
                f"assay serving on {_server.socket_url(sock)} "
                f"(database {_server.redact(url)}; job worker {'on' if worker else 'off'}; "
                "Ctrl-C to stop)",
                flush=True,
            )
            try:
                server.run(sockets=[sock])
            finally:
                indexer.stop()
                if worker is not None:
                    worker.stop(WORKER_DRAIN_SECONDS)
            if not server.started:
                return 1
        finally:
            store.close()
    finally:
        sock.close()
    return 0
