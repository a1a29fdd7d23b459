"""``assay keys create|list|revoke``: project API keys straight in the database.

For bootstrapping CI and programs on a server with authentication on, before anyone uses the
web UI. The secret of a new key is printed once (alone on stdout, so ``KEY=$(assay keys
create …)`` works) and stored only as a hash. Changes go to the audit log with actor ``cli``.
"""

from __future__ import annotations

import argparse
import sys

from assay.cli import _server
from assay.errors import UsageError
from assay.schema.auth import ROLES

_ACTOR = "cli"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``assay keys`` to the command's subparsers."""
    p = sub.add_parser("keys", help="Create, list and revoke project API keys.")
    keys_sub = p.add_subparsers(dest="keys_command", required=True, metavar="COMMAND")
    create = keys_sub.add_parser("create", help="Make a key and print its secret (shown once).")
    create.add_argument("--project", required=True, help="Project the key acts in (created).")
    create.add_argument("--name", required=True, help="A name saying who uses it, e.g. ci.")
    create.add_argument("--role", choices=ROLES, default="engineer", help="Default engineer.")
    listing = keys_sub.add_parser("list", help="List a project's keys (never their secrets).")
    listing.add_argument("--project", required=True)
    revoke = keys_sub.add_parser("revoke", help="Revoke a key by id; it stops working at once.")
    revoke.add_argument("--project", required=True)
    revoke.add_argument("key_id")
    for parser in (create, listing, revoke):
        parser.add_argument("--database-url", help="SQLAlchemy URL (default ASSAY_DATABASE_URL).")
        parser.add_argument("--data-dir", help="Folder of the embedded SQLite database.")
    p.set_defaults(module="assay.cli.keys")


def run(args: argparse.Namespace) -> int:
    """Run one ``assay keys`` command; return the exit code."""
    url = _server.resolve_database_url(args.database_url, args.data_dir)
    store = _server.open_migrated_store(url)
    try:
        project = str(args.project).strip()
        if not project or len(project) > 200:
            raise UsageError(f"--project {args.project!r} must be 1 to 200 characters")
        if args.keys_command == "create":
            project_id = store.ensure_project(project)
            created = store.create_api_key(project_id, args.name, args.role, _ACTOR)
            store.record_audit(
                project_id,
                actor=_ACTOR,
                action="key.create",
                target=args.name,
                details={"key_id": created.id, "role": args.role},
            )
            print(f"key {created.id} ({args.role}) for project {project!r}:", file=sys.stderr)
            print(created.secret, flush=True)
            print("it is shown this once; send it as Authorization: Bearer …", file=sys.stderr)
            return 0
        found = store.find_project(project)
        if found is None:
            raise UsageError(f"project {project!r} does not exist")
        project_id = found
        if args.keys_command == "list":
            for key in store.list_api_keys(project_id):
                state = "revoked" if key.revoked_at else "active"
                print(f"{key.id}  {key.prefix}…  {key.role:9}  {state:7}  {key.name}")
            return 0
        revoked = store.revoke_api_key(project_id, args.key_id)
        if revoked is None:
            raise UsageError(f"project {project!r} has no key {args.key_id!r}")
        store.record_audit(
            project_id,
            actor=_ACTOR,
            action="key.revoke",
            target=revoked.name,
            details={"key_id": revoked.id},
        )
        print(f"key {revoked.id} ({revoked.name}) is revoked")
        return 0
    finally:
        store.close()
