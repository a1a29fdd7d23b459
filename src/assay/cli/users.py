"""``assay users``: create users, reset passwords and list users, straight in the database.

This is how the first instance admin comes to be (``assay users create EMAIL --admin``), and how
an admin who forgot their password gets back in. It works on the database the server uses
(``--database-url`` / ``--data-dir``, like ``assay worker``); changes are audited with the
actor ``cli``. Passwords are asked for with a hidden prompt on a terminal, else read from the
first line of standard input (``--password-stdin`` forces that).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from assay.cli import _server
from assay.errors import UsageError

if TYPE_CHECKING:
    from assay.store import Store

MIN_PASSWORD = 12
ACTOR = "cli"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``assay users`` and its subcommands to the command's subparsers."""
    p = sub.add_parser("users", help="Create users, reset passwords, list users.")
    users_sub = p.add_subparsers(dest="users_command", required=True, metavar="COMMAND")
    create = users_sub.add_parser("create", help="Create a user (--admin: an instance admin).")
    create.add_argument("email", help="The user's email, used to sign in.")
    create.add_argument("--name", help="The user's display name.")
    create.add_argument("--admin", action="store_true", help="Make an instance admin.")
    reset = users_sub.add_parser(
        "reset-password", help="Set a new password for a user; their sessions end."
    )
    reset.add_argument("email", help="The user's email.")
    listing = users_sub.add_parser("list", help="List the users.")
    for command in (create, reset):
        command.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input (no prompt).",
        )
    for command in (create, reset, listing):
        command.add_argument(
            "--database-url", help="SQLAlchemy URL (default ASSAY_DATABASE_URL or SQLite)."
        )
        command.add_argument(
            "--data-dir", help="Folder of the embedded SQLite database (default ~/.assay)."
        )
    p.set_defaults(module="assay.cli.users")


def run(args: argparse.Namespace) -> int:
    """Run ``assay users <command>``; return the exit code."""
    url = _server.resolve_database_url(args.database_url, args.data_dir)
    store = _server.open_migrated_store(url)
    try:
        if args.users_command == "create":
            return _create(store, args)
        if args.users_command == "reset-password":
            return _reset(store, args)
        return _list(store)
    finally:
        store.close()


def read_password(*, from_stdin: bool) -> str:
    """A new password: prompted twice (hidden) on a terminal, else the first line of stdin."""
    if from_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise UsageError("the two passwords differ; run the command again")
    if len(password) < MIN_PASSWORD:
        raise UsageError(
            f"the password has {len(password)} characters; use at least {MIN_PASSWORD}"
        )
    return password


def _create(store: Store, args: argparse.Namespace) -> int:
    from assay.server.passwords import hash_password

    email = str(args.email).strip().lower()
    if "@" not in email:
        raise UsageError(f"{args.email!r} is not an email address; give one like ada@example.com")
    if store.find_user_by_email(email) is not None:
        raise UsageError(
            f"a user with email {email!r} exists already; "
            f"`assay users reset-password {email}` sets a new password"
        )
    hashed = hash_password(read_password(from_stdin=args.password_stdin))
    user = store.create_user(email, name=args.name, password_hash=hashed, is_admin=args.admin)
    details = {"is_admin": user.is_admin, "name": user.name, "via": "cli"}
    store.record_audit(None, actor=ACTOR, action="user.create", target=user.email, details=details)
    kind = "instance admin" if user.is_admin else "user"
    print(f"created {kind} {user.email} (id {user.id})")
    return 0


def _reset(store: Store, args: argparse.Namespace) -> int:
    from assay.server.passwords import hash_password

    user = store.find_user_by_email(str(args.email))
    if user is None:
        raise UsageError(
            f"no user has email {args.email!r}; `assay users list` shows them, "
            "`assay users create EMAIL` adds one"
        )
    hashed = hash_password(read_password(from_stdin=args.password_stdin))
    store.update_user(user.id, {"password_hash": hashed}, end_sessions=True)
    details = {"password_reset": True, "sessions_ended": True, "via": "cli"}
    store.record_audit(None, actor=ACTOR, action="user.update", target=user.email, details=details)
    print(f"new password set for {user.email}; their sessions have ended")
    return 0


def _list(store: Store) -> int:
    users = store.list_users()
    if not users:
        print("no users yet; `assay users create EMAIL --admin` creates the first admin")
        return 0
    for user in users:
        flags = [f for f, on in (("admin", user.is_admin), ("disabled", user.disabled)) if on]
        name = f" ({user.name})" if user.name else ""
        shown = f"  [{', '.join(flags)}]" if flags else ""
        print(f"{user.email}{name}{shown}")
    return 0
