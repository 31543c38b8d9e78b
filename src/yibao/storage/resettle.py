"""The refunded settlements a new cross-region settlement is compared with [003 art. 26]
(yibao.domain.resettle): the person's settlements of an insutype at one institution in one year that were
refunded whole, with their calculation rows."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from yibao.storage import schema as t
from yibao.storage.rows import SettlementCalcRow, SettlementRow
from yibao.storage.store import Tx

_s, _c = t.settlement, t.settlement_calc
# Built once and prepared: every cross-region settlement asks them, and building and compiling a statement through
# SQLAlchemy per call cost more than running it.
_REFUNDED = select(_s).where(
    _s.c.psn_no == bindparam("b_psn_no"),
    _s.c.insutype == bindparam("b_insutype"),
    _s.c.fixmedins_code == bindparam("b_fixmedins_code"),
    _s.c.year == bindparam("b_year"),
    _s.c.kind == "settle",
    _s.c.reversed_by.is_not(None),
)
_CALC = select(_c).where(_c.c.setl_id == bindparam("b_setl_id"))


def refunded_settlements(
    tx: Tx, psn_no: str, insutype: str, fixmedins_code: str, year: int
) -> list[tuple[SettlementRow, SettlementCalcRow]]:
    params = {"b_psn_no": psn_no, "b_insutype": insutype, "b_fixmedins_code": fixmedins_code, "b_year": year}
    found = []
    for row in tx.all(_REFUNDED, params, SettlementRow):
        calc = tx.one(_CALC, {"b_setl_id": row.setl_id}, SettlementCalcRow)
        if calc is not None:
            found.append((row, calc))
    return found
