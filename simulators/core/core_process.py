"""The settlement core process: on an SQLite store, every call is carried out here, by one thread.

Why a process of its own: SQLite has one writer, and in a process that also runs gRPC the thread
holding the write lock gives up the GIL at every SQLite call and waits to get it back from the
request threads (measured: 2.2 ms of wall time per call for 1.2 ms of its own CPU, half of it
waiting). Here nothing competes for the GIL, so the lock is held only for the work itself.

The loop: wait until some gateway worker has sent calls, checked as far as they can be without a
write (adapters/core_link.py, `Gateway.admit`), take every call
that has arrived, carry them out in one transaction, a savepoint each (Store.group: one fsync for
all of them), then answer each. A call that arrives meanwhile waits for the next group, which
forms by itself; at low load a group is one call. Answers go out only after the commit, so a
crash never leaves an answered call unwritten.
"""

from __future__ import annotations

import logging
import selectors
import socket
import threading
from typing import Any

from yibao.adapters.core_link import frame, frames
from yibao.adapters.storage.store import Store
from yibao.errors import Refusal
from yibao.gateway.dispatch import UNKNOWN_REGION, Admission, Gateway, refusal_detail
from yibao.simulators.core.ids import new_id

log = logging.getLogger("yibao.core")
READ_SIZE = 1 << 20


def serve_core(gateway: Gateway, store: Store, listener: socket.socket, stop: threading.Event) -> None:
    """Answer the calls of every worker connected to `listener` until `stop` is set."""
    selector = selectors.DefaultSelector()
    listener.setblocking(False)
    selector.register(listener, selectors.EVENT_READ)
    buffers: dict[socket.socket, bytearray] = {}
    try:
        while not stop.is_set():
            calls: list[tuple[socket.socket, Any, str, bytes, Admission]] = []
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
                    sock.close()
                    del buffers[sock]
                    continue
                calls += [(sock, *call) for call in frames(buffers[sock])]
            if calls:
                _answer(sock_answers=_carry_out(gateway, store, calls))
                store.between_groups()
    finally:
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


def _carry_out(
    gateway: Gateway, store: Store, calls: list[tuple[socket.socket, Any, str, bytes, Admission]]
) -> list[tuple[socket.socket, bytes]]:
    try:
        with store.group():
            answers = [(sock, call_id, *gateway.handle_wire(infno, request, admission))
                       for sock, call_id, infno, request, admission in calls]  # fmt: skip
    except Exception:  # the group's commit failed: nothing of it was kept, nobody may be told otherwise
        ref = new_id(UNKNOWN_REGION, gateway.clock())
        log.exception("group of %d calls failed to commit, reference %s", len(calls), ref)
        detail = refusal_detail(gateway.clock, Refusal("INTERNAL", ref=ref), UNKNOWN_REGION, gateway.clock())
        answers = [(sock, call_id, False, detail.SerializeToString()) for sock, call_id, *_ in calls]
    return [(sock, frame((call_id, ok, data))) for sock, call_id, ok, data in answers]


def _answer(sock_answers: list[tuple[socket.socket, bytes]]) -> None:
    by_sock: dict[socket.socket, list[bytes]] = {}
    for sock, data in sock_answers:
        by_sock.setdefault(sock, []).append(data)
    for sock, parts in by_sock.items():
        try:
            sock.setblocking(True)
            sock.sendall(b"".join(parts))
            sock.setblocking(False)
        except OSError:
            log.warning("a gateway worker went away before its answers were sent")
