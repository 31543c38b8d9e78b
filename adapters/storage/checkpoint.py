"""WAL checkpoints of an SQLite store, moved off the writer.

SQLite's default lets the committing connection checkpoint whenever the WAL passes 1000 pages: that
commit then copies the pages into the database file and fsyncs it, and every call waiting on the
writer waits too (measured: 1101 at 200/s, p99 41 ms with it, 13 ms without). The writer's
connection turns that off (`writer_setup`), and a thread of its own checkpoints every INTERVAL
seconds (PASSIVE: it never waits for, nor blocks, the writer or the readers).

A background checkpoint never quite catches up with a writer that commits every few milliseconds,
and the WAL only starts over once everything in it has been copied; so when it has grown past
RESTART_FRAMES, the writer checkpoints the little that is left itself, between two groups
(`between_groups`), and its next transaction starts the WAL from the beginning. The writer tells the
WAL's length by its file's size: `journal_size_limit` truncates the file to that length whenever the
WAL starts over, so a larger file holds frames written since (a stat, not a query, per group).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from sqlalchemy import Engine

log = logging.getLogger("yibao.store")
INTERVAL = 0.2
RESTART_FRAMES = 8000  # ~32 MB of WAL (4 KiB pages)
FRAME_BYTES = 4096 + 24  # a page and its frame header
WAL_HEADER_BYTES = 32


def restart_bytes() -> int:
    return WAL_HEADER_BYTES + RESTART_FRAMES * FRAME_BYTES


def writer_setup(dbapi_conn: Any) -> None:
    """On the connection that writes: no checkpoint inside a commit; the WAL file cut back when it starts over."""
    dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")
    dbapi_conn.execute(f"PRAGMA journal_size_limit={restart_bytes()}")


class Checkpointer:
    def __init__(self, engine: Engine, database: str, interval: float = INTERVAL) -> None:
        self._engine, self._interval = engine, interval
        self._wal = database + "-wal"
        self._stop = threading.Event()
        self._running = threading.Lock()  # one checkpoint at a time: a second would find SQLite's lock taken and skip
        self.checkpoints = 0
        self._thread = threading.Thread(target=self._run, name="yibao-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with self._engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            while not self._stop.wait(self._interval):
                try:
                    with self._running:
                        raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.checkpoints += 1
                except Exception:  # a checkpoint can always be retried; the WAL keeps everything meanwhile
                    log.exception("WAL checkpoint failed")

    def due(self) -> bool:
        try:
            return os.stat(self._wal).st_size > restart_bytes()
        except FileNotFoundError:
            return False

    def between_groups(self, dbapi_conn: Any) -> None:
        """Outside any transaction, with the write lock: finish the checkpoint if the WAL is long."""
        if self.due():
            with self._running:  # waits for the background one, else this one would be skipped and the WAL grow on
                dbapi_conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
