"""Who is using a store: `yibao serve` holds a shared mark on it for as long as it serves, and a reset
(`yibao reset`, `yibao serve --fresh`) takes the mark exclusively, so a reset never pulls a store from under a
running gateway, and a gateway never starts on a store being reset.

On an SQLite file the mark is an flock on `<file>.serve-lock` (shared by the serve's supervisor and the workers
and core it forks, which inherit it; the kernel drops it when the last of them exits, even by SIGKILL). On
PostgreSQL it is a session advisory lock keyed by the schema the URL works in (so stores in other schemas of one
database are independent), held on a connection of its own; several gateways on several hosts share it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

from yibao.storage.store import StoreUnusable

ADVISORY_CLASS = 0x59424F  # "YBO": the first key of the advisory lock; the second is the schema's hash
SHARED = text("SELECT pg_try_advisory_lock_shared(:k, hashtext(current_schema()))")
EXCLUSIVE = text("SELECT pg_try_advisory_lock(:k, hashtext(current_schema()))")


class StoreInUse(StoreUnusable):
    """A gateway serves the store (or a reset is running on it); the text says what to do."""


def sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


class ServingMark:
    """Held by `yibao serve` while it serves `url`: `ServingMark(url)` takes it, `release()` lets it go."""

    def __init__(self, url: str) -> None:
        self._fd = -1
        self._engine: Engine | None = None
        self._conn: Connection | None = None
        database = sqlite_file(url)
        if database is not None:
            self._fd = _flock(database, fcntl.LOCK_SH)
            if self._fd < 0:
                raise StoreInUse(f"{shown(url)} is being reset (yibao reset): start the gateway once it is done")
            os.ftruncate(self._fd, 0)
            os.write(self._fd, f"{os.getpid()}\n".encode())  # who serves it, for the refusal's text
        elif make_url(url).get_backend_name() == "postgresql":
            self._engine = create_engine(url, pool_size=1, max_overflow=0)
            self._conn = self._engine.connect()
            if not self._conn.scalar(SHARED, {"k": ADVISORY_CLASS}):
                self.release()
                raise StoreInUse(f"{shown(url)} is being reset (yibao reset): start the gateway once it is done")
            self._conn.commit()  # a session lock outlives the transaction that took it

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


@contextmanager
def exclusively(url: str) -> Iterator[None]:
    """The store to ourselves for a reset, or StoreInUse when a gateway serves it (said with its pid on SQLite)."""
    database = sqlite_file(url)
    if database is not None:
        fd = _flock(database, fcntl.LOCK_EX)
        if fd < 0:
            raise StoreInUse(_serving_text(url, _pid_in(database)))
        try:
            yield
        finally:
            os.close(fd)
        return
    if make_url(url).get_backend_name() != "postgresql":
        yield
        return
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            if not conn.scalar(EXCLUSIVE, {"k": ADVISORY_CLASS}):
                raise StoreInUse(_serving_text(url, None))
            conn.commit()
            yield  # the session lock goes with the connection
    finally:
        engine.dispose()


def _serving_text(url: str, pid: int | None) -> str:
    who = f"a yibao serve (pid {pid})" if pid else "a yibao serve"
    return (
        f"{shown(url)} is in use: {who} is serving it. Stop it first (Ctrl-C, or SIGTERM to its supervisor), then "
        "reset; or restart it with `yibao serve --fresh`"
    )


def _lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".serve-lock")


def _flock(database: Path, kind: int) -> int:
    """An open descriptor holding `kind` on the store's serve-lock file, or -1 when another holds it otherwise."""
    database.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(_lock_path(database), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return -1
    return fd


def _pid_in(database: Path) -> int | None:
    try:
        first = _lock_path(database).read_text().split()
        return int(first[-1]) if first else None
    except (OSError, ValueError):
        return None
