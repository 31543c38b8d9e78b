"""Y2208 部分退费 (Yibao extension): refund some items of an outpatient or pharmacy settlement.

No national transaction refunds part of a settlement; a HIS would cancel it (2208), cancel the returned
items (2205) and settle the rest again (2207) — three messages, any of which may be lost. Y2208 does the
same in one transaction: the settlement is refunded whole (refund record, as 2208), the returned items
are removed, and the items kept are settled again at the refunded settlement's place in the year and
with its benefit standard, so the person's later settlements only change by what the returned items
change (simulators/yibao/simulators/core/refund_engine.py). Items are refunded whole; to return part of a line's
quantity, refund the line and charge the part kept as a new line of a new visit or sale.
"""

from __future__ import annotations

from yibao.call import CallContext
from yibao.domain.money import ZERO, yuan
from yibao.domain.refund import Money
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.inputs import require
from yibao.simulators.core import refund_engine
from yibao.simulators.core.values import reversal as v
from yibao.storage import ledger
from yibao.storage.store import Tx, from_fen

PARTIAL_KINDS = ("11", "41")  # 门诊, 药店购药 [003 art. 26]
KIND_NAMES = {"21": ("住院", "inpatient")}


def refund_items(world: World, tx: Tx, ctx: CallContext, inp: v.RefundItemsInput) -> v.RefundItemsOutput:
    d, path = inp.data, "input.data"
    require(d, path, "setl_id", "mdtrt_id", "psn_no")
    if not inp.refddetail:
        raise Refusal("ENV_REQUIRED", "input.refddetail")
    orig, balances = refund_engine.settlement_to_refund(
        world, tx, ctx, d.setl_id, d.mdtrt_id, d.psn_no, (*PARTIAL_KINDS, "21"), path, d.refd_rea
    )
    if orig.clr_type not in PARTIAL_KINDS:
        zh, en = KIND_NAMES.get(orig.clr_type, (orig.clr_type, orig.clr_type))
        raise Refusal("REFUND_KIND", f"{path}.setl_id", setl_id=d.setl_id, kind=zh, kind_en=en)
    fees = {f.feedetl_sn: f for f in ledger.fees_of(tx, orig.setl_id)}
    returned: set[str] = set()
    for n, item in enumerate(inp.refddetail):
        ipath = f"input.refddetail[{n}].feedetl_sn"
        require(item, f"input.refddetail[{n}]", "feedetl_sn")
        if item.feedetl_sn not in fees:
            raise Refusal("REFUND_ITEM_UNKNOWN", ipath, feedetl_sn=item.feedetl_sn, setl_id=d.setl_id)
        if item.feedetl_sn in returned:
            raise Refusal("REFUND_ITEM_REPEATED", ipath, feedetl_sn=item.feedetl_sn)
        returned.add(item.feedetl_sn)
    keep = [f for sn, f in sorted(fees.items()) if sn not in returned]
    done = refund_engine.refund(world, tx, ctx, orig, balances, keep=keep or None)
    if not keep:  # every item returned: the whole settlement refunded, and its items gone as well
        ledger.delete_fees(tx, orig.mdtrt_id, sorted(returned))
    new = done.replacement_money or Money({}, {})
    net = -(done.money + new)
    info = v.RefundInfo(
        setl_id=orig.setl_id,
        rev_setl_id=done.rev_id,
        new_setl_id=done.new_id,
        refd_medfee=yuan(sum((from_fen(fees[sn].sumamt_fen) for sn in returned), ZERO)),
        fund_refd_amt=yuan(net["fund_pay_sumamt"]),
        acct_refd_amt=yuan(net["acct_pay"]),
        cash_refd_amt=yuan(net["psn_cash_pay"]),
    )
    if done.replacement is None:
        return v.RefundItemsOutput(rfdinfo=info, revsetl=done.record)
    return v.RefundItemsOutput(rfdinfo=info, revsetl=done.record, newsetl=done.replacement)
