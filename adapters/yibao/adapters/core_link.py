"""The gateway workers' link to the settlement core process (adapters/yibao/adapters/core_process.py).

On an SQLite file every write is the core's: one process, one thread, no lock to share. The workers
(`yibao serve --workers N`) speak gRPC and HTTP, make the checks that need no write (`Gateway.admit`:
envelope, institution, region availability, input limits) and forward each call over a Unix
socket: a frame is a 4-byte length and a pickle of `(call id, infno, request bytes, Admission)`;
the answer is `(call id, ok, reply bytes or ErrorDetail bytes)`. Many threads share one connection per worker:
calls are told apart by id, and a reader thread hands each answer to the thread that waits for it.

**When the core goes away** (killed, or stopped) with calls in flight, their fate is not known here: the core
may have committed a call and died before its answer left. Such a call is never refused as "not carried out".
The link connects to the core's socket again (the supervisor keeps listening on it and forks a killed core
again: gateway/yibao/gateway/prefork.py) and resends the same bytes, whose msgid the gateway's
idempotency knows: the stored
reply is replayed if the call was carried out, and it is carried out once if not. So the call gets its true
answer, unless no core answers within RECOVERY_WINDOW seconds of the loss: then it is answered
CORE_OUTCOME_UNKNOWN (query the msgid with Y5203, or resend the same msgid; never a new one). Only a call whose
frame never left whole is answered CORE_UNAVAILABLE ("not carried out"): no connection could be made, or
`sendall` failed, and the core reads complete frames only (`frames`), so a frame cut short is never carried out.

A call waits for its answer without limit on a connection the core has answered on (and on the first one,
made while the core starts with the workers); on a new connection, which sits in the listening socket's
backlog until a core accepts it, at most RECOVERY_WINDOW.

`CoreClient` answers like the in-process Gateway (`handle`, `handle_wire`, `routes`, `world`,
`clock`), so the gRPC server and the HTTP adapter do not know which one they talk to.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import pickle
import socket
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any

from google.protobuf.message import Message

from yibao.errors import Refusal
from yibao.gateway import region_check
from yibao.gateway.dispatch import Admission, Gateway, Refused, refusal_detail
from yibao.gateway.metrics import core_waiting
from yibao.gateway.routes import Route
from yibao.v1.envelope_pb2 import ErrorDetail

READ_SIZE = 1 << 16  # more than 128 KiB would make every recv an mmap and a munmap (~19 µs measured)
# Seconds a call whose answer was lost waits for a core to answer its resend: a killed core is forked again
# in well under a second (gateway/yibao/gateway/prefork.py). Fixed: the worker does not know the call's gRPC deadline.
RECOVERY_WINDOW = 3.0
RECONNECT_PAUSE = 0.05  # seconds between attempts to connect while nothing listens on the core's socket

log = logging.getLogger("yibao.gateway")
HEADER = struct.Struct("!I")


def frame(obj: Any) -> bytes:
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(body)) + body


def frames(buffer: bytearray) -> Iterator[Any]:
    """The complete frames at the head of `buffer`, removed from it as they are read."""
    start = 0
    while len(buffer) - start >= HEADER.size:
        (size,) = HEADER.unpack_from(buffer, start)
        end = start + HEADER.size + size
        if len(buffer) < end:
            break
        yield pickle.loads(buffer[start + HEADER.size : end])
        start = end
    del buffer[:start]


NOT_CARRIED_OUT = frozenset({"STORE_WRITE_FAILED"})  # the core's answers that say this attempt wrote nothing


def _not_carried_out(answer: tuple[bool, bytes]) -> bool:
    ok, data = answer
    return not ok and ErrorDetail.FromString(data).code in NOT_CARRIED_OUT


class CoreUnavailable(RuntimeError):
    """The call never reached the core whole: it was not carried out."""


class OutcomeUnknown(RuntimeError):
    """The call reached the core whole, and neither it nor its resends were answered in time."""


class _Waiter:
    __slots__ = ("answer", "done")

    def __init__(self) -> None:
        self.answer: tuple[bool, bytes] | None = None  # None once released: the connection was lost
        self.done = threading.Lock()
        self.done.acquire()


class _Link:
    """One connection to the core: the calls sent on it wait here, and a thread reads their answers.
    Whoever pops a waiter from `waiting` releases it: the reader with its answer, or with none once broken."""

    def __init__(self, path: str, connect_timeout: float | None, answered: bool = False) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(connect_timeout)
            sock.connect(path)
            sock.settimeout(None)
        except BaseException:
            sock.close()
            raise
        self.sock = sock
        self.answered = answered  # a core has answered on it (or it is trusted to: the first one)
        self.broken = False
        self.waiting: dict[int, _Waiter] = {}
        self._lock = threading.Lock()  # one frame at a time; no waiter added once broken
        self._reader = threading.Thread(target=self._read, name="yibao-core-link", daemon=True)
        self._reader.start()

    def send(self, call_id: int, data: bytes) -> _Waiter:
        """Send a whole frame, or raise CoreUnavailable: then nothing the core could carry out has left."""
        waiter = _Waiter()
        with self._lock:
            if self.broken:
                raise CoreUnavailable("the connection to the settlement core process is lost")
            self.waiting[call_id] = waiter
            try:
                self.sock.sendall(data)
            except OSError as e:  # a frame cut short: the core never reads it, and nothing may follow it
                self.waiting.pop(call_id, None)
                self.broken = True
                self._shut()
                raise CoreUnavailable(f"the settlement core process is gone: {e}") from e
        return waiter

    def forget(self, call_id: int) -> bool:
        """Stop waiting for `call_id`; False if its answer (or the loss) is being handed over already."""
        return self.waiting.pop(call_id, None) is not None

    def shut(self) -> None:
        with self._lock:
            self.broken = True
            self._shut()

    def _shut(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the reader, which closes the socket

    def _read(self) -> None:
        buffer = bytearray()
        try:
            while chunk := self.sock.recv(READ_SIZE):
                buffer += chunk
                for call_id, ok, data in frames(buffer):
                    self.answered = True
                    waiter = self.waiting.pop(call_id, None)
                    if waiter is not None:  # else its caller gave up on it
                        waiter.answer = (ok, data)
                        waiter.done.release()
        except OSError:
            pass
        except Exception:
            log.exception("the link to the settlement core process broke")
        with self._lock:  # nobody waits here forever, and no frame follows
            self.broken = True
            lost = 0
            while True:
                try:
                    _, waiter = self.waiting.popitem()
                except KeyError:
                    break
                lost += 1
                waiter.done.release()
            self.sock.close()
        if lost:
            log.warning("the connection to the settlement core process was lost with %d calls in flight", lost)


class CoreClient:
    def __init__(self, path: str, gateway: Gateway) -> None:
        """`gateway`: this worker's own, for the checks before the transaction."""
        self.gateway = gateway
        self.routes, self.world, self.clock = gateway.routes, gateway.world, gateway.clock
        self._path = path
        self._ids = itertools.count(1)
        self._lock = threading.Lock()  # replaces a lost connection once
        self._closed = False
        self._link = _Link(path, None, answered=True)  # the core starts with the workers: wait for it

    def handle_wire(self, infno: str, request: bytes) -> tuple[bool, bytes]:
        """(True, reply bytes) or (False, ErrorDetail bytes), once the core has committed the call."""
        message = self.gateway.parse(self.routes[infno], request)
        if isinstance(message, ErrorDetail):
            return False, message.SerializeToString()
        return self._forward(infno, request, message)

    def _forward(self, infno: str, request: bytes, message: Message) -> tuple[bool, bytes]:
        admission = self.gateway.admit(self.routes[infno], message)
        msgid = message.header.msgid  # type: ignore[attr-defined]
        try:
            with core_waiting():  # the core's queue depth (gateway/yibao/gateway/metrics.py)
                answer = self._call(infno, request, admission)
        except CoreUnavailable as e:
            log.error("%s; %s msgid %s was not carried out", e, infno, msgid)
            refusal = Refusal("CORE_UNAVAILABLE")
        except OutcomeUnknown as e:
            log.error("%s: %s msgid %s may or may not have been carried out", e, infno, msgid)
            refusal = Refusal("CORE_OUTCOME_UNKNOWN", msgid=msgid)
        else:
            if infno == "Y9102" and answer[0]:  # availability may have changed: this worker re-reads at once
                region_check.changed()
            return answer
        return False, refusal_detail(self.clock, refusal, admission.region, self.clock()).SerializeToString()

    def _call(self, infno: str, request: bytes, admission: Admission) -> tuple[bool, bytes]:
        """The core's answer. Raises CoreUnavailable when the call never reached it whole, OutcomeUnknown when it
        did and no answer came, though it was resent (the same bytes, so the same msgid) until RECOVERY_WINDOW
        after the loss."""
        call_id = next(self._ids)
        data = frame((call_id, infno, request, admission))
        lost_at: float | None = None  # when the first answer was lost
        while True:
            try:
                link = self._connection(lost_at)
                waiter = link.send(call_id, data)
            except (OSError, CoreUnavailable) as e:
                if lost_at is None:
                    raise CoreUnavailable(f"the settlement core process is gone: {e}") from e
                if time.monotonic() - lost_at >= RECOVERY_WINDOW:
                    raise OutcomeUnknown(f"no settlement core process to resend to: {e}") from e
                time.sleep(RECONNECT_PAUSE)
                continue
            if self._wait(link, call_id, waiter, lost_at) and waiter.answer is not None:
                if lost_at is None or not _not_carried_out(waiter.answer):
                    return waiter.answer
                # "Not carried out" speaks of the resend only; the send whose answer was lost may have been carried
                # out (the fault campaign caught a resend's replay hit by a disk error, answered STORE_WRITE_FAILED,
                # after the first send had settled). Resent again: it replays, or is carried out once.
                if time.monotonic() - lost_at >= RECOVERY_WINDOW:
                    raise OutcomeUnknown("a resend was not carried out, and the lost send's outcome is not known")
                time.sleep(RECONNECT_PAUSE)
                continue
            if self._closed:
                raise OutcomeUnknown("the link to the settlement core process was closed")
            if lost_at is None:
                lost_at = time.monotonic()
            elif time.monotonic() - lost_at >= RECOVERY_WINDOW:
                raise OutcomeUnknown(f"no answer from a settlement core process within {RECOVERY_WINDOW} s")

    def _wait(self, link: _Link, call_id: int, waiter: _Waiter, lost_at: float | None) -> bool:
        """Wait for the waiter's release: True with an answer, False with the connection lost. On a connection no
        core has answered on yet the wait ends RECOVERY_WINDOW after the loss (or after sending, if nothing was
        lost) with OutcomeUnknown; once a core answers on it, it has the call, and the call waits like any other."""
        start = time.monotonic() if lost_at is None else lost_at
        while not link.answered:
            if waiter.done.acquire(timeout=max(0.0, start + RECOVERY_WINDOW - time.monotonic())):
                return waiter.answer is not None
            if link.answered:
                break
            if link.forget(call_id):
                raise OutcomeUnknown(f"no settlement core process answered within {RECOVERY_WINDOW} s")
            break  # its answer, or the loss, is being handed over this instant
        waiter.done.acquire()
        return waiter.answer is not None

    def _connection(self, lost_at: float | None) -> _Link:
        """The connection to send on: the current one, or a new one in place of one that broke."""
        with self._lock:
            if self._link.broken:
                if self._closed:
                    raise CoreUnavailable("the link to the settlement core process is closed")
                left = RECOVERY_WINDOW if lost_at is None else lost_at + RECOVERY_WINDOW - time.monotonic()
                self._link = _Link(self._path, max(0.01, min(left, 1.0)))
            return self._link

    def handle(self, route: Route, request: Message) -> Message:
        """For the HTTP adapter, which has the message already: admitted as it is, not parsed again."""
        ok, data = self._forward(route.infno, request.SerializeToString(), request)
        if not ok:
            raise Refused(ErrorDetail.FromString(data))
        return route.reply_cls.FromString(data)  # type: ignore[no-any-return]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._link.shut()
