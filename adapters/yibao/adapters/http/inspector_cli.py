"""The inspector's part of the command line: `yibao serve --no-inspector | --inspector-users FILE`, and
`yibao inspector add-user NAME (--institution CODE | --operator [--grant CODE ...]) --users FILE`.

`prepare` runs in the serve's first process, before any worker is forked, so that every worker shares the session
secret (a cookie made by one is good at all) and the one-time password. Nothing here imports gRPC.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yibao.adapters.http.inspector_access import Accounts, UsersFileError, add_user
from yibao.gateway.tls import is_loopback

if TYPE_CHECKING:
    from yibao.adapters.http.inspector import Inspector
    from yibao.adapters.http.traffic import TrafficLog

DEFAULT_USERS = "inspector-users.json"


def add_serve_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-inspector", dest="inspector", action="store_false",
                   help="do not serve the transaction inspector (/inspector answers 404)")  # fmt: skip
    p.add_argument("--inspector-users", default=None, metavar="FILE",
                   help="the inspector's accounts (`yibao inspector add-user`; docs/security.md, Inspector access); "
                   "default: on a loopback address a one-time operator password printed at start, elsewhere "
                   "the inspector is off")  # fmt: skip


def add_command(sub: Any) -> None:
    p = sub.add_parser("inspector", help="the inspector's accounts (docs/security.md, Inspector access)")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("add-user", help="add an account to a users file, or change its password and grants")
    a.add_argument("name")
    who = a.add_mutually_exclusive_group(required=True)
    who.add_argument("--institution", metavar="CODE", help="an institution's account: sees its own traffic only")
    who.add_argument("--operator", action="store_true", help="an operator's or lab's account: sees what it is granted")
    a.add_argument("--grant", action="append", metavar="CODE",
                   help="with --operator: an institution it may see (repeat); none: every institution")  # fmt: skip
    a.add_argument("--users", default=DEFAULT_USERS, metavar="FILE", help="the users file (created mode 0600)")
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    a.set_defaults(func=add_user_command)


def add_user_command(args: argparse.Namespace) -> int:
    if args.grant and not args.operator:
        print("yibao inspector add-user: --grant goes with --operator", file=sys.stderr)
        return 2
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            print("yibao inspector add-user: the passwords differ", file=sys.stderr)
            return 2
    if len(password) < 8:
        print("yibao inspector add-user: a password has at least 8 characters", file=sys.stderr)
        return 2
    try:
        account = add_user(Path(args.users), args.name, password, institution=args.institution, grants=args.grant)
    except UsersFileError as e:
        print(f"yibao inspector add-user: {e}", file=sys.stderr)
        return 2
    print(f"{args.users}: {account.describe()}")
    return 0


def prepare(args: argparse.Namespace) -> str | None:
    """Set `args.inspector_accounts` (None: no inspector) and `args.inspector_note` (for the banner); an error
    message when the users file cannot be used."""
    args.inspector_accounts, args.inspector_note = None, "inspector off (--no-inspector)"
    if not getattr(args, "inspector", True):
        return None
    if args.inspector_users:
        try:
            args.inspector_accounts = Accounts.load(args.inspector_users)
        except UsersFileError as e:
            return f"cannot load the inspector's users: {e}"
        args.inspector_note = f"inspector at /inspector: {len(args.inspector_accounts.accounts)} accounts"
    elif is_loopback(args.host):
        args.inspector_accounts, password = Accounts.one_time()
        args.inspector_note = (
            f"inspector at /inspector: user operator, password {password} (this run only; "
            "--inspector-users FILE for lasting accounts)"
        )
    else:
        args.inspector_note = (
            f"inspector off: {args.host} is not a loopback address and no --inspector-users file was given"
        )
    return None


def build(args: argparse.Namespace, store: Any, world: Any, routes: Any) -> tuple[Inspector | None, TrafficLog | None]:
    """This process's inspector and its log of raw HTTP requests, or (None, None) when the inspector is off."""
    accounts = getattr(args, "inspector_accounts", None)
    if accounts is None:
        return None, None
    from yibao.adapters.http.inspector import Inspector
    from yibao.adapters.http.traffic import TrafficLog

    traffic = TrafficLog()
    return Inspector(store, world, routes, accounts, traffic), traffic
