"""Bounded fee lists (issue 17, item 4; docs/limits.md): a call carries at most
FEE_ITEMS_PER_CALL items and a settlement covers at most FEE_ITEMS_PER_SETTLEMENT, refused beyond with a
catalogued code naming the field and the limit; at the maximum, every reply a HIS may need — the settlement,
5203, Y5203 and 2601 — reaches a gRPC client that keeps the default 4 MiB receive limit (the `lab` fixture's
channel has no options). Reply sizes at the maximum: scripts/reply_sizes.py.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from lab import Item, Lab, LabRefused

from yibao.adapters.journal_wire import output_json
from yibao.domain.fee_limits import FEE_ITEMS_PER_CALL, FEE_ITEMS_PER_SETTLEMENT, TRACE_ITEMS_LISTED
from yibao.simulators.core import fees, inpatient, settle_engine, settlement, undo_log
from yibao.v1 import inpatient_pb2, outpatient_pb2, pharmacy_pb2, reversal_pb2, settlement_pb2

DEFAULT_MAX_RECEIVE = 4 * 1024 * 1024
KINDS = [Item("A01", "1", "3.00"), Item("B02", "2", "4.50"), Item("C03", "1", "1.20"), Item("CT1", "1", "200.00")]


def items(n: int) -> list[Item]:
    return [KINDS[i % len(KINDS)] for i in range(n)]


def total(results: Any) -> str:
    return f"{sum((Decimal(r.det_item_fee_sumamt) for r in results), Decimal('0.00')):.2f}"


def refused(call, *args, **kw) -> LabRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(LabRefused) as e:
        call(*args, **kw)
    return e.value


def over_the_limit(lab, infno: str) -> Any:  # type: ignore[no-untyped-def]
    """A request of `infno` whose list of fee items is one longer than a call may carry, and its list's path."""
    n = FEE_ITEMS_PER_CALL + 1
    if infno == "2204":
        fees_ = [lab.fee("M1", "P0001", i) for i in items(n)]
        return outpatient_pb2.UploadFeeDetailsInput(feedetail=fees_), "input.feedetail", "H11000000001"
    if infno == "2301":
        fees_ = [lab.stay_fee("M1", "P0001", i) for i in items(n)]
        return inpatient_pb2.InpatientFeeInput(feedetail=fees_), "input.feedetail", "H11000000001"
    if infno == "2302":
        data = [inpatient_pb2.InpatientFeeCancel(feedetl_sn=f"Z{k}", mdtrt_id="M1", psn_no="P0001") for k in range(n)]
        return inpatient_pb2.InpatientFeeCancelInput(data=data), "input.data", "H11000000001"
    if infno in ("2101", "2102"):
        drugs = [pharmacy_pb2.DrugDetail(feedetl_sn=f"Y{k}", med_list_codg="A01") for k in range(n)]
        inp = pharmacy_pb2.PharmacySettleInput(druginfo=pharmacy_pb2.DrugInfo(psn_no="P0001"), drugdetail=drugs)
        return inp, "input.drugdetail", "P11000000001"
    refd = [reversal_pb2.RefundItem(feedetl_sn=f"F{k}") for k in range(n)]
    inp = reversal_pb2.RefundItemsInput(data=reversal_pb2.RefundItemsData(psn_no="P0001"), refddetail=refd)
    return inp, "input.refddetail", "H11000000001"


@pytest.mark.parametrize("infno", ["2204", "2301", "2302", "2101", "2102", "Y2208"])
def test_a_call_over_the_limit_is_refused_before_anything_is_written(lab, infno: str) -> None:
    inp, field, inst = over_the_limit(lab, infno)
    request = lab.build(infno, inp, inst, "P0001")
    e = refused(lab.send, request, infno)
    assert (e.code, e.field) == ("ENV_TOO_MANY_ITEMS", field)
    assert f"{FEE_ITEMS_PER_CALL + 1}" in e.detail.message_zh and f"{FEE_ITEMS_PER_CALL}" in e.detail.message_en
    assert f"（字段 {field}）" in e.detail.header.err_msg
    # refused before the transaction: nothing claimed, so the query says "never arrived" and a resend is checked again
    assert lab.query_msg(request.header.msgid, inst=inst).msginfo.msg_stas == "0"


def test_a_call_at_the_limit_is_taken(lab) -> None:
    mdtrt_id = lab.register("P0001")
    up = lab.upload(mdtrt_id, items(FEE_ITEMS_PER_CALL)).output.result
    assert len(up) == FEE_ITEMS_PER_CALL


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> int:
    """The per-settlement limit at 6 and the listed trace items at 3, so the rules show on small visits."""
    for module in (fees, inpatient, settlement):
        monkeypatch.setattr(module, "FEE_ITEMS_PER_SETTLEMENT", 6)
    monkeypatch.setattr(settle_engine, "TRACE_ITEMS_LISTED", 3)
    return 6


def test_a_charge_batch_takes_no_more_than_one_settlement_covers(lab, small: int) -> None:
    mdtrt_id = lab.register("P0001")
    first = lab.upload(mdtrt_id, items(4)).output.result
    e = refused(lab.upload, mdtrt_id, items(3))
    assert (e.code, e.field) == ("SETL_TOO_MANY_ITEMS", "input.feedetail[0].chrg_bchno")
    assert "7" in e.detail.message_en and f"at most {small}" in e.detail.message_en and "B1" in e.detail.message_zh
    second = lab.upload(mdtrt_id, items(3), batch="B2").output.result  # another batch: another settlement
    last = lab.upload(mdtrt_id, items(2)).output.result  # B1 up to the limit
    out = lab.settle(mdtrt_id, total([*first, *last])).output
    trace = out.setltrace
    assert (trace.item_cnt, trace.items_unlisted, len(trace.items)) == ("6", "3", 3)
    assert [i.feedetl_sn for i in trace.items] == [r.feedetl_sn for r in first[:3]]
    assert out.setlinfo.medfee_sumamt == total([*first, *last])  # the totals cover every item, listed or not
    b2 = lab.settle(mdtrt_id, total(second), batch="B2").output.setltrace
    assert (b2.item_cnt, b2.items_unlisted, len(b2.items)) == ("3", "0", 3)


def test_a_stay_takes_no_more_than_one_settlement_covers_and_settles_mid_stay(lab, small: int) -> None:
    mdtrt_id = lab.admit("P0001")
    up = list(lab.upload_stay(mdtrt_id, "P0001", items(4)).output.result)
    e = refused(lab.upload_stay, mdtrt_id, "P0001", items(3))
    assert (e.code, e.field) == ("SETL_TOO_MANY_ITEMS", "input.feedetail")
    assert "mid_setl_flag 1" in e.detail.message_en and "中途结算" in e.detail.message_zh
    up += lab.upload_stay(mdtrt_id, "P0001", items(2)).output.result
    mid = lab.settle_stay(mdtrt_id, "P0001", total(up), mid="1").output.setltrace
    assert (mid.item_cnt, mid.items_unlisted) == ("6", "3")
    rest = lab.upload_stay(mdtrt_id, "P0001", items(6)).output.result  # the items since: a settlement of their own
    lab.discharge(mdtrt_id, "P0001")
    assert lab.settle_stay(mdtrt_id, "P0001", total(rest)).output.setltrace.item_cnt == "6"


def test_items_put_back_beyond_the_limit_are_refused_at_settlement(lab, monkeypatch, small: int) -> None:
    mdtrt_id = lab.admit("P0001")
    up = lab.upload_stay(mdtrt_id, "P0001", items(6)).output.result
    lab.discharge(mdtrt_id, "P0001")
    monkeypatch.setattr(inpatient, "FEE_ITEMS_PER_SETTLEMENT", 5)  # e.g. items a 2601 put back after a 2302
    e = refused(lab.settle_stay, mdtrt_id, "P0001", total(up))
    assert (e.code, e.field) == ("SETL_TOO_MANY_ITEMS", "input.data.mdtrt_id")
    mdtrt_id = lab.register("P0001")
    up = lab.upload(mdtrt_id, items(6)).output.result
    monkeypatch.setattr(settlement, "FEE_ITEMS_PER_SETTLEMENT", 5)
    e = refused(lab.settle, mdtrt_id, total(up))
    assert (e.code, e.field) == ("SETL_TOO_MANY_ITEMS", "input.data.chrg_bchno")


def test_y5203_output_json_leaves_out_the_longest_lists_beyond_its_size() -> None:
    out = settlement_pb2.SettleOutput(setlinfo=settlement_pb2.SetlInfo(setl_id="S1", medfee_sumamt="9.00"))
    for k in range(50):
        out.setltrace.items.add(feedetl_sn=f"F{k:03d}", name="甲类药", rule="甲类：全额纳入政策范围")
    for k in range(20):
        out.detlcutinfo.add(feedetl_sn=f"F{k:03d}", det_item_fee_sumamt="1.00")
    out.setldetail.add(fund_pay_type="310100", fund_payamt="1.00")
    whole, omitted = output_json(out)
    assert omitted == "" and len(json.loads(whole)["setltrace"]["items"]) == 50
    text, omitted = output_json(out, limit=len(whole) // 2)
    assert omitted == "setltrace.items:50" and len(text) <= len(whole) // 2
    got = json.loads(text)
    assert (got["setlinfo"]["setl_id"], len(got["detlcutinfo"]), "items" in got["setltrace"]) == ("S1", 20, False)
    text, omitted = output_json(out, limit=80)
    assert omitted == "setltrace.items:50,detlcutinfo:20,setldetail:1" and json.loads(text)["setlinfo"]
    assert output_json(out, limit=10) == ("", "setltrace.items:50,detlcutinfo:20,setldetail:1,output")


def test_rev_dscr_counts_rows_beyond_a_few() -> None:
    fee = {"mdtrt_id": "M1", "feedetl_sn": ""}
    images = [{"table": "fee", "key": "", "before": None, "after": {**fee, "feedetl_sn": f"F{k}"}} for k in range(3)]
    assert undo_log.describe(images) == "删除费用明细 M1|F0；删除费用明细 M1|F1；删除费用明细 M1|F2"  # type: ignore[arg-type]
    many = [{"table": "fee", "key": "", "before": {**fee, "feedetl_sn": f"F{k}"}, "after": None} for k in range(500)]
    assert undo_log.describe(many) == "恢复费用明细 500 条（M1|F0、M1|F1、M1|F2 等）"  # type: ignore[arg-type]


# ---- at the maximum (slow: 20,000 items uploaded in 20 calls, then settled)


@pytest.fixture
def patient(lab):  # type: ignore[no-untyped-def]
    """The lab, waiting up to 2 minutes for each answer instead of 10 s: the machine may be busy."""
    lab.send = lambda request, infno, timeout=120: Lab.send(lab, request, infno, timeout)
    return lab


def fits(reply: Any) -> Any:
    """The reply came through the lab's channel, whose receive limit is gRPC's default; and it is under it."""
    assert reply.ByteSize() < DEFAULT_MAX_RECEIVE
    return reply


@pytest.mark.slow
def test_a_stay_at_the_maximum_settles_and_every_recovery_reply_reaches_a_default_client(patient) -> None:
    lab = patient
    mdtrt_id = lab.admit("P0001")
    results, batches = [], []
    for _ in range(FEE_ITEMS_PER_SETTLEMENT // FEE_ITEMS_PER_CALL):  # daily batches of a long stay
        fees_ = [lab.stay_fee(mdtrt_id, "P0001", i) for i in items(FEE_ITEMS_PER_CALL)]
        request = lab.build("2301", inpatient_pb2.InpatientFeeInput(feedetail=fees_), psn="P0001")
        results += fits(lab.send(request, "2301")).output.result
        batches.append(request)
    e = refused(lab.upload_stay, mdtrt_id, "P0001", items(1))
    assert (e.code, e.field) == ("SETL_TOO_MANY_ITEMS", "input.feedetail")
    # the last batch, reversed and sent again under a new msgid
    assert fits(lab.reverse(batches[-1].header.msgid, "2301")).output.result.rev_rslt == "1"
    again = lab.build("2301", batches[-1].input, psn="P0001")
    fits(lab.send(again, "2301"))
    lab.discharge(mdtrt_id, "P0001")
    data = inpatient_pb2.InpatientSettleData(
        psn_no="P0001", mdtrt_cert_type="01", mdtrt_cert_no="EC0001", medfee_sumamt=total(results),
        psn_setlway="01", mdtrt_id=mdtrt_id, acct_used_flag="1", insutype="310", mid_setl_flag="0",
    )  # fmt: skip
    settle = lab.build("2304", inpatient_pb2.InpatientSettleInput(data=data), psn="P0001")
    out = fits(lab.send(settle, "2304")).output
    s, trace = out.setlinfo, out.setltrace
    assert s.medfee_sumamt == total(results) and Decimal(s.fund_pay_sumamt) + Decimal(s.psn_part_amt) == Decimal(
        s.medfee_sumamt
    )
    unlisted = FEE_ITEMS_PER_SETTLEMENT - TRACE_ITEMS_LISTED
    assert (trace.item_cnt, trace.items_unlisted) == (str(FEE_ITEMS_PER_SETTLEMENT), str(unlisted))
    assert len(trace.items) == TRACE_ITEMS_LISTED
    assert fits(lab.query_setl(s.setl_id, mdtrt_id, "P0001")).output == out  # 5203
    q = fits(lab.query_msg(settle.header.msgid, "P0001"))  # Y5203 of the settlement
    assert (q.msginfo.msg_stas, q.setlinfo.setl_id, q.msginfo.output_omitted) == ("1", s.setl_id, "")
    assert json.loads(q.msginfo.output_json)["setlinfo"]["medfee_sumamt"] == s.medfee_sumamt
    first = fits(lab.query_msg(batches[0].header.msgid, "P0001"))  # Y5203 of an upload
    assert len(json.loads(first.msginfo.output_json)["result"]) == FEE_ITEMS_PER_CALL
    r = fits(lab.reverse(settle.header.msgid, "2304")).output  # 2601 of the settlement
    assert (r.result.rev_rslt, r.setlinfo.medfee_sumamt) == ("1", f"-{s.medfee_sumamt}")
    # the items are free again: the stay settles once more
    assert fits(lab.settle_stay(mdtrt_id, "P0001", total(results))).output.setlinfo.medfee_sumamt == s.medfee_sumamt


@pytest.mark.slow
def test_an_outpatient_batch_at_the_maximum_settles_and_its_replies_reach_a_default_client(patient) -> None:
    lab = patient
    mdtrt_id = lab.register("P0003")
    results = []
    for _ in range(FEE_ITEMS_PER_SETTLEMENT // FEE_ITEMS_PER_CALL):
        results += fits(lab.upload(mdtrt_id, items(FEE_ITEMS_PER_CALL), psn="P0003")).output.result
    e = refused(lab.upload, mdtrt_id, items(1), psn="P0003")
    assert (e.code, e.field) == ("SETL_TOO_MANY_ITEMS", "input.feedetail[0].chrg_bchno")
    # 2205 "0000" takes every item away, 2601 brings them back
    data = outpatient_pb2.CancelFeeDetailsData(mdtrt_id=mdtrt_id, psn_no="P0003", chrg_bchno="0000")
    cancel = lab.build("2205", outpatient_pb2.CancelFeeDetailsInput(data=data), psn="P0003")
    lab.send(cancel, "2205")
    back = fits(lab.reverse(cancel.header.msgid, "2205", "P0003")).output.result
    assert back.rev_dscr.startswith(f"恢复费用明细 {FEE_ITEMS_PER_SETTLEMENT} 条")
    settle = lab.build("2207", outpatient_pb2.SettleInput(data=lab.settle_data(mdtrt_id, total(results), "P0003")),
                       psn="P0003")  # fmt: skip
    out = fits(lab.send(settle, "2207")).output
    assert out.setltrace.item_cnt == str(FEE_ITEMS_PER_SETTLEMENT)
    q = fits(lab.query_msg(settle.header.msgid, "P0003"))
    assert q.setlinfo == out.setlinfo and q.msginfo.output_omitted == ""
    assert fits(lab.reverse(settle.header.msgid, "2207", "P0003")).output.result.rev_rslt == "1"
    s = fits(lab.settle(mdtrt_id, total(results), "P0003")).output.setlinfo  # settled again, then one item back
    got = fits(lab.refund_items(s.setl_id, mdtrt_id, [results[0].feedetl_sn], psn="P0003"))
    assert got.newsetl.setltrace.item_cnt == str(FEE_ITEMS_PER_SETTLEMENT - 1)
    assert Decimal(got.rfdinfo.refd_medfee) == Decimal(results[0].det_item_fee_sumamt)


def test_a_pharmacy_sale_of_a_whole_call_reaches_a_default_client(lab) -> None:
    sale = fits(lab.pharmacy("P0001", items(FEE_ITEMS_PER_CALL)))
    assert len(sale.output.detlcutinfo) == FEE_ITEMS_PER_CALL
    q = fits(lab.query_msg(sale.output.setlinfo.medins_setl_id, inst="P11000000001"))
    assert q.msginfo.msg_stas == "1" and q.msginfo.output_omitted == ""
