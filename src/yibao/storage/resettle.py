"""The refunded settlements a new cross-region settlement is compared with [003 art. 26]
(yibao.domain.resettle): the person's settlements of an insutype at one institution in one year that were
refunded whole, with their calculation rows."""

from __future__ import annotations

from sqlalchemy import select

from yibao.storage import schema as t
from yibao.storage.rows import SettlementCalcRow, SettlementRow
from yibao.storage.store import Tx


def refunded_settlements(
    tx: Tx, psn_no: str, insutype: str, fixmedins_code: str, year: int
) -> list[tuple[SettlementRow, SettlementCalcRow]]:
    s, c = t.settlement, t.settlement_calc
    rows = tx.fetch_all(
        select(s).where(
            s.c.psn_no == psn_no,
            s.c.insutype == insutype,
            s.c.fixmedins_code == fixmedins_code,
            s.c.year == year,
            s.c.kind == "settle",
            s.c.reversed_by.is_not(None),
        ),
        SettlementRow,
    )
    found = []
    for row in rows:
        calc = tx.fetch_one(select(c).where(c.c.setl_id == row.setl_id), SettlementCalcRow)
        if calc is not None:
            found.append((row, calc))
    return found
