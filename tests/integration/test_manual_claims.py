"""Manual reimbursement at the insured place (Y2801–Y2803) [000 8; 003 art. 2, 11, 18, 27]; figures by hand.

P0007: employee (310/1101) insured in 210400 (Fushun's rules; catalogue beta), treated in 110000 (catalogue
alpha) without a filing and paying in full. At review the insured place applies its own scope (art. 18: beta)
and the standard a direct settlement would have had: the automatic temporary filing of a stay, 3000.00 a stay,
60 %. H11000000002 is an operator; the claim is taken at the insured place (envelope insuplc_admdvs 210400).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from lab import Lab, LabRefused

from yibao.domain.world import World
from yibao.errors import CATALOGUE
from yibao.simulators.core.manual_claims import working_days_after
from yibao.v1 import clearing_pb2, inquiry_pb2
from yibao.v1 import manual_claim_pb2 as mc
from yibao.world.loader import parse_world

OPERATOR, H1 = "H11000000002", "H11000000001"
# A01 5000.00 (甲 in beta too); B02 1000.00 (乙, 5 % first self-pay in beta, 10 % in alpha); CT1 500.00 (in
# alpha, not in beta: wholly the person's under the insured place's scope)
ITEMS = [("1", "A01", "1", "5000.00"), ("2", "B02", "10", "1000.00"), ("3", "CT1", "1", "500.00")]


@pytest.fixture(scope="module")
def world() -> World:
    raw = json.loads((Path(__file__).parents[1] / "test_world.json").read_text("utf-8"))
    next(i for i in raw["institutions"] if i["fixmedins_code"] == OPERATOR)["operator"] = True
    return parse_world(raw, "test world with an operator")


def refused(call, *args, **kw) -> LabRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(LabRefused) as e:
        call(*args, **kw)
    return e.value


def claim_input(invoice: str = "INV001", total: str = "6500.00", items=ITEMS) -> mc.ManualClaimInput:  # type: ignore[no-untyped-def]
    data = mc.ManualClaimData(psn_no="P0007", insutype="310", med_type="21", begndate="2026-03-01",
                              enddate="2026-03-10", mdtrtarea_admdvs="110000", fixmedins_code=H1,
                              fixmedins_name="甲市第一医院", invoice_no=invoice, medfee_sumamt=total)  # fmt: skip
    feedetail = [mc.ManualClaimItem(feedetl_sn=sn, med_list_codg=code, fee_ocur_time="2026-03-02 09:00:00", cnt=cnt,
                                    pric=f"{float(amount) / int(cnt):.2f}", det_item_fee_sumamt=amount)
                 for sn, code, cnt, amount in items]  # fmt: skip
    return mc.ManualClaimInput(data=data, feedetail=feedetail)


def submit(lab: Lab, inp: mc.ManualClaimInput | None = None) -> mc.ManualClaimReply:
    return lab.call("Y2801", inp or claim_input(), OPERATOR, "P0007")  # type: ignore[no-any-return]


def review(lab: Lab, claim_id: str, action: str = "pay", reason: str = "", inst: str = OPERATOR) -> mc.ManualClaimReply:
    data = mc.ManualClaimReviewData(claim_id=claim_id, psn_no="P0007", action=action, reason=reason)
    return lab.call("Y2802", mc.ManualClaimReviewInput(data=data), inst, "P0007")  # type: ignore[no-any-return]


def query(lab: Lab, claim_id: str = "") -> list[mc.ManualClaim]:
    data = mc.ManualClaimQueryData(psn_no="P0007", claim_id=claim_id)
    return list(lab.call("Y2803", mc.ManualClaimQueryInput(data=data), OPERATOR, "P0007").output.claim)


def test_a_claim_is_paid_with_the_insured_places_catalogue_and_standard(lab: Lab) -> None:
    claim = submit(lab).output.claim
    # taken on Sunday 2026-03-15: the 10th working day after is Friday 2026-03-27
    assert (claim.claim_stas, claim.medfee_sumamt, claim.due_date, claim.item_cnt) == (
        "1", "6500.00", "2026-03-27", "3")  # fmt: skip
    out = review(lab, claim.claim_id).output
    s = out.setlinfo
    # beta: A01 5000.00 in scope; B02 1000.00 → 50.00 first self-pay, 950.00 in scope; CT1 500.00 wholly own.
    # in scope 5950.00; (5950.00 − 3000.00) × 0.60 = 1770.00 paid to the person; 6500.00 − 1770.00 = 4730.00 stays
    assert (s.medfee_sumamt, s.fulamt_ownpay_amt, s.preselfpay_amt, s.inscp_scp_amt) == (
        "6500.00", "500.00", "50.00", "5950.00")  # fmt: skip
    assert (s.act_pay_dedc, s.hifp_pay, s.fund_pay_sumamt, s.psn_part_amt, s.acct_pay) == (
        "3000.00", "1770.00", "1770.00", "4730.00", "0.00")  # fmt: skip
    assert (out.claim.claim_stas, out.claim.fund_pay_sumamt, out.claim.psn_part_amt) == ("2", "1770.00", "4730.00")
    assert out.setltrace.treatment_place == "110000" and out.setltrace.insured_place == "210400"
    assert [i.rule for i in out.setltrace.items if i.med_list_codg == "CT1"] == [
        "参保地目录外项目，全自费（003 第十八条：手工报销执行参保地支付范围）"]  # fmt: skip
    assert [(c.claim_id, c.claim_stas, c.setl_id) for c in query(lab)] == [(claim.claim_id, "2", s.setl_id)]


def test_the_payment_counts_in_the_years_accumulators(lab: Lab) -> None:
    review(lab, submit(lab).output.claim.claim_id)
    data = inquiry_pb2.CumQueryData(psn_no="P0007", cum_ym="202603")
    cum = lab.call("5206", inquiry_pb2.CumQueryInput(data=data), H1, "P0007").output.cuminfo
    # the fund's 1770.00 counts toward the year's inpatient cap of 60000.00: 58230.00 left
    fund = [(c.cum, c.rema_amt) for c in cum if c.accum_group == "inpatient" and c.cum_type_code == "F"]
    assert fund == [("1770.00", "58230.00")]


def test_a_claim_is_not_in_cross_region_clearing(lab: Lab, clock) -> None:  # type: ignore[no-untyped-def]
    review(lab, submit(lab).output.claim.claim_id)
    clock.now = datetime(2026, 4, 2, 9, 0, 0)
    lab.sign_nos.clear()
    stmts = lab.call("Y3270", clearing_pb2.ClearInput(data=clearing_pb2.ClearData(setlym="202603")), OPERATOR)
    assert [s for s in stmts.output.stmt if s.insuplc_admdvs == "210400" and s.fund_pay_sumamt != "0.00"] == []


def test_a_rejected_claim_is_closed(lab: Lab) -> None:
    claim_id = submit(lab).output.claim.claim_id
    assert refused(review, lab, claim_id, "reject").field == "input.data.reason"
    out = review(lab, claim_id, "reject", "发票与费用明细不符").output.claim
    assert (out.claim_stas, out.reason, out.fund_pay_sumamt) == ("3", "发票与费用明细不符", "")
    again = refused(review, lab, claim_id)
    assert (again.code, again.field) == ("CLAIM_CLOSED", "input.data.claim_id")


def test_only_an_operator_reviews(lab: Lab) -> None:
    claim_id = submit(lab).output.claim.claim_id
    assert refused(review, lab, claim_id, inst=H1).code == "AUTH_NOT_OPERATOR"


def test_one_claim_per_invoice_and_the_items_add_up_to_it(lab: Lab) -> None:
    submit(lab)
    dup = refused(submit, lab)
    assert (dup.code, dup.field) == ("CLAIM_INVOICE_EXISTS", "input.data.invoice_no")
    off = refused(submit, lab, claim_input("INV002", "6400.00"))
    assert (off.code, off.field) == ("CLAIM_TOTAL_MISMATCH", "input.data.medfee_sumamt")
    twice = refused(submit, lab, claim_input("INV003", "10000.00", [*ITEMS, ITEMS[0]]))
    assert (twice.code, twice.field) == ("FEE_DUPLICATE", "input.feedetail[3].feedetl_sn")


def test_a_claim_is_reversed_before_it_is_paid_not_after(lab: Lab) -> None:
    req = lab.build("Y2801", claim_input(), OPERATOR, "P0007")
    claim_id = lab.send(req, "Y2801").output.claim.claim_id
    assert lab.reverse(req.header.msgid, "Y2801", "P0007", OPERATOR).output.result.rev_rslt == "1"
    assert refused(query, lab, claim_id).code == "CLAIM_NOT_FOUND"
    req = lab.build("Y2801", claim_input("INV009"), OPERATOR, "P0007")
    review(lab, lab.send(req, "Y2801").output.claim.claim_id)
    assert refused(lab.reverse, req.header.msgid, "Y2801", "P0007", OPERATOR).code == "REVERSAL_BLOCKED"


def test_the_refusal_for_an_unreachable_insured_place_names_the_claim() -> None:
    spec = CATALOGUE["REGION_UNREACHABLE"]
    assert "手工报销（Y2801）" in spec.zh and "(Y2801)" in spec.en


def test_ten_working_days_skip_weekends() -> None:
    assert working_days_after(datetime(2026, 3, 13).date(), 10).isoformat() == "2026-03-27"  # a Friday


def test_a_resent_claim_is_taken_once(lab: Lab) -> None:
    req = lab.build("Y2801", claim_input(), OPERATOR, "P0007")
    first = lab.send(req, "Y2801").output.claim.claim_id
    assert lab.send(req, "Y2801").output.claim.claim_id == first  # the same msgid: the same reply, one claim
    assert [c.claim_id for c in query(lab)] == [first]
