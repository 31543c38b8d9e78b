"""Queries for filings (tables filing, commitment_ban, chronic_filing). Dates are stored as yyyy-MM-dd."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Executable, Table, bindparam, insert, select, update

from yibao.domain.filing import CHRONIC_BIZ, Ban, Filing
from yibao.storage import schema as t
from yibao.storage.rows import BanRow, ChronicFilingRow, FilingRow
from yibao.storage.store import Tx


def day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def text(d: date | None) -> str | None:
    return d.isoformat() if d else None


def filing_of(row: FilingRow) -> Filing:
    return Filing(
        trt_dcla_detl_sn=row.trt_dcla_detl_sn,
        psn_no=row.psn_no,
        insutype=row.insutype,
        kind=row.fil_type,
        area=row.mdtrtarea_admdvs,
        begndate=date.fromisoformat(row.begndate),
        enddate=day(row.enddate),
        filed_on=date.fromisoformat(row.crte_date),
        status=row.fil_stas,
        stop_date=day(row.stop_date),
        commitment=bool(row.cmtm_flag),
        material=row.matl_stas,
        material_due=day(row.matl_due_date),
        chronic=row.biz_appy_type == CHRONIC_BIZ,
    )


# ---- cross-region filings


def filing_row(tx: Tx, sn: str) -> FilingRow | None:
    return tx.fetch_one(select(t.filing).where(t.filing.c.trt_dcla_detl_sn == sn), FilingRow)


def _rows_of_person(table: Table) -> dict[bool, Executable]:
    """A person's rows of a filing table, oldest first: {by insutype too?: statement}, built once."""
    c = table.c
    every = select(table).where(c.psn_no == bindparam("b_psn")).order_by(c.begndate, c.crte_date, c.trt_dcla_detl_sn)
    return {False: every, True: every.where(c.insutype == bindparam("b_insutype"))}


_FILINGS = _rows_of_person(t.filing)
_CHRONIC = _rows_of_person(t.chronic_filing)


def filing_rows(tx: Tx, psn_no: str, insutype: str | None = None) -> list[FilingRow]:
    return tx.all(_FILINGS[insutype is not None], {"b_psn": psn_no, "b_insutype": insutype}, FilingRow)


def filings(tx: Tx, psn_no: str, insutype: str | None = None) -> list[Filing]:
    return [filing_of(r) for r in filing_rows(tx, psn_no, insutype)]


def add_filing(tx: Tx, **row: object) -> None:
    tx.conn.execute(insert(t.filing).values(**row))


def close_filing(tx: Tx, sn: str, status: str, stop_date: date, **values: object) -> None:
    """Mark a filing changed / revoked / cancelled from `stop_date` on."""
    f = t.filing
    tx.conn.execute(
        update(f).where(f.c.trt_dcla_detl_sn == sn).values(fil_stas=status, stop_date=text(stop_date), **values)
    )


def set_material(tx: Tx, sn: str, matl_stas: str, reviewed: date) -> None:
    f = t.filing
    tx.conn.execute(
        update(f).where(f.c.trt_dcla_detl_sn == sn).values(matl_stas=matl_stas, matl_rvw_date=text(reviewed))
    )


def bans(tx: Tx, psn_no: str) -> list[Ban]:
    b = t.commitment_ban
    rows = tx.fetch_all(select(b).where(b.c.psn_no == psn_no).order_by(b.c.begndate), BanRow)
    return [
        Ban(r.psn_no, r.trt_dcla_detl_sn, r.ban_reason, date.fromisoformat(r.begndate), date.fromisoformat(r.enddate))
        for r in rows
    ]


def add_ban(tx: Tx, ban: Ban) -> None:
    tx.conn.execute(
        insert(t.commitment_ban).values(
            psn_no=ban.psn_no,
            trt_dcla_detl_sn=ban.trt_dcla_detl_sn,
            ban_reason=ban.reason,
            begndate=text(ban.begndate),
            enddate=text(ban.enddate),
        )
    )


# ---- chronic-disease filings


def chronic_row(tx: Tx, sn: str) -> ChronicFilingRow | None:
    c = t.chronic_filing
    return tx.fetch_one(select(c).where(c.c.trt_dcla_detl_sn == sn), ChronicFilingRow)


def chronic_rows(tx: Tx, psn_no: str, insutype: str | None = None) -> list[ChronicFilingRow]:
    return tx.all(_CHRONIC[insutype is not None], {"b_psn": psn_no, "b_insutype": insutype}, ChronicFilingRow)


def add_chronic(tx: Tx, **row: object) -> None:
    tx.conn.execute(insert(t.chronic_filing).values(**row))


def close_chronic(tx: Tx, sn: str, status: str, stop_date: date, memo: str) -> None:
    c = t.chronic_filing
    tx.conn.execute(
        update(c).where(c.c.trt_dcla_detl_sn == sn).values(fil_stas=status, stop_date=text(stop_date), memo=memo)
    )
