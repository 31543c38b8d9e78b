"""Who may use the inspector, and what each account may see (docs/security.md, "Inspector access").

Accounts come from a users file (`yibao serve --inspector-users FILE`, written by `yibao inspector add-user`):

    {"format": "yibao-inspector-users/1",
     "users": [{"name": "h1", "role": "institution", "institutions": ["H11010100001"], "password": "scrypt$…"},
               {"name": "ops", "role": "operator", "institutions": "*", "password": "scrypt$…"}]}

An institution account sees its one institution's traffic; an operator (or lab) account the institutions it is
granted, or all ("*"), and then also the transport's refusals that name no institution. Passwords are kept as
salted scrypt hashes (hashlib). A login gives a session cookie signed with HMAC-SHA256 under a secret made at serve
start (shared by the worker processes, forked after it), HttpOnly and SameSite=Strict, valid SESSION_SECONDS; it
also carries a digest of the account's password hash, so a changed password ends the sessions opened with the old.

With no users file on a loopback address, `yibao serve` makes a one-time operator account and prints its password
(`one_time`); bound elsewhere with no users file, the inspector is off.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = "yibao-inspector-users/1"
ROLES = ("institution", "operator")
ALL = "*"
SESSION_SECONDS = 8 * 3600
COOKIE = "yibao_inspector"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # 16 MiB and some 50 ms a try: fine for a login, costly for a guesser
ONE_TIME_USER = "operator"


class UsersFileError(ValueError):
    """A users file that cannot be used; the message names the file, the entry and the field."""


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    role: str  # one of ROLES
    institutions: frozenset[str] | None  # None: every institution
    password: str  # "scrypt$N$r$p$salt$hash", salt and hash base64

    @property
    def sees_all(self) -> bool:
        return self.institutions is None

    def may_see(self, fixmedins_code: str) -> bool:
        return self.institutions is None or fixmedins_code in self.institutions

    def describe(self) -> str:
        scope = "all institutions" if self.institutions is None else ", ".join(sorted(self.institutions))
        return f"{self.name} ({self.role}: {scope})"


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(want))  # fmt: skip
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


_DUMMY = hash_password("no such account")  # compared against for an unknown name, so that it takes as long


class Accounts:
    """The accounts and the session secret of one serve."""

    def __init__(self, accounts: dict[str, Account], secret: bytes | None = None) -> None:
        self.accounts = accounts
        self.secret = secret if secret is not None else os.urandom(32)

    @classmethod
    def load(cls, path: str | Path) -> Accounts:
        return cls(read_users(Path(path)))

    @classmethod
    def one_time(cls) -> tuple[Accounts, str]:
        """An operator account seeing everything, with a password made now: (accounts, password)."""
        password = secrets.token_urlsafe(12)
        account = Account(ONE_TIME_USER, "operator", None, hash_password(password))
        return cls({account.name: account}), password

    def login(self, name: str, password: str) -> Account | None:
        account = self.accounts.get(name)
        ok = check_password(password, account.password if account else _DUMMY)
        return account if ok and account is not None else None

    def cookie_for(self, account: Account, now: float | None = None) -> str:
        expires = int((now if now is not None else time.time()) + SESSION_SECONDS)
        payload = json.dumps({"u": account.name, "e": expires, "p": _fingerprint(account)}, separators=(",", ":"))
        body = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
        return f"{body}.{self._sign(body)}"

    def from_cookie(self, value: str, now: float | None = None) -> Account | None:
        """The account a session cookie belongs to, or None: unsigned, forged, expired, or its password changed."""
        body, _, signature = value.partition(".")
        if not body or not hmac.compare_digest(signature, self._sign(body)):
            return None
        try:
            claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            name, expires, fingerprint = str(claims["u"]), int(claims["e"]), str(claims["p"])
        except (ValueError, KeyError, TypeError):
            return None
        account = self.accounts.get(name)
        if account is None or expires < (now if now is not None else time.time()):
            return None
        return account if hmac.compare_digest(fingerprint, _fingerprint(account)) else None

    def _sign(self, body: str) -> str:
        mac = hmac.new(self.secret, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def _fingerprint(account: Account) -> str:
    return hashlib.sha256(account.password.encode()).hexdigest()[:16]


class LoginThrottle:
    """At most FAILURES failed logins per client address within WINDOW seconds; beyond, that address may not try
    again until the oldest failure is WINDOW old. (Per address, not per name: a guesser cannot lock an account's
    owner out.) Thread-safe; forgets addresses quiet for WINDOW, and holds at most ADDRESSES of them."""

    FAILURES, WINDOW, ADDRESSES = 10, 60.0, 10_000

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def allowed(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client)) < self.FAILURES

    def failed(self, client: str) -> None:
        with self._lock:
            if client not in self._failures and len(self._failures) >= self.ADDRESSES:
                self._failures.pop(next(iter(self._failures)))  # the address that failed longest ago
            self._failures[client] = [*self._recent(client), self.clock()]

    def _recent(self, client: str) -> list[float]:
        since = self.clock() - self.WINDOW
        recent = [t for t in self._failures.get(client, []) if t > since]
        if recent:
            self._failures[client] = recent
        else:
            self._failures.pop(client, None)
        return recent


# -- the users file


def read_users(path: Path) -> dict[str, Account]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise UsersFileError(f"{path}: cannot read: {e.strerror or e}") from e
    except ValueError as e:
        raise UsersFileError(f"{path}: not JSON: {e}") from e
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("users"), list):
        raise UsersFileError(f'{path}: expected {{"format": "{FORMAT}", "users": [...]}}')
    accounts: dict[str, Account] = {}
    for i, entry in enumerate(data["users"]):
        account = _account(entry, f"{path}: users[{i}]")
        if account.name in accounts:
            raise UsersFileError(f"{path}: users[{i}].name: {account.name!r} appears twice")
        accounts[account.name] = account
    return accounts


def _account(entry: Any, where: str) -> Account:
    if not isinstance(entry, dict):
        raise UsersFileError(f"{where}: expected an object")
    for key in ("name", "role", "password"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise UsersFileError(f"{where}.{key}: required, a non-empty string")
    role, granted = entry["role"], entry.get("institutions")
    if role not in ROLES:
        raise UsersFileError(f"{where}.role: {role!r} is not one of {', '.join(ROLES)}")
    if not entry["password"].startswith("scrypt$"):
        raise UsersFileError(f"{where}.password: not a scrypt hash (write entries with `yibao inspector add-user`)")
    if granted == ALL and role == "operator":
        return Account(entry["name"], role, None, entry["password"])
    if not isinstance(granted, list) or not granted or not all(isinstance(c, str) and c for c in granted):
        raise UsersFileError(f'{where}.institutions: a non-empty list of institution codes (or "*" for an operator)')
    if role == "institution" and len(granted) != 1:
        raise UsersFileError(f"{where}.institutions: an institution account has exactly one institution")
    return Account(entry["name"], role, frozenset(granted), entry["password"])


def add_user(path: Path, name: str, password: str, *, institution: str | None, grants: list[str] | None) -> Account:
    """Add (or replace) an account in the users file, creating the file (mode 0600) when missing."""
    accounts = read_users(path) if path.exists() else {}
    if institution is not None:
        account = Account(name, "institution", frozenset({institution}), hash_password(password))
    else:
        account = Account(name, "operator", frozenset(grants) if grants else None, hash_password(password))
    accounts[name] = account
    users = [
        {"name": a.name, "role": a.role,
         "institutions": ALL if a.institutions is None else sorted(a.institutions), "password": a.password}
        for a in accounts.values()
    ]  # fmt: skip
    text = json.dumps({"format": FORMAT, "users": users}, ensure_ascii=False, indent=2) + "\n"
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(partial, path)
    return account
