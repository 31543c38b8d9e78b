"""The SQLite write lock of a process and across processes (`yibao serve --workers N` on one file).

SQLite lets one connection write at a time; a second one that finds the database locked sleeps in
its busy handler (1, 2, 5 … 100 ms steps) and retries, so processes that take turns at the lock
lose most of their time asleep. Taking an flock on a file beside the database first makes the
turn-taking a kernel queue instead: the next writer wakes the moment the lock is released. The
thread lock in front keeps a process's own threads from queueing in the kernel.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from types import TracebackType


class WriteLock:
    def __init__(self, database: Path) -> None:
        self._path = database.with_name(database.name + ".write-lock")
        self._threads = threading.Lock()
        self._fd = -1
        self._pid = 0  # the process that opened _fd: a forked child must open its own (flock is per open file)

    def __enter__(self) -> WriteLock:
        self._threads.acquire()
        try:
            if self._pid != os.getpid():
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
                self._pid = os.getpid()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()
