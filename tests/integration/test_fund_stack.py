"""The fund stack, inpatient stays, pharmacy and the rule trace over gRPC; every figure by hand from
tests/test_world.json. Region 110000: inpatient 310 deductible 1000.00/stay, ratio 0.90, cap 50000.00;
390 deductible 500.00/stay, 0.70, cap 30000.00; large-amount 0.90 (cap 300000); critical illness
deductible 10000.00, 0.60; civil servant 0.50; assistance (2301) 0.70, cap 10000.00; family floor 2000.00.
"""

from __future__ import annotations

import pytest
from lab import D, Item, LabRefused

A = "A01"  # 甲类: everything in scope


def funds(out) -> dict[str, str]:
    return {row.fund_pay_type: row.fund_payamt for row in out.setldetail}


def test_multi_batch_stay_crosses_the_pooled_cap_into_large_amount(lab) -> None:
    mdtrt_id = lab.admit("P0001")
    for _ in range(3):  # three days of fees, 20000.00 each
        lab.upload_stay(mdtrt_id, "P0001", [Item(A, "1", "20000.00")])
    lab.discharge(mdtrt_id, "P0001")
    out = lab.settle_stay(mdtrt_id, "P0001", "60000.00").output
    s = out.setlinfo
    # in scope 60000.00; deductible 1000.00/stay; (60000−1000)×0.90 = 53100.00 > cap 50000.00 → pooled 50000.00
    # the cap covers 50000/0.90 = 55555.56 of in-scope; left over 59000−55555.56 = 3444.44
    # large-amount: 3444.44 × 0.90 = 3099.996 → 3100.00
    assert (s.act_pay_dedc, s.hifp_pay, s.hifob_pay, s.fund_pay_sumamt) == (
        "1000.00",
        "50000.00",
        "3100.00",
        "53100.00",
    )
    # person 60000−53100 = 6900.00: account 500.00, cash 6400.00
    assert (s.psn_part_amt, s.acct_pay, s.psn_cash_pay, s.clr_type) == ("6900.00", "500.00", "6400.00", "21")
    assert funds(out) == {"310100": "50000.00", "330100": "3100.00"}
    steps = {st.step: st for st in out.setltrace.steps}
    assert (steps["pooled"].base, steps["pooled"].amount, steps["pooled"].cap) == ("59000.00", "50000.00", "50000.00")
    assert (steps["large_amount"].base, steps["large_amount"].amount) == ("3444.44", "3100.00")


def test_resident_stay_reaches_critical_illness(lab) -> None:
    out = lab.stay("P0002", [Item(A, "1", "50000.00")]).output
    s = out.setlinfo
    # (50000−500)×0.70 = 34650.00 > cap 30000.00 → pooled 30000.00
    # person's in-scope share 50000−30000 = 20000.00; critical-illness deductible 10000.00 → 10000.00 × 0.60 = 6000.00
    assert (s.hifp_pay, s.hifmi_pay, s.fund_pay_sumamt, s.psn_cash_pay) == (
        "30000.00",
        "6000.00",
        "36000.00",
        "14000.00",
    )
    assert funds(out) == {"390100": "30000.00", "390200": "6000.00"}


def test_per_stay_deductible_across_mid_settlements_and_refund_line(lab) -> None:
    mdtrt_id = lab.admit("P0001")
    first = lab.upload_stay(mdtrt_id, "P0001", [Item(A, "1", "800.00")]).output.result[0]
    mid = lab.settle_stay(mdtrt_id, "P0001", "800.00", mid="1").output.setlinfo
    # 中途结算: 800.00 all deductible (1000.00 per stay) → fund 0
    assert (mid.act_pay_dedc, mid.hifp_pay) == ("800.00", "0.00")
    refund = lab.stay_fee(mdtrt_id, "P0001", Item(A, "-1", "300.00", total="-300.00"), init=first.feedetl_sn)
    from yibao.v1 import inpatient_pb2

    lab.call("2301", inpatient_pb2.InpatientFeeInput(feedetail=[refund]), psn="P0001")
    lab.upload_stay(mdtrt_id, "P0001", [Item(A, "1", "1500.00")])
    lab.discharge(mdtrt_id, "P0001")
    final = lab.settle_stay(mdtrt_id, "P0001", "1200.00").output.setlinfo
    # unsettled: −300.00 + 1500.00 = 1200.00 in scope; deductible left 1000−800 = 200.00; (1200−200)×0.90 = 900.00
    assert (final.medfee_sumamt, final.act_pay_dedc, final.hifp_pay) == ("1200.00", "200.00", "900.00")
    too_much = lab.stay_fee(mdtrt_id, "P0001", Item(A, "-1", "600.00", total="-600.00"), init=first.feedetl_sn)
    with pytest.raises(LabRefused) as e:  # only 800−300 = 500.00 is left of the item
        lab.call("2301", inpatient_pb2.InpatientFeeInput(feedetail=[too_much]), psn="P0001")
    assert e.value.code in ("FEE_REFUND_TOO_MUCH", "STAY_STATUS")


def test_family_account_pays_after_the_own_account(lab, served) -> None:
    # P0013 (310, own account 30.00) in P0009's family (holder balance 5000.00, floor 2000.00 → 3000.00 shared)
    s = lab.visit_and_settle("P0013", [Item(A, "1", "300.00")]).output.setlinfo
    # deductible 200.00; fund 100×0.70 = 70.00; person 230.00: own 30.00 first, family 200.00, cash 0
    assert (s.hifp_pay, s.acct_pay, s.acct_mulaid_pay, s.psn_cash_pay, s.balc) == (
        "70.00",
        "230.00",
        "200.00",
        "0.00",
        "0.00",
    )
    # P0010 (390 resident, no own account) uses the family account too: 100.00 × 0.50 = 50.00 fund, 50.00 family
    r = lab.visit_and_settle("P0010", [Item(A, "1", "100.00")]).output.setlinfo
    assert (r.hifp_pay, r.acct_pay, r.acct_mulaid_pay, r.psn_cash_pay) == ("50.00", "50.00", "50.00", "0.00")
    with served.store.read() as tx:
        assert tx.account_balance("P0009") == D("4750.00")  # 5000 − 200 − 50
    # cancelling restores the holder's account exactly
    lab.cancel_settlement(s.setl_id, s.mdtrt_id, psn="P0013")
    with served.store.read() as tx:
        assert (tx.account_balance("P0009"), tx.account_balance("P0013")) == (D("4950.00"), D("30.00"))


def test_civil_servant_subsidy(lab) -> None:
    out = lab.visit_and_settle("P0011", [Item(A, "1", "300.00")]).output
    s = out.setlinfo
    # fund (300−200)×0.70 = 70.00; remaining in scope 300−70 = 230.00 × 0.50 = 115.00 civil-servant subsidy
    assert (s.hifp_pay, s.cvlserv_pay, s.fund_pay_sumamt, s.psn_cash_pay) == ("70.00", "115.00", "185.00", "115.00")
    assert funds(out)["320100"] == "115.00"


def test_medical_assistance_for_hardship_group(lab) -> None:
    s = lab.visit_and_settle("P0012", [Item(A, "1", "100.00")]).output.setlinfo
    # 390 outpatient: 100×0.50 = 50.00; critical illness: share 50.00 all inside its 10000.00 deductible → 0;
    # assistance: remaining 50.00 × 0.70 = 35.00; cash 15.00
    assert (s.hifp_pay, s.hifmi_pay, s.maf_pay, s.psn_cash_pay) == ("50.00", "0.00", "35.00", "15.00")


def test_stay_cancel_restores_and_double_cancel_refused(lab, served) -> None:
    out = lab.stay("P0001", [Item(A, "1", "3000.00")]).output
    s = out.setlinfo
    assert (s.act_pay_dedc, s.hifp_pay) == ("1000.00", "1800.00")  # (3000−1000)×0.90
    rev = lab.cancel_stay_settlement(s.setl_id, s.mdtrt_id, "P0001").output.setlinfo
    assert (rev.hifp_pay, rev.acct_pay, rev.balc) == ("-1800.00", "-500.00", "500.00")
    with served.store.read() as tx:
        acc = tx.accumulators("P0001", 2026, [f"stay:{s.mdtrt_id}:dedc", "310:inpatient:fund"])
        assert set(acc.values()) == {D("0.00")}
    with pytest.raises(LabRefused) as e:
        lab.cancel_stay_settlement(s.setl_id, s.mdtrt_id, "P0001")
    assert e.value.code == "SETL_ALREADY_CANCELLED"


def test_stay_must_be_discharged_unless_mid_settlement(lab) -> None:
    mdtrt_id = lab.admit("P0001")
    lab.upload_stay(mdtrt_id, "P0001", [Item(A, "1", "100.00")])
    with pytest.raises(LabRefused) as e:
        lab.settle_stay(mdtrt_id, "P0001", "100.00")
    assert (e.value.code, e.value.field) == ("STAY_STATUS", "input.data.mdtrt_id")
    assert "在院" in e.value.detail.header.err_msg


def test_pharmacy_sale_paid_from_the_account_with_detlcutinfo(lab) -> None:
    out = lab.pharmacy("P0001", [Item(A, "2", "10.00"), Item("C03", "1", "5.00")]).output
    s = out.setlinfo
    # no pharmacy (41) rule in 110000: no fund; the account pays the 25.00
    assert (s.medfee_sumamt, s.fund_pay_sumamt, s.acct_pay, s.balc, s.clr_type) == (
        "25.00",
        "0.00",
        "25.00",
        "475.00",
        "41",
    )
    assert [(d.inscp_scp_amt, d.fulamt_ownpay_amt) for d in out.detlcutinfo] == [("20.00", "0.00"), ("0.00", "5.00")]
    rev = lab.call(
        "2103",
        __import__("yibao.v1.pharmacy_pb2", fromlist=["x"]).PharmacyCancelInput(
            data={"setl_id": s.setl_id, "mdtrt_id": s.mdtrt_id, "psn_no": "P0001"}
        ),
        "P11000000001",
        "P0001",
    )
    assert rev.output.setlinfo.balc == "500.00"
    with pytest.raises(LabRefused) as e:
        lab.pharmacy("P0001", [Item(A, "1", "1.00")], inst="H11000000001")
    assert e.value.code == "AUTH_INSTITUTION_TYPE"


def test_trace_is_returned_by_presettlement_and_5203(lab) -> None:
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("CT1", "1", "200.00"), Item("C03", "1", "30.00")])
    pre = lab.settle(mdtrt_id, "230.00", infno="2206").output.setltrace
    assert [i.name for i in pre.items] == ["CT 乙类8% 限价180", "丙类药"]
    assert (pre.items[0].overlmt_amt, pre.items[0].preselfpay_amt, pre.items[0].inscp_scp_amt) == (
        "20.00",
        "14.40",
        "165.60",
    )
    assert "乙类" in pre.items[0].rule and "限价" in pre.items[0].rule
    done = lab.settle(mdtrt_id, "230.00").output
    q = lab.query_setl(done.setlinfo.setl_id, mdtrt_id, "P0001").output
    assert q == done
    steps = {st.step: st for st in q.setltrace.steps}
    # deductible: 165.60 of 200.00 consumed; pooled 0
    assert (steps["deductible"].amount, steps["deductible"].accumulated_after) == ("165.60", "165.60")
    assert (q.setltrace.locality, q.setltrace.insured_place, q.setltrace.treatment_place) == (
        "local",
        "110000",
        "110000",
    )
    with pytest.raises(LabRefused) as e:
        lab.query_setl(done.setlinfo.setl_id, mdtrt_id, "P0001", inst="H11000000002")
    assert e.value.code == "SETL_NOT_FOUND"


def test_fushun_temporary_inpatient_standard(lab) -> None:
    # P0006/P0007 insured in 210400 (Fushun rules), admitted at 110000 without a filing: automatic
    # temporary filing (免申即享) → deductible 3000.00 per stay; ratio 50% residents, 60% employees.
    r = lab.stay("P0006", [Item(A, "1", "10000.00")]).output
    assert (r.setlinfo.act_pay_dedc, r.setlinfo.hifp_pay) == ("3000.00", "3500.00")  # 7000 × 0.50
    assert "临时外出" in r.setltrace.benefit_basis and r.setltrace.locality == "cross_province"
    e = lab.stay("P0007", [Item(A, "1", "10000.00")]).output.setlinfo
    assert (e.act_pay_dedc, e.hifp_pay) == ("3000.00", "4200.00")  # 7000 × 0.60
    # the emergency flag (med_type 24) counts as an emergency filing: Fushun applies the same standard
    m = lab.stay("P0007", [Item(A, "1", "10000.00")], med_type="24").output
    assert m.setlinfo.hifp_pay == "4200.00" and "急诊抢救" in m.setltrace.benefit_basis
    # a resident-insured university student needs no filing: home standard 600.00, 0.75 → (10000−600)×0.75
    s = lab.stay("P0008", [Item(A, "1", "10000.00")]).output
    assert (s.setlinfo.act_pay_dedc, s.setlinfo.hifp_pay) == ("600.00", "7050.00")


def test_cross_region_outpatient_emergency_flag_and_no_filing(lab) -> None:
    # P0004 insured in 440300 (310: no deductible, ratio 0.90) at a 110000 hospital, no filing.
    mdtrt_id = lab.register("P0004")
    lab.upload(mdtrt_id, [Item("B02", "1", "100.00")], psn="P0004")
    # treatment place's split: B02 乙 10% → preselfpay 10.00, inscp 90.00
    em = lab.settle(mdtrt_id, "100.00", psn="P0004", med_type="13", infno="2206").output.setlinfo
    assert em.hifp_pay == "72.00"  # emergency: 0.90 − 0.10 = 0.80 → 90 × 0.80
    s = lab.settle(mdtrt_id, "100.00", psn="P0004").output.setlinfo
    # general outpatient across provinces without a filing: no fund; the account (1000.00) pays everything
    assert (s.inscp_scp_amt, s.hifp_pay, s.acct_pay, s.balc) == ("90.00", "0.00", "100.00", "900.00")
