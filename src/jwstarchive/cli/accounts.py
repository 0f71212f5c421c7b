"""`jwstarchive user add` and `jwstarchive token create`: accounts of a local archive.

Both write to the archive's server state, so a running server sees the change at once.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from jwstarchive.errors import ArchiveError, InputError

__all__ = ["register"]


def _archive(path: Path | None) -> Path:
    from jwstarchive.catalog.generate import demo_archive

    archive = path if path is not None else demo_archive(None)
    if not (archive / "catalog.duckdb").is_file():
        raise ArchiveError(f"{archive} is not an archive: create one with `jwstarchive generate --out {archive}`")
    return archive


def _accounts(path: Path | None) -> Any:
    from jwstarchive.catalog.store import open_store
    from jwstarchive.server.accounts import Accounts
    from jwstarchive.server.settings import Settings
    from jwstarchive.server.state import StateDB

    archive = _archive(path)
    return Accounts(StateDB(Settings(archive=archive).state_path), open_store(archive))


def _user_add(args: argparse.Namespace) -> int:
    password = args.password
    if password is None:
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass(f"password for {args.name}: ")
            if getpass.getpass("again: ") != password:
                raise InputError("the two passwords differ; run the command again")
    accounts = _accounts(args.archive)
    accounts.add_user(args.name, password)
    held = sorted(accounts.granted_programs(args.name))
    print(f"user {args.name} added" + (f"; holds exclusive access to {', '.join(held)}" if held else ""))
    return 0


def _token_create(args: argparse.Namespace) -> int:
    token = _accounts(args.archive).create_token(args.user, days=args.days)
    print(token)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``user`` and ``token`` to ``sub``."""
    user = sub.add_parser("user", help="manage the local archive's users (ESA login)")
    user_sub = user.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = user_sub.add_parser("add", help="create a user (the password is stored hashed)")
    add.add_argument("name")
    add.add_argument("--password", help="the password (default: asked, or read from standard input)")
    add.add_argument("--archive", type=Path, help="archive directory (default: the demo archive)")
    add.set_defaults(handler=_user_add)

    token = sub.add_parser("token", help="manage MAST-style API tokens of the local archive")
    token_sub = token.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = token_sub.add_parser("create", help="print a new token for a user (stored hashed)")
    create.add_argument("--user", required=True, help="the user the token acts for")
    create.add_argument("--days", type=float, default=10, help="days until it expires (default 10)")
    create.add_argument("--archive", type=Path, help="archive directory (default: the demo archive)")
    create.set_defaults(handler=_token_create)
