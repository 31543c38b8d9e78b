"""Monthly cross-region clearing, its statements and the prepayment, over gRPC, by hand.

P0004 is insured in 440300 (employee, account 1000.00) and stays at H11000000001 in 110000: cross-province,
no filing → the automatic temporary filing: 440300's inpatient rule, deductible 500.00/stay, ratio 0.90 cut by
0.20 = 0.70 (tests/test_world.json). H11000000002 is the operator (clearing stands for the national platform).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from lab import Item, LabRefused
from sqlalchemy import func, select, update

from yibao.domain.world import World
from yibao.simulators.core import stored_values
from yibao.simulators.core.values.settlement import SettleOutput
from yibao.storage import schema
from yibao.v1 import inpatient_pb2
from yibao.world.loader import parse_world

OPERATOR, H1 = "H11000000002", "H11000000001"
PAIR = {"mdtrtarea_admdvs": "110000", "insuplc_admdvs": "440300"}


@pytest.fixture(scope="module")
def world() -> World:
    raw = json.loads((Path(__file__).parents[1] / "test_world.json").read_text("utf-8"))
    next(i for i in raw["institutions"] if i["fixmedins_code"] == OPERATOR)["operator"] = True
    return parse_world(raw, "test world with an operator")


def refused(call, *args, **kw) -> LabRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(LabRefused) as e:
        call(*args, **kw)
    return e.value


def at(clock, lab, when: datetime) -> None:  # type: ignore[no-untyped-def]
    clock.now = when
    lab.sign_nos.clear()  # sign in again on the new day


def test_month_refund_after_clearing_and_prepayment(lab, clock, served) -> None:
    a = lab.stay("P0004", [Item("A01", "1", "10000.00")]).output.setlinfo
    b = lab.stay("P0004", [Item("A01", "1", "2000.00")]).output.setlinfo
    # (10000.00 − 500.00) × 0.70 = 6650.00; (2000.00 − 500.00) × 0.70 = 1050.00
    assert (a.fund_pay_sumamt, b.fund_pay_sumamt) == ("6650.00", "1050.00")
    assert refused(lab.clear, "202603", OPERATOR).code == "CLEARING_MONTH_OPEN"
    assert refused(lab.clear, "202603", H1).code == "AUTH_NOT_OPERATOR"
    # Mid-month: nothing prepaid, 7700.00 advanced → four months of 7700.00 = 30800.00 due, warning on
    p = lab.prepayment("440300", "110000", OPERATOR)
    assert (p.prepaid, p.outstanding, p.expected_monthly, p.required, p.warn_flag, p.topup_amt) == (
        "0.00", "7700.00", "7700.00", "30800.00", "1", "30800.00")  # fmt: skip
    p = lab.prepayment("440300", "110000", OPERATOR, action="topup", amount="30800.00")
    # 7700.00 < 70 % of 30800.00 = 21560.00: no warning
    assert (p.prepaid, p.available, p.warn_flag, p.topup_amt) == ("30800.00", "23100.00", "0", "0.00")

    at(clock, lab, datetime(2026, 4, 2, 9, 0, 0))
    [march] = lab.clear("202603", OPERATOR)
    assert (march.setlym, march.mdtrtarea_admdvs, march.insuplc_admdvs, march.agreed) == (
        "202603", "110000", "440300", "1")  # fmt: skip
    assert (march.setl_cnt, march.medfee_sumamt, march.fund_pay_sumamt) == ("2", "12000.00", "7700.00")
    assert [(x.line_type, x.line_type_name, x.setl_cnt, x.fund_pay_sumamt) for x in march.line] == [
        ("1", "本月结算", "2", "7700.00")]  # fmt: skip
    assert [(x.party, x.fund_pay_sumamt) for x in march.party] == [
        ("insured", "7700.00"), ("treatment", "7700.00"), ("national", "7700.00")]  # fmt: skip
    assert [(f.fund_pay_type, f.fund_payamt) for f in march.fund] == [("310100", "7700.00")]
    assert (march.prepayment.outstanding, march.prepayment.required, march.prepayment.topup_amt) == (
        "0.00", "30800.00", "0.00")  # fmt: skip

    # April: a refund of a March settlement (already cleared) and a new stay
    at(clock, lab, datetime(2026, 4, 3, 9, 0, 0))
    r = lab.cancel_stay_settlement(a.setl_id, a.mdtrt_id, "P0004").output.setlinfo
    assert r.fund_pay_sumamt == "-6650.00"
    c = lab.stay("P0004", [Item("A01", "1", "3000.00")]).output.setlinfo
    assert c.fund_pay_sumamt == "1750.00"  # (3000.00 − 500.00) × 0.70
    at(clock, lab, datetime(2026, 5, 1, 0, 0, 1))
    [april] = lab.clear("202604", OPERATOR, **PAIR)
    # 1750.00 − 6650.00 = −4900.00: the treatment place owes the insured place this month
    assert [(x.line_type, x.line_type_name, x.setl_cnt, x.medfee_sumamt, x.fund_pay_sumamt) for x in april.line] == [
        ("1", "本月结算", "1", "3000.00", "1750.00"),
        ("3", "清算后退费调整", "1", "-10000.00", "-6650.00"),
    ]  # fmt: skip
    assert (april.fund_pay_sumamt, {x.fund_pay_sumamt for x in april.party}) == ("-4900.00", {"-4900.00"})
    # history: March 7700.00, April −4900.00 counts as 0.00 → expected (7700.00 + 0.00) / 2 = 3850.00
    assert (april.prepayment.expected_monthly, april.prepayment.required) == ("3850.00", "15400.00")
    # cleared once: a second run finds nothing new; March stays as it was
    assert list(lab.clear("202604", OPERATOR)) == []
    [again] = lab.clear("202603", OPERATOR, infno="Y3271")
    assert (again.clr_id, again.fund_pay_sumamt, list(again.line), list(again.party)) == (
        march.clr_id, "7700.00", list(march.line), list(march.party))  # fmt: skip
    with served.store.read() as tx:
        assert tx.conn.scalar(select(func.count()).select_from(schema.clearing_item)) == 4  # a, b, r, c


def test_cancellation_cleared_cannot_be_reversed(lab, clock) -> None:
    s = lab.stay("P0004", [Item("A01", "1", "2000.00")]).output.setlinfo
    data = inpatient_pb2.InpatientCancelSettlementData(mdtrt_id=s.mdtrt_id, setl_id=s.setl_id, psn_no="P0004")
    cancel = lab.build("2305", inpatient_pb2.InpatientCancelSettlementInput(data=data), psn="P0004")
    lab.send(cancel, "2305")
    at(clock, lab, datetime(2026, 4, 1, 9, 0, 0))
    [march] = lab.clear("202603", OPERATOR)
    assert [(x.line_type, x.fund_pay_sumamt) for x in march.line] == [("1", "1050.00"), ("2", "-1050.00")]
    assert march.fund_pay_sumamt == "0.00"
    e = refused(lab.reverse, cancel.header.msgid, "2305", psn="P0004")
    assert e.code == "REVERSAL_BLOCKED" and "已清算" in e.detail.header.err_msg


def test_parties_that_disagree_clear_nothing(lab, clock, served) -> None:
    s = lab.stay("P0004", [Item("A01", "1", "2000.00")]).output.setlinfo
    with served.store.write() as tx:  # the hospital's copy of the reply says something else
        row = tx.settlement(s.setl_id)
        out = stored_values.loads(SettleOutput, row.output)
        out = replace(out, setlinfo=replace(out.setlinfo, fund_pay_sumamt="1000.00"))
        tx.conn.execute(update(schema.settlement).where(schema.settlement.c.setl_id == s.setl_id)
                        .values(output=stored_values.dumps(out)))  # fmt: skip
    at(clock, lab, datetime(2026, 4, 1, 9, 0, 0))
    e = refused(lab.clear, "202603", OPERATOR)
    assert e.code == "CLEARING_DISAGREE" and "treatment 1000.00" in e.detail.header.err_msg
    with served.store.read() as tx:
        assert tx.conn.scalar(select(func.count()).select_from(schema.clearing_item)) == 0


def test_local_settlements_are_not_cleared(lab, clock) -> None:
    lab.visit_and_settle("P0001", [Item("A01", "1", "300.00")])
    at(clock, lab, datetime(2026, 4, 1, 9, 0, 0))
    assert list(lab.clear("202603", OPERATOR)) == []
