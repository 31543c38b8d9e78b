"""The settlement core process (adapters/yibao/adapters/core_process.py) run in a thread: a group's commit does not wait
for the disk, but no call is answered before the WAL holding it is durable; a disk that refuses stops the core
and the calls are answered STORE_OUTCOME_UNKNOWN (committed, not known durable); the WAL fsync itself
(src/yibao/storage/wal_sync.py) follows a new WAL file."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from lab import Lab
from sqlalchemy import func, select

from yibao.adapters.core_link import CoreClient, frames
from yibao.adapters.core_process import Answerer, serve_core
from yibao.adapters.platform import build_routes
from yibao.domain.world import World
from yibao.gateway.dispatch import Gateway
from yibao.storage import faults, schema
from yibao.storage import wal_sync as wal_sync_module
from yibao.storage.store import _Q, Store
from yibao.v1 import signin_pb2
from yibao.v1.envelope_pb2 import ErrorDetail


class Core:
    """serve_core on a thread, its store's `sync` held until `release()`, and a worker's link to it."""

    def __init__(self, tmp_path: Path, world: World, clock: Any) -> None:
        self.store = Store(f"sqlite:///{tmp_path / 'core.db'}")
        self.synced = threading.Event()
        self.may_sync = threading.Event()
        self.sync_error: OSError | None = None
        real_sync = self.store.sync

        def held_sync() -> None:
            assert self.may_sync.wait(10)
            if self.sync_error is not None:
                raise self.sync_error
            real_sync()
            self.synced.set()

        self.store.sync = held_sync  # type: ignore[method-assign]
        path = str(tmp_path / "core.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(8)
        self.stop = threading.Event()
        gateway = Gateway(world, self.store, build_routes(), clock)
        self.thread = threading.Thread(target=serve_core, args=(gateway, self.store, listener, self.stop), daemon=True)
        self.thread.start()
        self.link = CoreClient(path, Gateway(world, self.store, build_routes(), clock))
        self.lab = Lab(None, clock)  # type: ignore[arg-type]

    def sign_in_bytes(self) -> bytes:
        data = signin_pb2.SignInData(opter_no="OP01", ip="10.0.0.8")
        return self.lab.build("9001", signin_pb2.SignInInput(signIn=data)).SerializeToString()  # type: ignore[no-any-return]

    def signins(self) -> int:
        with self.store.read() as tx:
            return tx.conn.scalar(select(func.count()).select_from(schema.signin))  # type: ignore[no-any-return]

    def close(self) -> None:
        self.may_sync.set()
        self.stop.set()
        self.thread.join(10)
        self.link.close()
        self.store.close()


@pytest.fixture
def core(tmp_path: Path, world: World, clock: Any) -> Iterator[Core]:
    c = Core(tmp_path, world, clock)
    yield c
    c.close()


def test_a_call_is_committed_at_once_but_answered_only_once_the_wal_is_durable(core: Core) -> None:
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(core.link.handle_wire, "9001", core.sign_in_bytes())
        for _ in range(200):  # the group commits without waiting for the disk ...
            if core.signins() == 1:
                break
            threading.Event().wait(0.01)
        assert core.signins() == 1
        assert not answer.done()  # ... but nobody is told before the fsync
        core.may_sync.set()
        ok, data = answer.result(timeout=10)
    assert ok and core.synced.is_set()
    assert signin_pb2.SignInReply.FromString(data).output.signinoutb.sign_no


def test_a_disk_that_refuses_the_fsync_stops_the_core_and_the_calls_outcome_is_unknown(core: Core) -> None:
    core.sync_error = OSError(5, "Input/output error")
    core.may_sync.set()
    ok, data = core.link.handle_wire("9001", core.sign_in_bytes())
    detail = ErrorDetail.FromString(data)
    assert not ok and (detail.code, detail.header.infcode) == ("STORE_OUTCOME_UNKNOWN", -1)
    assert core.stop.wait(10)
    core.thread.join(10)
    assert not core.thread.is_alive()


def test_the_group_commits_with_normal_sync_and_other_connections_stay_durable(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    try:
        seen: list[int] = []

        def level(tx: Any) -> None:
            seen.append(tx._raw.execute("PRAGMA synchronous").fetchone()[0])

        with store.group(deferred_sync=True):
            store.transact(level)
        with store.group():
            store.transact(level)
        with store.write() as tx:  # any other use of the pool's connection
            level(tx)
        assert seen == [1, 2, 2]  # NORMAL, then FULL again
    finally:
        store.close()


def test_a_group_that_fails_keeps_nothing_and_the_next_group_commits(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    try:

        def sign_in(sign_no: str) -> Any:
            return lambda tx: tx.insert(
                _Q.add_signin, {"sign_no": sign_no, "fixmedins_code": "H1", "opter_no": "OP01", "sign_time": "t"}
            )

        with pytest.raises(RuntimeError), store.group(deferred_sync=True):
            store.transact(sign_in("S1"))
            raise RuntimeError("the group broke before its commit")
        with store.group(deferred_sync=True):
            store.transact(sign_in("S2"))
        with store.read() as tx:
            assert list(tx.conn.scalars(select(schema.signin.c.sign_no))) == ["S2"]
    finally:
        store.close()


def test_a_failed_groups_connection_never_serves_other_uses_with_normal_sync(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    try:
        with pytest.raises(RuntimeError), store.group(deferred_sync=True):
            raise RuntimeError("the group broke before its commit")
        with store.write() as tx:
            assert tx._raw.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        store.close()


def test_the_wal_fsync_reaches_the_current_wal_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    monkeypatch.setattr(wal_sync_module.os, "fdatasync", lambda fd: synced.append(os.fstat(fd).st_ino))
    db = tmp_path / "w.db"
    wal = wal_sync_module.WalFile(str(db))
    Path(f"{db}-wal").write_bytes(b"first")
    wal.sync()
    first = os.stat(f"{db}-wal").st_ino
    os.unlink(f"{db}-wal")  # SQLite made a new WAL file (all connections had closed)
    Path(f"{db}-wal").write_bytes(b"second file")
    wal.sync()
    assert synced == [first, os.stat(f"{db}-wal").st_ino]
    assert synced[0] != synced[1]
    os.unlink(f"{db}-wal")  # the last connection closed: SQLite checkpointed everything and removed the WAL
    wal.sync()
    assert len(synced) == 2
    wal.close()


def test_closing_the_wal_waits_for_a_sync_that_holds_its_descriptor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside, go = threading.Event(), threading.Event()
    still_open: list[int] = []

    def slow_fdatasync(fd: int) -> None:
        inside.set()
        assert go.wait(10)
        still_open.append(os.fstat(fd).st_ino)  # EBADF had close() run meanwhile

    monkeypatch.setattr(wal_sync_module.os, "fdatasync", slow_fdatasync)
    db = tmp_path / "w.db"
    Path(f"{db}-wal").write_bytes(b"frames")
    wal = wal_sync_module.WalFile(str(db))
    syncing = threading.Thread(target=wal.sync)
    syncing.start()
    assert inside.wait(10)
    closing = threading.Thread(target=wal.close)
    closing.start()
    closing.join(0.2)  # the room close() needs to get in first, were it not to wait
    go.set()
    syncing.join(10)
    closing.join(10)
    assert still_open == [os.stat(f"{db}-wal").st_ino]
    assert wal._fd is None


def test_after_a_refused_fsync_every_later_answer_is_unknown_too(world: World, clock: Any) -> None:
    """Groups the core committed after the failure are not known durable either: none is answered as done."""

    syncing, second_committed = threading.Event(), threading.Event()

    class FailingStore:
        syncs = 0

        def sync(self) -> None:  # fails while the core has already committed the next group
            self.syncs += 1
            syncing.set()
            assert second_committed.wait(10)
            raise OSError(5, "Input/output error")

    store, stop = FailingStore(), threading.Event()
    answerer = Answerer(store, Gateway(world, None, build_routes(), clock), stop)  # type: ignore[arg-type]
    core_end, worker_end = socket.socketpair()
    core_end.setblocking(False)
    answerer.put([(core_end, 1, True, b"reply one")])
    assert syncing.wait(10)  # the first group is being made durable on its own
    answerer.put([(core_end, 2, True, b"reply two")])
    second_committed.set()
    answerer.close()
    buffer, got = bytearray(), []
    worker_end.settimeout(10)
    while len(got) < 2:
        buffer += worker_end.recv(1 << 16)
        got += list(frames(buffer))
    answered = {call_id: ErrorDetail.FromString(data).code for call_id, ok, data in got if not ok}
    assert stop.is_set() and answered == {1: "STORE_OUTCOME_UNKNOWN", 2: "STORE_OUTCOME_UNKNOWN"} and store.syncs == 1
    core_end.close()
    worker_end.close()


def test_disk_errors_in_the_cores_group_are_answered_as_not_carried_out_or_unknown(core: Core, tmp_path: Path) -> None:
    """A write that fails inside the group is rolled back (STORE_WRITE_FAILED, nothing kept); a commit that fails
    once the database has made it durable is answered STORE_OUTCOME_UNKNOWN, and its resend replays it."""
    folder = tmp_path / "faults"
    folder.mkdir()
    faults.arm(folder)
    try:
        core.may_sync.set()
        (folder / "write-1").touch()
        ok, data = core.link.handle_wire("9001", core.sign_in_bytes())
        assert not ok and ErrorDetail.FromString(data).code == "STORE_WRITE_FAILED" and core.signins() == 0
        (folder / "commit-after-1").touch()
        request = core.sign_in_bytes()
        ok, data = core.link.handle_wire("9001", request)
        assert not ok and ErrorDetail.FromString(data).code == "STORE_OUTCOME_UNKNOWN" and core.signins() == 1
        ok, first = core.link.handle_wire("9001", request)  # the same msgid: the sign-in it made, replayed
        ok_again, again = core.link.handle_wire("9001", request)
        assert ok and ok_again and first == again and core.signins() == 1
    finally:
        faults.arm(None)
