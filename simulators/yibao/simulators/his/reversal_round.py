"""A settlement reversed and a partial refund (kind `reversal`), on one visit billed in two charge batches:

1. the first batch is settled (2207), and the HIS, unsure its 2207 got through, reverses that message by its
   msgid (2601 冲正): the platform answers rev_rslt 1 (it had executed; undone) with the refund record, which
   must be the settlement's exact negation (it is the person's latest); the batch is withdrawn (2205);
2. the second batch is settled and the patient brings one item back (Y2208 部分退费, docs/behaviour.md
   "Refunds"): the settlement is refunded whole (exact negation) and the items kept settled again — the new
   settlement bills exactly the kept items, and rfdinfo.refd_medfee is the returned item's total.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from yibao.domain.world import World
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.outpatient_visit import GENERAL, RETURNED, OutpatientVisit, batch_no
from yibao.simulators.his.receipt import HisCheckFailed, Receipt, ReceiptItem, checked, receipt_of
from yibao.simulators.his.scripts import VisitScript
from yibao.v1 import reversal_pb2 as rpb

EXECUTED_UNDONE = "1"  # rev_rslt: the original had executed and is undone now


def run_reversal(client: HisClient, world: World, script: VisitScript) -> list[Receipt]:
    visit = OutpatientVisit.begin(client, world, script)
    visit.register()
    try:
        visit.upload_visit_info(GENERAL)
        batches = [(batch_no(visit, n), b) for n, b in enumerate(script.batches, 1)]
        visit.upload(batches)
        first = visit.settle(batches[0][0], GENERAL)
    except HisRefused as refusal:
        if refusal.code:
            visit.undo()
        raise
    receipts = [first, reverse_settlement(visit, first)]
    visit.cancel_fees(first.chrg_bchno)
    second = visit.settle(batches[1][0], GENERAL)
    receipts.append(second)
    receipts += refund_first_item(visit, second)
    return receipts


def reverse_settlement(visit: OutpatientVisit, settled: Receipt) -> Receipt:
    """2601 of the 2207 that made `settled`: its refund record, checked as the exact negation."""
    client = visit.client
    data = rpb.ReversalData(psn_no=visit.psn_no, omsgid=client.last_msgid["2207"], oinfno="2207")
    reply = client.call("2601", rpb.ReversalInput(data=data), visit.psn_no)
    if (rslt := reply.output.result.rev_rslt) != EXECUTED_UNDONE:
        problem = f"2601 of {settled.setl_id}'s 2207 answered rev_rslt {rslt!r}, not 1 (executed, undone)"
        raise HisCheckFailed("HIS_BAD_REPLY", [problem])
    rev = _receipt(visit, reply, settled.chrg_bchno, -settled.billed_sumamt, settled.setl_id)
    return checked(rev, orig=settled)


def refund_first_item(visit: OutpatientVisit, settled: Receipt) -> list[Receipt]:
    """Y2208 of the settlement's first item: its refund record and, when items are kept, their new settlement."""
    returned, kept = settled.items[0], settled.items[1:]
    data = rpb.RefundItemsData(setl_id=settled.setl_id, mdtrt_id=visit.mdtrt_id, psn_no=visit.psn_no,
                               refd_rea=RETURNED)  # fmt: skip
    inp = rpb.RefundItemsInput(data=data, refddetail=[rpb.RefundItem(feedetl_sn=returned.feedetl_sn)])
    reply = visit.client.call("Y2208", inp, visit.psn_no)
    out = reply.output
    rev = _receipt(visit, SimpleNamespace(header=reply.header, output=out.revsetl), settled.chrg_bchno,
                   -settled.billed_sumamt, settled.setl_id)  # fmt: skip
    receipts = [checked(rev, orig=settled)]
    problems = []
    if out.rfdinfo.refd_medfee != f"{returned.det_item_fee_sumamt:.2f}":
        problems.append(f"Y2208 refd_medfee {out.rfdinfo.refd_medfee} ≠ the returned item's "
                        f"{returned.det_item_fee_sumamt:.2f}")  # fmt: skip
    if kept:
        billed = settled.billed_sumamt - returned.det_item_fee_sumamt
        new = _receipt(visit, SimpleNamespace(header=reply.header, output=out.newsetl), settled.chrg_bchno,
                       billed, items=kept)  # fmt: skip
        receipts.append(checked(new))
        if new.setl_id != out.rfdinfo.new_setl_id:
            problems.append(f"Y2208 newsetl {new.setl_id} ≠ rfdinfo.new_setl_id {out.rfdinfo.new_setl_id}")
    if problems:
        raise HisCheckFailed("HIS_BAD_REPLY", problems, receipts[-1])
    return receipts


def _receipt(visit: OutpatientVisit, reply: Any, chrg_bchno: str, billed: Decimal, reverses: str = "",
             items: tuple[ReceiptItem, ...] = ()) -> Receipt:  # fmt: skip
    """The receipt of a 2601 reply, or of one part of a Y2208 reply (shaped as a settling reply)."""
    diag = (visit.script.diag_code, visit.script.diag_name)
    receipt = receipt_of(visit.client.institution, reply, ipt_otp_no=visit.ipt_otp_no, chrg_bchno=chrg_bchno,
                         insuplc_admdvs=visit.patient.insuplc_admdvs, diag=diag, billed=billed, items=items,
                         reverses=reverses)  # fmt: skip
    visit.client.keep(receipt)
    return receipt
