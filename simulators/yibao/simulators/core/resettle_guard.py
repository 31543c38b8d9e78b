"""Refuse a cross-region settlement of items refunded from one settled under another filing [003 art. 26]
(yibao.domain.resettle says what counts; this gathers the person's refunded settlements from the store)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from yibao.call import CallContext
from yibao.domain.resettle import RefundedSettlement, items_of, resettled_under_another_filing
from yibao.errors import Refusal
from yibao.simulators.core.item_split import FeeLine
from yibao.simulators.core.ledger_json import SettleCalc
from yibao.storage.resettle import refunded_settlements
from yibao.storage.store import Tx


def check_not_resettled_for_benefits(
    tx: Tx, ctx: CallContext, psn_no: str, insutype: str, mdtrt_id: str, fees: Sequence[FeeLine], filing_sn: str
) -> None:
    """Called for a cross-region settlement about to be made under `filing_sn` ("" for none)."""
    refunded = _refunded(tx, psn_no, insutype, ctx.institution.fixmedins_code, ctx.now.year)
    items = items_of((f.med_list_codg, f.sumamt_fen) for f in fees)
    found = resettled_under_another_filing(refunded, mdtrt_id, (f.feedetl_sn for f in fees), items, filing_sn)
    if found is not None:
        raise Refusal("SETL_RESETTLE_BENEFIT_CHANGE", "input.data.mdtrt_id", setl_id=found.setl_id,
                      old=found.filing_sn or "无备案", old_en=found.filing_sn or "none",
                      new=filing_sn or "无备案", new_en=filing_sn or "none")  # fmt: skip


def _refunded(tx: Tx, psn_no: str, insutype: str, fixmedins_code: str, year: int) -> list[RefundedSettlement]:
    found = []
    for row, calc_row in refunded_settlements(tx, psn_no, insutype, fixmedins_code, year):
        calc: SettleCalc = json.loads(calc_row.calc)
        if calc.get("locality", "local") == "local":
            continue
        sns = frozenset(calc["fees"])
        lines = [(f.med_list_codg, f.sumamt_fen) for f in tx.fees(row.mdtrt_id) if f.feedetl_sn in sns]
        found.append(RefundedSettlement(row.setl_id, row.mdtrt_id, calc_row.filing_sn, sns, items_of(lines)))
    return found
