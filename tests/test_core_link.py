"""The workers' link to the settlement core process (adapters/core_link.py): frames survive any split of the
byte stream, calls are checked in the worker before they leave, answers find their caller, and a core that goes
away refuses the waiting calls instead of leaving them hanging."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab import Lab

from yibao.adapters.core_link import CoreClient, frame, frames
from yibao.domain.world import World
from yibao.gateway.dispatch import Admission, Gateway
from yibao.gateway.routes import build_routes
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
    """Accepts one worker, records what it sends, and answers with `answer(call)` or hangs up when it is None."""

    def __init__(self, path: str, answer: Any) -> None:
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(1)
        self.answer, self.calls = answer, []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        buffer = bytearray()
        with conn:
            while chunk := conn.recv(1 << 16):
                buffer += chunk
                for call in frames(buffer):
                    self.calls.append(call)
                    reply = self.answer(call)
                    if reply is None:
                        return  # hang up with the call unanswered
                    conn.sendall(frame(reply))


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


def test_when_the_core_goes_away_waiting_and_later_calls_are_refused(
    tmp_path: Path, gateway: Gateway, clock: Any
) -> None:
    FakeCore(str(tmp_path / "core.sock"), lambda call: None)
    link = CoreClient(str(tmp_path / "core.sock"), gateway)
    for _ in range(2):  # the one waiting when the core hangs up, and one after
        ok, data = link.handle_wire("1101", query(clock))
        detail = ErrorDetail.FromString(data)
        assert not ok and (detail.code, detail.header.infcode) == ("CORE_UNAVAILABLE", -1)
    link.close()


def test_undecodable_bytes_are_refused_in_the_worker(tmp_path: Path, gateway: Gateway) -> None:
    core = FakeCore(str(tmp_path / "core.sock"), lambda call: (call[0], True, b""))
    link = CoreClient(str(tmp_path / "core.sock"), gateway)
    ok, data = link.handle_wire("1101", b"\xff\xff\xff")
    detail = ErrorDetail.FromString(data)
    assert not ok and (detail.code, detail.field) == ("ENV_FORMAT", "request")
    assert core.calls == []
    link.close()
