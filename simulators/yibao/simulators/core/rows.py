"""The stored rows the core reads, named by what it reads of them.

Storage (yibao.storage) returns its rows; these Protocols are the core's side of that contract: the columns
(schema.py) a use case relies on, read-only, so that a storage row type with those attributes satisfies them
(item_split.FeeLine is the fee row's). JSON columns are typed here as they are read back.
"""

from __future__ import annotations

from typing import NotRequired, Protocol, TypedDict


class SettlementRow(Protocol):
    """A row of `settlement`: a settlement (kind "settle") or a refund record (kind "reversal")."""

    @property
    def setl_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def orig_setl_id(self) -> str | None: ...
    @property
    def reversed_by(self) -> str | None: ...
    @property
    def mdtrt_id(self) -> str: ...
    @property
    def chrg_bchno(self) -> str: ...
    @property
    def psn_no(self) -> str: ...
    @property
    def insutype(self) -> str: ...
    @property
    def med_type(self) -> str: ...
    @property
    def fixmedins_code(self) -> str: ...
    @property
    def mdtrtarea_admvs(self) -> str: ...
    @property
    def insuplc_admdvs(self) -> str: ...
    @property
    def clr_type(self) -> str: ...
    @property
    def setl_time(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def msgid(self) -> str: ...
    @property
    def medfee_sumamt_fen(self) -> int: ...
    @property
    def fund_pay_sumamt_fen(self) -> int: ...
    @property
    def acct_pay_fen(self) -> int: ...
    @property
    def psn_cash_pay_fen(self) -> int: ...
    @property
    def moves(self) -> str: ...  # JSON: Moves
    @property
    def output(self) -> bytes: ...  # the SettleOutput as replied


class CalcRow(Protocol):
    """A row of `settlement_calc`: what a settlement was computed from, and its amounts as they stand."""

    @property
    def setl_id(self) -> str: ...
    @property
    def seq(self) -> int: ...
    @property
    def filing_sn(self) -> str: ...
    @property
    def rule_key(self) -> str: ...
    @property
    def calc(self) -> str: ...  # JSON: SettleCalc or RefundCalc
    @property
    def amounts(self) -> str: ...  # JSON: ledger.money_json


class LaterRow(SettlementRow, Protocol):
    """A settlement with its `settlement_calc` columns (ledger.later_active)."""

    @property
    def seq(self) -> int: ...
    @property
    def calc(self) -> str: ...
    @property
    def amounts(self) -> str: ...


class VisitRow(Protocol):
    """A row of `visit`: an outpatient visit, an inpatient stay or a pharmacy sale."""

    @property
    def mdtrt_id(self) -> str: ...
    @property
    def psn_no(self) -> str: ...
    @property
    def insutype(self) -> str: ...
    @property
    def fixmedins_code(self) -> str: ...
    @property
    def mdtrtarea_admvs(self) -> str: ...
    @property
    def insuplc_admdvs(self) -> str: ...
    @property
    def ipt_otp_no(self) -> str: ...
    @property
    def begntime(self) -> str: ...
    @property
    def med_type(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str: ...


class MessageRow(Protocol):
    """A row of `message`: a msgid's claim, and its reply once answered."""

    @property
    def infno(self) -> str: ...
    @property
    def reply(self) -> bytes | None: ...
    @property
    def refused(self) -> int: ...  # a Boolean column: 0/1 from SQLite's driver, a bool elsewhere
    @property
    def created_at(self) -> str: ...


class JournalRow(Protocol):
    """A row of `journal`: one call's request and reply as they were."""

    @property
    def received_at(self) -> str: ...
    @property
    def request(self) -> bytes: ...
    @property
    def reply(self) -> bytes: ...
    @property
    def psn_no(self) -> str | None: ...


class ReversalRow(Protocol):
    """A row of `reversal`: what a 2601 did to message omsgid."""

    @property
    def oinfno(self) -> str: ...
    @property
    def msgid(self) -> str: ...
    @property
    def rev_time(self) -> str: ...
    @property
    def outcome(self) -> str: ...  # undone | tombstone


# ---- JSON columns


class Moves(TypedDict):
    """settlement.moves: what a settlement or refund record moved, so that it can be undone exactly."""

    accumulators: list[tuple[str, int, str, int]]  # psn_no, year, accumulator key, fen
    accounts: list[tuple[str, int]]  # psn_no, fen


class BenefitJson(TypedDict):
    """yibao.domain.benefit_policy.Benefit, amounts as decimal strings."""

    deductible: str
    ratio: str
    annual_cap: str
    per_stay: bool
    accum_group: str
    basis: str


class SettleCalc(TypedDict):
    """settlement_calc.calc of a settlement: what a later refund needs to compute it again."""

    keys: dict[str, str]  # accumulator role → storage key
    basis: NotRequired[str]  # the standard's words (rows written before it was kept have none)
    benefit: BenefitJson | None
    fees: list[str]  # feedetl_sn
    use_account: bool
    locality: str
    category: str
    holder: str  # the family-account holder (the person when there is none)


class Adjusted(TypedDict):
    """A later settlement a refund computed again: its moves and amounts before, for a 2601 to put back."""

    setl_id: str
    moves: str
    amounts: str


class RefundCalc(TypedDict):
    """settlement_calc.calc of a refund record."""

    refund_of: str
    fees: list[str]
    adjusted: list[Adjusted]
    replacement: str  # a partial refund's settlement of what is left ("" for a whole refund)
    holder: NotRequired[str]  # rows written before it was kept have none: the person
    locality: str
