"""``assay experiments push FILE``: upload an experiment that ran without a server."""

from __future__ import annotations

import argparse
import sys

from assay.errors import ServerUnavailableError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``assay experiments`` to the command's subparsers."""
    p = sub.add_parser("experiments", help="Upload experiments written to local files.")
    ex = p.add_subparsers(dest="experiments_command", required=True, metavar="COMMAND")
    push = ex.add_parser("push", help="Upload a .assay/experiments/*.jsonl file to the server.")
    push.add_argument("file", metavar="FILE", help="The experiment file Eval wrote.")
    push.add_argument("--api-url", help="Server URL (default ASSAY_API_URL).")
    push.set_defaults(module="assay.cli.experiments")


def run(args: argparse.Namespace) -> int:
    """Entry point of ``assay experiments``."""
    from assay.evals._api import ApiClient, ApiError
    from assay.evals._report import push_file

    api = ApiClient(args.api_url)
    try:
        exp = push_file(args.file, api)
    except (ApiError, ServerUnavailableError) as exc:
        print(f"assay: error: {exc}", file=sys.stderr)
        return 1
    finally:
        api.close()
    print(
        f"pushed experiment {exp.name!r} to project {exp.project!r}: {exp.case_count} cases, "
        f"status {exp.status}"
    )
    return 0
