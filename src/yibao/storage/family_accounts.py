"""What the family mutual-aid account keeps (Y2901–Y2904; schema tables family_account, family_member,
family_transfer). The account's balance is a person_state row keyed by its fam_acct_id: a settlement locks it and
pays from it exactly as it does from a personal account (simulators/yibao/simulators/core/settle_engine.py)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from yibao.storage import schema as t
from yibao.storage.store import Tx


class FamilyAccountRow(NamedTuple):
    fam_acct_id: str
    holder_psn_no: str
    prov: str
    begntime: str
    endtime: str | None


class FamilyMemberRow(NamedTuple):
    psn_no: str
    fam_acct_id: str
    rlts: str
    joined_at: str


class FamilyTransferRow(NamedTuple):
    trns_id: str
    fam_acct_id: str
    trns_type: str
    amount_fen: int
    infno: str
    msgid: str
    created_at: str


# Built once and prepared: every settlement asks it (settle_engine.family_source), several times a visit, and a
# statement built per call through SQLAlchemy cost more than the rest of the settlement's reads together.
_MEMBERSHIP = select(t.family_member).where(t.family_member.c.psn_no == bindparam("b_psn_no"))


def membership(tx: Tx, psn_no: str) -> FamilyMemberRow | None:
    """The person's place in a family account (holder or member), if any: one per person."""
    return tx.one(_MEMBERSHIP, {"b_psn_no": psn_no}, FamilyMemberRow)


def account(tx: Tx, fam_acct_id: str) -> FamilyAccountRow | None:
    a = t.family_account
    return tx.fetch_one(select(a).where(a.c.fam_acct_id == fam_acct_id).with_for_update(), FamilyAccountRow)


def members(tx: Tx, fam_acct_id: str) -> list[FamilyMemberRow]:
    m = t.family_member
    return tx.fetch_all(select(m).where(m.c.fam_acct_id == fam_acct_id).order_by(m.c.rlts, m.c.psn_no),
                        FamilyMemberRow)  # fmt: skip


def transfers(tx: Tx, fam_acct_id: str) -> list[FamilyTransferRow]:
    r = t.family_transfer
    q = select(r).where(r.c.fam_acct_id == fam_acct_id).order_by(r.c.created_at, r.c.trns_id)
    return tx.fetch_all(q, FamilyTransferRow)


def add_account(tx: Tx, row: FamilyAccountRow) -> None:
    """The account and its balance row (person_state, keyed by fam_acct_id), empty until a transfer."""
    tx.conn.execute(insert(t.family_account).values(**row._asdict()))
    tx.conn.execute(insert(t.person_state).values(psn_no=row.fam_acct_id, acct_balc_fen=0))


def close_account(tx: Tx, fam_acct_id: str, at: str) -> None:
    """Cancelled: every member (the holder too) is free to join another family."""
    a, m = t.family_account, t.family_member
    tx.conn.execute(update(a).where(a.c.fam_acct_id == fam_acct_id).values(endtime=at))
    tx.conn.execute(delete(m).where(m.c.fam_acct_id == fam_acct_id))


def add_members(tx: Tx, rows: list[FamilyMemberRow]) -> FamilyMemberRow | None:
    """Add them all, or none and return the membership a concurrent set-up or change committed first for one of
    them: the caller's check ran before that commit, and psn_no is the key (PostgreSQL holds the insert until the
    rival commits, then the key clashes; SQLite's writers run one at a time, so there it cannot happen)."""
    if not rows:
        return None
    sp = tx.conn.begin_nested()
    try:
        tx.conn.execute(insert(t.family_member), [r._asdict() for r in rows])
    except IntegrityError:
        sp.rollback()
        clash = next((found for r in rows if (found := membership(tx, r.psn_no)) is not None), None)
        if clash is None:  # not a membership taken meanwhile: not ours to classify
            raise
        return clash
    sp.commit()
    return None


def remove_members(tx: Tx, fam_acct_id: str, psn_nos: list[str]) -> None:
    m = t.family_member
    if psn_nos:
        tx.conn.execute(delete(m).where(m.c.fam_acct_id == fam_acct_id, m.c.psn_no.in_(psn_nos)))


def add_transfer(tx: Tx, row: FamilyTransferRow) -> None:
    tx.conn.execute(insert(t.family_transfer).values(**row._asdict()))


def refund_holder(tx: Tx, key: str) -> str:
    """Where a refunded family part goes: back to the family account, or to its holder's personal account once the
    account is cancelled (nothing could reach it there). `key` may be a person (a world-declared family)."""
    a = t.family_account
    row = tx.fetch_one(select(a).where(a.c.fam_acct_id == key, a.c.endtime.is_not(None)), FamilyAccountRow)
    return row.holder_psn_no if row else key
