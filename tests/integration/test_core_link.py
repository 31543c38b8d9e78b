"""The workers' link to the settlement core process (adapters/yibao/adapters/core_link.py): frames survive
any split of the
byte stream, calls are checked in the worker before they leave, answers find their caller, and a core that goes
away leaves no call hanging and none told "not carried out" unless it never reached the core whole: a call the
core received is resent to the core that comes back, or answered "outcome unknown"."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab import Lab

from yibao.adapters import core_link
from yibao.adapters.core_link import CoreClient, frame, frames
from yibao.adapters.platform import build_routes
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.gateway.dispatch import Admission, Gateway, refusal_detail
from yibao.storage.store import Store
from yibao.v1 import person_pb2
from yibao.v1.envelope_pb2 import ErrorDetail


def test_frames_come_out_whole_however_the_bytes_arrive() -> None:
    sent = [(1, "1101", b"x" * 70_000, None), (2, "2207", b"", None), (3, "9001", b"\x00\x01", None)]
    stream = b"".join(frame(obj) for obj in sent)
    buffer, got = bytearray(), []
    for n in range(0, len(stream), 997):  # odd-sized chunks split headers and bodies alike
        buffer += stream[n : n + 997]
        got += list(frames(buffer))
    assert got == sent and buffer == bytearray()


class FakeCore:
    """A core behind a listening socket that outlives it, as the supervisor keeps it (gateway/yibao/gateway/prefork.py).

    Records each whole frame a worker sends (`calls`) and answers with `answer(call)`; None means the core dies
    with the call unanswered, and then: "gone", the socket is closed too (the supervisor is gone); "away", the
    socket stays but no core accepts again; "back", a new core accepts the next connection. `read_only`: the
    core reads that many bytes of the first connection (kept in `received`) and dies ("gone")."""

    def __init__(self, path: str, answer: Any, then: str = "gone", read_only: int | None = None) -> None:
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(8)
        self.answer, self.then, self.read_only = answer, then, read_only
        self.calls: list[Any] = []
        self.received = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self._serve_one(self.listener.accept()[0]):
            pass

    def _serve_one(self, conn: socket.socket) -> bool:
        """False once no core will accept again."""
        buffer = bytearray()
        with conn:
            if self.read_only is not None:
                while len(self.received) < self.read_only:
                    self.received += conn.recv(self.read_only - len(self.received))
                self.listener.close()
                return False
            while chunk := conn.recv(1 << 16):
                buffer += chunk
                for call in frames(buffer):
                    self.calls.append(call)
                    reply = self.answer(call)
                    if reply is None:  # die: the call unanswered, and the socket closed first if "gone"
                        if self.then == "gone":
                            self.listener.close()
                        return self.then == "back"
                    conn.sendall(frame(reply))
        return True


@pytest.fixture
def gateway(world: World, store: Store, clock: Any) -> Iterator[Gateway]:
    yield Gateway(world, store, build_routes(), clock)


def query(clock: Any, **over: str) -> bytes:
    header = Lab(None, clock).header("1101", **over)  # type: ignore[arg-type]
    data = person_pb2.PsnInfoQuery(mdtrt_cert_type="02", mdtrt_cert_no="110101198001010011")
    return person_pb2.QueryPsnInfoRequest(
        header=header, input=person_pb2.QueryPsnInfoInput(data=data)
    ).SerializeToString()


def test_a_call_is_admitted_in_the_worker_and_answered_by_the_core(
    tmp_path: Path, gateway: Gateway, clock: Any
) -> None:
    core = FakeCore(str(tmp_path / "core.sock"), lambda call: (call[0], True, b"reply of " + call[1].encode()))
    link = CoreClient(str(tmp_path / "core.sock"), gateway)
    request = query(clock)
    assert link.handle_wire("1101", request) == (True, b"reply of 1101")
    ((_, infno, sent, admission),) = core.calls
    assert (infno, sent) == ("1101", request)
    assert isinstance(admission, Admission) and admission.refusal is None and admission.received == clock()
    link.close()


def test_a_call_refused_in_the_worker_still_goes_to_the_core_to_be_journaled(
    tmp_path: Path, gateway: Gateway, clock: Any
) -> None:
    core = FakeCore(str(tmp_path / "core.sock"), lambda call: (call[0], False, call[3].refusal))
    link = CoreClient(str(tmp_path / "core.sock"), gateway)
    ok, data = link.handle_wire("1101", query(clock, inf_time="2020-01-01 00:00:00"))
    assert not ok and ErrorDetail.FromString(data).code == "ENV_INF_TIME"
    assert core.calls[0][3].refusal == data
    link.close()


@pytest.fixture
def window(monkeypatch: pytest.MonkeyPatch) -> float:
    """A short wait for a core to come back."""
    monkeypatch.setattr(core_link, "RECOVERY_WINDOW", 0.5)
    return 0.5


def refusal(answer: tuple[bool, bytes]) -> ErrorDetail:
    ok, data = answer
    assert not ok
    detail = ErrorDetail.FromString(data)
    assert detail.header.infcode == -1
    return detail


def test_a_call_the_core_received_whole_and_never_answered_has_an_unknown_outcome(
    tmp_path: Path, gateway: Gateway, clock: Any, window: float
) -> None:
    core = FakeCore(str(tmp_path / "core.sock"), lambda call: None, then="away")
    link = CoreClient(str(tmp_path / "core.sock"), gateway)
    request = query(clock)
    msgid = person_pb2.QueryPsnInfoRequest.FromString(request).header.msgid
    started = time.monotonic()
    detail = refusal(link.handle_wire("1101", request))
    assert detail.code == "CORE_OUTCOME_UNKNOWN"  # never CORE_UNAVAILABLE: the core had it whole
    assert msgid in detail.message_en and "Y5203" in detail.message_en and msgid in detail.header.err_msg
    assert window <= time.monotonic() - started < window + 3  # it waited for a core to come back, bounded
    assert [(infno, sent) for _, infno, sent, _ in core.calls] == [("1101", request)]
    # A later call goes out whole on a new connection that no core takes: its outcome is unknown too.
    assert refusal(link.handle_wire("1101", query(clock))).code == "CORE_OUTCOME_UNKNOWN"
    link.close()


def test_when_the_core_and_its_socket_are_gone_only_calls_never_sent_are_not_carried_out(
    tmp_path: Path, gateway: Gateway, clock: Any, window: float
) -> None:
    core = FakeCore(str(tmp_path / "core.sock"), lambda call: None, then="gone")
    link = CoreClient(str(tmp_path / "core.sock"), gateway)
    # The one waiting when the core hangs up: received whole, so unknown, though nothing listens to resend to.
    assert refusal(link.handle_wire("1101", query(clock))).code == "CORE_OUTCOME_UNKNOWN"
    assert len(core.calls) == 1
    # One after: no connection can be made, so it never left: not carried out, at once.
    started = time.monotonic()
    detail = refusal(link.handle_wire("1101", query(clock)))
    assert (detail.code, detail.category) == ("CORE_UNAVAILABLE", "internal")
    assert time.monotonic() - started < window
    link.close()


def test_a_frame_cut_short_is_never_carried_out(tmp_path: Path, gateway: Gateway, clock: Any, window: float) -> None:
    # Larger than the socket's buffers: the core reads the start of the frame and dies while it is being sent.
    core = FakeCore(str(tmp_path / "core.sock"), None, read_only=1000)
    link = CoreClient(str(tmp_path / "core.sock"), gateway)
    header = Lab(None, clock).header("1101")  # type: ignore[arg-type]
    data = person_pb2.PsnInfoQuery(mdtrt_cert_type="02", mdtrt_cert_no="1" * 4_000_000)
    request = person_pb2.QueryPsnInfoRequest(header=header, input=person_pb2.QueryPsnInfoInput(data=data))
    assert refusal(link.handle_wire("1101", request.SerializeToString())).code == "CORE_UNAVAILABLE"
    assert len(core.received) == 1000 and list(frames(bytearray(core.received))) == []  # no whole frame
    link.close()


def test_a_core_that_comes_back_answers_the_resend_of_the_same_bytes(
    tmp_path: Path, gateway: Gateway, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core_link, "RECOVERY_WINDOW", 10.0)

    def answer(call: Any) -> tuple[int, bool, bytes] | None:  # the first core dies with the call; the next answers
        return (call[0], True, b"reply to " + call[2]) if len(core.calls) > 1 else None

    core = FakeCore(str(tmp_path / "core.sock"), answer, then="back")
    link = CoreClient(str(tmp_path / "core.sock"), gateway)
    request = query(clock)
    started = time.monotonic()
    assert link.handle_wire("1101", request) == (True, b"reply to " + request)
    assert time.monotonic() - started < 5  # as soon as the core was back, not at the end of the window
    first, resent = core.calls
    assert resent[1:3] == first[1:3] == ("1101", request)  # the same bytes, so the same msgid: replayed if done
    assert resent[3] == first[3]  # admitted once, in the worker
    # The link serves later calls on the new connection.
    later = query(clock)
    assert link.handle_wire("1101", later) == (True, b"reply to " + later)
    link.close()


def test_undecodable_bytes_are_refused_in_the_worker(tmp_path: Path, gateway: Gateway) -> None:
    core = FakeCore(str(tmp_path / "core.sock"), lambda call: (call[0], True, b""))
    link = CoreClient(str(tmp_path / "core.sock"), gateway)
    ok, data = link.handle_wire("1101", b"\xff\xff\xff")
    detail = ErrorDetail.FromString(data)
    assert not ok and (detail.code, detail.field) == ("ENV_FORMAT", "request")
    assert core.calls == []
    link.close()


def store_write_failed(clock: Any) -> bytes:
    return refusal_detail(clock, Refusal("STORE_WRITE_FAILED"), "000000", clock()).SerializeToString()  # type: ignore[no-any-return]


def test_a_resend_answered_not_carried_out_is_resent_again_for_the_lost_sends_sake(
    tmp_path: Path, gateway: Gateway, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first core dies with the call (it may have settled it); the resend meets a disk error in the next core
    (STORE_WRITE_FAILED: that attempt wrote nothing, which says nothing of the first); resent again, it is answered."""
    monkeypatch.setattr(core_link, "RECOVERY_WINDOW", 10.0)

    def answer(call: Any) -> tuple[int, bool, bytes] | None:
        n = len(core.calls)
        return None if n == 1 else (call[0], False, store_write_failed(clock)) if n == 2 else (call[0], True, b"done")

    core = FakeCore(str(tmp_path / "core.sock"), answer, then="back")
    link = CoreClient(str(tmp_path / "core.sock"), gateway)
    request = query(clock)
    assert link.handle_wire("1101", request) == (True, b"done")
    assert [sent for _, _, sent, _ in core.calls] == [request] * 3


def test_a_resend_that_is_never_carried_out_leaves_the_outcome_unknown_never_not_carried_out(
    tmp_path: Path, gateway: Gateway, clock: Any, window: float
) -> None:
    def answer(call: Any) -> tuple[int, bool, bytes] | None:
        return None if len(core.calls) == 1 else (call[0], False, store_write_failed(clock))

    core = FakeCore(str(tmp_path / "core.sock"), answer, then="back")
    link = CoreClient(str(tmp_path / "core.sock"), gateway)
    assert refusal(link.handle_wire("1101", query(clock))).code == "CORE_OUTCOME_UNKNOWN"
    # A first send answered so is not carried out indeed: passed on as it is.
    assert refusal(link.handle_wire("1101", query(clock))).code == "STORE_WRITE_FAILED"
    link.close()
