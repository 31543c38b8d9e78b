"""The SQLite write lock across processes (src/yibao/storage/write_lock.py): a second process waits in the kernel
until the first releases, and a forked child does not inherit the parent's hold."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from yibao.storage.write_lock import WriteLock


def _hold(path: str, seconds: float, held: multiprocessing.synchronize.Event) -> None:
    with WriteLock(Path(path)):
        held.set()
        time.sleep(seconds)


def test_a_second_process_waits_for_the_first_to_release(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    ctx = multiprocessing.get_context("spawn")
    held = ctx.Event()
    holder = ctx.Process(target=_hold, args=(str(db), 0.5, held))
    holder.start()
    assert held.wait(30)
    started = time.monotonic()
    with WriteLock(db):
        waited = time.monotonic() - started
    holder.join(30)
    assert holder.exitcode == 0
    assert waited > 0.2  # blocked while the other process held it (it holds 0.5 s after signalling)


def test_a_forked_child_takes_the_lock_for_itself(tmp_path: Path) -> None:
    lock = WriteLock(tmp_path / "w.db")
    with lock:
        pass  # the parent opened its lock file
    ctx = multiprocessing.get_context("fork")
    held = ctx.Event()
    child = ctx.Process(target=_child_holds, args=(lock, held))
    child.start()
    assert held.wait(30)
    started = time.monotonic()
    with lock:  # the child's hold is its own (its own open file), so the parent waits for it
        waited = time.monotonic() - started
    child.join(30)
    assert child.exitcode == 0
    assert waited > 0.2


def _child_holds(lock: WriteLock, held: multiprocessing.synchronize.Event) -> None:
    with lock:
        held.set()
        time.sleep(0.5)
