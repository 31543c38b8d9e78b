"""Injected storage faults, for the fault campaign (`yibao chaos`, docs/deployment.md "Fault campaign") and tests only.

A store's writes pass three points where a disk can fail: a write inside a transaction (before its commit), the
commit itself, and, on an SQLite file served by the settlement core, the fsync of the WAL after the commit
(src/yibao/storage/wal_sync.py). `hit(point)` is called at each; it does nothing unless faults were armed
(`arm(folder)`, or the environment variable YIBAO_STORE_FAULTS naming a folder, which every process of `yibao
serve` inherits). Then each file named `<point>-<anything>` in that folder is one fault: the first process to
reach that point removes the file (so exactly one process fails, once) and raises `InjectedDiskError`, an EIO
OSError like the one a failing disk gives. The campaign counts a fault as injected once its file is gone.

Points: "write" (at the end of a unit of work, after its writes: they must be rolled back), "commit-before" and
"commit-after" (the commit fails, before or after the database made it durable: the caller cannot tell which),
"fsync" (the WAL's fdatasync).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

ENVIRONMENT = "YIBAO_STORE_FAULTS"
POINTS = ("write", "commit-before", "commit-after", "fsync")


class InjectedDiskError(OSError):
    """A disk I/O error, injected."""


_folder: Path | None = None


def arm(folder: Path | None) -> None:
    """Take faults from the files in `folder` from now on (None: never)."""
    global _folder
    _folder = folder


def hit(point: str) -> None:
    """Raise InjectedDiskError if a fault is armed for `point` and this process is the one to take it."""
    if _folder is not None and _take(_folder, point):
        raise InjectedDiskError(errno.EIO, f"disk I/O error at {point} (injected by the fault campaign)")


def _take(folder: Path, point: str) -> bool:
    prefix = point + "-"
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    for name in names:
        if name.startswith(prefix):
            try:
                os.unlink(folder / name)  # whoever removes it takes it: one process, once
            except FileNotFoundError:
                continue
            return True
    return False


arm(Path(os.environ[ENVIRONMENT]) if os.environ.get(ENVIRONMENT) else None)
