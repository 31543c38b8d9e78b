"""`yibao serve --workers N`: N gateway processes answering on one port.

The GIL keeps one process on one core, so the gateway scales across cores with processes. The
supervisor forks the workers before any of them imports gRPC: gRPC's core starts threads and
polling engines that do not survive a fork, so the parent must never have touched it. Each worker
then binds the same gRPC port with SO_REUSEPORT (the kernel spreads new connections over the
workers; a connection stays with the worker that accepted it), and all of them accept HTTP on one
listening socket the supervisor opened and they inherited.

The workers share only the store. On an SQLite file `yibao serve` also forks the settlement core
process (adapters/yibao/adapters/core_process.py), the store's one writer, and the workers forward their
calls to it; on PostgreSQL each worker carries out its own (docs/deployment.md, "Several processes").

A process killed by a signal other than SIGINT/SIGTERM (the OOM killer, `kill -9`, a crash) is forked again,
at most RESTARTS times within RESTART_PERIOD: a killed settlement core comes back on the socket the supervisor
keeps listening on, and the workers resend to it the calls whose answers were lost
(adapters/yibao/adapters/core_link.py).

The children never outlive the supervisor, however it dies (`kill -9` included): on Linux the kernel sends
each of them SIGTERM when it goes (prctl PR_SET_PDEATHSIG, set right after the fork, and the child checks
its parent is still the supervisor, which closes the race of a supervisor dying before that), and on every
system a thread of each child reads a pipe whose writing end only the supervisor holds, so its end of file
means the supervisor is gone. Either way the child stops as on SIGTERM (gracefully, within
ORPHAN_GRACE seconds or it exits anyway), and frees the ports. The last one out removes the serve's folder
in the temp folder (gateway/yibao/gateway/run_dir.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from yibao.gateway.run_dir import RunDir

log = logging.getLogger("yibao.prefork")
PID_DIGITS = 1000  # platform ids carry the worker's pid modulo this (src/yibao/ids.py)
MAX_REFORKS = 20
RESTARTS = 10  # a killed process is forked again at most this many times ...
RESTART_PERIOD = 60.0  # ... within this many seconds; beyond that the supervisor stops everything
# Seconds a dead process's pid modulo PID_DIGITS stays unused: its ids carry the time of the call they were
# made for (a resent call's is from before the loss), so a successor could otherwise make one of them again.
PID_QUARANTINE = 60.0
ORPHAN_GRACE = 20.0  # seconds a child whose supervisor died has to stop gracefully before it exits anyway
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

_supervisor: int | None = None  # in a child: the supervisor's pid


@dataclass(frozen=True)
class Listeners:
    """What the supervisor bound before forking."""

    grpc_port: int  # concrete, even when 0 was asked for
    http: socket.socket  # listening; every worker accepts on it


def reserve_grpc_port(host: str, port: int) -> tuple[socket.socket, int]:
    """Check the port is free and hold it for the workers; returns (placeholder, concrete port).

    The probe binds without SO_REUSEPORT, so it fails if anyone else holds the port (a second
    `yibao serve` would otherwise silently share it): a listener, or the placeholder of a serve starting.
    The placeholder then binds with SO_REUSEPORT (not SO_REUSEADDR, so that such a probe fails on it) and
    never listens: it receives no connections, and it keeps the port while the workers start.
    """
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        # SO_REUSEADDR as gRPC's own listeners: a port with connections of a serve just stopped in TIME_WAIT is free
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)
        port = probe.getsockname()[1]
    placeholder = socket.socket(family, kind, proto)
    placeholder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    placeholder.bind((address[0], port, *address[2:]))
    return placeholder, port


def listen_http(host: str, port: int) -> socket.socket:
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family, backlog=1024)


def run_workers(
    n: int,
    listeners: Listeners,
    worker: Callable[[int, Listeners], int],
    name: Callable[[int], str] = lambda index: f"worker {index + 1}",
    run_dir: RunDir | None = None,
) -> int:
    """Fork n workers running `worker(index, listeners)` and wait for them; `name(index)` says what each is.

    SIGINT/SIGTERM stop every worker (they shut down gracefully) and then the supervisor. A worker
    killed by another signal is forked again (`_killed`), up to RESTARTS times within RESTART_PERIOD. A
    worker that exits on its own (whatever its status: the settlement core stops by itself when the disk
    refuses an fsync, and must not carry on), or is killed more often, stops the others too: the supervisor
    exits non-zero and leaves restarting to whatever runs it (systemd, a container runtime), rather than
    hiding a crash loop.

    If the supervisor dies, every child stops (the module's docstring); the last one out removes `run_dir`.
    """
    if "grpc" in sys.modules:
        raise RuntimeError("gRPC was imported before forking the workers; its threads would not survive the fork")
    # No signal may reach a child between fork and its own handlers, nor the parent before it knows its children.
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    lifeline = os.pipe()  # the children read it; only this process writes, never: its end of file is our death
    try:
        return _supervise(n, listeners, worker, name, Child(lifeline, run_dir))
    finally:
        for fd in lifeline:
            os.close(fd)


@dataclass(frozen=True)
class Child:
    """What a child needs to know it is orphaned, and what to leave behind then."""

    lifeline: tuple[int, int]  # (read, write)
    run_dir: RunDir | None


def _supervise(
    n: int,
    listeners: Listeners,
    worker: Callable[[int, Listeners], int],
    name: Callable[[int], str],
    child: Child,
) -> int:
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    pids: dict[int, int] = {}
    try:
        for index in range(n):
            pids[_fork_worker(index, listeners, worker, {p % PID_DIGITS for p in pids}, child)] = index
    except BaseException:
        _terminate(pids)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals)
        raise
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True
        _terminate(pids)

    for sig in stop_signals:
        signal.signal(sig, stop)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals)
    print(f"  processes: {', '.join(f'{name(index)} pid {pid}' for pid, index in pids.items())}", flush=True)
    status = 0
    restarts: deque[float] = deque()  # when each restart happened, within RESTART_PERIOD
    gone: dict[int, float] = {}  # pid modulo PID_DIGITS of each process that died -> when, within PID_QUARANTINE
    while pids:
        pid, wait_status = os.waitpid(-1, 0)
        index = pids.pop(pid, None)
        if index is None:
            continue
        code = os.waitstatus_to_exitcode(wait_status)
        now = time.monotonic()
        gone = {part: t for part, t in gone.items() if t > now - PID_QUARANTINE} | {pid % PID_DIGITS: now}
        while restarts and restarts[0] <= now - RESTART_PERIOD:
            restarts.popleft()
        if not stopping and _killed(code) and len(restarts) < RESTARTS:
            log.error("%s (pid %d) was killed by %s; forking it again", name(index), pid, _signal_name(-code))
            restarts.append(now)
            signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)  # `stop` must know the new pid, and not run in it
            try:
                if not stopping:  # a stop signal came meanwhile: nothing to fork
                    new = _fork_worker(index, listeners, worker, {p % PID_DIGITS for p in pids} | set(gone), child)
                    pids[new] = index
                    log.error("%s forked again: pid %d", name(index), new)
            except Exception:
                log.exception("%s could not be forked again; stopping the others", name(index))
                status = 1
                stop()
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals)
        elif not stopping:
            log.error("%s (pid %d) exited with %d; stopping the others", name(index), pid, code)
            status = 1
            stop()
        elif code != 0 and -code not in stop_signals:  # killed by our SIGTERM before its handler was set: stopped
            status = status or 1
    return status


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _killed(code: int) -> bool:
    """Killed by a signal nobody sends to stop it (SIGKILL, SIGSEGV, …): worth forking again."""
    return code < 0 and -code not in (signal.SIGINT, signal.SIGTERM)


def _fork_worker(
    index: int, listeners: Listeners, worker: Callable[[int, Listeners], int], taken: set[int], child: Child
) -> int:
    """Fork one worker whose pid differs from the others' modulo PID_DIGITS (ids carry only that part).

    The child waits on a pipe until the parent has checked its pid, so a discarded child never serves.
    """
    supervisor = os.getpid()
    for _ in range(MAX_REFORKS):
        sys.stdout.flush()
        sys.stderr.flush()
        go_read, go_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(go_write)
            os.close(child.lifeline[1])
            _die_with(supervisor)
            started = os.read(go_read, 1) == b"1"  # end of file if the supervisor died meanwhile
            os.close(go_read)
            if not started:
                os._exit(0)
            _run_child(index, listeners, worker, child)
        os.close(go_read)
        keep = pid % PID_DIGITS not in taken
        os.write(go_write, b"1" if keep else b"0")
        os.close(go_write)
        if keep:
            return pid
        os.waitpid(pid, 0)
    raise RuntimeError(f"could not fork worker {index} with a distinct pid modulo {PID_DIGITS}")


def _die_with(supervisor: int) -> None:
    """In a child right after the fork: SIGTERM when the supervisor dies (Linux); exit if it has already."""
    global _supervisor
    _supervisor = supervisor
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)  # the process's own symbols: libc's among them
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            log.warning("prctl(PR_SET_PDEATHSIG) failed: errno %d; the supervisor's pipe remains", ctypes.get_errno())
    if os.getppid() != supervisor:  # it died before prctl: no signal will come
        os._exit(1)


def supervisor_gone() -> bool:
    """In a child of `run_workers`: whether the supervisor has died (the child now belongs to another)."""
    return _supervisor is not None and os.getppid() != _supervisor


def _watch_supervisor(lifeline: int) -> None:
    """A child's thread: the pipe's end of file means the supervisor is gone; stop as on SIGTERM."""
    while os.read(lifeline, 1):  # nobody writes: only the end of file comes
        pass
    log.error("the supervisor (pid %s) is gone; stopping (pid %d)", _supervisor, os.getpid())
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(ORPHAN_GRACE)
    log.error("not stopped within %.0f s of the supervisor's death; exiting (pid %d)", ORPHAN_GRACE, os.getpid())
    os._exit(1)


def _run_child(index: int, listeners: Listeners, worker: Callable[[int, Listeners], int], child: Child) -> NoReturn:
    code = 1
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
        watcher = threading.Thread(target=_watch_supervisor, args=(child.lifeline[0],), name="yibao-supervisor")
        watcher.daemon = True
        watcher.start()
        code = worker(index, listeners)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        if child.run_dir is not None and supervisor_gone():
            child.run_dir.leave()
        os._exit(code)


def _terminate(pids: dict[int, int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
