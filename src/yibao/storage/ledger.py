"""Storage of the settlement ledger's extension (settlement_calc), of reversals (2601) and of undo images.

Amounts are integer fen in storage; `money_json` / `money_of` convert a domain Money to and from the
JSON kept in settlement_calc.amounts.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TypeAlias, TypedDict

from sqlalchemy import and_, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from yibao.domain.refund import Money
from yibao.storage import schema as t
from yibao.storage.rows import (
    ActiveSettlement,
    ClearingRow,
    FeeRow,
    JournalRow,
    LaterSettlement,
    MessageRow,
    ReversalRow,
    SettlementCalcRow,
    SettlementRow,
    UnclearedRecord,
)
from yibao.storage.store import Tx, from_fen, to_fen

Json: TypeAlias = str | int | float | bool | list["Json"] | dict[str, "Json"] | None


class UndoImage(TypedDict):
    """A row a message changed, before and after it (None: there was none), as JSON
    (simulators/yibao/simulators/core/undo_log.py)."""

    table: str
    key: str
    before: dict[str, Json] | None
    after: dict[str, Json] | None


def money_json(m: Money) -> str:
    return json.dumps(
        {**{k: to_fen(v) for k, v in m.values.items()}, "funds": {k: to_fen(v) for k, v in sorted(m.funds.items())}},
        sort_keys=True,
    )


def money_of(text: str) -> Money:
    values: dict[str, Decimal] = {}
    funds: dict[str, Decimal] = {}
    for key, fen in json.loads(text).items():  # {field: fen, "funds": {fund_pay_type: fen}}
        if key == "funds":
            funds = {k: from_fen(v) for k, v in fen.items()}
        else:
            values[key] = from_fen(fen)
    return Money(values, funds)


# -- settlement_calc

# the statements of every settlement, built once (src/yibao/storage/prepared.py)
_ADD_CALC = insert(t.settlement_calc)
_MAX_SEQ = select(func.max(t.settlement_calc.c.seq)).where(t.settlement_calc.c.psn_no == bindparam("b_psn"))
_SET_MOVES = (
    update(t.settlement).where(t.settlement.c.setl_id == bindparam("b_setl")).values(moves=bindparam("b_moves"))
)
_ADD_IMAGES = insert(t.undo_image)


def calc(tx: Tx, setl_id: str) -> SettlementCalcRow | None:
    return tx.fetch_one(select(t.settlement_calc).where(t.settlement_calc.c.setl_id == setl_id), SettlementCalcRow)


def add_calc(tx: Tx, **row: object) -> None:
    tx.insert(_ADD_CALC, row)


def set_amounts(tx: Tx, setl_id: str, amounts: str) -> None:
    c = t.settlement_calc
    tx.conn.execute(update(c).where(c.c.setl_id == setl_id).values(amounts=amounts))


def delete_calc(tx: Tx, setl_id: str) -> None:
    tx.conn.execute(delete(t.settlement_calc).where(t.settlement_calc.c.setl_id == setl_id))


def next_seq(tx: Tx, psn_no: str) -> int:
    """The person's next money-event number (the caller holds the person's lock)."""
    return (tx.scalar(_MAX_SEQ, {"b_psn": psn_no}, int) or 0) + 1


def last_seq(tx: Tx, psn_no: str) -> int:
    return next_seq(tx, psn_no) - 1


def later_active(tx: Tx, psn_no: str, year: int, after_seq: int) -> list[LaterSettlement]:
    """The person's settlements of `year` made after `after_seq` and not cancelled, in order: each row has the
    settlement's columns and settlement_calc's seq, calc and amounts."""
    s, c = t.settlement, t.settlement_calc
    return tx.fetch_all(
        select(s, c.c.seq, c.c.calc, c.c.amounts)
        .join(c, c.c.setl_id == s.c.setl_id)
        .where(
            s.c.psn_no == psn_no,
            s.c.year == year,
            s.c.kind == "settle",
            s.c.reversed_by.is_(None),
            c.c.seq > after_seq,
        )
        .order_by(c.c.seq, s.c.setl_id),
        LaterSettlement,
    )


def active_using_filing(tx: Tx, psn_no: str, filing_sn: str) -> ActiveSettlement | None:
    s, c = t.settlement, t.settlement_calc
    return tx.fetch_one(
        select(s.c.setl_id)
        .join(c, c.c.setl_id == s.c.setl_id)
        .where(c.c.psn_no == psn_no, c.c.filing_sn == filing_sn, s.c.kind == "settle", s.c.reversed_by.is_(None)),
        ActiveSettlement,
    )


def active_with_rule(tx: Tx, psn_no: str, rule_key: str, since: str) -> ActiveSettlement | None:
    s, c = t.settlement, t.settlement_calc
    return tx.fetch_one(
        select(s.c.setl_id)
        .join(c, c.c.setl_id == s.c.setl_id)
        .where(
            and_(
                c.c.psn_no == psn_no,
                c.c.rule_key == rule_key,
                s.c.kind == "settle",
                s.c.reversed_by.is_(None),
                s.c.setl_time >= since,
            )
        ),
        ActiveSettlement,
    )


def set_moves(tx: Tx, setl_id: str, moves: str) -> None:
    tx.run(_SET_MOVES, {"b_setl": setl_id, "b_moves": moves})


def fees_of(tx: Tx, setl_id: str) -> list[FeeRow]:
    f = t.fee
    return tx.fetch_all(select(f).where(f.c.setl_id == setl_id).order_by(f.c.feedetl_sn), FeeRow)


def delete_fees(tx: Tx, mdtrt_id: str, feedetl_sns: list[str]) -> int:
    f = t.fee
    return tx.conn.execute(delete(f).where(f.c.mdtrt_id == mdtrt_id, f.c.feedetl_sn.in_(feedetl_sns))).rowcount


def unmark_reversed(tx: Tx, setl_id: str) -> None:
    s = t.settlement
    tx.conn.execute(update(s).where(s.c.setl_id == setl_id).values(reversed_by=None))


def delete_settlement(tx: Tx, setl_id: str) -> None:
    tx.conn.execute(delete(t.settlement).where(t.settlement.c.setl_id == setl_id))
    delete_calc(tx, setl_id)


def settlement_by_msgid(tx: Tx, msgid: str) -> list[SettlementRow]:
    s = t.settlement
    return tx.fetch_all(select(s).where(s.c.msgid == msgid).order_by(s.c.kind, s.c.setl_id), SettlementRow)


# -- messages: the claim of a msgid, tombstones, reversals


def wait_for_claim(tx: Tx, msgid: str) -> None:
    """Wait while another transaction holds an uncommitted claim of `msgid` (PostgreSQL: a unique-key
    insert blocks on it; SQLite: write transactions run one at a time anyway). Claims nothing."""
    sp = tx.conn.begin_nested()
    try:
        tx.conn.execute(
            insert(t.message).values(
                msgid=msgid, infno="", fixmedins_code="", body_hash="probe", refused=True, created_at=""
            )
        )
    except IntegrityError:
        sp.rollback()
        return
    sp.rollback()


def claim_tombstone(tx: Tx, **row: object) -> bool:
    """Claim a msgid that was never seen for a tombstone; False when the message is there (possibly just
    committed by a transaction this one waited for)."""
    sp = tx.conn.begin_nested()
    try:
        tx.conn.execute(insert(t.message).values(body_hash=t.MSG_TOMBSTONE, refused=True, **row))
    except IntegrityError:
        sp.rollback()
        return False
    sp.commit()
    return True


def message_for_update(tx: Tx, msgid: str) -> MessageRow | None:
    m = t.message
    return tx.fetch_one(select(m).where(m.c.msgid == msgid).with_for_update(), MessageRow)


def replace_reply(tx: Tx, msgid: str, reply: bytes) -> None:
    """A reversed message's claim answers its retries with a refusal from now on (the journal keeps the reply)."""
    m = t.message
    tx.conn.execute(update(m).where(m.c.msgid == msgid).values(reply=reply, refused=True))


def journal_ok(tx: Tx, msgid: str) -> JournalRow | None:
    """The journal row of the message's execution (request and reply as they were)."""
    j = t.journal
    return tx.fetch_one(select(j).where(j.c.msgid == msgid, j.c.outcome == "ok").order_by(j.c.id).limit(1), JournalRow)


def reversal_of(tx: Tx, omsgid: str) -> ReversalRow | None:
    return tx.fetch_one(select(t.reversal).where(t.reversal.c.omsgid == omsgid), ReversalRow)


def add_reversal(tx: Tx, **row: object) -> None:
    tx.conn.execute(insert(t.reversal).values(**row))


# -- undo images


def add_images(tx: Tx, msgid: str, infno: str, images: list[UndoImage]) -> None:
    tx.insert(_ADD_IMAGES, {"msgid": msgid, "infno": infno, "images": json.dumps(images)})


def images_of(tx: Tx, msgid: str) -> list[UndoImage]:
    raw: str | None = tx.conn.scalar(select(t.undo_image.c.images).where(t.undo_image.c.msgid == msgid))
    images: list[UndoImage] = json.loads(raw) if raw else []
    return images


# -- reconciliation and clearing


def institution_records(tx: Tx, fixmedins_code: str, admdvs: str, begin: str, end: str, insutype: str = "",
                        clr_type: str = "") -> list[SettlementRow]:  # fmt: skip
    """An institution's settlement and refund records with setl_time in [begin, end] ("yyyy-MM-dd HH:mm:ss")."""
    s = t.settlement
    q = select(s).where(
        s.c.fixmedins_code == fixmedins_code, s.c.mdtrtarea_admvs == admdvs, s.c.setl_time.between(begin, end)
    )
    if insutype:
        q = q.where(s.c.insutype == insutype)
    if clr_type:
        q = q.where(s.c.clr_type == clr_type)
    return tx.fetch_all(q.order_by(s.c.setl_id), SettlementRow)


def uncleared(tx: Tx, until: str, treatment: str = "", insured: str = "", *,
              lock: bool = False) -> list[UnclearedRecord]:  # fmt: skip
    """Settlement and refund records with setl_time ≤ `until` that no clearing took, with `orig_cleared_in`: the
    clearing that took the record's original (a refund record's settlement), if any."""
    s, ci = t.settlement, t.clearing_item
    own, orig = ci.alias("own"), ci.alias("orig")
    q = (
        select(s, orig.c.clr_id.label("orig_cleared_in"))
        .outerjoin(own, own.c.setl_id == s.c.setl_id)
        .outerjoin(orig, orig.c.setl_id == s.c.orig_setl_id)
        .where(own.c.setl_id.is_(None), s.c.setl_time <= until, s.c.mdtrtarea_admvs != s.c.insuplc_admdvs)
    )
    if treatment:
        q = q.where(s.c.mdtrtarea_admvs == treatment)
    if insured:
        q = q.where(s.c.insuplc_admdvs == insured)
    if lock:  # a clearing takes the rows: a 2601 voiding one of them waits, or is waited for
        q = q.with_for_update(of=s)
    return tx.fetch_all(q.order_by(s.c.setl_id), UnclearedRecord)


def settlement_for_update(tx: Tx, setl_id: str) -> SettlementRow | None:
    s = t.settlement
    return tx.fetch_one(select(s).where(s.c.setl_id == setl_id).with_for_update(), SettlementRow)


def cleared_in(tx: Tx, setl_id: str) -> str | None:
    clr_id: str | None = tx.conn.scalar(select(t.clearing_item.c.clr_id).where(t.clearing_item.c.setl_id == setl_id))
    return clr_id


def add_clearing(tx: Tx, items: list[str], **row: object) -> None:
    tx.conn.execute(insert(t.clearing).values(**row))
    if items:
        tx.conn.execute(insert(t.clearing_item), [{"setl_id": s, "clr_id": row["clr_id"]} for s in items])


def clearings(tx: Tx, setlym: str = "", treatment: str = "", insured: str = "") -> list[ClearingRow]:
    c = t.clearing
    q = select(c)
    if setlym:
        q = q.where(c.c.setlym == setlym)
    if treatment:
        q = q.where(c.c.mdtrtarea_admdvs == treatment)
    if insured:
        q = q.where(c.c.insuplc_admdvs == insured)
    return tx.fetch_all(q.order_by(c.c.setlym, c.c.mdtrtarea_admdvs, c.c.insuplc_admdvs), ClearingRow)


def cleared_months(tx: Tx, treatment: str, insured: str) -> list[int]:
    """The pair's cleared amounts (fen), latest month first."""
    c = t.clearing
    months: list[int] = list(
        tx.conn.scalars(
            select(c.c.fund_pay_sumamt_fen)
            .where(c.c.mdtrtarea_admdvs == treatment, c.c.insuplc_admdvs == insured)
            .order_by(c.c.setlym.desc())
        )
    )
    return months


def prepaid(tx: Tx, insured: str, treatment: str, *, lock: bool = False) -> int:
    p = t.prepayment
    q = select(p.c.prepaid_fen).where(p.c.insuplc_admdvs == insured, p.c.mdtrtarea_admdvs == treatment)
    fen: int | None = tx.conn.scalar(q.with_for_update() if lock else q)
    return fen or 0


def add_prepaid(tx: Tx, insured: str, treatment: str, fen: int, when: str) -> None:
    p = t.prepayment
    where = (p.c.insuplc_admdvs == insured, p.c.mdtrtarea_admdvs == treatment)
    done = tx.conn.execute(update(p).where(*where).values(prepaid_fen=p.c.prepaid_fen + fen, updated_at=when)).rowcount
    if not done:
        tx.conn.execute(
            insert(p).values(insuplc_admdvs=insured, mdtrtarea_admdvs=treatment, prepaid_fen=fen, updated_at=when)
        )


def settlement_totals(tx: Tx) -> tuple[int, Decimal, Decimal]:
    """How many settlement rows the store holds, and their Σ medfee and Σ fund payment."""
    s = t.settlement.c
    sums = [func.coalesce(func.sum(c), 0) for c in (s.medfee_sumamt_fen, s.fund_pay_sumamt_fen)]
    count, medfee, fund = tx.conn.execute(select(func.count(), *sums)).one()
    return int(count), from_fen(int(medfee)), from_fen(int(fund))
