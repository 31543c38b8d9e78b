"""WAL checkpoints off the writer (adapters/storage/checkpoint.py): the writer's connection never checkpoints
inside a commit, a background thread does, and the WAL starts over instead of growing without bound."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from yibao.adapters.storage import checkpoint
from yibao.adapters.storage import schema as t
from yibao.adapters.storage.store import Store, Tx

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
