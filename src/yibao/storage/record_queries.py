"""Read-only queries behind the person queries 5201, 5205, 5206 and 5303 (tables visit, fee, settlement,
accumulator). Each returns at most `limit` rows, oldest first, so the caller can tell "more than allowed" from
"exactly the limit" (it asks for one more than it shows). Times are stored as yyyy-MM-dd HH:mm:ss, so a range
of them is a range of text."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Executable, bindparam, or_, select

from yibao.storage import schema as t
from yibao.storage.rows import AccumulatorAmount
from yibao.storage.store import Tx


class ChronicDrugRow(NamedTuple):
    """A fee item settled under med_type 14 (门诊慢特病), with its settlement."""

    mdtrt_id: str
    feedetl_sn: str
    dise_codg: str
    med_list_codg: str
    fee_ocur_time: str
    cnt: str
    pric: str
    sumamt_fen: int
    setl_id: str
    fixmedins_code: str
    setl_time: str


class VisitLine(NamedTuple):
    """A visit as the queries list it: the visit row less the sealed certificate number (not shown, so not
    unsealed) and its blind index."""

    mdtrt_id: str
    psn_no: str
    insutype: str
    fixmedins_code: str
    insuplc_admdvs: str
    ipt_otp_no: str
    begntime: str
    mdtrt_cert_type: str
    med_type: str
    kind: str
    endtime: str | None
    visit_info: bytes | None
    status: str


def _visits_statement() -> Executable:
    """Built once and run prepared (Tx.all): an empty narrowing value narrows nothing."""
    v = t.visit.c
    narrowed = [or_(bindparam(f"b_{name}") == "", v[name] == bindparam(f"b_{name}")) for name in VISIT_NARROWING]
    return (
        select(*(v[name] for name in VisitLine._fields))
        .where(
            v.psn_no == bindparam("b_psn"),
            v.begntime >= bindparam("b_begin"),
            v.begntime <= bindparam("b_end"),
            *narrowed,
        )
        .order_by(v.begntime, v.mdtrt_id)
        .limit(bindparam("b_limit"))
    )


VISIT_NARROWING = ("fixmedins_code", "kind", "med_type", "mdtrt_id")
_VISITS = _visits_statement()


def visits_of_person(tx: Tx, psn_no: str, begin: str, end: str, limit: int, **only: str) -> list[VisitLine]:
    """The person's visits begun within [begin, end]; `only` narrows them by columns of the visit given a value
    (fixmedins_code, kind, med_type, mdtrt_id), an empty value narrowing nothing."""
    narrowing = {f"b_{name}": only.get(name, "") for name in VISIT_NARROWING}
    params = {"b_psn": psn_no, "b_begin": begin, "b_end": end, "b_limit": limit, **narrowing}
    return tx.all(_VISITS, params, VisitLine)


def chronic_drugs(tx: Tx, psn_no: str, begin: str, end: str, limit: int) -> list[ChronicDrugRow]:
    """Items given within [begin, end] and settled under med_type 14 by a settlement still in force. Found from the
    person's visits (ix_visit_psn), then each visit's settlements (ix_settlement_mdtrt) and items (the fee table's
    key): the settlement table has no index by person."""
    v, f, s = t.visit.c, t.fee.c, t.settlement.c
    stmt = (
        select(
            f.mdtrt_id,
            f.feedetl_sn,
            f.dise_codg,
            f.med_list_codg,
            f.fee_ocur_time,
            f.cnt,
            f.pric,
            f.sumamt_fen,
            s.setl_id,
            s.fixmedins_code,
            s.setl_time,
        )
        .select_from(t.visit)
        .join(t.settlement, s.mdtrt_id == v.mdtrt_id)
        .join(t.fee, (f.mdtrt_id == s.mdtrt_id) & (f.setl_id == s.setl_id))
        .where(
            v.psn_no == psn_no,
            s.med_type == "14",
            s.kind == "settle",
            s.reversed_by.is_(None),
            f.fee_ocur_time >= begin,
            f.fee_ocur_time <= end,
        )
        .order_by(f.fee_ocur_time, f.mdtrt_id, f.feedetl_sn)
        .limit(limit)
    )
    return tx.fetch_all(stmt, ChronicDrugRow)


_ACCUMULATIONS = (
    select(t.accumulator.c.acc_key, t.accumulator.c.amount_fen)
    .where(t.accumulator.c.psn_no == bindparam("b_psn"), t.accumulator.c.year == bindparam("b_year"))
    .order_by(t.accumulator.c.acc_key)
)


def accumulations(tx: Tx, psn_no: str, year: int) -> list[AccumulatorAmount]:
    """Every accumulator of the person's year, by key (a handful)."""
    return tx.all(_ACCUMULATIONS, {"b_psn": psn_no, "b_year": year}, AccumulatorAmount)
