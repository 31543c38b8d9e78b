"""Test support: inspector accounts, and a browser-like client that logs in and keeps its session cookie.

The test server (conftest's `inspected` fixture) serves the inspector with ACCOUNTS: an operator seeing all, and
one account per test-world institution that sees only its own traffic."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlencode

from http_lab import HttpHis

from yibao.adapters.http.inspector_access import Account, Accounts, hash_password

PASSWORD = "correct horse battery staple"
HOSPITAL, PHARMACY_OR_OTHER = "H11000000001", "H11000000002"
USERS = {"ops": ("operator", None), "h1": ("institution", HOSPITAL), "h2": ("institution", PHARMACY_OR_OTHER)}


@functools.cache
def accounts() -> Accounts:
    """Made once per test process: scrypt is slow on purpose."""
    hashed = hash_password(PASSWORD)
    return Accounts(
        {
            name: Account(name, role, None if code is None else frozenset({code}), hashed)
            for name, (role, code) in USERS.items()
        }
    )


class Browser:
    """GETs and form POSTs against the inspector over `his`'s connection, with the session cookie once logged in."""

    def __init__(self, his: HttpHis) -> None:
        self.his = his
        self.cookie = ""

    def login(self, name: str, password: str = PASSWORD) -> int:
        form = urlencode({"name": name, "password": password, "next": "/inspector"}).encode()
        status, _, headers = self.his.request(
            "POST", "/inspector/login", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        cookie = headers.get("set-cookie", "")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return status

    def get(self, path: str) -> tuple[int, bytes, dict[str, str]]:
        return self.his.request("GET", path, headers={"Cookie": self.cookie} if self.cookie else {})

    def page(self, path: str) -> tuple[int, str]:
        status, raw, headers = self.get(path)
        assert headers["content-type"].startswith("text/html"), headers
        return status, raw.decode()


def row_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="tx-(\d+)">', html)]
