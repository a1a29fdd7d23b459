"""``assay serve``: open the store, migrate it and run the HTTP server in this process."""

from __future__ import annotations

import argparse

from assay import config
from assay.cli import _server


def run(args: argparse.Namespace) -> int:
    """Run the server until SIGINT or SIGTERM; return the exit code."""
    host = str(config.get("host", args.host))
    port = int(config.get("port", args.port))
    _server.check_loopback(host)
    url = _server.resolve_database_url(args.database_url, args.data_dir)
    sock = _server.bind_socket(host, port)
    try:
        store = _server.open_migrated_store(url)
        try:
            server = _server.make_server(store)
            print(
                f"assay serving on {_server.socket_url(sock)} "
                f"(database {_server.redact(url)}; Ctrl-C to stop)",
                flush=True,
            )
            server.run(sockets=[sock])
            if not server.started:
                return 1
        finally:
            store.close()
    finally:
        sock.close()
    return 0
