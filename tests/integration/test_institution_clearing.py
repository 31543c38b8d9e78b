"""An institution's clearing over gRPC, by hand: 3203 clearing application and 3204 its withdrawal, 3260–3262 the
treatment place's cross-region clearing details, their confirmation and its rollback.

tests/test_world.json: P0001 is an employee insured at 110000 (account 500.00; outpatient deductible 200.00 a year,
ratio 0.70); P0004 is insured at 440300 and stays at H11000000001 in 110000 (cross-province, automatic temporary
filing: deductible 500.00 a stay, ratio 0.70). H11000000002 is the operator who runs Y3270.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from lab import Item, Lab, LabRefused

from yibao.domain.world import World
from yibao.v1 import institution_clearing_pb2 as ic
from yibao.world.loader import parse_world

OPERATOR, H1 = "H11000000002", "H11000000001"


@pytest.fixture(scope="module")
def world() -> World:
    raw = json.loads((Path(__file__).parents[1] / "test_world.json").read_text("utf-8"))
    next(i for i in raw["institutions"] if i["fixmedins_code"] == OPERATOR)["operator"] = True
    return parse_world(raw, "test world with an operator")


def refused(call, *args, **kw) -> LabRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(LabRefused) as e:
        call(*args, **kw)
    return e.value


def at(clock, lab: Lab, when: datetime) -> None:  # type: ignore[no-untyped-def]
    clock.now = when
    lab.sign_nos.clear()


# March's figures of H1, clr_type 11, worked out in test_application_is_the_ledgers_totals
MARCH = {"clr_type": "11", "clr_way": "1", "setlym": "202603", "psntime": "1", "medfee_sumamt": "100.00",
         "med_sumfee": "100.00", "fund_appy_sum": "0.00", "cash_payamt": "0.00", "acct_pay": "100.00",
         "begndate": "2026-03-01", "enddate": "2026-03-31"}  # fmt: skip


def apply(lab: Lab, **data: str) -> str:
    out = lab.call("3203", ic.ClearingApplicationInput(data=ic.ClearingApplicationData(**{**MARCH, **data})))
    return str(out.output.clr_appy_evt_id)


def withdraw(lab: Lab, evt_id: str) -> None:
    lab.call("3204", ic.ClearingApplicationCancelInput(data=ic.ClearingApplicationCancelData(clr_appy_evt_id=evt_id)))


def test_application_is_the_ledgers_totals(lab: Lab, clock) -> None:  # type: ignore[no-untyped-def]
    # a: 100.00 in scope, all under the 200.00 deductible: fund 0.00, account 100.00
    a = lab.visit_and_settle("P0001", [Item("A01", "2", "50.00")]).output.setlinfo
    # b: 300.00; the deductible's other 100.00 first, (300.00 − 100.00) × 0.70 = 140.00; account 160.00
    b = lab.visit_and_settle("P0001", [Item("A01", "6", "50.00")]).output.setlinfo
    assert (a.fund_pay_sumamt, a.acct_pay, b.fund_pay_sumamt, b.acct_pay) == ("0.00", "100.00", "140.00", "160.00")
    lab.cancel_settlement(b.setl_id, b.mdtrt_id)  # its refund record: −300.00, fund −140.00, account −160.00
    assert refused(apply, lab).code == "CLEARING_MONTH_OPEN"  # 15 March: the month is not over

    at(clock, lab, datetime(2026, 4, 2, 9, 0, 0))
    # a + b − b: 1 + 1 − 1 = 1 settlement; 100.00; fund 0.00; account 100.00
    wrong = refused(apply, lab, fund_appy_sum="140.00")
    assert (wrong.code, wrong.field) == ("CLR_APPY_MISMATCH", "input.data.fund_appy_sum")
    assert "平台记录为 0.00" in str(wrong)
    assert refused(apply, lab, psntime="2").field == "input.data.psntime"
    outside = refused(apply, lab, enddate="2026-04-01")
    assert (outside.code, outside.field) == ("CLR_APPY_DATE", "input.data.enddate")
    assert refused(apply, lab, clr_type="31").code == "ENV_CODE"

    evt_id = apply(lab)
    assert evt_id.startswith("110000")
    twice = refused(apply, lab)
    assert (twice.code, evt_id in str(twice)) == ("CLR_APPY_EXISTS", True)
    # another institution neither sees nor withdraws it
    other = refused(lab.call, "3204", ic.ClearingApplicationCancelInput(
        data=ic.ClearingApplicationCancelData(clr_appy_evt_id=evt_id)), OPERATOR)  # fmt: skip
    assert other.code == "CLR_APPY_NOT_FOUND"
    withdraw(lab, evt_id)
    assert refused(withdraw, lab, evt_id).code == "CLR_APPY_CANCELLED"
    assert apply(lab) != evt_id  # withdrawn: the month may be applied for again
    # a month with nothing: all zero
    assert apply(lab, setlym="202602", psntime="0", medfee_sumamt="0.00", acct_pay="0.00", med_sumfee="",
                 begndate="2026-02-01", enddate="2026-02-28")  # fmt: skip


def extract(lab: Lab, startrow: str = "") -> ic.CrossDetailExtractOutput:
    data = ic.CrossDetailExtractData(trt_year="2026", trt_month="03", startrow=startrow)
    return lab.call("3260", ic.CrossDetailExtractInput(data=data)).output


def confirm(lab: Lab, rows: list[ic.CrossDetail], totalrow: str = "", **change: str) -> ic.CrossConfirmResult:
    detail = [ic.CrossConfirmDetail(certno=r.certno, mdtrt_id=r.mdtrt_id, mdtrt_setl_time=r.mdtrt_setl_time,
                                    setl_sn=r.setl_sn, medfee_sumamt=r.medfee_sumamt,
                                    optins_pay_sumamt=r.optins_pay_sumamt, cnfm_flag="1") for r in rows]  # fmt: skip
    for key, value in change.items():  # "<row>_<field>" = value
        n, name = key.split("_", 1)
        setattr(detail[int(n)], name, value)
    data = ic.CrossConfirmData(trt_year="2026", trt_month="3", totalrow=totalrow or str(len(rows)))
    return lab.call("3261", ic.CrossDetailConfirmInput(data=data, detail=detail)).output.result


def roll_back(lab: Lab, otransid: str) -> None:
    data = ic.CrossRollbackData(trt_year="2026", trt_month="03", otransid=otransid)
    lab.call("3262", ic.CrossDetailRollbackInput(data=data))


def test_cross_region_details_extracted_confirmed_and_rolled_back(lab: Lab, clock) -> None:  # type: ignore[no-untyped-def]
    a = lab.stay("P0004", [Item("A01", "1", "10000.00")]).output.setlinfo  # (10000.00 − 500.00) × 0.70 = 6650.00
    b = lab.stay("P0004", [Item("A01", "1", "2000.00")]).output.setlinfo  # (2000.00 − 500.00) × 0.70 = 1050.00
    lab.visit_and_settle("P0001", [Item("A01", "2", "50.00")])  # local: never a cross-region detail
    at(clock, lab, datetime(2026, 4, 2, 9, 0, 0))
    early = refused(extract, lab)
    assert (early.code, early.field) == ("CROSS_DETAIL_NOT_CLEARED", "input.data.trt_month")
    lab.clear("202603", OPERATOR)

    out = extract(lab)
    assert out.totalrow == "2"
    assert [(r.seqno, r.mdtrtarea, r.medins_no, r.certno, r.setl_sn, r.fulamt_advpay_flag, r.medfee_sumamt,
             r.optins_pay_sumamt, r.insuplc_admdvs) for r in out.data] == [
        ("1", "110000", H1, "440301198509090044", a.setl_id, "0", "10000.00", "6650.00", "440300"),
        ("2", "110000", H1, "440301198509090044", b.setl_id, "0", "2000.00", "1050.00", "440300"),
    ]  # fmt: skip
    assert [r.seqno for r in extract(lab, "2").data] == ["2"]
    assert list(extract(lab, "3").data) == []
    rows = list(out.data)

    short = refused(confirm, lab, rows[:1], totalrow="1")
    assert (short.code, short.field) == ("CROSS_DETAIL_COUNT", "input.data.totalrow")
    off = refused(confirm, lab, rows, **{"1_optins_pay_sumamt": "1050.01"})
    assert (off.code, off.field) == ("CROSS_DETAIL_MISMATCH", "input.detail[1].optins_pay_sumamt")
    person = refused(confirm, lab, rows, **{"0_certno": "440301198509090045"})
    assert (person.code, "440301" in str(person)) == ("CROSS_DETAIL_PERSON", False)  # the ID is not echoed
    assert refused(confirm, lab, rows, **{"1_setl_sn": a.setl_id}).code == "CROSS_DETAIL_TWICE"

    # b disputed, a confirmed: 6650.00 confirmed
    msgid = lab.msgid()
    data = ic.CrossConfirmData(trt_year="2026", trt_month="03", totalrow="2")
    detail = [ic.CrossConfirmDetail(certno=r.certno, mdtrt_id=r.mdtrt_id, mdtrt_setl_time=r.mdtrt_setl_time,
                                    setl_sn=r.setl_sn, medfee_sumamt=r.medfee_sumamt,
                                    optins_pay_sumamt=r.optins_pay_sumamt, cnfm_flag=flag)
              for r, flag in zip(rows, ("1", "0"), strict=True)]  # fmt: skip
    result = lab.call("3261", ic.CrossDetailConfirmInput(data=data, detail=detail), msgid=msgid).output.result
    assert (result.totalrow, result.cnfm_cnt, result.objc_cnt, result.optins_pay_sumamt) == ("2", "1", "1", "6650.00")
    assert refused(confirm, lab, rows).code == "CROSS_CONFIRMED"

    assert refused(roll_back, lab, lab.msgid()).code == "CROSS_CONFIRMATION_NOT_FOUND"
    roll_back(lab, msgid)
    assert refused(roll_back, lab, msgid).code == "CROSS_CONFIRMATION_ROLLED_BACK"
    assert confirm(lab, rows).cnfm_cnt == "2"  # rolled back: confirmed afresh, both rows
