"""The gateway workers' link to the settlement core process (simulators/core/core_process.py).

On an SQLite file every write is the core's: one process, one thread, no lock to share. The workers
(`yibao serve --workers N`) speak gRPC and HTTP, make the checks that need no write (`Gateway.admit`:
envelope, institution, region availability, input limits) and forward each call over a Unix
socket: a frame is a 4-byte length and a pickle of `(call id, infno, request bytes, Admission)`;
the answer is `(call id, ok, reply bytes or ErrorDetail bytes)`. Many threads share one connection per worker:
calls are told apart by id, and a reader thread hands each answer to the thread that waits for it.

`CoreClient` answers like the in-process Gateway (`handle`, `handle_wire`, `routes`, `world`,
`clock`), so the gRPC server and the HTTP adapter do not know which one they talk to.
"""

from __future__ import annotations

import itertools
import logging
import pickle
import socket
import struct
import threading
from collections.abc import Iterator
from typing import Any

from google.protobuf.message import Message

from yibao.errors import Refusal
from yibao.gateway import region_check
from yibao.gateway.dispatch import UNKNOWN_REGION, Admission, Gateway, Refused, refusal_detail
from yibao.gateway.routes import Route
from yibao.v1.envelope_pb2 import ErrorDetail

READ_SIZE = 1 << 16  # more than 128 KiB would make every recv an mmap and a munmap (~19 µs measured)

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


class CoreUnavailable(RuntimeError):
    pass


class _Waiter:
    __slots__ = ("answer", "done")

    def __init__(self) -> None:
        self.answer: tuple[bool, bytes] | None = None
        self.done = threading.Lock()
        self.done.acquire()


class CoreClient:
    def __init__(self, path: str, gateway: Gateway) -> None:
        """`gateway`: this worker's own, for the checks before the transaction."""
        self.gateway = gateway
        self.routes, self.world, self.clock = gateway.routes, gateway.world, gateway.clock
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.connect(path)
        self._send_lock = threading.Lock()
        self._waiting: dict[int, _Waiter] = {}
        self._ids = itertools.count(1)
        self._broken = False
        self._reader = threading.Thread(target=self._read, name="yibao-core-link", daemon=True)
        self._reader.start()

    def handle_wire(self, infno: str, request: bytes) -> tuple[bool, bytes]:
        """(True, reply bytes) or (False, ErrorDetail bytes), once the core has committed the call."""
        message = self.gateway.parse(self.routes[infno], request)
        if isinstance(message, ErrorDetail):
            return False, message.SerializeToString()
        return self._forward(infno, request, message)

    def _forward(self, infno: str, request: bytes, message: Message) -> tuple[bool, bytes]:
        try:
            answer = self._call(infno, request, self.gateway.admit(self.routes[infno], message))
            if infno == "Y9102" and answer[0]:  # availability may have changed: this worker re-reads at once
                region_check.changed()
            return answer
        except CoreUnavailable:
            log.error("the settlement core process is gone; refusing %s", infno)
            detail = refusal_detail(self.clock, Refusal("CORE_UNAVAILABLE"), UNKNOWN_REGION, self.clock())
            return False, detail.SerializeToString()

    def _call(self, infno: str, request: bytes, admission: Admission) -> tuple[bool, bytes]:
        waiter = _Waiter()
        call_id = next(self._ids)
        self._waiting[call_id] = waiter
        try:
            with self._send_lock:
                if self._broken:
                    raise CoreUnavailable("the settlement core process is gone")
                self._sock.sendall(frame((call_id, infno, request, admission)))
        except OSError as e:
            self._waiting.pop(call_id, None)
            raise CoreUnavailable(f"the settlement core process is gone: {e}") from e
        waiter.done.acquire()
        if waiter.answer is None:
            raise CoreUnavailable("the settlement core process is gone")
        return waiter.answer

    def handle(self, route: Route, request: Message) -> Message:
        """For the HTTP adapter, which has the message already: admitted as it is, not parsed again."""
        ok, data = self._forward(route.infno, request.SerializeToString(), request)
        if not ok:
            raise Refused(ErrorDetail.FromString(data))
        return route.reply_cls.FromString(data)  # type: ignore[no-any-return]

    def close(self) -> None:
        self._sock.close()

    def _read(self) -> None:
        buffer = bytearray()
        try:
            while chunk := self._sock.recv(READ_SIZE):
                buffer += chunk
                for call_id, ok, data in frames(buffer):
                    waiter = self._waiting.pop(call_id, None)
                    if waiter is not None:  # else its caller already gave up (its frame never left whole)
                        waiter.answer = (ok, data)
                        waiter.done.release()
        except OSError:
            pass
        except Exception:
            log.exception("the link to the settlement core process broke")
        with self._send_lock:  # the core is gone: nobody waits forever
            self._broken = True
            for waiter in self._waiting.values():
                waiter.done.release()
            self._waiting.clear()
