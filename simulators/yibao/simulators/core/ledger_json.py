"""The settlement ledger's JSON columns as the core writes and reads them back: settlement.moves and
settlement_calc.calc (storage keeps them as text; yibao.storage.rows types the rows around them).
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class Moves(TypedDict):
    """settlement.moves: what a settlement or refund record moved, so that it can be undone exactly. Written as
    tuples, read back as JSON arrays (lists): the core only unpacks them, which reads both alike."""

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
    fund: NotRequired[str]  # the rule's own fund (maternity 510100); rows written before it was kept have none


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
