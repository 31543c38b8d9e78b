"""WAL checkpoints of an SQLite store, moved off the writer.

SQLite's default lets the committing connection checkpoint whenever the WAL passes 1000 pages: that
commit then copies the pages into the database file and fsyncs it, and every call waiting on the
writer waits too (measured: 1101 at 200/s, p99 41 ms with it, 13 ms without). The writer's
connection turns that off (`writer_setup`), and a thread of its own checkpoints every INTERVAL
seconds (PASSIVE: it never waits for, nor blocks, the writer or the readers).

A background checkpoint never quite catches up with a writer that commits every few milliseconds,
and the WAL only starts over once everything in it has been copied; so when it has grown past
RESTART_FRAMES, the writer checkpoints the little that is left itself, between two groups
(`Store.between_groups`, `finish`), and its next transaction starts the WAL from the beginning.
"Little" is made so: the writer first wakes the background thread (`due` answers no and asks for a
pass at once) and finishes only after that pass, so it copies what a few groups wrote since, not
up to INTERVAL's worth.
The writer tells the WAL's length by its file's size: `journal_size_limit` truncates the file to
that length whenever the WAL starts over, so a larger file holds frames written since (a stat, not
a query, per group).

What that costs the writer (traced in the core, 2026-11-23, `yibao bench`): finishing the checkpoint
took it 5-11 ms, and at 32 MB that came ~0.8 s apart at the maximum visit rate (so the WAL grew
~40 MB/s: every group rewrites the tail pages of the journal, its indexes and the other tables it
touches). RESTART_FRAMES is therefore 128 MB, which at that rate means ~3 s apart. Letting the
background thread catch up first (above) shortened it (traced, visits closed loop, two runs of 20 s
each way): 1.6-6.9 ms, median 3.8, against 3.9-9.8 ms, median 6.8, leaving out those skipped because
a background pass was running. What is left is mostly the fsync of the database file that every
checkpoint ends with. Checkpointing more often in the background made things worse: its fsyncs of
the database file queue the WAL fsyncs that answers wait for (INTERVAL 0.05 s: 2207 p99 at 70% load
342 ms, one bench run, against 31-56 ms in runs at 0.2 s).
"""

from __future__ import annotations

import logging
import os
import threading

from sqlalchemy import Engine

from yibao.storage.prepared import Driver, driver

log = logging.getLogger("yibao.store")
INTERVAL = 0.2
RESTART_FRAMES = 32000  # ~128 MB of WAL (4 KiB pages)
FRAME_BYTES = 4096 + 24  # a page and its frame header
WAL_HEADER_BYTES = 32


def restart_bytes() -> int:
    return WAL_HEADER_BYTES + RESTART_FRAMES * FRAME_BYTES


def writer_setup(dbapi_conn: Driver) -> None:
    """On the connection that writes: no checkpoint inside a commit; the WAL file cut back when it starts over."""
    dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")
    dbapi_conn.execute(f"PRAGMA journal_size_limit={restart_bytes()}")


class Checkpointer:
    def __init__(self, engine: Engine, wal: str, interval: float = INTERVAL) -> None:
        """`wal`: the path of the database's WAL file."""
        self._engine, self._interval, self._wal = engine, interval, wal
        self._stop = threading.Event()
        self._hurry = threading.Event()
        self.checkpoints = 0  # background passes done
        self._asked_after: int | None = None  # the passes done when the writer found the WAL too long
        self._thread = threading.Thread(target=self._run, name="yibao-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with self._engine.connect() as conn:
            raw = driver(conn)
            while not self._stop.is_set():
                self._hurry.wait(self._interval)
                self._hurry.clear()
                if self._stop.is_set():
                    return
                try:
                    raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.checkpoints += 1
                except Exception:  # a checkpoint can always be retried; the WAL keeps everything meanwhile
                    log.exception("WAL checkpoint failed")

    def due(self) -> bool:
        """Whether the writer should `finish` now: the WAL has passed the restart size and a background pass
        has run since the writer first found it so (the first look asks for that pass at once). Should the
        background thread fail to make a pass, the writer finishes anyway once the WAL is twice that size."""
        try:
            size = os.stat(self._wal).st_size
        except FileNotFoundError:
            return False
        if size <= restart_bytes():
            self._asked_after = None
            return False
        if self._asked_after is None:
            self._asked_after = self.checkpoints
            self._hurry.set()
            return False
        return self.checkpoints > self._asked_after or size > 2 * restart_bytes()

    def finish(self, dbapi_conn: Driver) -> None:
        """Once `due()`, outside any transaction and with the write lock: checkpoint what is left. Should the
        background thread be checkpointing right now, this one is skipped, and tried again after the next group."""
        dbapi_conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()

    def close(self) -> None:
        self._stop.set()
        self._hurry.set()
        self._thread.join(timeout=10)
