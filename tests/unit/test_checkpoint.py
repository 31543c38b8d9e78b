"""WAL checkpoints off the writer (src/yibao/storage/checkpoint.py): the writer's connection never checkpoints
inside a commit, a background thread does, and the WAL starts over instead of growing without bound."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from yibao.storage import checkpoint
from yibao.storage import schema as t
from yibao.storage.store import Store, Tx

ADD = insert(t.signin)
COUNT = select(func.count()).select_from(t.signin)


def add(n: int) -> object:
    def work(tx: Tx) -> None:
        tx.insert(ADD, {"sign_no": f"S{n:06d}", "fixmedins_code": "H1", "opter_no": "O" * 30, "mac": "M" * 30,
                        "ip": "I" * 30, "sign_time": "2026-03-15 10:00:00", "signout_time": None})  # fmt: skip

    return work


def test_the_writer_does_not_checkpoint_and_the_wal_starts_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoint, "INTERVAL", 0.005)
    monkeypatch.setattr(checkpoint, "RESTART_FRAMES", 40)
    db = tmp_path / "c.db"
    store = Store(f"sqlite:///{db}")
    try:
        largest = 0
        for n in range(3000):
            store.transact(add(n))  # type: ignore[arg-type]
            largest = max(largest, db.with_name("c.db-wal").stat().st_size)
        committer = store._committer
        assert committer is not None
        with committer._connect() as conn:  # a connection made as the writer's is
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        assert store._checkpointer is not None and store._checkpointer.checkpoints > 0
        with store.read() as tx:
            assert tx.scalar(COUNT, {}) == 3000
    finally:
        store.close()
    # 3000 commits of a page or two each would make a WAL of 12+ MB if it never started over
    assert largest < 4 * 2**20, largest


def insert_signin(raw: sqlite3.Connection, sign_no: str) -> None:
    raw.execute("INSERT INTO signin (sign_no, fixmedins_code, opter_no, mac, ip, sign_time) VALUES (?, 'H1', "
                "'O', 'M', 'I', '2026-03-15 10:00:00')", (sign_no,))  # fmt: skip


def fill_wal(db: Path, past: int, prefix: str = "F") -> sqlite3.Connection:
    """Commit rows (sign_no `prefix`+number) on a connection set up as the writer's until the WAL file is longer
    than `past` bytes."""
    raw = sqlite3.connect(db, isolation_level=None)
    checkpoint.writer_setup(raw)
    wal, n = db.with_name(db.name + "-wal"), 0
    while not wal.exists() or wal.stat().st_size <= past:
        insert_signin(raw, f"{prefix}{n:08d}")
        n += 1
    return raw


def empty_wal(db: Path) -> None:
    """Copy the WAL into the database and cut it to nothing (retried while the store's own checkpointer,
    running a pass, keeps it busy)."""
    raw = sqlite3.connect(db, isolation_level=None)
    try:
        for _ in range(1000):
            busy, _, _ = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                break
            time.sleep(0.01)
    finally:
        raw.close()
    assert db.with_name(db.name + "-wal").stat().st_size == 0


@pytest.fixture
def idle_checker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[checkpoint.Checkpointer]:
    """A checkpointer whose interval never comes (it passes only when asked), on a store whose WAL starts over
    at 40 frames."""
    monkeypatch.setattr(checkpoint, "RESTART_FRAMES", 40)
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    # Creating the schema leaves a WAL longer than 40 frames (the tables grow with the platform); the tests
    # start from an empty one, so the lengths they fill to are the only ones the checker sees.
    empty_wal(tmp_path / "c.db")
    checker = checkpoint.Checkpointer(store.engine, str(tmp_path / "c.db-wal"), interval=3600)
    yield checker
    checker.close()
    store.close()


def passes_reach(checker: checkpoint.Checkpointer, count: int) -> bool:
    deadline = time.monotonic() + 10
    while checker.checkpoints < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return checker.checkpoints >= count


def test_the_writer_finishes_only_after_a_background_pass_it_asked_for(
    tmp_path: Path, idle_checker: checkpoint.Checkpointer
) -> None:
    raw = fill_wal(tmp_path / "c.db", checkpoint.restart_bytes())
    try:
        assert idle_checker.checkpoints == 0
        assert not idle_checker.due()  # too long, but first the background thread is asked for a pass...
        assert passes_reach(idle_checker, 1)  # ...which it makes at once, not an hour later
        assert idle_checker.due()  # now the writer finishes what the pass left
        idle_checker.finish(raw)
        insert_signin(raw, "after")
        assert (tmp_path / "c.db-wal").stat().st_size <= checkpoint.restart_bytes()  # the WAL started over
        assert not idle_checker.due()
        assert idle_checker.checkpoints == 1  # and nobody asked for another pass
    finally:
        raw.close()


def test_without_background_passes_the_writer_finishes_at_twice_the_size(
    tmp_path: Path, idle_checker: checkpoint.Checkpointer
) -> None:
    idle_checker.close()  # a background thread that makes no pass
    raw = fill_wal(tmp_path / "c.db", checkpoint.restart_bytes())
    try:
        assert not idle_checker.due() and not idle_checker.due()  # waiting for a pass that does not come...
        raw.close()
        raw = fill_wal(tmp_path / "c.db", 2 * checkpoint.restart_bytes(), prefix="G")
        assert idle_checker.due()  # ...but not past twice the size
    finally:
        raw.close()
