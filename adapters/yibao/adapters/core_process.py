"""The settlement core process: on an SQLite store, every call is carried out here, by one thread.

Why a process of its own: SQLite has one writer, and in a process that also runs gRPC the thread
holding the write lock gives up the GIL at every SQLite call and waits to get it back from the
request threads (measured: 2.2 ms of wall time per call for 1.2 ms of its own CPU, half of it
waiting). Here nothing competes for the GIL, so the lock is held only for the work itself.

The loop: wait until some gateway worker has sent calls, checked as far as they can be without a
write (adapters/yibao/adapters/core_link.py, `Gateway.admit`), take every call that has arrived, carry them out in
one transaction, a savepoint each (Store.group), and hand the answers to the answering thread. A call
that arrives meanwhile waits for the next group, which forms by itself; at low load a group is one call.

The commit does not wait for the disk (src/yibao/storage/wal_sync.py): the answering thread makes the
WAL durable (one fdatasync for every group committed since its last) and only then sends the answers,
while this thread already carries out the next group. So a crash never leaves an answered call
unwritten, and the disk's latency is not spent by the one thread that writes.
"""

from __future__ import annotations

import logging
import queue
import select
import selectors
import socket
import threading
from typing import Any

from yibao.adapters.core_link import READ_SIZE, frame, frames
from yibao.errors import Refusal
from yibao.gateway.dispatch import UNKNOWN_REGION, Admission, Gateway, refusal_detail
from yibao.storage.store import Store
from yibao.storage.write_failures import CommitUncertain

log = logging.getLogger("yibao.core")
SEND_PATIENCE = 10.0  # seconds a worker may leave its answers unread before the core gives up on it


def serve_core(gateway: Gateway, store: Store, listener: socket.socket, stop: threading.Event) -> None:
    """Answer the calls of every worker connected to `listener` until `stop` is set."""
    selector = selectors.DefaultSelector()
    listener.setblocking(False)
    selector.register(listener, selectors.EVENT_READ)
    buffers: dict[socket.socket, bytearray] = {}
    answerer = Answerer(store, gateway, stop)
    try:
        while not stop.is_set():
            calls: list[Call] = []
            for key, _ in selector.select(timeout=0.5):
                sock: socket.socket = key.fileobj  # type: ignore[assignment]
                if sock is listener:
                    conn, _ = listener.accept()
                    conn.setblocking(False)
                    selector.register(conn, selectors.EVENT_READ)
                    buffers[conn] = bytearray()
                    continue
                if not _receive(sock, buffers[sock]):
                    selector.unregister(sock)
                    del buffers[sock]
                    answerer.close_after(sock)  # not here: its fd number must not be reused under the answerer
                    continue
                calls += [(sock, *call) for call in frames(buffers[sock])]
            if calls:
                answerer.put(_carry_out(gateway, store, calls))
                store.between_groups()
    finally:
        answerer.close()  # every answer sent: the sockets are this thread's again
        for conn in buffers:
            conn.close()
        selector.close()


def _receive(sock: socket.socket, buffer: bytearray) -> bool:
    """Read what has arrived; False when the worker has gone."""
    while True:
        try:
            chunk = sock.recv(READ_SIZE)
        except BlockingIOError:
            return True
        except OSError:
            return False
        if not chunk:
            return False
        buffer += chunk


Call = tuple[socket.socket, Any, str, bytes, Admission]  # (worker, call id, infno, request bytes, admission)
Answer = tuple[socket.socket, Any, bool, bytes]  # (worker, call id, ok, reply or ErrorDetail bytes)


def _carry_out(gateway: Gateway, store: Store, calls: list[Call]) -> list[Answer]:
    try:
        with store.group(deferred_sync=True):
            answers: list[Answer] = [(sock, call_id, *gateway.handle_wire(infno, request, admission))
                                     for sock, call_id, infno, request, admission in calls]  # fmt: skip
    except CommitUncertain:  # the commit failed, perhaps after the database made it durable: nobody knows
        log.exception("the commit of a group of %d calls failed; their outcome is unknown", len(calls))
        return _refused(gateway, calls, "STORE_OUTCOME_UNKNOWN")
    except Exception:  # before the commit: the group was rolled back, none of its calls was carried out
        log.exception("a group of %d calls failed before its commit and was rolled back", len(calls))
        return _refused(gateway, calls, "STORE_WRITE_FAILED")
    return answers


def _refused(gateway: Gateway, calls: list[Call] | list[Answer], code: str) -> list[Answer]:
    """Every call answered `code`: STORE_WRITE_FAILED (rolled back, not carried out) or STORE_OUTCOME_UNKNOWN
    (committed or not, not known to be durable: docs/behaviour.md "Uncertain outcomes")."""
    detail = refusal_detail(gateway.clock, Refusal(code), UNKNOWN_REGION, gateway.clock())
    return [(sock, call_id, False, detail.SerializeToString()) for sock, call_id, *_ in calls]


class Answerer:
    """The thread that makes committed groups durable, then answers their calls (module docstring).
    It also closes the workers' sockets, after their last answers."""

    def __init__(self, store: Store, gateway: Gateway, stop: threading.Event) -> None:
        self._store, self._gateway, self._stop = store, gateway, stop
        self._queue: queue.SimpleQueue[list[Answer] | socket.socket | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="yibao-answerer", daemon=True)
        self._thread.start()

    def put(self, answers: list[Answer]) -> None:
        self._queue.put(answers)

    def close_after(self, sock: socket.socket) -> None:
        self._queue.put(sock)

    def close(self) -> None:
        """Once every answer handed over is sent."""
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            self._answer_until_closed()
        except Exception:  # a bug: stop the core, whose workers then refuse what they wait for
            log.exception("the answering thread failed; the core stops")
            self._stop.set()

    def _answer_until_closed(self) -> None:
        failed = False  # after a refused fsync nothing more is known to be durable
        last = False
        while not last:
            answers, closing, last = self._take()
            if answers and not failed:
                try:
                    self._store.sync()
                except OSError:  # the disk refused: what was committed may be lost, or may not
                    failed = True
                    log.critical("the WAL could not be made durable; the core stops", exc_info=True)
                    self._stop.set()
            _send(_refused(self._gateway, answers, "STORE_OUTCOME_UNKNOWN") if failed else answers)
            for sock in closing:
                sock.close()

    def _take(self) -> tuple[list[Answer], list[socket.socket], bool]:
        """Everything waiting (blocks for the first item): answers, sockets to close, and True once the core
        has closed."""
        answers: list[Answer] = []
        closing: list[socket.socket] = []
        item = self._queue.get()
        while item is not None:
            if isinstance(item, socket.socket):
                closing.append(item)
            else:
                answers += item
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return answers, closing, False
        return answers, closing, True


def _send(answers: list[Answer]) -> None:
    by_sock: dict[socket.socket, list[bytes]] = {}
    for sock, call_id, ok, data in answers:
        by_sock.setdefault(sock, []).append(frame((call_id, ok, data)))
    for sock, parts in by_sock.items():
        try:
            _send_all(sock, b"".join(parts))
        except OSError:
            log.warning("a gateway worker went away before its answers were sent")


def _send_all(sock: socket.socket, data: bytes) -> None:
    """On a non-blocking socket (the core thread reads it meanwhile): wait while the worker's buffer is full."""
    view = memoryview(data)
    while view:
        try:
            view = view[sock.send(view) :]
        except BlockingIOError:
            if not select.select([], [sock], [], SEND_PATIENCE)[1]:
                raise OSError(f"the worker read nothing for {SEND_PATIENCE} s") from None
