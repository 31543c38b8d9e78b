"""Overload (issue 17, item 3): with a small admission limit, calls beyond it are refused at once, over gRPC with
RESOURCE_EXHAUSTED and the catalogued GATEWAY_BUSY, over HTTP in the national shape, and nothing of them is
journaled or claimed; a call whose client deadline passed is not started (Y5203: not arrived), also in the
settlement core process; one institution's flood leaves another its turn. A call is held in its handler by an
event, so "concurrent" is certain and no timing is asserted."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from conftest import Clock
from http_lab import HttpHis
from lab import HOSPITAL, Lab, LabRefused
from sqlalchemy import func, select

from yibao.adapters.core_link import CoreClient
from yibao.adapters.core_process import serve_core
from yibao.adapters.http.app import NationalHttp
from yibao.adapters.http.server import HttpServer
from yibao.adapters.platform import build_routes
from yibao.domain.world import World
from yibao.gateway import gate as admission
from yibao.gateway.dispatch import Gateway
from yibao.gateway.gate import Gate
from yibao.gateway.server import build_server
from yibao.storage import schema
from yibao.storage.store import Store
from yibao.transactions import transactions
from yibao.v1 import person_pb2, signin_pb2
from yibao.v1.envelope_pb2 import ErrorDetail

OTHER = "H11000000002"
QUERY = person_pb2.QueryPsnInfoInput(
    data=person_pb2.PsnInfoQuery(mdtrt_cert_type="01", mdtrt_cert_no="EC0001", psn_cert_type="01")
)
HTTP_QUERY = {"data": {"mdtrt_cert_type": "01", "mdtrt_cert_no": "EC0001", "psn_cert_type": "01"}}


class Held:
    """A gateway whose 1101 handler waits for `release` (and says so in `inside`) behind a gate; gRPC and HTTP."""

    def __init__(self, world: World, store: Store, clock: Clock, gate: Gate) -> None:
        routes = build_routes()
        query = routes["1101"].handler
        self.inside = threading.Semaphore(0)
        self.release = threading.Event()

        def held(*args: Any) -> Any:
            self.inside.release()
            assert self.release.wait(10)
            return query(*args)

        routes["1101"] = dataclasses.replace(routes["1101"], handler=held)
        self.store, self.gate = store, gate
        self.server, port, self.gateway = build_server(world, store, routes=routes, address="127.0.0.1:0",
                                                       clock=clock, gate=gate)  # fmt: skip
        self.server.start()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.lab = Lab(self.channel, clock)
        self.http = HttpServer(NationalHttp(self.gateway, gate=gate), port=0, threads=4)
        self.http.start()
        self.his = HttpHis(f"http://127.0.0.1:{self.http.port}", self.lab)
        self.pool: list[threading.Thread] = []

    def query(self, inst: str = HOSPITAL, timeout: float = 10) -> Any:
        request = person_pb2.QueryPsnInfoRequest(header=self.lab.header("1101", inst), input=QUERY)
        return request, self.lab.send(request, "1101", timeout=timeout)

    def in_background(self, inst: str = HOSPITAL) -> dict[str, Any]:
        """A 1101 on a thread; the dict gets its request, then its reply or error."""
        out: dict[str, Any] = {"request": person_pb2.QueryPsnInfoRequest(header=self.lab.header("1101", inst),
                                                                         input=QUERY)}  # fmt: skip

        def run() -> None:
            try:
                out["reply"] = self.lab.send(out["request"], "1101")
            except Exception as e:
                out["error"] = e

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        self.pool.append(thread)
        return out

    def wait_inside(self) -> None:
        assert self.inside.acquire(timeout=10), "the held call never reached its handler"

    def wait_waiting(self, n: int) -> None:
        end = time.monotonic() + 10
        while self.gate.load()[1] != n:
            assert time.monotonic() < end, f"never {n} waiting: {self.gate.load()}"
            time.sleep(0.005)

    def finish(self) -> None:
        self.release.set()
        for thread in self.pool:
            thread.join(10)

    def close(self) -> None:
        self.release.set()
        self.his.close()
        self.http.stop()
        self.channel.close()
        self.server.stop(grace=None)

    def traces(self, msgid: str) -> tuple[int, int]:
        """Rows under `msgid`: in `message` (claimed) and in `journal`."""
        with self.store.read() as tx:
            m = tx.conn.scalar(select(func.count()).where(schema.message.c.msgid == msgid))
            j = tx.conn.scalar(select(func.count()).where(schema.journal.c.msgid == msgid))
        return int(m), int(j)


@pytest.fixture
def held(world: World, store: Store, clock: Clock, request: pytest.FixtureRequest) -> Iterator[Held]:
    h = Held(world, store, clock, Gate(**request.param))
    h.lab.sign_in()
    h.lab.sign_in(OTHER)
    yield h
    h.close()


def busy(error: LabRefused) -> None:
    assert error.status == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert error.code == "GATEWAY_BUSY" and error.detail.category == "overload"
    assert error.detail.header.infcode == -1 and error.detail.header.err_msg.startswith("[GATEWAY_BUSY] 平台繁忙")
    assert "retry after" in error.detail.message_en


@pytest.mark.parametrize("held", [{"slots": 1, "waiting": 0}], indirect=True)
def test_beyond_the_limit_calls_are_refused_busy_over_grpc_and_http_and_nothing_is_journaled(held: Held) -> None:
    first = held.in_background()
    held.wait_inside()  # the one slot is taken
    refused_grpc = []
    for inst in (HOSPITAL, OTHER):
        request = person_pb2.QueryPsnInfoRequest(header=held.lab.header("1101", inst), input=QUERY)
        with pytest.raises(LabRefused) as e:
            held.lab.send(request, "1101")
        busy(e.value)
        refused_grpc.append(request.header.msgid)
    envelope = held.his.envelope("1101", HOSPITAL)
    answer = held.his.post({**envelope, "input": HTTP_QUERY})
    assert answer.status == 200 and answer.infcode == -1, answer.body
    assert answer.body["err_msg"].startswith("[GATEWAY_BUSY] 平台繁忙") and answer.body["inf_refmsgid"]
    held.finish()
    assert "reply" in first and first["reply"].header.infcode == 0
    for msgid in [*refused_grpc, envelope["msgid"]]:
        assert held.traces(msgid) == (0, 0), msgid  # not claimed, not journaled
        assert held.lab.query_msg(msgid, inst=msgid[:12]).msginfo.msg_stas == "0"  # Y5203: never arrived
    assert held.traces(first["request"].header.msgid) == (1, 1)
    assert held.gate.refused == 3 and held.gate.load() == (0, 0)
    # resent under the same msgid once the worker has room: carried out
    again = held.lab.send(person_pb2.QueryPsnInfoRequest(header=held.lab.header("1101", msgid=refused_grpc[0]),
                                                         input=QUERY), "1101")  # fmt: skip
    assert again.header.infcode == 0 and held.traces(refused_grpc[0]) == (1, 1)


@pytest.mark.parametrize("held", [{"slots": 1, "waiting": 4}], indirect=True)
def test_a_call_whose_client_gave_up_while_it_waited_is_never_started(held: Held) -> None:
    held.in_background()
    held.wait_inside()
    request = person_pb2.QueryPsnInfoRequest(header=held.lab.header("1101"), input=QUERY)
    with pytest.raises(grpc.RpcError) as e:
        held.lab.send(request, "1101", timeout=0.3)
    assert e.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    end = time.monotonic() + 10
    while held.gate.expired != 1:  # the server's side of the same deadline
        assert time.monotonic() < end
        time.sleep(0.01)
    held.finish()
    assert held.traces(request.header.msgid) == (0, 0)
    assert held.lab.query_msg(request.header.msgid).msginfo.msg_stas == "0"
    assert held.lab.send(request, "1101").header.infcode == 0  # the same msgid, resent: carried out once
    assert held.traces(request.header.msgid) == (1, 1)


@pytest.mark.parametrize("held", [{"slots": 1, "waiting": 2, "share": 0.5}], indirect=True)
def test_an_institution_flooding_holds_only_its_share_and_another_institution_still_gets_in(held: Held) -> None:
    held.in_background()
    held.wait_inside()
    queued = held.in_background()  # the flooder's one waiting place (2 × 0.5)
    held.wait_waiting(1)
    with pytest.raises(LabRefused) as e:
        held.query()
    busy(e.value)
    other = held.in_background(OTHER)  # the worker still has room for another institution
    held.wait_waiting(2)
    held.finish()
    assert "reply" in queued and "reply" in other, (queued, other)
    assert other["reply"].header.infcode == 0


def test_a_call_past_its_deadline_is_not_started_in_process_nor_by_the_core_and_a_done_call_replays(
    tmp_path: Path, world: World, clock: Clock
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'core.db'}")
    store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
    path = str(tmp_path / "core.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(8)
    stop = threading.Event()
    core_gateway = Gateway(world, store, build_routes(), clock)
    thread = threading.Thread(target=serve_core, args=(core_gateway, store, listener, stop), daemon=True)
    thread.start()
    local = Gateway(world, store, build_routes(), clock)
    link = CoreClient(path, Gateway(world, store, build_routes(), clock))
    lab = Lab(None, clock)  # type: ignore[arg-type]
    try:
        sign_in = lab.build(
            "9001", signin_pb2.SignInInput(signIn=signin_pb2.SignInData(opter_no="OP01", ip="10.0.0.8"))
        )
        ok, data = link.handle_wire("9001", sign_in.SerializeToString())
        assert ok
        lab.sign_nos[HOSPITAL] = transactions()["9001"].reply_cls.FromString(data).output.signinoutb.sign_no
        for handler in (local, link):
            request = person_pb2.QueryPsnInfoRequest(header=lab.header("1101"), input=QUERY)
            admission.set_deadline(time.perf_counter() - 0.001)
            try:
                ok, data = handler.handle_wire("1101", request.SerializeToString())
            finally:
                admission.set_deadline(None)
            assert not ok and ErrorDetail.FromString(data).code == "CALL_DEADLINE_PASSED"
            with store.read() as tx:
                assert tx.message(request.header.msgid) is None
                journaled = select(func.count()).where(schema.journal.c.msgid == request.header.msgid)
                assert tx.conn.scalar(journaled) == 0
            ok, first = handler.handle_wire("1101", request.SerializeToString())  # in time: carried out
            assert ok
            admission.set_deadline(time.perf_counter() - 0.001)
            try:  # a resend after its deadline of a call carried out gets its true answer, the stored reply
                assert handler.handle_wire("1101", request.SerializeToString()) == (True, first)
            finally:
                admission.set_deadline(None)
    finally:
        link.close()
        stop.set()
        thread.join(10)
        store.close()
