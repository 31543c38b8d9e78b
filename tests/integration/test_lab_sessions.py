"""The certification lab's sessions on a live platform (in process: gRPC and JSON/HTTP servers, the operator API):
each session's institution is served from its own sandbox at its own clock, with no cross-talk between sessions
or with normal traffic; reset gives the same figures again; the lab clock makes a 6-month filing lock and a
commitment lapse observable."""

from __future__ import annotations

import json
import random
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import json_format
from sqlalchemy import func, select

from yibao import platform_clock
from yibao.adapters.http.app import NationalHttp
from yibao.adapters.http.server import HttpServer
from yibao.adapters.lab.api import LabApi
from yibao.adapters.lab.client import call
from yibao.adapters.lab.sessions import Lab, LabRouter
from yibao.adapters.platform import build_routes, build_server
from yibao.domain.world import World
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.envelope import MsgidSequence
from yibao.simulators.his.hospital import certificate, run_outpatient_visit
from yibao.simulators.his.receipt import Receipt
from yibao.storage import schema as t
from yibao.storage.store import Store
from yibao.v1 import filing_pb2 as fpb
from yibao.world.loader import load_world

BEIJING_A, BEIJING_B, FUSHUN = "H11010100001", "H11010500002", "H21040200001"
RETIREE = "11000000000000000001"  # 王建国: the demo suite paid his deductible and has his relocation filing
COMMITTED = "11000000000000000002"  # 李晓梅: commitment filing, material due 2026-07-20
FUSHUN_RETIREE = "21040000000000000001"
SUITE_START = datetime(2026, 6, 1, 9, 0)
AMOUNTS = ("medfee_sumamt", "fund_pay_sumamt", "act_pay_dedc", "hifp_pay", "acct_pay", "psn_cash_pay", "balc")


class HisClock:
    """The HIS's clock, kept on the lab's time (the platform refuses an inf_time 30 minutes off its own)."""

    def __init__(self, at: datetime) -> None:
        self.set(at)

    def set(self, at: datetime) -> None:
        self._at, self._anchor = at, datetime.now()

    def __call__(self) -> datetime:
        return self._at + (datetime.now() - self._anchor)


class Platform:
    def __init__(self, tmp: Path, world: World) -> None:
        self.world = world
        self.store = Store(f"sqlite:///{tmp / 'yibao.db'}")
        self.store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
        self.lab = Lab(tmp / "yibao-lab", world)
        routers: list[LabRouter] = []

        def link(gateway: Any) -> LabRouter:
            routers.append(self.lab.router(gateway))
            return routers[0]

        self.server, port, _ = build_server(world, self.store, address="127.0.0.1:0", link=link)
        self.server.start()
        self.target = f"127.0.0.1:{port}"
        self.http = HttpServer(NationalHttp(routers[0], lab=LabApi(self.lab)), port=0, threads=4)  # type: ignore[arg-type]
        self.http.start()
        self.base = f"http://127.0.0.1:{self.http.port}"
        self.channels: list[grpc.Channel] = []

    def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        return call(self.base, method, path, body)

    def open(self, institution: str, suite: Any = "demo", **extra: Any) -> dict[str, Any]:
        status, reply = self.api("POST", "/lab/sessions", {"institution": institution, "suites": suite, **extra})
        assert status == 201, reply
        return reply["session"]  # type: ignore[no-any-return]

    def his(self, institution: str, clock: HisClock, sequence: MsgidSequence | None = None) -> HisClient:
        channel = grpc.insecure_channel(self.target)
        self.channels.append(channel)
        client = HisClient(channel, self.world.institutions[institution], clock=clock, sequence=sequence)
        client.sign_in()
        return client

    def sandbox(self, session_id: str) -> Store:
        return self.lab._sessions[session_id].store

    def close(self) -> None:
        for channel in self.channels:
            channel.close()
        self.http.stop()
        self.server.stop(grace=None)
        self.lab.shutdown()
        self.store.close()


@pytest.fixture(scope="module")
def demo() -> World:
    return load_world(None)


@pytest.fixture
def platform(tmp_path: Path, demo: World) -> Iterator[Platform]:
    p = Platform(tmp_path, demo)
    yield p
    p.close()


def visit(client: HisClient, world: World, psn_no: str, seed: int = 7) -> Receipt:
    client.query_person(certificate(world.persons[psn_no], random.Random(seed)))
    return run_outpatient_visit(client, world, world.persons[psn_no], random.Random(seed))


def amounts(r: Receipt) -> dict[str, Decimal]:
    return {name: getattr(r, name) for name in AMOUNTS}


def balance(store: Store, psn_no: str) -> Decimal | None:
    with store.read() as tx:
        return tx.account_balance(psn_no)


def settlements(store: Store, institution: str) -> int:
    s = t.settlement.c
    with store.read() as tx:
        return int(tx.conn.scalar(select(func.count()).where(s.fixmedins_code == institution, s.kind == "settle")))


def revoke(client: HisClient, sn: str, psn_no: str) -> fpb.RevokeFilingReply:
    data = fpb.RevokeFilingData(trt_dcla_detl_sn=sn, psn_no=psn_no, memo="moving back")
    request = fpb.RevokeFilingRequest(header=client._header("2506", psn_no), input=fpb.RevokeFilingInput(data=data))
    return client._call("2506", request)


def test_two_sessions_at_once_see_nothing_of_each_other_nor_of_normal_traffic(platform: Platform) -> None:
    world = platform.world
    a = platform.open(BEIJING_A)
    b = platform.open(BEIJING_B, clock="2026-09-01T10:00")
    assert a["clock"]["now"].startswith("2026-06-01T09:00") and b["clock"]["now"].startswith("2026-09-01T10:00")
    his_a = platform.his(BEIJING_A, HisClock(SUITE_START))
    his_b = platform.his(BEIJING_B, HisClock(datetime(2026, 9, 1, 10, 0)))
    his_main = platform.his(FUSHUN, HisClock(platform_clock.now()))  # normal traffic, on the server's clock

    first_a = visit(his_a, world, RETIREE, seed=1)
    second_a = visit(his_a, world, RETIREE, seed=2)
    only_b = visit(his_b, world, RETIREE, seed=3)
    normal = visit(his_main, world, FUSHUN_RETIREE, seed=4)

    # each sandbox starts from the suite's 2000.00 and sees only its own institution's payments
    assert first_a.balc == Decimal("2000.00") - first_a.acct_pay
    assert second_a.balc == first_a.balc - second_a.acct_pay
    assert only_b.balc == Decimal("2000.00") - only_b.acct_pay
    assert first_a.act_pay_dedc == only_b.act_pay_dedc == Decimal("0.00")  # the suite's paid deductible, in both
    assert first_a.setl_time.startswith("2026-06-01") and only_b.setl_time.startswith("2026-09-01")
    store_a, store_b = platform.sandbox(a["id"]), platform.sandbox(b["id"])
    assert (settlements(store_a, BEIJING_A), settlements(store_a, BEIJING_B), settlements(store_a, FUSHUN)) == (2, 0, 0)
    assert (settlements(store_b, BEIJING_A), settlements(store_b, BEIJING_B), settlements(store_b, FUSHUN)) == (0, 1, 0)
    assert balance(store_a, RETIREE) == second_a.balc and balance(store_b, RETIREE) == only_b.balc
    # normal traffic: the platform's own store, untouched by the sessions (the world's 3200.00 for 王建国)
    main = platform.store
    assert (settlements(main, BEIJING_A), settlements(main, BEIJING_B), settlements(main, FUSHUN)) == (0, 0, 1)
    assert balance(main, RETIREE) == Decimal("3200.00")
    assert balance(main, FUSHUN_RETIREE) == normal.balc
    assert balance(store_a, FUSHUN_RETIREE) == balance(store_b, FUSHUN_RETIREE) == Decimal("500.00")

    status, reply = platform.api("GET", f"/lab/sessions/{a['id']}")
    assert status == 200
    activity = reply["session"]["activity"]
    assert activity["settlements_in_force"] == 2 and activity["outcomes"]["ok"] == activity["calls"]


def test_reset_gives_the_same_figures_again(platform: Platform) -> None:
    world = platform.world
    session = platform.open(BEIJING_A)
    clock = HisClock(SUITE_START)
    before = platform.his(BEIJING_A, clock)
    first = visit(before, world, RETIREE, seed=5)
    again = visit(platform.his(BEIJING_A, clock), world, RETIREE, seed=5)  # the same visit: the account moved on
    assert again.balc == first.balc - again.acct_pay

    platform.api("POST", f"/lab/sessions/{session['id']}/clock", {"advance": "1d"})
    status, reply = platform.api("POST", f"/lab/sessions/{session['id']}/reset", {})
    assert status == 200, reply
    assert reply["session"]["resets"] == 1 and reply["session"]["took_ms"] < 5000
    assert reply["session"]["clock"]["now"].startswith("2026-06-01T09:00")  # back to the suite's start
    assert settlements(platform.sandbox(session["id"]), BEIJING_A) == 0
    clock.set(SUITE_START)
    with pytest.raises(HisRefused, match="AUTH_SIGN_NO_UNKNOWN"):  # the sign-in went with the rest of the state
        visit(before, world, RETIREE)
    after = visit(platform.his(BEIJING_A, clock), world, RETIREE, seed=5)
    assert amounts(after) == amounts(first)
    assert after.setl_id != first.setl_id


def test_the_lab_clock_ends_a_filing_lock_and_lapses_a_commitment(platform: Platform) -> None:
    session = platform.open(BEIJING_A)
    sid = session["id"]
    clock = HisClock(SUITE_START)
    his = platform.his(BEIJING_A, clock)
    world = platform.world
    for psn in (RETIREE, COMMITTED):
        his.query_person(certificate(world.persons[psn], random.Random(1)))
    relocation = his.query_designations(RETIREE).output.psnfixmedin[0]
    assert (relocation.fil_stas, relocation.begndate) == ("1", "2026-03-01")
    with pytest.raises(HisRefused, match=r"FILING_LOCKED.*2026-09-01"):
        revoke(his, relocation.trt_dcla_detl_sn, RETIREE)
    commitment = his.query_designations(COMMITTED).output.psnfixmedin[0]
    assert (commitment.fil_stas, commitment.cmtm_flag, commitment.matl_stas) == ("1", "1", "0")

    status, reply = platform.api("POST", f"/lab/sessions/{sid}/clock", {"advance": "2mo"})
    assert status == 200 and reply["session"]["clock"]["now"].startswith("2026-08-01T09:00"), reply
    clock.set(datetime(2026, 8, 1, 9, 0))
    lapsed = his.query_designations(COMMITTED).output.psnfixmedin[0]
    assert (lapsed.fil_stas, lapsed.matl_stas) == ("4", "3")  # cancelled the day after 2026-07-20
    with pytest.raises(HisRefused, match="FILING_LOCKED"):
        revoke(his, relocation.trt_dcla_detl_sn, RETIREE)

    status, reply = platform.api("POST", f"/lab/sessions/{sid}/clock", {"set": "2026-09-01T08:30"})
    assert status == 200, reply
    clock.set(datetime(2026, 9, 1, 8, 30))
    revoked = revoke(his, relocation.trt_dcla_detl_sn, RETIREE)
    assert revoked.output.result.fil_stas == "3"

    # the platform's own traffic kept the server's clock, and the filings are only in the sandbox
    with platform.store.read() as tx:
        assert tx.conn.scalar(select(func.count()).select_from(t.filing)) == 0


def national(header: Any, inp: Any) -> bytes:
    body = {f.name: getattr(header, f.name) for f in header.DESCRIPTOR.fields}
    body["input"] = json_format.MessageToDict(inp, preserving_proto_field_name=True)
    return json.dumps(body, ensure_ascii=False).encode()


def post_national(base: str, body: bytes) -> dict[str, Any]:
    request = urllib.request.Request(f"{base}/fsi/api/callFsiService/callService", data=body, method="POST")
    request.add_header("Content-Type", "application/json;charset=UTF-8")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def test_json_over_http_is_attributed_to_the_session_as_grpc_is(platform: Platform) -> None:
    from yibao.v1 import signin_pb2 as spb

    session = platform.open(BEIJING_A)
    clock = HisClock(SUITE_START)
    channel = grpc.insecure_channel(platform.target)
    platform.channels.append(channel)
    his = HisClient(channel, platform.world.institutions[BEIJING_A], clock=clock)
    # 9001 over HTTP: the sign-in is the sandbox's, at the lab's time
    sign_in = spb.SignInInput(signIn=spb.SignInData(opter_no="OP01", mac="00-16-3E-00-00-01", ip="10.0.0.8"))
    reply = post_national(platform.base, national(his._header("9001"), sign_in))
    assert reply["infcode"] == 0, reply
    assert reply["refmsg_time"].startswith("20260601")
    his.envelope.sign_no = reply["output"]["signinoutb"]["sign_no"]
    # the same sign_no over gRPC: the sandbox knows it, the platform's store does not
    assert his.query_person(certificate(platform.world.persons[RETIREE], random.Random(1))).header.infcode == 0
    with platform.sandbox(session["id"]).read() as tx:
        calls = dict(tx.conn.execute(select(t.journal.c.infno, func.count()).group_by(t.journal.c.infno)).all())
    assert calls == {"9001": 1, "1101": 1}
    with platform.store.read() as tx:
        assert tx.conn.scalar(select(func.count()).select_from(t.journal)) == 0

    status, reply = platform.api("DELETE", f"/lab/sessions/{session['id']}")
    assert status == 200 and reply["session"]["status"] == "closed"
    his.envelope.clock = HisClock(platform_clock.now())  # the platform's clock again
    with pytest.raises(
        HisRefused, match="AUTH_SIGN_NO_UNKNOWN"
    ):  # back to normal traffic, where that sign-in never happened
        his.query_person(certificate(platform.world.persons[RETIREE], random.Random(1)))


def test_operator_api_answers_every_mistake_in_json(platform: Platform, tmp_path: Path) -> None:
    session = platform.open(BEIJING_A)
    sid = session["id"]
    cases: list[tuple[str, str, Any, int, str]] = [
        ("GET", "/lab/sessions/lab-nope", None, 404, "LAB_SESSION_UNKNOWN"),
        ("GET", "/lab/elsewhere", None, 404, "LAB_PATH"),
        ("PUT", "/lab/sessions", {}, 405, "LAB_METHOD"),
        ("POST", "/lab/sessions", {"institution": BEIJING_A, "suites": "demo"}, 409, "LAB_INSTITUTION_BUSY"),
        ("POST", "/lab/sessions", {"institution": "H99999999999", "suites": "demo"}, 400, "LAB_INSTITUTION_UNKNOWN"),
        ("POST", "/lab/sessions", {"institution": BEIJING_B, "suites": "nosuch"}, 400, "LAB_SUITE_UNKNOWN"),
        ("POST", "/lab/sessions", {"institution": BEIJING_B}, 400, "LAB_FIELD"),
        ("POST", "/lab/sessions", {"institution": BEIJING_B, "suites": "demo", "clock": "June"}, 400,
         "LAB_CLOCK_FORMAT"),
        ("POST", f"/lab/sessions/{sid}/clock", {"advance": "6m"}, 400, "LAB_CLOCK_FORMAT"),
        ("POST", f"/lab/sessions/{sid}/clock", {}, 400, "LAB_CLOCK_MISSING"),
        ("POST", f"/lab/sessions/{sid}/clock", {"when": "now"}, 400, "LAB_FIELD"),
    ]  # fmt: skip
    for method, path, body, status, code in cases:
        got, reply = platform.api(method, path, body)
        assert (got, reply["error"]["code"]) == (status, code), (method, path, reply)
        assert reply["error"]["message"]
    bad_state = {"name": "mine", "state": {"persons": [{"psn_no": RETIREE, "account_balance": 2000}]}}
    got, reply = platform.api("POST", "/lab/sessions", {"institution": BEIJING_B, "suites": [bad_state]})
    assert got == 400 and reply["error"]["code"] == "LAB_STATE_INVALID"
    assert reply["error"]["message"].startswith("mine.json: persons[0].account_balance: must be a non-negative amount")

    raw = urllib.request.Request(f"{platform.base}/lab/sessions/{sid}/reset", data=b"", method="POST")
    raw.add_header("Content-Type", "text/plain")  # what a web page's form could send: refused
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(raw, timeout=10)
    assert e.value.code == 415 and json.loads(e.value.read())["error"]["code"] == "LAB_CONTENT_TYPE"
    raw = urllib.request.Request(f"{platform.base}/lab/sessions", data=b"{nope", method="POST")
    raw.add_header("Content-Type", "application/json")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(raw, timeout=10)
    assert e.value.code == 400 and json.loads(e.value.read())["error"]["code"] == "LAB_JSON"

    assert platform.api("DELETE", f"/lab/sessions/{sid}")[0] == 200
    got, reply = platform.api("POST", f"/lab/sessions/{sid}/reset", {})
    assert (got, reply["error"]["code"]) == (409, "LAB_SESSION_CLOSED")
    got, reply = platform.api("GET", "/lab/sessions")
    assert [s["status"] for s in reply["sessions"]] == ["closed"]


def environ(method: str, path: str, remote: str, **headers: str) -> dict[str, Any]:
    import io

    return {"REQUEST_METHOD": method, "PATH_INFO": path, "REMOTE_ADDR": remote, "wsgi.input": io.BytesIO(b""),
            "CONTENT_LENGTH": "0", **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}  # fmt: skip


def test_operator_api_answers_the_loopback_only_unless_a_token_is_set(tmp_path: Path, demo: World) -> None:
    lab = Lab(tmp_path / "lab", demo)
    try:
        open_api = LabApi(lab)
        assert open_api("GET", "/lab/sessions", environ("GET", "/lab/sessions", "127.0.0.1"))[0] == 200
        assert open_api("GET", "/lab/sessions", environ("GET", "/lab/sessions", "::1"))[0] == 200
        status, _, body = open_api("GET", "/lab/sessions", environ("GET", "/lab/sessions", "10.1.2.3"))
        assert status == 403 and json.loads(body)["error"]["code"] == "LAB_LOOPBACK_ONLY"
        guarded = LabApi(lab, token="s3cret")
        status, _, body = guarded("GET", "/lab/sessions", environ("GET", "/lab/sessions", "127.0.0.1"))
        assert status == 401 and json.loads(body)["error"]["code"] == "LAB_TOKEN"
        auth = environ("GET", "/lab/sessions", "10.1.2.3", authorization="Bearer s3cret")
        assert guarded("GET", "/lab/sessions", auth)[0] == 200
        wrong = environ("GET", "/lab/sessions", "10.1.2.3", authorization="Bearer s3cre")
        assert guarded("GET", "/lab/sessions", wrong)[0] == 401
    finally:
        lab.shutdown()


def test_no_session_costs_one_counter_read_and_a_dict_test(tmp_path: Path, demo: World) -> None:
    """With no session open the router hands the bytes on unparsed; a session of another institution makes it
    parse, and still hand the call on."""

    class Inner:
        def __init__(self) -> None:
            self.routes, self.world, self.clock = build_routes(), demo, platform_clock.now
            self.seen: list[bytes] = []

        def handle_wire(self, infno: str, request: bytes) -> tuple[bool, bytes]:
            self.seen.append(request)
            return True, b"ok"

    lab = Lab(tmp_path / "lab", demo)
    try:
        inner = Inner()
        router = lab.router(inner)  # type: ignore[arg-type]
        assert router.handle_wire("1101", b"\xff not a message") == (True, b"ok")
        assert lab.by_institution == {} and lab.seen == lab.counter[0]
        lab.open(BEIJING_B, "demo")
        assert set(lab.by_institution) == {BEIJING_B}
        assert router.handle_wire("1101", b"\xff not a message") == (True, b"ok")  # parsed, not the session's
        assert inner.seen == [b"\xff not a message"] * 2
    finally:
        lab.shutdown()


def test_sessions_survive_a_server_started_again(tmp_path: Path, demo: World) -> None:
    first = Platform(tmp_path, demo)
    try:
        session = first.open(BEIJING_A)
        visit(first.his(BEIJING_A, HisClock(SUITE_START)), demo, RETIREE)
    finally:
        first.close()
    second = Platform(tmp_path, demo)
    try:
        assert set(second.lab.by_institution) == {BEIJING_A}
        status, reply = second.api("GET", f"/lab/sessions/{session['id']}")
        assert status == 200 and reply["session"]["activity"]["settlements_in_force"] == 1
    finally:
        second.close()


def test_clock_runs_on_from_its_set_point(platform: Platform) -> None:
    session = platform.open(BEIJING_A, clock="2026-12-31T23:59:59")
    assert session["clock"]["mode"] == "lab"
    _, reply = platform.api("POST", f"/lab/sessions/{session['id']}/clock", {"advance": "1s"})
    now = datetime.fromisoformat(reply["session"]["clock"]["now"])
    assert datetime(2027, 1, 1) <= now < datetime(2027, 1, 1) + timedelta(seconds=5)
    _, reply = platform.api("POST", f"/lab/sessions/{session['id']}/clock", {"set": "server"})
    assert reply["session"]["clock"]["mode"] == "server"
    assert abs(datetime.fromisoformat(reply["session"]["clock"]["now"]) - platform_clock.now()) < timedelta(seconds=5)


def test_yibao_cert_sends_a_local_state_file_and_says_what_went_wrong(
    platform: Platform, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from yibao.cli import main

    state = tmp_path / "My Suite.json"
    state.write_text(
        json.dumps({"clock": "2026-03-01T08:00", "persons": [{"psn_no": RETIREE, "account_balance": "7.50"}]})
    )
    assert main(["cert", "--server", platform.base, "new", "--institution", BEIJING_A, "--suite", str(state)]) == 0
    session = json.loads(capsys.readouterr().out)["session"]
    assert session["suites"] == ["my-suite"] and session["clock"]["now"].startswith("2026-03-01T08:00")
    assert balance(platform.sandbox(session["id"]), RETIREE) == Decimal("7.50")

    state.write_text(json.dumps({"persons": [{"psn_no": RETIREE, "accumulators": [{"year": 2026, "key": "x"}]}]}))
    assert main(["cert", "--server", platform.base, "new", "--institution", BEIJING_B, "--suite", str(state)]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "LAB_STATE_INVALID"
    assert error["message"].startswith("my-suite.json: persons[0].accumulators[0].key: 'x' must be <insutype>")
    assert main(["cert", "--server", platform.base, "clock", session["id"]]) == 2  # neither a time nor --advance
    assert main(["cert", "--server", "http://127.0.0.1:1", "status"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "LAB_SERVER_UNREACHABLE"
