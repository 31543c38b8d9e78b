"""The folder of one `yibao serve --workers N` in the temp folder: its locks, its ports and the core's socket.

A supervisor killed with SIGKILL (or the OOM killer) cannot clean up after itself, and its children leave a
moment later (they stop when it dies: gateway/yibao/gateway/prefork.py). Two locks in the folder tell
anyone how the serve that made it is doing, without trusting a pid that may have been reused:

- `supervisor.lock`, a POSIX record lock (fcntl) held by the supervisor alone: such locks belong to a
  process and are not inherited by fork, so the lock is free as soon as the supervisor is gone;
- `processes.lock`, an flock the supervisor takes before forking: flocks belong to the open file, which
  every child inherits, so the lock is free only when the last process of the serve is gone.

Both free: the folder is stale, and whoever starts next removes it (`sweep`). Supervisor gone, processes
still there: its children are stopping; a `yibao serve` about to bind one of the ports it recorded waits
for them (`dying`, `wait_for`) instead of failing with "Address already in use". The last child out removes
the folder itself (`RunDir.leave`). Folders of the earlier layout (`yibao-core-*`, a socket and nothing
else) are removed once their socket refuses connections.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PREFIX = "yibao-serve-"
LEGACY_PREFIX = "yibao-core-"  # made by mkdtemp before this module: core.sock only
LEGACY_AGE = 60.0  # seconds: a younger legacy folder may belong to a serve that is starting
SUPERVISOR_LOCK = "supervisor.lock"
PROCESSES_LOCK = "processes.lock"
PORTS = "ports"


class RunDir:
    """Made by the supervisor before it forks (`create`); its children inherit the processes' lock."""

    def __init__(self, path: Path, supervisor_fd: int, processes_fd: int) -> None:
        self.path = path
        self._supervisor_fd = supervisor_fd
        self._processes_fd = processes_fd

    @classmethod
    def create(cls, ports: list[int], tmp: str | None = None) -> RunDir:
        """A new folder holding both locks and the ports; named for `sweep` to see only once it is locked."""
        staging = Path(tempfile.mkdtemp(prefix="." + PREFIX, dir=tmp))
        supervisor_fd = os.open(staging / SUPERVISOR_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.lockf(supervisor_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        processes_fd = os.open(staging / PROCESSES_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(processes_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        (staging / PORTS).write_text(" ".join(str(p) for p in ports))
        path = staging.with_name(staging.name[1:])
        staging.rename(path)
        return cls(path, supervisor_fd, processes_fd)

    def socket_path(self, name: str) -> str:
        return str(self.path / name)

    def remove(self) -> None:
        """The supervisor at its end, its children gone."""
        shutil.rmtree(self.path, ignore_errors=True)
        for fd in (self._supervisor_fd, self._processes_fd):
            with contextlib.suppress(OSError):
                os.close(fd)

    def leave(self) -> None:
        """A child of a supervisor that died, on its way out: the last one removes the folder."""
        with contextlib.suppress(OSError):
            os.close(self._processes_fd)  # the others' flock is on this open file: it is free once all closed it
        if _free(self.path / PROCESSES_LOCK, flock=True):
            shutil.rmtree(self.path, ignore_errors=True)


def sweep(tmp: str | None = None) -> list[Path]:
    """Remove the folders of serves whose every process is gone; returns them."""
    removed = []
    for path in _folders(tmp):
        if _free(path / PROCESSES_LOCK, flock=True) if path.name.startswith(PREFIX) else _legacy_stale(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def dying(ports: set[int], tmp: str | None = None) -> list[Path]:
    """Folders of serves whose supervisor is gone while some of its processes still run, holding one of `ports`."""
    found = []
    for path in _folders(tmp):
        if not path.name.startswith(PREFIX):
            continue
        try:
            held = {int(p) for p in (path / PORTS).read_text().split()}
        except (OSError, ValueError):
            continue
        if held & ports and not _free(path / PROCESSES_LOCK, flock=True) and _free(path / SUPERVISOR_LOCK, flock=False):
            found.append(path)
    return found


def wait_for(folders: list[Path], timeout: float) -> bool:
    """Wait until every process of the serves of `folders` has stopped; False if some still run at `timeout`."""
    deadline = time.monotonic() + timeout
    while not all(_free(path / PROCESSES_LOCK, flock=True) for path in folders):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _folders(tmp: str | None) -> Iterator[Path]:
    uid = os.getuid()
    try:
        entries = list(Path(tmp or tempfile.gettempdir()).iterdir())
    except OSError:
        return
    for path in entries:
        if not path.name.startswith((PREFIX, LEGACY_PREFIX)):
            continue
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink() and path.stat().st_uid == uid:
                yield path


def _free(lock: Path, *, flock: bool) -> bool:
    """Whether nobody holds `lock` (an flock, or a POSIX record lock); a missing file is free."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        if flock:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as e:
        if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    finally:
        os.close(fd)  # releases what it took


def _legacy_stale(path: Path) -> bool:
    try:
        if time.time() - path.stat().st_mtime < LEGACY_AGE:
            return False
    except OSError:
        return False
    sock = path / "core.sock"
    if not sock.exists():
        return True
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(sock))
        except ConnectionRefusedError:
            return True
        except OSError:
            return False
    return False  # a core answers on it
