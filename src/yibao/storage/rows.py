"""The rows the store's queries return: one NamedTuple per kind of row, its fields the columns selected, in
the order selected, so a driver row becomes one without copying (`tuple.__new__(VisitRow, found)`).

Values are as the database gives them: amounts in integer fen, times and dates as text, serialized messages
as bytes. A Boolean column is a `Flag`: 0/1 from SQLite's driver, a bool elsewhere. The prepared path
(prepared.py) checks a row class's fields against its statement once; tests/unit/storage/test_row_types.py checks
each table's row against the table.
"""

from __future__ import annotations

from typing import NamedTuple, TypeAlias

Flag: TypeAlias = int  # a Boolean column: 0/1 from SQLite's driver, a bool otherwise (a bool is an int)


# -- sign-in, idempotency, journal


class SigninRow(NamedTuple):
    sign_no: str
    fixmedins_code: str
    opter_no: str
    mac: str
    ip: str
    sign_time: str
    signout_time: str | None


class MessageRow(NamedTuple):
    msgid: str
    infno: str
    fixmedins_code: str
    body_hash: str
    reply: bytes | None
    refused: Flag
    created_at: str


class JournalRow(NamedTuple):
    id: int
    received_at: str
    infno: str
    msgid: str
    fixmedins_code: str
    outcome: str
    err_code: str
    err_msg: str
    duration_us: int
    request: bytes
    reply: bytes
    psn_no: str | None
    mdtrt_id: str | None
    setl_id: str | None
    chain: int
    chain_seq: int
    mac: str


class JournalSummary(NamedTuple):
    """A journal row as the inspector lists it: without the messages."""

    id: int
    received_at: str
    infno: str
    msgid: str
    fixmedins_code: str
    outcome: str
    err_code: str
    duration_us: int
    psn_no: str | None
    mdtrt_id: str | None
    setl_id: str | None


# -- persons


class AccumulatorAmount(NamedTuple):
    acc_key: str
    amount_fen: int


# -- visits and fees


class VisitRow(NamedTuple):
    mdtrt_id: str
    psn_no: str
    insutype: str
    fixmedins_code: str
    mdtrtarea_admvs: str
    insuplc_admdvs: str
    ipt_otp_no: str
    begntime: str
    mdtrt_cert_type: str
    mdtrt_cert_no: str
    mdtrt_cert_bidx: str
    med_type: str
    kind: str
    endtime: str | None
    visit_info: bytes | None
    status: str
    created_at: str


class OpenVisit(NamedTuple):
    mdtrt_id: str


class FeeRow(NamedTuple):
    mdtrt_id: str
    feedetl_sn: str
    chrg_bchno: str
    dise_codg: str
    init_feedetl_sn: str
    med_list_codg: str
    medins_list_codg: str
    fee_ocur_time: str
    cnt: str
    pric: str
    sumamt_fen: int
    fulamt_fen: int
    overlmt_fen: int
    preselfpay_fen: int
    inscp_fen: int
    memo: str
    setl_id: str | None
    er_flag: str  # exp_content er_flag of an inpatient item ("" when not sent)


class FeeSn(NamedTuple):
    feedetl_sn: str


# -- settlements and the ledger


class SettlementRow(NamedTuple):
    setl_id: str
    kind: str
    orig_setl_id: str | None
    reversed_by: str | None
    mdtrt_id: str
    chrg_bchno: str
    psn_no: str
    insutype: str
    med_type: str
    fixmedins_code: str
    mdtrtarea_admvs: str
    insuplc_admdvs: str
    clr_type: str
    setl_time: str
    year: int
    msgid: str
    medfee_sumamt_fen: int
    fund_pay_sumamt_fen: int
    acct_pay_fen: int
    psn_cash_pay_fen: int
    moves: str
    output: bytes


class ActiveSettlement(NamedTuple):
    """A settlement not cancelled, by its id."""

    setl_id: str


class SettlementCalcRow(NamedTuple):
    setl_id: str
    psn_no: str
    year: int
    seq: int
    filing_sn: str
    rule_key: str
    calc: str
    amounts: str


class LaterSettlement(NamedTuple):
    """A settlement's columns, and its settlement_calc's seq, calc and amounts."""

    setl_id: str
    kind: str
    orig_setl_id: str | None
    reversed_by: str | None
    mdtrt_id: str
    chrg_bchno: str
    psn_no: str
    insutype: str
    med_type: str
    fixmedins_code: str
    mdtrtarea_admvs: str
    insuplc_admdvs: str
    clr_type: str
    setl_time: str
    year: int
    msgid: str
    medfee_sumamt_fen: int
    fund_pay_sumamt_fen: int
    acct_pay_fen: int
    psn_cash_pay_fen: int
    moves: str
    output: bytes
    seq: int
    calc: str
    amounts: str


class UnclearedRecord(NamedTuple):
    """A settlement's columns, and the clearing that took its original (a refund record's settlement), if any."""

    setl_id: str
    kind: str
    orig_setl_id: str | None
    reversed_by: str | None
    mdtrt_id: str
    chrg_bchno: str
    psn_no: str
    insutype: str
    med_type: str
    fixmedins_code: str
    mdtrtarea_admvs: str
    insuplc_admdvs: str
    clr_type: str
    setl_time: str
    year: int
    msgid: str
    medfee_sumamt_fen: int
    fund_pay_sumamt_fen: int
    acct_pay_fen: int
    psn_cash_pay_fen: int
    moves: str
    output: bytes
    orig_cleared_in: str | None


class ReversalRow(NamedTuple):
    omsgid: str
    oinfno: str
    msgid: str
    fixmedins_code: str
    psn_no: str
    rev_time: str
    outcome: str
    detail: str


class ClearingRow(NamedTuple):
    clr_id: str
    setlym: str
    mdtrtarea_admdvs: str
    insuplc_admdvs: str
    fund_pay_sumamt_fen: int
    statement: str
    created_at: str
    created_by: str


# -- filings


class FilingRow(NamedTuple):
    trt_dcla_detl_sn: str
    psn_no: str
    insutype: str
    insuplc_admdvs: str
    infno: str
    biz_appy_type: str
    fil_type: str
    mdtrtarea_admdvs: str
    begndate: str
    enddate: str | None
    crte_date: str
    fil_stas: str
    stop_date: str | None
    cmtm_flag: Flag
    matl_stas: str
    matl_due_date: str | None
    matl_rvw_date: str | None
    init_sn: str | None
    fixmedins_code: str
    fixmedins_name: str
    fix_srt_no: str
    refl_type: str
    tel: str
    addr: str
    memo: str
    filed_by: str
    msgid: str
    request: bytes


class BanRow(NamedTuple):
    psn_no: str
    trt_dcla_detl_sn: str
    ban_reason: str
    begndate: str
    enddate: str


class ChronicFilingRow(NamedTuple):
    trt_dcla_detl_sn: str
    psn_no: str
    insutype: str
    opsp_dise_code: str
    opsp_dise_name: str
    begndate: str
    enddate: str | None
    crte_date: str
    fil_stas: str
    stop_date: str | None
    ide_fixmedins_no: str
    ide_fixmedins_name: str
    hosp_ide_date: str
    memo: str
    filed_by: str
    msgid: str
    request: bytes


# -- region availability


class UnreachableRow(NamedTuple):
    admdvs: str
    since: str
    reason: str


class WindowRow(NamedTuple):
    admdvs: str
    begntime: str
    endtime: str
    reason: str


class Reachability(NamedTuple):
    unreachable: Flag


# -- files (9101/9102, 13xx, 3202; storage/file_store.py)


class StoredFileRow(NamedTuple):
    file_qury_no: str
    fixmedins_code: str
    filename: str
    made_by: str
    content: bytes
    size: int
    created_at: str
    expires_at: str
