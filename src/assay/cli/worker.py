"""``assay worker``: run background jobs (online scoring, backfills, alerts) in this process.

Any number of workers may run against one PostgreSQL database, on any machines: each claims
jobs with ``SELECT … FOR UPDATE SKIP LOCKED``. On SQLite a worker process works too, but only
one process writes at a time, so extra processes add little. SIGINT or SIGTERM stops claiming,
lets running jobs finish (up to ``--drain-timeout`` seconds) and exits with code 0.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import TYPE_CHECKING

from assay import config
from assay.cli import _server

if TYPE_CHECKING:
    from assay.server.worker import Worker


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``assay worker`` to the command's subparsers."""
    p = sub.add_parser(
        "worker", help="Run background jobs against the same database as the servers."
    )
    p.add_argument("--database-url", help="SQLAlchemy URL (default ASSAY_DATABASE_URL or SQLite).")
    p.add_argument("--data-dir", help="Folder of the embedded SQLite database (default ~/.assay).")
    p.add_argument(
        "--concurrency",
        type=int,
        help="Jobs run at the same time (default ASSAY_WORKER_CONCURRENCY or 8).",
    )
    p.add_argument("--name", help="Name written on the jobs it claims (default host:pid:n).")
    p.add_argument(
        "--drain-timeout",
        type=float,
        default=30.0,
        help="Seconds to let running jobs finish on SIGINT/SIGTERM (default 30).",
    )
    p.set_defaults(module="assay.cli.worker")


def run(args: argparse.Namespace) -> int:
    """Run a worker until SIGINT or SIGTERM; return the exit code."""
    from assay.server.worker import Worker

    level = str(config.get("log_level")).upper()
    logging.basicConfig(level="WARNING", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("assay").setLevel(
        level if level in logging.getLevelNamesMapping() else "INFO"
    )
    url = _server.resolve_database_url(args.database_url, args.data_dir)
    store = _server.open_migrated_store(url)
    try:
        worker = Worker(
            store,
            name=args.name,
            concurrency=config.get("worker_concurrency", args.concurrency),
            public_url=_server.public_url(),
            drain_timeout=max(0.0, args.drain_timeout),
        )
        asyncio.run(_serve(worker, _server.redact(url)))
        print(f"assay worker {worker.name} stopped", flush=True)
    finally:
        store.close()
    return 0


async def _serve(worker: Worker, database: str) -> None:
    """Run ``worker`` until SIGINT or SIGTERM; the line saying it runs comes once both stop it
    cleanly."""
    from assay.server.worker import executor_for

    loop = asyncio.get_running_loop()
    loop.set_default_executor(executor_for(worker))
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(
        f"assay worker {worker.name} running up to {worker.concurrency} jobs at a time "
        f"(database {database}; Ctrl-C to stop)",
        flush=True,
    )
    await worker.run(stop)
