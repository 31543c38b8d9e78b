"""The simulated HIS without a server: envelopes, msgids, refusal decoding, the bill, the receipt check."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import any_pb2
from google.rpc import code_pb2, status_pb2

from yibao.domain.world import Institution
from yibao.gateway.envelope import check_header
from yibao.simulators.his.client import HisClient, HisRefused, refusal_from_error
from yibao.simulators.his.envelope import EnvelopeBuilder, MsgidSequence, recer_sys_code
from yibao.simulators.his.hospital import active_persons, certificate, choose_hospital, draw_bill, fen
from yibao.simulators.his.pharmacy_client import PharmacyClient
from yibao.simulators.his.receipt import (
    REVERSED_AMOUNTS,
    FundRow,
    Receipt,
    check_receipt,
    check_reversal,
    format_receipt,
)
from yibao.simulators.his.summary import Tally, format_summary, percentile
from yibao.v1 import outpatient_pb2, person_pb2, signin_pb2
from yibao.v1.envelope_pb2 import ErrorDetail, ReplyHeader
from yibao.v1.settlement_pb2 import SetlDetail, SetlInfo
from yibao.world.loader import load_world

TEST_WORLD = Path(__file__).parents[1] / "test_world.json"
HOSPITAL = Institution("H11000000001", "甲市第一医院", "1", "110000", hosp_lv="3")
NOW = datetime(2026, 3, 15, 10, 0, 0)
MSGID = re.compile(r"^H11000000001(\d{14})(\d{4})$")


def fixed(now: datetime = NOW) -> Callable[[], datetime]:
    return lambda: now


# -- envelope


def test_header_carries_the_national_fields() -> None:
    env = EnvelopeBuilder(HOSPITAL, opter="OP7", opter_name="收费员乙", clock=fixed())
    env.sign_no = "110000202603151000000000000001"
    h = env.header("2207", insuplc_admdvs="440300", insutype="310")
    assert (h.infno, h.mdtrtarea_admvs, h.insuplc_admdvs, h.recer_sys_code, h.infver) == (
        "2207",
        "110000",
        "440300",
        "YBXT",
        "V1.0",
    )
    assert (h.opter_type, h.opter, h.opter_name, h.inf_time) == ("1", "OP7", "收费员乙", "2026-03-15 10:00:00")
    assert (h.fixmedins_code, h.fixmedins_name, h.sign_no) == ("H11000000001", "甲市第一医院", env.sign_no)
    assert h.msgid == "H11000000001202603151000000000"


def test_sign_in_carries_no_sign_no_and_person_free_calls_no_insured_place() -> None:
    env = EnvelopeBuilder(HOSPITAL, clock=fixed())
    env.sign_no = "stale"
    assert env.header("9001").sign_no == ""
    assert env.header("1101").insuplc_admdvs == ""


def test_headers_pass_the_gateways_envelope_check() -> None:
    world = load_world(TEST_WORLD)
    env = EnvelopeBuilder(world.institutions["H11000000001"], clock=fixed())
    for infno in ("9001", "1101", "2201", "2204", "2207"):
        institution, warnings = check_header(env.header(infno, "110000"), infno, world, NOW)
        assert institution.fixmedins_code == "H11000000001" and warnings == []


def test_msgid_is_code_time_and_a_wrapping_sequence() -> None:
    env = EnvelopeBuilder(HOSPITAL, clock=fixed())
    ids = [env.header("1101").msgid for _ in range(10_001)]
    assert all(len(i) == 30 for i in ids)
    parts = [MSGID.match(i) for i in ids]
    assert all(p is not None and p.group(1) == "20260315100000" for p in parts)
    sequences = [p.group(2) for p in parts if p]
    assert sequences[:3] == ["0000", "0001", "0002"]
    assert sequences[9_999] == "9999" and sequences[10_000] == "0000"  # wraps after 10 000 calls
    assert len(set(ids[:10_000])) == 10_000  # unique within one second


def test_msgid_and_inf_time_follow_the_clock() -> None:
    # the first reading, at construction, places the sequence
    times = iter([NOW, datetime(2026, 1, 2, 3, 4, 5), datetime(2026, 12, 31, 23, 59, 59)])
    env = EnvelopeBuilder(HOSPITAL, clock=lambda: next(times))
    a, b = env.header("9001"), env.header("9001")
    assert (a.msgid[12:26], a.inf_time) == ("20260102030405", "2026-01-02 03:04:05")
    assert (b.msgid[12:], b.inf_time) == ("202612312359590001", "2026-12-31 23:59:59")


def test_clients_started_in_the_same_second_start_apart() -> None:
    early = EnvelopeBuilder(HOSPITAL, clock=fixed(NOW.replace(microsecond=120_000)))
    late = EnvelopeBuilder(HOSPITAL, clock=fixed(NOW.replace(microsecond=987_654)))
    assert early.header("1101").msgid.endswith("0000") and late.header("1101").msgid.endswith("7654")


def test_clients_sharing_a_sequence_never_share_a_msgid() -> None:
    shared = MsgidSequence()
    desks = [EnvelopeBuilder(HOSPITAL, clock=fixed(), sequence=shared) for _ in range(3)]
    ids = [desk.header("2204").msgid for _ in range(1000) for desk in desks]
    assert len(set(ids)) == 3000


def test_retired_cadres_go_to_lxxt_for_person_settlements_only() -> None:
    assert recer_sys_code("2207", "340") == "LXXT"
    assert recer_sys_code("2201", "340") == "LXXT"
    assert recer_sys_code("2204", "340") == "YBXT"
    assert recer_sys_code("2207", "310") == "YBXT"


def test_institution_code_must_make_a_30_character_msgid() -> None:
    with pytest.raises(ValueError, match="12-character"):
        EnvelopeBuilder(replace(HOSPITAL, fixmedins_code="H1100"))


# -- refusals


class FakeCallError(grpc.RpcError, grpc.Call):
    """What grpcio raises for a failed unary call, with optional rich-status trailers."""

    def __init__(self, code: grpc.StatusCode, details: str, status: status_pb2.Status | None = None) -> None:
        self._code, self._details = code, details
        self._trailers = () if status is None else (("grpc-status-details-bin", status.SerializeToString()),)

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return self._details

    def trailing_metadata(self) -> Any:
        return self._trailers

    def initial_metadata(self) -> Any:
        return ()

    def is_active(self) -> bool:
        return False

    def time_remaining(self) -> float | None:
        return None

    def cancel(self) -> bool:
        return False

    def add_callback(self, callback: Any) -> bool:
        return False


def gateway_refusal(code: str = "ENV_INSUPLC", field: str = "header.insuplc_admdvs") -> FakeCallError:
    err_msg = f"[{code}] insuplc_admdvs 110000 与人员 P0004 的参保地 440300 不一致（字段 {field}）"
    detail = ErrorDetail(
        code=code,
        category="envelope",
        field=field,
        message_zh="…",
        message_en="…",
        header=ReplyHeader(infcode=-1, err_msg=err_msg),
    )
    packed = any_pb2.Any()
    packed.Pack(detail)
    status = status_pb2.Status(code=code_pb2.INVALID_ARGUMENT, message=err_msg, details=[packed])
    return FakeCallError(grpc.StatusCode.INVALID_ARGUMENT, err_msg, status)


def test_refusal_with_error_detail() -> None:
    r = refusal_from_error("2204", gateway_refusal())
    assert (r.infno, r.code, r.field, r.status_code) == (
        "2204",
        "ENV_INSUPLC",
        "header.insuplc_admdvs",
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert r.err_msg.startswith("[ENV_INSUPLC]") and r.detail is not None and r.detail.header.infcode == -1


def test_refusal_without_details_keeps_the_status_text() -> None:
    r = refusal_from_error("9001", FakeCallError(grpc.StatusCode.UNAVAILABLE, "failed to connect to all addresses"))
    assert (r.code, r.field, r.err_msg, r.status_code) == (
        "",
        "",
        "failed to connect to all addresses",
        grpc.StatusCode.UNAVAILABLE,
    )


# -- the client over a scripted channel


class ScriptedChannel:
    """Answers each RPC path from a script; records every request."""

    def __init__(self, script: dict[str, Callable[[Any], Any]]) -> None:
        self.script, self.sent = script, []

    def unary_unary(self, path: str, request_serializer: Any, response_deserializer: Any, **_: Any) -> Any:
        def call(request: Any, timeout: float | None = None) -> Any:
            self.sent.append((path, request))
            return self.script[path](request)

        return call


def person_reply(_: Any) -> person_pb2.QueryPsnInfoReply:
    out = person_pb2.QueryPsnInfoOutput(baseinfo=person_pb2.BaseInfo(psn_no="P0004"))
    out.insuinfo.add(insutype="310", insuplc_admdvs="440300", psn_insu_stas="1")
    return person_pb2.QueryPsnInfoReply(output=out)


def refuse(_: Any) -> Any:
    raise gateway_refusal()


def test_client_carries_sign_no_and_insured_place_and_times_each_call() -> None:
    sign_in = signin_pb2.SignInReply(output=signin_pb2.SignInOutput(signinoutb=signin_pb2.SignInOutb(sign_no="S" * 30)))
    channel = ScriptedChannel(
        {
            "/yibao.v1.SignInService/SignIn": lambda _: sign_in,
            "/yibao.v1.PersonInfoService/QueryPsnInfo": person_reply,
            "/yibao.v1.OutpatientService/Register": lambda _: outpatient_pb2.RegisterReply(),
            "/yibao.v1.OutpatientService/UploadFeeDetails": refuse,
        }
    )
    client = HisClient(channel, HOSPITAL, clock=fixed())  # type: ignore[arg-type]
    client.sign_in()
    client.query_person(person_pb2.PsnInfoQuery(mdtrt_cert_type="01", mdtrt_cert_no="EC0004"))
    client.register(outpatient_pb2.RegisterData(psn_no="P0004", insutype="310"))
    with pytest.raises(HisRefused) as refused:
        client.upload_fees([outpatient_pb2.FeeDetail(psn_no="P0004")])
    assert refused.value.code == "ENV_INSUPLC" and refused.value.infno == "2204"

    headers = [request.header for _, request in channel.sent]
    assert [h.infno for h in headers] == ["9001", "1101", "2201", "2204"]
    assert [h.sign_no for h in headers] == ["", "S" * 30, "S" * 30, "S" * 30]
    assert [h.insuplc_admdvs for h in headers] == ["", "", "440300", "440300"]
    assert len({h.msgid for h in headers}) == 4
    assert {k: len(v) for k, v in client.latencies.items()} == {"9001": 1, "1101": 1, "2201": 1, "2204": 1}
    assert client.next_ipt_otp_no() != client.next_ipt_otp_no()


def test_a_reply_with_infcode_minus_one_is_a_refusal() -> None:
    failed = signin_pb2.SignInReply(header=ReplyHeader(infcode=-1, err_msg="签到失败"))
    client = HisClient(
        ScriptedChannel({"/yibao.v1.SignInService/SignIn": lambda _: failed}),  # type: ignore[arg-type]
        HOSPITAL,
        clock=fixed(),
    )
    with pytest.raises(HisRefused, match="签到失败"):
        client.sign_in()
    assert not client.signed_in


# -- choosing, billing


def test_only_active_persons_and_enabled_hospitals_are_chosen() -> None:
    world = load_world(TEST_WORLD)
    assert "P0005" not in {p.psn_no for p in active_persons(world)}  # psn_insu_stas 2
    chosen = {choose_hospital(world, random.Random(s)).fixmedins_code for s in range(50)}
    assert chosen == {"H11000000001", "H11000000002", "H44030000001"}
    assert choose_hospital(world, random.Random(1), "H11000000009").enabled is False  # asked for: as it is
    with pytest.raises(ValueError):
        choose_hospital(world, random.Random(1), "H99999999999")


def test_certificates_are_the_persons_own() -> None:
    person = load_world(TEST_WORLD).persons["P0001"]
    seen = {}
    for s in range(40):
        q = certificate(person, random.Random(s))
        seen[q.mdtrt_cert_type] = (q.mdtrt_cert_no, q.card_sn)
    assert seen == {"01": ("EC0001", ""), "02": ("110101198006150011", ""), "03": ("K0001", "SN0001")}


def test_bill_is_deterministic_and_adds_up_to_the_fen() -> None:
    catalogue = load_world(TEST_WORLD).regions["110000"].catalogue
    for seed in range(30):
        bill = draw_bill(catalogue, random.Random(seed))
        assert bill == draw_bill(catalogue, random.Random(seed))
        assert 3 <= len(bill) <= 6 and len({b.item.med_list_codg for b in bill}) == len(bill)
        for line in bill:
            assert line.total == (line.cnt * line.pric).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            assert line.hosp_appr_flag in ("0", "1")
            assert line.hosp_appr_flag == "0" or line.item.lmt_used_flag == "1"
    small = load_world(TEST_WORLD).regions["440300"].catalogue  # two items only
    assert len(draw_bill(small, random.Random(1))) == 2


def test_fen_rounds_half_up() -> None:
    assert fen(Decimal("0.5") * Decimal("12.25")) == Decimal("6.13")  # 6.125
    assert fen(Decimal("1.5") * Decimal("3.33")) == Decimal("5.00")  # 4.995


# -- the receipt


def receipt(**over: Any) -> Receipt:
    amounts = dict(
        medfee_sumamt="425.00",
        fulamt_ownpay_amt="30.00",
        overlmt_selfpay="25.00",
        preselfpay_amt="22.40",
        inscp_scp_amt="347.60",
        act_pay_dedc="200.00",
        hifp_pay="103.32",
        pool_prop_selfpay="0.7000",
        fund_pay_sumamt="103.32",
        psn_part_amt="321.68",
        acct_pay="300.00",
        psn_cash_pay="21.68",
        balc="200.00",
    )
    info = SetlInfo(setl_id="110000202603151000000000000009", psn_name="甲职工", insutype="310", med_type="11")
    for name, value in {**amounts, **over}.items():
        setattr(info, name, value)
    fund = FundRow.of(SetlDetail(fund_pay_type="310100", fund_payamt="103.32", fund_pay_type_name="统筹基金"))
    return Receipt(
        fixmedins_code="H11000000001",
        fixmedins_name="甲市第一医院",
        ipt_otp_no="MZ1",
        chrg_bchno="SF1",
        insuplc_admdvs="110000",
        diag_code="J06.900",
        diag_name="急性上呼吸道感染",
        billed_sumamt=Decimal("425.00"),
        items=(),
        setldetail=(fund,),
        warn_msg="",
        **Receipt.setlinfo_fields(info),  # type: ignore[arg-type]
    )


def test_a_balanced_receipt_passes_and_prints_both_languages() -> None:
    r = receipt()
    assert check_receipt(r) == []
    assert isinstance(r.medfee_sumamt, Decimal) and r.acct_pay == Decimal("300.00")
    text = format_receipt(r)
    for label in ("医疗费总额 medfee_sumamt", "基金支付 fund_pay_sumamt", "个人账户 acct_pay", "个人现金 psn_cash_pay"):
        assert label in text
    assert "余额 balc" in text and r.setl_id in text and "425.00" in text


@pytest.mark.parametrize(
    ("over", "words"),
    [
        ({"psn_cash_pay": "21.67"}, "psn_part_amt 321.68 ≠ acct_pay"),
        ({"setl_id": ""}, "setl_id is empty"),
        ({"inscp_scp_amt": "347.61"}, "medfee_sumamt 425.00 ≠ fulamt_ownpay_amt + overlmt_selfpay"),
    ],
)
def test_an_unbalanced_receipt_is_a_failed_visit(over: dict[str, str], words: str) -> None:
    problems = check_receipt(receipt(**over))
    assert len(problems) == 1 and words in problems[0]


def test_fund_total_must_match_medfee_and_the_setldetail_rows() -> None:
    assert check_receipt(receipt(fund_pay_sumamt="103.33")) == [
        "medfee_sumamt 425.00 ≠ fund_pay_sumamt 103.33 + psn_part_amt 321.68",
        "setldetail fund_payamt Σ 103.32 ≠ fund_pay_sumamt 103.33",
    ]
    # the rows alone disagreeing (both identities of setlinfo hold)
    moved = replace(receipt(), setldetail=(FundRow.of(SetlDetail(fund_pay_type="310100", fund_payamt="100.00")),))
    assert check_receipt(moved) == ["setldetail fund_payamt Σ 100.00 ≠ fund_pay_sumamt 103.32"]


def test_a_cancellation_must_mirror_the_settlement() -> None:
    orig = receipt()
    negated = {name: f"{-getattr(orig, name):.2f}" for name in REVERSED_AMOUNTS}
    rev = replace(receipt(**negated), setl_id="110000202603151000000000000010", reverses=orig.setl_id)
    rev = replace(rev, billed_sumamt=-orig.billed_sumamt, setldetail=(FundRow.of(SetlDetail(fund_payamt="-103.32")),))
    assert check_reversal(orig, rev) == []
    assert "撤销" in format_receipt(rev) and orig.setl_id in format_receipt(rev)
    short = replace(rev, acct_pay=Decimal("-299.99"), psn_cash_pay=Decimal("-21.69"))
    assert check_reversal(orig, short) == [
        "cancellation acct_pay -299.99 ≠ −300.00",
        "cancellation psn_cash_pay -21.69 ≠ −21.68",
    ]
    assert check_reversal(orig, replace(rev, setl_id=orig.setl_id)) == [
        f"the cancellation reuses setl_id {orig.setl_id}"
    ]
    # an earlier settlement's cancellation (隔笔退费): the money may differ, the bill must come back negated
    assert check_reversal(orig, short, latest=False) == []
    assert check_reversal(orig, replace(short, medfee_sumamt=Decimal("-424.00")), latest=False)[-1] == (
        "cancellation medfee_sumamt -424.00 ≠ −425.00"
    )


def test_the_receipt_must_match_what_was_billed() -> None:
    r = replace(receipt(), billed_sumamt=Decimal("424.99"))
    assert check_receipt(r) == ["medfee_sumamt 425.00 ≠ billed total 424.99"]


# -- summary


def test_percentiles_and_summary() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile([7.0], 95)) == (50.0, 95.0, 7.0)
    tally = Tally(ok=3)
    tally.fail("PSN_CERT_UNKNOWN", "[PSN_CERT_UNKNOWN] 未找到就诊凭证")
    text = format_summary(tally, {"9001": [0.002], "1101": [0.001, 0.003]})
    assert "成功 ok 3, 失败 failed 1" in text and "PSN_CERT_UNKNOWN" in text
    assert text.index("9001") < text.index("1101")  # flow order, not sorted


def test_every_transaction_method_names_real_proto_types() -> None:
    """Catches a proto message moving between files (the annotations are not evaluated at import)."""
    import typing

    methods = ("sign_in", "sign_out", "query_person", "register", "cancel_registration", "upload_visit_info")
    methods += ("upload_fees", "cancel_fees", "pre_settle", "settle", "cancel_settlement")
    methods += ("admit", "discharge", "change_admission", "cancel_admission", "cancel_discharge", "upload_stay_fees")
    methods += ("cancel_stay_fees", "pre_settle_stay", "settle_stay", "cancel_stay_settlement", "query_settlement")
    methods += ("file_chronic_disease", "query_chronic_filings", "file_designation", "query_designations")
    for cls, name in [(HisClient, m) for m in methods] + [
        (PharmacyClient, m) for m in ("pre_settle_sale", "settle_sale", "cancel_sale")
    ]:
        hints = typing.get_type_hints(getattr(cls, name))
        assert hints["return"].__module__.startswith("yibao.v1."), name
