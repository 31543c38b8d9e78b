"""5203 结算信息查询: a settlement (or its reversal) as replied, with its rule trace."""

from __future__ import annotations

from yibao.call import CallContext
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.inputs import require
from yibao.simulators.core import stored_values
from yibao.simulators.core.people import check_insured_place
from yibao.simulators.core.values import query as v
from yibao.simulators.core.values import settlement as sv
from yibao.storage.store import Tx


def query_setl_info(world: World, tx: Tx, ctx: CallContext, inp: v.QuerySetlInfoInput) -> sv.SettleOutput:
    d, path = inp.data, "input.data"
    require(d, path, "psn_no", "setl_id", "mdtrt_id")
    row = tx.settlement(d.setl_id)
    # Another institution's settlement is reported as not found: its existence is not this HIS's business.
    if row is None or row.fixmedins_code != ctx.institution.fixmedins_code:
        raise Refusal("SETL_NOT_FOUND", f"{path}.setl_id", setl_id=d.setl_id)
    for name in ("mdtrt_id", "psn_no"):
        if getattr(d, name) != getattr(row, name):
            raise Refusal("MDTRT_MISMATCH", f"{path}.{name}", value=getattr(d, name), mdtrt_id=row.mdtrt_id,
                          expected=getattr(row, name))  # fmt: skip
    check_insured_place(ctx, d.psn_no, row.insuplc_admdvs)
    return stored_values.loads(sv.SettleOutput, row.output)
