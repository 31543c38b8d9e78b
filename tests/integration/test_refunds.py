"""Refunds over gRPC: 隔笔退费 (a refund of a settlement that is not the person's latest), cross-year refunds,
partial refunds (Y2208) of outpatient and pharmacy items, and the refusal of a refund asked only to change
benefits. Every figure by hand from tests/test_world.json — P0001: employee (310) insured in 110000, account
500.00; outpatient rule deductible 200.00/year, ratio 0.70, annual cap 1000.00.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from lab import D, Item, LabRefused
from sqlalchemy import select

from yibao.storage import schema

ACC = ["310:outpatient:dedc", "310:outpatient:fund"]


def refused(call, *args, **kw) -> LabRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(LabRefused) as e:
        call(*args, **kw)
    return e.value


def accumulators(served, year: int = 2026, psn: str = "P0001") -> tuple[str, str]:
    with served.store.read() as tx:
        got = tx.accumulators(psn, year, ACC)
    return f"{got[ACC[0]]:.2f}", f"{got[ACC[1]]:.2f}"


def balance(served, psn: str = "P0001") -> str:
    with served.store.read() as tx:
        return f"{tx.account_balance(psn):.2f}"


def moves_add_up(served) -> None:
    """Every accumulator equals the sum of the moves of the settlements in force."""
    with served.store.read() as tx:
        s, a = schema.settlement, schema.accumulator
        expected: dict[tuple[str, int, str], int] = {}
        for row in tx.conn.execute(select(s.c.moves).where(s.c.kind == "settle", s.c.reversed_by.is_(None))):
            for psn, year, key, fen in json.loads(row.moves)["accumulators"]:
                expected[(psn, year, key)] = expected.get((psn, year, key), 0) + fen
        stored = {(r.psn_no, r.year, r.acc_key): r.amount_fen for r in tx.conn.execute(select(a)) if r.amount_fen}
    assert stored == {k: v for k, v in expected.items() if v}


def test_non_consecutive_refund_moves_the_deductible_to_the_later_settlement(lab, served) -> None:
    s1 = lab.visit_and_settle("P0001", [Item("A01", "1", "200.00")]).output.setlinfo
    # S1: 200.00 all deductible, fund 0; account pays 200.00 (500.00 → 300.00)
    assert (s1.act_pay_dedc, s1.fund_pay_sumamt, s1.acct_pay, s1.balc) == ("200.00", "0.00", "200.00", "300.00")
    s2 = lab.visit_and_settle("P0001", [Item("A01", "1", "1000.00")]).output.setlinfo
    # S2: deductible already met: 1000.00 × 0.70 = 700.00; person 300.00 from the account (300.00 → 0.00)
    assert (s2.act_pay_dedc, s2.fund_pay_sumamt, s2.acct_pay, s2.balc) == ("0.00", "700.00", "300.00", "0.00")
    out = lab.cancel_settlement(s1.setl_id, s1.mdtrt_id).output
    r = out.setlinfo
    # Without S1, S2 bears the deductible: (1000.00 − 200.00) × 0.70 = 560.00, so the fund paid S2 140.00 too
    # much. The refund record: fund −(0.00 + 140.00) = −140.00; the person gets 200.00 − 140.00 = 60.00 back,
    # into the account (S1 was paid from it).
    assert (r.medfee_sumamt, r.act_pay_dedc, r.fund_pay_sumamt, r.psn_part_amt, r.acct_pay, r.psn_cash_pay) == (
        "-200.00", "0.00", "-140.00", "-60.00", "-60.00", "0.00")  # fmt: skip
    assert (r.balc, out.setldetail[0].fund_payamt) == ("60.00", "-140.00")
    [replay] = [st for st in out.setltrace.steps if st.step == "replay"]
    assert (replay.accumulated_before, replay.accumulated_after, replay.amount) == ("700.00", "560.00", "-140.00")
    assert s2.setl_id in replay.rule
    # Accumulators and account exactly as if only S2 existed: deductible 200.00, fund 560.00, and S2's person
    # part 440.00 from the account: 500.00 − 440.00 = 60.00.
    assert accumulators(served) == ("200.00", "560.00")
    assert balance(served) == "60.00"
    moves_add_up(served)
    # S2 keeps its setl_id and reply; refunding it now gives back what it stands at: fund 560.00, account 440.00.
    assert lab.query_setl(s2.setl_id, s2.mdtrt_id, "P0001").output.setlinfo == s2
    r2 = lab.cancel_settlement(s2.setl_id, s2.mdtrt_id).output.setlinfo
    assert (r2.fund_pay_sumamt, r2.acct_pay, r2.balc) == ("-560.00", "-440.00", "500.00")
    assert accumulators(served) == ("0.00", "0.00")


def test_non_consecutive_refund_gives_a_capped_later_settlement_its_due(lab, served) -> None:
    # P0002: resident (390) in 110000, no account; outpatient: no deductible, ratio 0.50, annual cap 300.00;
    # critical illness counts the person's in-scope share towards its 10000.00 deductible (pays nothing here).
    keys = ["390:outpatient:fund", "390200:dedc"]
    s1 = lab.visit_and_settle("P0002", [Item("A01", "1", "400.00")], acct="0").output.setlinfo
    assert (s1.fund_pay_sumamt, s1.psn_cash_pay) == ("200.00", "200.00")  # 400.00 × 0.50
    s2 = lab.visit_and_settle("P0002", [Item("A01", "1", "300.00")], acct="0").output.setlinfo
    # S2: 300.00 × 0.50 = 150.00, but the cap leaves 300.00 − 200.00 = 100.00; cash 200.00
    assert (s2.fund_pay_sumamt, s2.psn_cash_pay) == ("100.00", "200.00")
    r = lab.cancel_settlement(s1.setl_id, s1.mdtrt_id, psn="P0002").output.setlinfo
    # Without S1, S2 gets its full 150.00, 50.00 more: the fund pays it now and the person gets it back with
    # the refund: fund −200.00 + 50.00 = −150.00; cash back 200.00 + 50.00 = 250.00.
    assert (r.fund_pay_sumamt, r.psn_part_amt, r.psn_cash_pay) == ("-150.00", "-250.00", "-250.00")
    with served.store.read() as tx:
        got = tx.accumulators("P0002", 2026, keys)
    # as if only S2: fund 150.00; critical-illness deductible = S2's share 300.00 − 150.00
    assert got == {keys[0]: D("150.00"), keys[1]: D("150.00")}
    moves_add_up(served)
    r2 = lab.cancel_settlement(s2.setl_id, s2.mdtrt_id, psn="P0002").output.setlinfo
    assert (r2.fund_pay_sumamt, r2.psn_cash_pay) == ("-150.00", "-150.00")  # S2 now stands at 150.00 / 150.00
    with served.store.read() as tx:
        assert tx.accumulators("P0002", 2026, keys) == {keys[0]: 0, keys[1]: 0}


def test_cross_year_refund_credits_the_original_year(lab, served, clock) -> None:
    clock.now = datetime(2026, 12, 31, 16, 0, 0)
    s1 = lab.visit_and_settle("P0001", [Item("A01", "1", "300.00")], acct="0").output.setlinfo
    clock.now = datetime(2027, 1, 5, 9, 0, 0)
    lab.sign_in()
    s2 = lab.visit_and_settle("P0001", [Item("A01", "1", "300.00")], acct="0").output.setlinfo
    # 2027 is a new year: S2 meets its own deductible again: (300.00 − 200.00) × 0.70 = 70.00
    assert (s1.fund_pay_sumamt, s2.fund_pay_sumamt) == ("70.00", "70.00")
    r = lab.cancel_settlement(s1.setl_id, s1.mdtrt_id).output.setlinfo
    assert (r.setl_time, r.fund_pay_sumamt, r.psn_cash_pay) == ("2027-01-05 09:00:00", "-70.00", "-230.00")
    assert accumulators(served, 2026) == ("0.00", "0.00")  # 2026 credited
    assert accumulators(served, 2027) == ("200.00", "70.00")  # 2027 untouched: S2 is not recomputed
    with served.store.read() as tx:
        assert tx.settlement(r.setl_id).year == 2026
    moves_add_up(served)


def test_partial_pharmacy_refund(lab, served) -> None:
    out = lab.pharmacy("P0001", [Item("A01", "2", "15.00"), Item("B02", "1", "50.00")]).output
    s = out.setlinfo
    # No pharmacy benefit in 110000: no fund; the account pays 30.00 + 50.00 = 80.00 (500.00 → 420.00)
    assert (s.medfee_sumamt, s.fund_pay_sumamt, s.acct_pay, s.balc) == ("80.00", "0.00", "80.00", "420.00")
    b02 = out.detlcutinfo[1].feedetl_sn
    got = lab.refund_items(s.setl_id, s.mdtrt_id, [b02], inst="P11000000001")
    # Refunded whole (account +80.00), then A01 settled again: account −30.00; net 50.00 back
    assert (got.revsetl.setlinfo.acct_pay, got.newsetl.setlinfo.acct_pay) == ("-80.00", "30.00")
    info = got.rfdinfo
    assert (info.refd_medfee, info.fund_refd_amt, info.acct_refd_amt, info.cash_refd_amt) == (
        "50.00", "0.00", "50.00", "0.00")  # fmt: skip
    assert (info.setl_id, info.rev_setl_id, info.new_setl_id) == (
        s.setl_id, got.revsetl.setlinfo.setl_id, got.newsetl.setlinfo.setl_id)  # fmt: skip
    assert [i.feedetl_sn for i in got.newsetl.setltrace.items] == [out.detlcutinfo[0].feedetl_sn]
    assert balance(served) == "470.00"
    with served.store.read() as tx:
        assert [(f.feedetl_sn, f.setl_id) for f in tx.fees(s.mdtrt_id)] == [(out.detlcutinfo[0].feedetl_sn,
                                                                            info.new_setl_id)]  # fmt: skip
    # the rest can be refunded in turn, with 2103
    lab.call("2103", _pharmacy_cancel(info.new_setl_id, s.mdtrt_id), "P11000000001", "P0001")
    assert balance(served) == "500.00"


def _pharmacy_cancel(setl_id: str, mdtrt_id: str):  # type: ignore[no-untyped-def]
    from yibao.v1 import pharmacy_pb2

    return pharmacy_pb2.PharmacyCancelInput(
        data=pharmacy_pb2.PharmacyCancelData(setl_id=setl_id, mdtrt_id=mdtrt_id, psn_no="P0001")
    )


def test_partial_outpatient_refund_recomputes_what_came_after(lab, served) -> None:
    mdtrt_id = lab.register("P0001")
    rows = lab.upload(mdtrt_id, [Item("A01", "1", "150.00"), Item("A01", "1", "100.00")]).output.result
    s1 = lab.settle(mdtrt_id, "250.00", acct="0").output.setlinfo
    # S1: deductible 200.00, fund 50.00 × 0.70 = 35.00, cash 215.00
    assert (s1.act_pay_dedc, s1.fund_pay_sumamt, s1.psn_cash_pay) == ("200.00", "35.00", "215.00")
    s2 = lab.visit_and_settle("P0001", [Item("A01", "1", "100.00")], acct="0").output.setlinfo
    assert s2.fund_pay_sumamt == "70.00"  # 100.00 × 0.70
    got = lab.refund_items(s1.setl_id, mdtrt_id, [rows[1].feedetl_sn])
    # What is left of S1 (150.00) settles at S1's place: all deductible, fund 0, cash 150.00. S2 after it:
    # deductible left 50.00, (100.00 − 50.00) × 0.70 = 35.00 — the fund paid it 35.00 too much.
    new = got.newsetl.setlinfo
    assert (new.medfee_sumamt, new.act_pay_dedc, new.fund_pay_sumamt, new.psn_cash_pay) == (
        "150.00", "150.00", "0.00", "150.00")  # fmt: skip
    rev = got.revsetl.setlinfo
    # refund record: fund −35.00 − 35.00 = −70.00, cash back 215.00 − 35.00 = 180.00
    assert (rev.medfee_sumamt, rev.fund_pay_sumamt, rev.psn_cash_pay) == ("-250.00", "-70.00", "-180.00")
    info = got.rfdinfo
    # net: the returned item (100.00) = 70.00 back to the fund + 30.00 cash back (180.00 − 150.00)
    assert (info.refd_medfee, info.fund_refd_amt, info.cash_refd_amt) == ("100.00", "70.00", "30.00")
    assert accumulators(served) == ("200.00", "35.00")  # 150.00 + 50.00; 0.00 + 35.00
    moves_add_up(served)


def test_refund_items_checks(lab) -> None:
    s = lab.visit_and_settle("P0001", [Item("A01", "1", "10.00")]).output.setlinfo
    e = refused(lab.refund_items, s.setl_id, s.mdtrt_id, ["NOPE"])
    assert (e.code, e.field) == ("REFUND_ITEM_UNKNOWN", "input.refddetail[0].feedetl_sn")
    stay = lab.stay("P0001", [Item("A01", "1", "100.00")]).output.setlinfo
    assert refused(lab.refund_items, stay.setl_id, stay.mdtrt_id, ["x"]).code == "REFUND_KIND"


def test_refund_only_to_change_benefits_is_refused_across_regions(lab, served) -> None:
    from yibao.v1 import outpatient_pb2

    # P0004 is insured in 440300; at a 110000 hospital without a filing the outpatient visit gets no fund
    s = lab.visit_and_settle("P0004", [Item("A01", "1", "100.00")]).output.setlinfo
    assert (s.fund_pay_sumamt, s.acct_pay) == ("0.00", "100.00")
    data = outpatient_pb2.CancelSettlementData(setl_id=s.setl_id, mdtrt_id=s.mdtrt_id, psn_no="P0004", refd_rea="03")
    e = refused(lab.call, "2208", outpatient_pb2.CancelSettlementInput(data=data), psn="P0004")
    assert (e.code, e.field) == ("SETL_REFUND_BENEFIT_CHANGE", "input.data.refd_rea")
    data.refd_rea = "01"  # the patient returns the medicine: refunded
    lab.call("2208", outpatient_pb2.CancelSettlementInput(data=data), psn="P0004")
    assert balance(served, "P0004") == "1000.00"
    # a local settlement may be refunded for any reason
    local = lab.visit_and_settle("P0001", [Item("A01", "1", "10.00")]).output.setlinfo
    data = outpatient_pb2.CancelSettlementData(setl_id=local.setl_id, mdtrt_id=local.mdtrt_id, psn_no="P0001",
                                               refd_rea="03")  # fmt: skip
    lab.call("2208", outpatient_pb2.CancelSettlementInput(data=data), psn="P0001")
    assert D(balance(served)) == D("500.00")
