"""Region availability over gRPC: maintenance windows (world file and Y9102) and unreachable regions
refuse the calls that need them with category region_unavailable (gRPC UNAVAILABLE, infcode -1),
naming the place and, for a window, when it ends; Y9101 lists windows in progress and to come.

The world is tests/test_world.json plus region 110105 甲市东区 (a copy of 110000 甲市 whose insured
need no filing in the province, so its home benefits apply in 110000) with two windows, its insured
P0101 (like P0001: employee, account 500.00), and H11000000001 (in 110000) as the operator. The
clock starts at 2026-03-15 10:00:00.
"""

from __future__ import annotations

import copy
import json
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import grpc
import lab as lab_support
import pytest
from lab import Item, LabRefused
from sqlalchemy import func, select
from test_serve import free_port

from yibao import platform_clock
from yibao.domain.world import World
from yibao.storage import schema
from yibao.v1 import outpatient_pb2, person_pb2, region_pb2, signin_pb2
from yibao.world.loader import parse_world

TEST_WORLD = Path(__file__).parents[1] / "test_world.json"
EAST = "110105"
UPGRADE = {"begin": "2026-03-15 10:30:00", "end": "2026-03-15 12:00:00", "reason": "医保核心系统升级"}
EXPANSION = {"begin": "2026-03-20 22:00:00", "end": "2026-03-21 06:00:00", "reason": "数据库扩容"}
OPERATOR, OTHER = "H11000000001", "H11000000002"
BETA_HOSPITAL = "H44030000001"  # in 440300 乙市
A01 = Item("A01", "1", "300.00")
# A01 300.00 is 甲类: all in scope. Employee: deductible 200.00; fund (300−200)×0.70 = 70.00;
# person 230.00 from the account 500.00 → 270.00.
SETTLED = ("70.00", "230.00", "270.00")


def world_file() -> dict[str, Any]:
    raw = json.loads(TEST_WORLD.read_text("utf-8"))
    east = copy.deepcopy(next(r for r in raw["regions"] if r["admdvs"] == "110000"))
    east.update(admdvs=EAST, name="甲市东区", maintenance=[EXPANSION, UPGRADE])
    east["cross_region"] = {"no_filing_in_province": True}  # home benefits in 110000: no filing rules involved
    raw["regions"].append(east)
    p0101 = copy.deepcopy(next(p for p in raw["persons"] if p["psn_no"] == "P0001"))
    p0101.update(psn_no="P0101", psn_name="东区职工", certno="110105198006150011", ec_token="EC0101", card={})
    p0101["insurances"][0]["insuplc_admdvs"] = EAST
    raw["persons"].append(p0101)
    next(i for i in raw["institutions"] if i["fixmedins_code"] == OPERATOR)["operator"] = True
    return raw


@pytest.fixture(scope="module")
def world() -> World:
    return parse_world(world_file(), "test world with 甲市东区")


@pytest.fixture(autouse=True)
def _p0101_in_the_lab(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(lab_support.INSURED_PLACE, "P0101", EAST)
    monkeypatch.setitem(lab_support.INSUTYPE, "P0101", "310")
    monkeypatch.setitem(lab_support.CERT, "P0101", "EC0101")


def refused(call: Callable[..., Any], *args: Any, **kw: Any) -> LabRefused:
    """The refusal of `call`; region refusals are UNAVAILABLE, which the lab passes through raw."""
    with pytest.raises((grpc.RpcError, LabRefused)) as e:
        call(*args, **kw)
    r = e.value if isinstance(e.value, LabRefused) else LabRefused(e.value)
    assert r.detail.header.infcode == -1 and r.detail.header.err_msg.startswith(f"[{r.code}]")
    return r


def balance(served, psn_no: str) -> str:
    with served.store.read() as tx:
        return f"{tx.account_balance(psn_no):.2f}"


def count(served, table: Any, *where: Any) -> int:
    with served.store.read() as tx:
        return tx.conn.scalar(select(func.count()).select_from(table).where(*where))


def status(lab, admdvs: str = "", inst: str = OPERATOR) -> list[region_pb2.RegionStatus]:
    inp = region_pb2.QueryRegionStatusInput(data=region_pb2.RegionQuery(admdvs=admdvs))
    return list(lab.call("Y9101", inp, inst).output.region)


def change(lab, admdvs: str, action: str, reason: str = "", inst: str = OPERATOR, **times: str) -> Any:
    data = region_pb2.RegionStatusChange(admdvs=admdvs, action=action, reason=reason, **times)
    return lab.call("Y9102", region_pb2.SetRegionStatusInput(data=data), inst)


def psn_query(cert: str) -> person_pb2.QueryPsnInfoInput:
    return person_pb2.QueryPsnInfoInput(data=person_pb2.PsnInfoQuery(mdtrt_cert_type="01", mdtrt_cert_no=cert))


SIGN_IN = signin_pb2.SignInInput(signIn=signin_pb2.SignInData(opter_no="OP01", ip="10.0.0.8"))


def test_window_in_progress_refuses_a_settlement_and_writes_nothing(lab, served, clock) -> None:
    mdtrt_id = lab.register("P0101")
    lab.upload(mdtrt_id, [A01], "P0101")
    clock.advance(minutes=30)  # 10:30: the upgrade of 110105 begins
    data = lab.settle_data(mdtrt_id, "300.00", "P0101")
    request = outpatient_pb2.SettleRequest(header=lab.header("2207", psn="P0101"), input={"data": data})

    r = refused(lab.send, request, "2207")

    assert (r.status, r.code, r.detail.category, r.field) == (
        grpc.StatusCode.UNAVAILABLE,
        "REGION_MAINTENANCE",
        "region_unavailable",
        "header.insuplc_admdvs",
    )
    assert r.detail.header.err_msg == (
        "[REGION_MAINTENANCE] 参保地 110105 甲市东区 正在系统维护，预计 2026-03-15 12:00:00 恢复：医保核心系统升级"
        "（字段 header.insuplc_admdvs）"
    )
    assert r.detail.message_en == (
        "insured place 110105 甲市东区 is down for maintenance until 2026-03-15 12:00:00: 医保核心系统升级"
    )
    assert balance(served, "P0101") == "500.00"
    assert count(served, schema.settlement) == 0
    assert count(served, schema.fee, schema.fee.c.setl_id.is_not(None)) == 0
    # journaled as refused, but not remembered under the msgid: the refusal is transient
    assert count(served, schema.journal, schema.journal.c.err_code == "REGION_MAINTENANCE") == 1
    assert count(served, schema.message, schema.message.c.msgid == request.header.msgid) == 0
    # sign-in and 1101 carry no insured place: the window does not concern them
    assert lab.call("9001", SIGN_IN, OTHER).output.signinoutb.sign_no
    assert lab.call("1101", psn_query("EC0101")).output.insuinfo[0].insuplc_admdvs == EAST

    clock.advance(minutes=90)  # 12:00: the window has ended; the HIS resends the same msgid
    request.header.inf_time = f"{clock():%Y-%m-%d %H:%M:%S}"
    s = lab.send(request, "2207").output.setlinfo
    assert (s.hifp_pay, s.acct_pay, s.balc) == SETTLED
    assert balance(served, "P0101") == "270.00"


def test_upcoming_window_is_listed_and_does_not_refuse(lab, clock) -> None:
    (east,) = status(lab, EAST)
    assert (east.admdvs, east.admdvs_name, east.avail_flag, east.resume_time, east.reachable_flag) == (
        EAST,
        "甲市东区",
        "1",
        "",
        "1",
    )
    assert [(w.begntime, w.endtime, w.reason, w.source, w.in_progress_flag) for w in east.window] == [
        ("2026-03-15 10:30:00", "2026-03-15 12:00:00", "医保核心系统升级", "world", "0"),
        ("2026-03-20 22:00:00", "2026-03-21 06:00:00", "数据库扩容", "world", "0"),
    ]
    s = lab.visit_and_settle("P0101", [A01]).output.setlinfo  # 10:00: both windows are still to come
    assert (s.hifp_pay, s.acct_pay, s.balc) == SETTLED

    clock.advance(minutes=45)  # 10:45: in the upgrade
    (east,) = status(lab, EAST)
    assert (east.avail_flag, east.resume_time) == ("0", "2026-03-15 12:00:00")
    assert [w.in_progress_flag for w in east.window] == ["1", "0"]
    clock.advance(hours=2)  # 12:45: the upgrade is over and no longer listed
    (east,) = status(lab, EAST)
    assert (east.avail_flag, [w.reason for w in east.window]) == ("1", ["数据库扩容"])


def test_y9101_lists_every_region_for_any_institution(lab) -> None:
    regions = status(lab, inst="P11000000001")  # a pharmacy may ask too
    assert [(r.admdvs, r.avail_flag, len(r.window)) for r in regions] == [
        ("110000", "1", 0),
        (EAST, "1", 2),
        ("210400", "1", 0),
        ("440300", "1", 0),
    ]
    r = refused(status, lab, "999999")
    assert (r.status, r.code, r.field) == (grpc.StatusCode.NOT_FOUND, "REGION_NOT_FOUND", "input.data.admdvs")
    assert "本平台的区划：110000 110105 210400 440300" in r.detail.header.err_msg


def test_operator_marks_a_region_unreachable_then_reachable(lab, served) -> None:
    lab.sign_in(OTHER)
    out = change(lab, EAST, "unreachable", "区级专线中断").output.region
    assert (out.avail_flag, out.reachable_flag, out.unreachable_since, out.unreachable_reason) == (
        "0",
        "0",
        "2026-03-15 10:00:00",
        "区级专线中断",
    )

    r = refused(lab.register, "P0101")
    assert (r.status, r.code, r.detail.category, r.field) == (
        grpc.StatusCode.UNAVAILABLE,
        "REGION_UNREACHABLE",
        "region_unavailable",
        "header.insuplc_admdvs",
    )
    assert r.detail.header.err_msg == (
        "[REGION_UNREACHABLE] 参保地 110105 甲市东区 网络不通（自 2026-03-15 10:00:00）：区级专线中断，"
        "请稍后重试；或由参保人自费结算后持发票向参保地申请手工报销（Y2801）（字段 header.insuplc_admdvs）"
    )
    assert count(served, schema.visit) == 0
    # a person insured elsewhere is unaffected; so are sign-in and 1101 (no insured place in the envelope)
    s = lab.visit_and_settle("P0001", [A01]).output.setlinfo
    assert (s.hifp_pay, s.acct_pay, s.balc) == SETTLED  # P0001 has the same policy and balance
    assert lab.call("9001", SIGN_IN, OTHER).output.signinoutb.sign_no
    assert lab.call("1101", psn_query("EC0101"), OTHER).output.baseinfo.psn_no == "P0101"
    (east,) = status(lab, EAST, OTHER)
    assert (east.avail_flag, east.reachable_flag, east.unreachable_reason) == ("0", "0", "区级专线中断")

    out = change(lab, EAST, "reachable").output.region
    assert (out.avail_flag, out.reachable_flag, out.unreachable_since) == ("1", "1", "")
    s = lab.visit_and_settle("P0101", [A01]).output.setlinfo
    assert (s.hifp_pay, s.acct_pay, s.balc) == SETTLED


def test_treatment_place_down_is_named_as_such(lab) -> None:
    lab.sign_in(BETA_HOSPITAL)
    change(lab, "440300", "unreachable", "机房断电")
    # the hospital's own region is down: every call of it is refused, naming the treatment place
    r = refused(lab.call, "1101", psn_query("EC0001"), BETA_HOSPITAL)
    assert (r.code, r.field) == ("REGION_UNREACHABLE", "header.mdtrtarea_admvs")
    assert r.detail.header.err_msg.startswith(
        "[REGION_UNREACHABLE] 就医地 440300 乙市 网络不通（自 2026-03-15 10:00:00）：机房断电"
    )
    assert r.detail.message_en.startswith("treatment place 440300 乙市 is unreachable since 2026-03-15 10:00:00")
    # but it can still see why, and when it hears of a change
    (beta,) = status(lab, "440300", BETA_HOSPITAL)
    assert beta.reachable_flag == "0"


def test_operator_adds_a_window_that_refuses_until_it_ends(lab, clock) -> None:
    out = change(lab, "110000", "maintenance", "结算库切换", endtime="2026-03-15 10:20:00").output.region
    assert (out.avail_flag, out.resume_time) == ("0", "2026-03-15 10:20:00")
    assert [(w.begntime, w.source, w.in_progress_flag) for w in out.window] == [
        ("2026-03-15 10:00:00", "operator", "1")
    ]
    # 110000 is both the treatment place of H11000000001 and P0001's insured place: the first is named
    r = refused(lab.register, "P0001")
    assert r.detail.header.err_msg == (
        "[REGION_MAINTENANCE] 就医地 110000 甲市 正在系统维护，预计 2026-03-15 10:20:00 恢复：结算库切换"
        "（字段 header.mdtrtarea_admvs）"
    )
    clock.advance(minutes=20)
    assert lab.register("P0001")
    # a window that begins later, back to back with the world file's upgrade of 110105
    change(lab, EAST, "maintenance", "升级延长", begntime="2026-03-15 12:00:00", endtime="2026-03-15 13:00:00")
    clock.advance(minutes=40)  # 11:00
    r = refused(lab.register, "P0101")
    assert "预计 2026-03-15 13:00:00 恢复：医保核心系统升级" in r.detail.header.err_msg


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"admdvs": EAST, "action": "down", "reason": "x"}, "ENV_CODE", "input.data.action"),
        ({"admdvs": EAST, "action": "unreachable"}, "ENV_REQUIRED", "input.data.reason"),
        ({"admdvs": "123456", "action": "reachable"}, "REGION_NOT_FOUND", "input.data.admdvs"),
        ({"admdvs": EAST, "action": "maintenance", "reason": "x"}, "ENV_REQUIRED", "input.data.endtime"),
        (
            {"admdvs": EAST, "action": "maintenance", "reason": "x", "endtime": "2026-03-15 09:00:00"},
            "ENV_FORMAT",
            "input.data.endtime",
        ),
        (
            {"admdvs": EAST, "action": "maintenance", "reason": "x", "endtime": "2026-03-15"},
            "ENV_FORMAT",
            "input.data.endtime",
        ),
    ],
)
def test_bad_change_is_named(lab, data: dict[str, str], code: str, field: str) -> None:
    r = refused(lab.call, "Y9102", region_pb2.SetRegionStatusInput(data=region_pb2.RegionStatusChange(**data)))
    assert (r.code, r.field) == (code, field)


def test_only_operators_change_availability(lab) -> None:
    r = refused(change, lab, EAST, "unreachable", "x", inst=OTHER)
    assert (r.status, r.code, r.field) == (
        grpc.StatusCode.PERMISSION_DENIED,
        "AUTH_NOT_OPERATOR",
        "header.fixmedins_code",
    )
    assert r.detail.header.err_msg == (
        "[AUTH_NOT_OPERATOR] 机构 H11000000002 不是平台运维机构，不能办理 Y9102（字段 header.fixmedins_code）"
    )
    assert status(lab, EAST, OTHER)[0].reachable_flag == "1"


def test_with_the_core_process_the_worker_that_forwarded_y9102_applies_it_at_once(tmp_path: Path) -> None:
    """`yibao serve` on SQLite: Y9102 runs in the core process, availability is checked in the worker."""
    world_path = tmp_path / "world.json"
    world_path.write_text(json.dumps(world_file(), ensure_ascii=False), "utf-8")
    port = free_port()
    command = [sys.executable, "-m", "yibao.cli", "serve", "--port", str(port), "--http-port", "0",
               "--db", f"sqlite:///{tmp_path / 'y.db'}", "--world", str(world_path)]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            grpc.channel_ready_future(channel).result(timeout=60)
            lab = lab_support.Lab(channel, platform_clock.now)
            lab.sign_in(OPERATOR)
            lab.sign_in(OTHER)
            assert lab.register("P0101", OTHER)  # reachable
            change(lab, EAST, "unreachable", "区级专线中断")
            r = refused(lab.register, "P0101", OTHER)  # at once, not after the 1 s cache
            assert (r.code, r.field) == ("REGION_UNREACHABLE", "header.insuplc_admdvs")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert "the settlement core in a process of its own" in out
