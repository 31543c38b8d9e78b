"""Refunds (退费): a settled visit given back, checked against what it paid.

Outpatient: a visit settled in two charge batches; the first settlement — not the latest one — is
cancelled (2208), checked as the exact negation of the settlement and against 5203, and its batch
withdrawn (2205); with the "all" flag the second follows and the registration is cancelled (2202).
Inpatient ("inpatient" flag): a settled stay is cancelled (2305), reopened (2405), a wrongly billed
item removed (2302), and the stay discharged (2402) and settled (2304) again.
"""

from __future__ import annotations

from yibao.domain.world import World
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.inpatient_stay import InpatientStay, run_stay
from yibao.simulators.his.outpatient_visit import GENERAL, OutpatientVisit, batch_no
from yibao.simulators.his.receipt import HisCheckFailed, Receipt, receipt_of
from yibao.simulators.his.scripts import VisitScript
from yibao.v1 import query_pb2 as qpb

# setlinfo fields 5203 must answer as the settlement did (setl_time, balc, msgid may be the platform's own)
QUERIED = ("setl_id", "mdtrt_id", "psn_no", "medfee_sumamt", "fund_pay_sumamt", "psn_part_amt", "acct_pay",
           "psn_cash_pay", "hifp_pay", "act_pay_dedc")  # fmt: skip


def check_query(client: HisClient, receipt: Receipt) -> None:
    """5203 answers the settlement as the HIS received it."""
    data = qpb.QuerySetlInfoData(psn_no=receipt.psn_no, setl_id=receipt.setl_id, mdtrt_id=receipt.mdtrt_id)
    reply = client.query_settlement(data)
    queried = receipt_of(client.institution, reply, ipt_otp_no=receipt.ipt_otp_no,
                         insuplc_admdvs=receipt.insuplc_admdvs, billed=receipt.billed_sumamt)  # fmt: skip
    problems = [
        f"5203 {name} {getattr(queried, name)} ≠ {getattr(receipt, name)} as settled"
        for name in QUERIED
        if getattr(queried, name) != getattr(receipt, name)
    ]
    if [(f.fund_pay_type, f.fund_payamt) for f in queried.setldetail] != [
        (f.fund_pay_type, f.fund_payamt) for f in receipt.setldetail
    ]:
        problems.append(f"5203 setldetail differs from the settlement {receipt.setl_id}")
    if problems:
        raise HisCheckFailed("HIS_QUERY_MISMATCH", problems, receipt)


def run_refund(client: HisClient, world: World, script: VisitScript) -> list[Receipt]:
    if script.has("inpatient"):
        return _stay_refund(client, world, script)
    visit = OutpatientVisit.begin(client, world, script)
    visit.register()
    try:
        visit.upload_visit_info(GENERAL)
        batches = [(batch_no(visit, n), b) for n, b in enumerate(script.batches, 1)]
        visit.upload(batches)
        first, second = (visit.settle(chrg_bchno, GENERAL) for chrg_bchno, _ in batches)
    except HisRefused as refusal:
        if refusal.code:  # what is settled stays settled; the rest is withdrawn
            visit.undo()
        raise
    receipts = [first, second]
    # not the latest settlement: a non-consecutive refund (隔笔退费), which may move money to or from `second`
    receipts.append(visit.cancel_settlement(first, latest=False))
    check_query(client, first)
    visit.cancel_fees(first.chrg_bchno)
    if script.has("all"):  # `second` as it stands may differ from its receipt now: check the bill only
        receipts.append(visit.cancel_settlement(second, latest=False))
        visit.cancel_fees(second.chrg_bchno)
        visit.cancel_registration()
    return receipts


def _stay_refund(client: HisClient, world: World, script: VisitScript) -> list[Receipt]:
    stay = InpatientStay.begin(client, world, script)
    receipts = run_stay(stay)
    last = receipts[-1]
    receipts.append(stay.cancel_settlement(last))
    check_query(client, last)
    stay.cancel_discharge()
    if len(stay.unsettled) > 1:  # the correction: the last item was billed in error
        wrong = stay.unsettled[-1]
        if not stay.details[wrong].init_feedetl_sn:
            stay.cancel_item(wrong)
    stay.discharge()
    receipts.append(stay.settle())
    return receipts
