"""The ``assay`` command: ``assay serve``, ``assay worker``, ``assay db upgrade``, ``assay demo``.

Each subcommand lives in its own module and is imported only when it runs, so ``assay --help``
stays fast and the server's dependencies are needed only by the commands that use them.
Mistakes a user can fix (:class:`~assay.errors.ConfigError`, :class:`~assay.errors.UsageError`,
a port already in use) print one line without a traceback and exit with code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from assay import config
from assay.errors import ConfigError, StoreError, UsageError

__all__ = ["main"]

USER_ERROR_EXIT = 2


def _add_serve(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="Run the assay server (HTTP API and OTLP ingest).")
    p.add_argument("--host", help="Address to bind (default ASSAY_HOST or 127.0.0.1).")
    p.add_argument("--port", type=int, help="Port to listen on; 0 picks a free one (default 8700).")
    p.add_argument("--database-url", help="SQLAlchemy URL (default ASSAY_DATABASE_URL or SQLite).")
    p.add_argument("--data-dir", help="Folder of the embedded SQLite database (default ~/.assay).")
    p.add_argument(
        "--worker",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="Run a job worker in the server process (default ASSAY_WORKER or on); "
        "--no-worker leaves the jobs to `assay worker` processes.",
    )
    p.set_defaults(module="assay.cli.serve")


def _add_db(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("db", help="Database maintenance.")
    db_sub = p.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    up = db_sub.add_parser("upgrade", help="Create or migrate the database schema to the latest.")
    up.add_argument("--database-url", help="SQLAlchemy URL (default ASSAY_DATABASE_URL or SQLite).")
    up.add_argument("--data-dir", help="Folder of the embedded SQLite database (default ~/.assay).")
    up.set_defaults(module="assay.cli.db")


def _add_demo(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo", help="Start a server and fill it with traces from an example support agent."
    )
    p.add_argument("--port", type=int, default=8700, help="Port of the demo server (default 8700).")
    p.add_argument(
        "--data-dir",
        default=".assay-demo",
        help="Folder of the demo database, wiped at start (default ./.assay-demo).",
    )
    p.add_argument(
        "--exit",
        action="store_true",
        help="Stop after the example traces are stored instead of serving until Ctrl-C.",
    )
    p.set_defaults(module="assay.cli.demo")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``assay`` command."""
    parser = argparse.ArgumentParser(
        prog="assay",
        description="assay: tracing, evals and human review for LLM agents.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_serve(sub)
    _add_db(sub)
    _add_demo(sub)
    from assay.cli import datasets, eval, experiments, worker

    worker.add_parser(sub)
    eval.add_parser(sub)
    datasets.add_parser(sub)
    experiments.add_parser(sub)
    from assay.cli import keys

    keys.add_parser(sub)
    from assay.cli import users

    users.add_parser(sub)
    from assay.cli import prompts

    prompts.add_parser(sub)
    return parser


def fail(message: str) -> int:
    """Print a one-line user error to stderr and return the exit code for it."""
    print(f"assay: error: {message}", file=sys.stderr)
    return USER_ERROR_EXIT


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``assay`` command with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    args = build_parser().parse_args(argv)
    module = importlib.import_module(args.module)
    try:
        code: int = module.run(args)
    except (ConfigError, UsageError) as exc:
        return fail(str(exc))
    except StoreError as exc:
        if str(config.get("log_level")).lower() == "debug":
            raise
        print(f"assay: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code
