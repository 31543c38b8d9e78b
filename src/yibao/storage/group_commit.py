"""Group commit for SQLite: one writer thread runs the queued units of work in one transaction, a
SAVEPOINT each, and commits (one fsync) for the whole group before any of them is answered.

SQLite has one writer at a time, so calls would otherwise queue for the lock and pay an fsync each;
here a call that arrives while a group is committing joins the next group, which forms by itself
(no waiting window: at low load a group is one call). Each unit keeps its own all-or-nothing: a unit
that raises is rolled back to its savepoint and gets its exception; the others are unaffected. A
crash before the COMMIT loses the whole group, none of which was answered. PostgreSQL needs none of
this: its transactions run concurrently and it groups commits itself.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Connection, Engine, RootTransaction

from yibao.storage import faults
from yibao.storage.prepared import Driver, driver
from yibao.storage.write_failures import CommitUncertain

log = logging.getLogger("yibao.store")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
X = TypeVar("X")  # the transaction a unit of work is given (yibao.storage.store.Tx)
MAX_GROUP = 64  # units per transaction: bounds how long the first of a group waits for the last


def in_savepoint(raw: Driver, tx: X, work: Callable[[X], T]) -> tuple[T] | Exception:
    """Run `work(tx)` inside the open transaction of the DB-API connection `raw`, all or nothing:
    (its result,), or its exception with its writes rolled back."""
    raw.execute("SAVEPOINT unit")
    try:
        result = work(tx)
        faults.hit("write")  # a disk error on the unit's last write: everything it wrote must go
        return (result,)
    except Exception as e:
        raw.execute("ROLLBACK TO unit")
        return e
    finally:
        raw.execute("RELEASE unit")


class Unit(Generic[X, T_co]):
    """One caller's unit of work and, once the group is committed, its result or exception."""

    __slots__ = ("_done", "error", "outcome", "work")

    def __init__(self, work: Callable[[X], T_co]) -> None:
        self.work = work
        self.outcome: tuple[T_co] | None = None  # (the work's result,) once it returned
        self.error: BaseException | None = None
        self._done = threading.Lock()
        self._done.acquire()

    def run(self, raw: Driver, tx: X) -> None:
        outcome = in_savepoint(raw, tx, self.work)
        if isinstance(outcome, Exception):
            self.error = outcome
        else:
            self.outcome = outcome

    def finish(self) -> None:
        self._done.release()

    def wait(self) -> T_co:
        self._done.acquire()
        if self.error is not None:
            raise self.error
        if self.outcome is None:
            raise RuntimeError("a unit of work finished without running")
        return self.outcome[0]


@dataclass
class Stats:
    groups: int = 0
    units: int = 0
    largest: int = 0


class GroupCommitter(Generic[X]):
    def __init__(
        self,
        engine: Engine,
        make_tx: Callable[[Connection], X],
        lock: AbstractContextManager[object, None],
        setup: Callable[[Driver], None] = lambda raw: None,
        after: Callable[[Driver], None] = lambda raw: None,
    ) -> None:
        """`setup(dbapi_connection)` prepares the writer's connection, `after(dbapi_connection)` runs after each
        group's commit (src/yibao/storage/checkpoint.py)."""
        self._engine, self._make_tx, self._lock, self._setup, self._after = engine, make_tx, lock, setup, after
        self._queue: deque[Unit[X, object]] = deque()
        self._ready = threading.Condition(threading.Lock())
        self._closed = False
        self.stats = Stats()
        self._thread = threading.Thread(target=self._run, name="yibao-group-commit", daemon=True)
        self._thread.start()

    def submit(self, work: Callable[[X], T]) -> T:
        """Run `work(tx)` in the next group; returns its result once the group is durable."""
        unit: Unit[X, T] = Unit(work)
        with self._ready:
            if self._closed:
                raise RuntimeError("the store is closed")
            self._queue.append(unit)
            self._ready.notify()
        return unit.wait()

    def queued(self) -> int:
        """Units waiting for the next group."""
        with self._ready:
            return len(self._queue)

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify()
        self._thread.join(timeout=30)

    def _take(self) -> list[Unit[X, object]] | None:
        with self._ready:
            while not self._queue:
                if self._closed:
                    return None
                self._ready.wait()
            group = [self._queue.popleft() for _ in range(min(MAX_GROUP, len(self._queue)))]
        self.stats.groups += 1
        self.stats.units += len(group)
        self.stats.largest = max(self.stats.largest, len(group))
        return group

    def _connect(self) -> Connection:
        conn = self._engine.connect()
        self._setup(driver(conn))
        return conn

    def _run(self) -> None:
        conn = self._connect()
        try:
            while (group := self._take()) is not None:
                try:
                    self._commit(conn, group)
                except BaseException as e:  # the group failed as a whole: nobody's writes were kept
                    log.exception("group commit failed (%d units)", len(group))
                    for unit in group:
                        unit.error = unit.error or e
                    conn.invalidate()
                    conn.close()
                    conn = self._connect()
                finally:
                    for unit in group:
                        unit.finish()
                try:  # after the answers
                    self._after(driver(conn))
                except Exception:
                    log.exception("after a group commit")
        finally:
            conn.close()

    def _commit(self, conn: Connection, group: list[Unit[X, object]]) -> None:
        raw = driver(conn)
        with self._lock:
            transaction = conn.begin()  # BEGIN IMMEDIATE (src/yibao/storage/store.py)
            try:
                tx = self._make_tx(conn)
                for unit in group:
                    unit.run(raw, tx)
            except BaseException:
                transaction.rollback()
                raise
            commit(transaction)  # one fsync for the whole group


def commit(transaction: RootTransaction) -> None:
    """Commit, or raise CommitUncertain: a commit that fails may have taken effect (write_failures.py)."""
    try:
        faults.hit("commit-before")
        transaction.commit()
        faults.hit("commit-after")
    except Exception as e:
        raise CommitUncertain(f"the commit failed and may or may not have taken effect: {e}") from e
