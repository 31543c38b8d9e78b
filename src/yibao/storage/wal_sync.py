"""Durability of an SQLite store's commits, made apart from the commits themselves.

The settlement core commits each group with `synchronous=NORMAL` (Store.group(deferred_sync=True)):
SQLite writes the group's frames to the WAL without waiting for the disk, and the core goes on with the
next group at once. A thread of its own then calls `WalFile.sync()` (fdatasync of the WAL) and only then
answers the calls of every group committed before it began. An answered call is therefore on disk, as with
`synchronous=FULL`; what a power cut can lose are commits nobody was told of. SQLite's WAL recovery keeps
a prefix of the log (its frames are checksummed in a chain), so it never keeps a later group without the
earlier ones it was built on. A crash of the process alone loses nothing: the frames are in the OS cache.
"""

from __future__ import annotations

import os
import threading


class WalFile:
    def __init__(self, database: str) -> None:
        self.path = database + "-wal"
        self._fd: int | None = None
        self._inode = 0
        self._lock = threading.Lock()

    def sync(self) -> None:
        """Everything written to the WAL before this call is on disk when it returns; raises OSError if not."""
        with self._lock:
            try:
                inode = os.stat(self.path).st_ino
            except FileNotFoundError:  # SQLite removes the WAL only once it is all in the database file, synced
                self._close()
                return
            if self._fd is None or inode != self._inode:  # first use, or SQLite started a new WAL file
                self._close()
                self._fd, self._inode = os.open(self.path, os.O_RDONLY), inode
                directory = os.open(os.path.dirname(self.path) or ".", os.O_RDONLY)
                try:
                    os.fsync(directory)  # the WAL's name, once: a new file is durable only with its entry
                finally:
                    os.close(directory)
            os.fdatasync(self._fd)

    def close(self) -> None:
        """Under the lock: closed while a sync holds the descriptor, its number could be reused by the time the sync
        uses or closes it, and the fdatasync or a second close would hit another file."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
