"""The lab's sessions on disk, shared by every process of `yibao serve` (its workers, and a server started again).

Layout of the lab directory (by default beside the gateway's SQLite file: `yibao.db` → `yibao-lab/`):

    generation          8 bytes: a counter every change of a session increments (mapped by every process)
    lock                the flock that serialises changes
    sessions.json       every session's record: institution, suites, status, clock, resets
    sessions/<id>/      a session's sandbox: store.db (its own SQLite store) and state.json (its initial state)

A process learns of a change by reading the counter from its shared mapping — a few tens of nanoseconds, so
every call can look without a system call — and only then reads `sessions.json`. A change writes the file
first (a rename, so a reader sees the old or the new one whole) and increments the counter after.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import mmap
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

Record = dict[str, Any]  # one session, as stored in sessions.json


def lab_folder(db_url: str, explicit: str | None = None) -> Path:
    """The lab directory: `explicit`, else beside the gateway's SQLite file (`<stem>-lab`), else `yibao-lab` in
    the working directory (an in-memory or PostgreSQL store)."""
    if explicit:
        return Path(explicit)
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database)
        return database.with_name(f"{database.stem}-lab")
    return Path("yibao-lab")


class Registry:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        (folder / "sessions").mkdir(parents=True, exist_ok=True)
        self._threads = threading.Lock()
        self._lock_fd = os.open(folder / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        with self.locked():
            fd = os.open(folder / "generation", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                if os.fstat(fd).st_size < 8:
                    os.ftruncate(fd, 8)
                self._map = mmap.mmap(fd, 8)
            finally:
                os.close(fd)
        # generation[0]: the counter, read by every call of every process (see the module docstring)
        self.generation = memoryview(self._map).cast("Q")

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """One change at a time, across threads and processes."""
        with self._threads:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def read(self) -> dict[str, Record]:
        try:
            text = (self.folder / "sessions.json").read_text("utf-8")
        except FileNotFoundError:
            return {}
        sessions: dict[str, Record] = json.loads(text)["sessions"]
        return sessions

    def write(self, sessions: dict[str, Record]) -> None:
        """Replace the records (inside `locked`) and tell every process."""
        path = self.folder / "sessions.json"
        tmp = path.with_name(f"sessions.json.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"sessions": sessions}, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
        os.replace(tmp, path)
        self.generation[0] += 1

    def session_dir(self, session_id: str) -> Path:
        return self.folder / "sessions" / session_id

    def close(self) -> None:
        self.generation.release()
        self._map.close()
        os.close(self._lock_fd)
