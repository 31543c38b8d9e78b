"""The inspector's accounts (adapters/yibao/adapters/http/inspector_access.py): the users file, passwords, session
cookies; and what `yibao serve` makes of its inspector options (inspector_cli.prepare)."""

from __future__ import annotations

import argparse
import json
import stat
from pathlib import Path

import pytest

from yibao.adapters.http import inspector_cli
from yibao.adapters.http.inspector_access import (
    FORMAT,
    Accounts,
    LoginThrottle,
    UsersFileError,
    add_user,
    check_password,
    hash_password,
    read_users,
)


def test_passwords_are_salted_scrypt_hashes() -> None:
    one, two = hash_password("s3cret-pass"), hash_password("s3cret-pass")
    assert one != two and one.startswith("scrypt$16384$8$1$")  # a new salt each time
    assert check_password("s3cret-pass", one) and not check_password("s3cret-pasS", one)
    assert not check_password("s3cret-pass", "plain") and not check_password("x", "scrypt$1$2")


def test_add_user_writes_a_private_file_and_replaces_an_account(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    add_user(path, "h1", "password-1", institution="H11000000001", grants=None)
    add_user(path, "ops", "password-2", institution=None, grants=None)
    add_user(path, "lab", "password-3", institution=None, grants=["H11000000001", "H11000000002"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    users = read_users(path)
    assert users["h1"].institutions == frozenset({"H11000000001"}) and users["h1"].role == "institution"
    assert users["ops"].sees_all and users["ops"].role == "operator"
    assert users["lab"].may_see("H11000000002") and not users["lab"].may_see("H11000000009")
    old = Accounts(users)
    cookie = old.cookie_for(users["h1"])
    add_user(path, "h1", "password-4", institution="H11000000001", grants=None)  # a new password
    new = Accounts(read_users(path), old.secret)
    assert new.from_cookie(cookie) is None  # sessions opened with the old password end
    assert new.login("h1", "password-4") == new.accounts["h1"] and new.login("h1", "password-1") is None


@pytest.mark.parametrize(
    ("users", "message"),
    [
        ({"format": "other", "users": []}, "expected {"),
        ({"format": FORMAT, "users": [{"name": "a", "role": "boss", "password": "scrypt$x"}]}, "users[0].role"),
        ({"format": FORMAT, "users": [{"name": "a", "role": "operator", "password": "hunter2"}]}, "not a scrypt"),
        ({"format": FORMAT, "users": [{"role": "operator", "password": "scrypt$x"}]}, "users[0].name: required"),
        (
            {
                "format": FORMAT,
                "users": [{"name": "a", "role": "institution", "institutions": "*", "password": "scrypt$x"}],
            },
            "users[0].institutions",
        ),
        (
            {
                "format": FORMAT,
                "users": [{"name": "a", "role": "institution", "institutions": ["A", "B"], "password": "scrypt$x"}],
            },
            "exactly one institution",
        ),
    ],
)
def test_a_bad_users_file_is_refused_naming_the_entry_and_field(tmp_path: Path, users: object, message: str) -> None:
    path = tmp_path / "users.json"
    path.write_text(json.dumps(users))
    with pytest.raises(UsersFileError, match=message.replace("[", r"\[").replace("{", r"\{")):
        read_users(path)


def test_a_cookie_is_signed_and_expires() -> None:
    accounts, password = Accounts.one_time()
    ops = accounts.login("operator", password)
    assert ops is not None and ops.sees_all
    cookie = accounts.cookie_for(ops, now=1_000_000)
    assert accounts.from_cookie(cookie, now=1_000_000 + 60) == ops
    assert accounts.from_cookie(cookie, now=1_000_000 + 9 * 3600) is None  # past SESSION_SECONDS
    body, signature = cookie.split(".")
    assert accounts.from_cookie(f"{body}.{signature[::-1]}", now=1_000_060) is None
    assert accounts.from_cookie("", now=1_000_060) is None and accounts.from_cookie("a.b.c") is None


def serve_args(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    inspector_cli.add_serve_arguments(p)
    return p.parse_args(list(argv))


def test_serve_makes_a_one_time_operator_on_loopback_and_is_off_elsewhere(tmp_path: Path) -> None:
    args = serve_args()
    assert inspector_cli.prepare(args) is None
    password = args.inspector_note.split("password ", 1)[1].split(" ", 1)[0]
    assert args.inspector_accounts.login("operator", password) is not None
    args = serve_args("--host", "0.0.0.0")
    assert inspector_cli.prepare(args) is None and args.inspector_accounts is None
    assert "not a loopback address" in args.inspector_note
    args = serve_args("--no-inspector")
    assert inspector_cli.prepare(args) is None and args.inspector_accounts is None
    missing = serve_args("--inspector-users", str(tmp_path / "none.json"))
    assert "cannot read" in (inspector_cli.prepare(missing) or "")
    path = tmp_path / "users.json"
    add_user(path, "h1", "password-1", institution="H11000000001", grants=None)
    args = serve_args("--host", "0.0.0.0", "--inspector-users", str(path))
    assert inspector_cli.prepare(args) is None and set(args.inspector_accounts.accounts) == {"h1"}


def test_failed_logins_are_throttled_per_address() -> None:
    now = [1000.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(LoginThrottle.FAILURES):
        assert throttle.allowed("10.0.0.1")
        throttle.failed("10.0.0.1")
    assert not throttle.allowed("10.0.0.1") and throttle.allowed("10.0.0.2")  # another address is not held back
    now[0] += LoginThrottle.WINDOW + 1
    assert throttle.allowed("10.0.0.1")
