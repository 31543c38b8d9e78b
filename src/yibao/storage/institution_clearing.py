"""What an institution's clearing transactions keep: 3203 clearing applications, 3261 confirmations of a month's
cross-region clearing details, and 4101/4101A settlement lists (schema tables clearing_application,
cross_detail_confirmation, settlement_list); and the cleared records 3260 lists."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import insert, select, update

from yibao.storage import schema as t
from yibao.storage.rows import SettlementRow
from yibao.storage.store import Tx


class ApplicationRow(NamedTuple):
    clr_appy_evt_id: str
    fixmedins_code: str
    clr_type: str
    clr_way: str
    setlym: str
    begndate: str
    enddate: str
    psntime: int
    medfee_sumamt_fen: int
    fund_appy_sum_fen: int
    cash_payamt_fen: int
    acct_pay_fen: int
    med_sumfee: str
    msgid: str
    created_at: str
    cancelled_at: str | None


class ConfirmationRow(NamedTuple):
    msgid: str
    fixmedins_code: str
    trt_ym: str
    totalrow: int
    cnfm_cnt: int
    disputed: str
    created_at: str
    rolled_back_at: str | None


class SettlementListRow(NamedTuple):
    setl_list_id: str
    setl_id: str
    fixmedins_code: str
    psn_no: str
    infno: str
    body: str
    created_at: str


# -- 3203 / 3204


def standing_application(tx: Tx, fixmedins_code: str, clr_type: str, setlym: str) -> ApplicationRow | None:
    a = t.clearing_application
    q = select(a).where(a.c.fixmedins_code == fixmedins_code, a.c.clr_type == clr_type, a.c.setlym == setlym,
                        a.c.cancelled_at.is_(None))  # fmt: skip
    return tx.fetch_one(q.with_for_update(), ApplicationRow)


def application(tx: Tx, clr_appy_evt_id: str) -> ApplicationRow | None:
    a = t.clearing_application
    return tx.fetch_one(select(a).where(a.c.clr_appy_evt_id == clr_appy_evt_id).with_for_update(), ApplicationRow)


def add_application(tx: Tx, row: ApplicationRow) -> None:
    tx.conn.execute(insert(t.clearing_application).values(**row._asdict()))


def cancel_application(tx: Tx, clr_appy_evt_id: str, at: str) -> None:
    a = t.clearing_application
    tx.conn.execute(update(a).where(a.c.clr_appy_evt_id == clr_appy_evt_id).values(cancelled_at=at))


# -- 3260 / 3261 / 3262


def cleared_records(tx: Tx, fixmedins_code: str, setlym: str) -> list[SettlementRow]:
    """The institution's records that month setlym's cross-region clearings (Y3270) took, oldest first."""
    s, c, ci = t.settlement, t.clearing, t.clearing_item
    q = (
        select(s)
        .join(ci, ci.c.setl_id == s.c.setl_id)
        .join(c, c.c.clr_id == ci.c.clr_id)
        .where(c.c.setlym == setlym, s.c.fixmedins_code == fixmedins_code)
        .order_by(s.c.setl_time, s.c.setl_id)
    )
    return tx.fetch_all(q, SettlementRow)


def month_cleared(tx: Tx, setlym: str, treatment: str) -> bool:
    """Whether Y3270 cleared month setlym for any pair with this treatment place."""
    c = t.clearing
    found = tx.conn.scalar(select(c.c.clr_id).where(c.c.setlym == setlym, c.c.mdtrtarea_admdvs == treatment).limit(1))
    return found is not None


def standing_confirmation(tx: Tx, fixmedins_code: str, trt_ym: str) -> ConfirmationRow | None:
    x = t.cross_detail_confirmation
    q = select(x).where(x.c.fixmedins_code == fixmedins_code, x.c.trt_ym == trt_ym, x.c.rolled_back_at.is_(None))
    return tx.fetch_one(q.with_for_update(), ConfirmationRow)


def confirmation(tx: Tx, msgid: str) -> ConfirmationRow | None:
    x = t.cross_detail_confirmation
    return tx.fetch_one(select(x).where(x.c.msgid == msgid).with_for_update(), ConfirmationRow)


def add_confirmation(tx: Tx, row: ConfirmationRow) -> None:
    tx.conn.execute(insert(t.cross_detail_confirmation).values(**row._asdict()))


def roll_back_confirmation(tx: Tx, msgid: str, at: str) -> None:
    x = t.cross_detail_confirmation
    tx.conn.execute(update(x).where(x.c.msgid == msgid).values(rolled_back_at=at))


# -- 4101 / 4101A / 4103


def settlement_list_of(tx: Tx, setl_id: str = "", setl_list_id: str = "") -> SettlementListRow | None:
    sl = t.settlement_list
    q = select(sl).where(sl.c.setl_id == setl_id) if setl_id else select(sl).where(sl.c.setl_list_id == setl_list_id)
    return tx.fetch_one(q, SettlementListRow)


def add_settlement_list(tx: Tx, row: SettlementListRow) -> None:
    tx.conn.execute(insert(t.settlement_list).values(**row._asdict()))
