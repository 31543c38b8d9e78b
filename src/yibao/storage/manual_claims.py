"""What manual reimbursement keeps (schema table manual_claim; Y2801–Y2803, simulators/yibao/simulators/core/
manual_claims.py): one row per claim, its status, and once paid the payment's output and what it moved."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import insert, select, update

from yibao.storage import schema as t
from yibao.storage.store import Tx

SUBMITTED, PAID, REJECTED = "1", "2", "3"  # claim_stas


class ClaimRow(NamedTuple):
    claim_id: str
    psn_no: str
    insutype: str
    insuplc_admdvs: str
    mdtrtarea_admdvs: str
    invoice_no: str
    claim_stas: str
    medfee_sumamt_fen: int
    fund_pay_sumamt_fen: int
    submitted_by: str
    submit_time: str
    due_date: str
    review_time: str
    reason: str
    setl_id: str
    body: str  # Y2801's input as JSON (stored_values)
    paid: str  # "" until paid: {"output": Y2802's output, "moves": …} as JSON


def add_claim(tx: Tx, row: ClaimRow) -> None:
    tx.conn.execute(insert(t.manual_claim).values(**row._asdict()))


def claim_by_invoice(tx: Tx, mdtrtarea_admdvs: str, invoice_no: str) -> ClaimRow | None:
    c = t.manual_claim
    q = select(c).where(c.c.mdtrtarea_admdvs == mdtrtarea_admdvs, c.c.invoice_no == invoice_no)
    return tx.fetch_one(q, ClaimRow)


def claim_for_update(tx: Tx, claim_id: str) -> ClaimRow | None:
    c = t.manual_claim
    return tx.fetch_one(select(c).where(c.c.claim_id == claim_id).with_for_update(), ClaimRow)


def claims_of(tx: Tx, psn_no: str, claim_id: str = "") -> list[ClaimRow]:
    c = t.manual_claim
    q = select(c).where(c.c.psn_no == psn_no)
    if claim_id:
        q = q.where(c.c.claim_id == claim_id)
    return tx.fetch_all(q.order_by(c.c.submit_time, c.c.claim_id), ClaimRow)


def close_claim(tx: Tx, claim_id: str, *, stas: str, at: str, reason: str = "", setl_id: str = "",
                fund_pay_sumamt_fen: int = 0, paid: str = "") -> None:  # fmt: skip
    """Record the review: paid (with its output) or rejected (with the reason)."""
    c = t.manual_claim
    tx.conn.execute(
        update(c).where(c.c.claim_id == claim_id).values(
            claim_stas=stas, review_time=at, reason=reason, setl_id=setl_id,
            fund_pay_sumamt_fen=fund_pay_sumamt_fen, paid=paid,
        )
    )  # fmt: skip
