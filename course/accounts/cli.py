"""``python -m course users ...``: create tutor (or learner) accounts and reset passwords.

Tutor accounts exist only through this command, so no default password ever ships. The
password is read without echo from the terminal, or from stdin with ``--password-stdin``
(for scripts), never from a command-line argument where ``ps`` could see it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from course.errors import MesoError


def _read_password(args: argparse.Namespace, ask: Callable[[str], str]) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = ask("New password: ")
    if first != ask("Repeat the password: "):
        raise MesoError("The two passwords differ.")
    return first


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``users add|reset|list``: the only way to create a tutor, so none ships with the course."""
    users = commands.add_parser("users", help="create accounts and reset passwords")
    actions = users.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="create an account (a tutor with --tutor)")
    add.add_argument("login")
    add.add_argument("--name", help="display name (default: the login)")
    add.add_argument("--tutor", action="store_true", help="give the account the tutor role")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(run=run_users)
    reset = actions.add_parser("reset", help="set a new password (and optionally make a tutor)")
    reset.add_argument("login")
    reset.add_argument("--tutor", action="store_true", help="also give the account the tutor role")
    reset.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    reset.set_defaults(run=run_users)
    listing = actions.add_parser("list", help="list accounts and roles (never passwords)")
    listing.set_defaults(run=run_users)


def run_users(args: argparse.Namespace, ask: Callable[[str], str] = getpass.getpass) -> int:
    """Carry out one ``users`` action; ``ask`` reads a password without echo (tests pass their own).

    The accounts module (pandas, the password hash) loads here, not when the parser is built,
    so ``python -m course check`` never pays for it.
    """
    from course.accounts.accounts import Accounts, Role  # noqa: PLC0415
    from course.store.factory import open_store  # noqa: PLC0415

    try:
        accounts = Accounts(open_store())
        if args.action == "list":
            for account in accounts.all().values():
                print(f"{account.login}\t{account.role.value}\t{account.display_name}")
            for problem in accounts.problems():
                print(f"warning: {problem}", file=sys.stderr)
            return 0
        password = _read_password(args, ask)
        role = Role.TUTOR if args.tutor else None
        if args.action == "add":
            account = accounts.create(args.login, args.name or args.login, password, role or Role.LEARNER)
            print(f"created {account.role.value} account '{account.login}'")
        else:
            account = accounts.set_password(args.login, password, role)
            print(f"password reset for '{account.login}' ({account.role.value}); every session of it is signed out")
    except MesoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
