"""Cross-region clearing (异地就医清算; docs/reference/policy.md "Money between regions", seed 003 art. 32–38):
the monthly
statement of what an insured place owes a treatment place, the three parties' agreement on it, and the
prepayment (预付金) that covers four months of payments, with its warning and top-up.

Pure: ledger entries come in, statements and prepayment figures go out.

- A clearing of month M takes every cross-region settlement and refund record of the pair not cleared
  yet, dated M or earlier, each exactly once: month M's settlements and refunds; a refund (or the
  re-settlement of a partial refund) of a settlement cleared in an earlier month — an **adjustment**
  (清算后退费); and records of earlier months never cleared (late). The amount due is their fund total.
- Three parties compute it independently and must agree to the fen before anything is cleared.
- The prepayment is sized at four months of expected payments: the average of the last three cleared
  months, or the payments advanced since the last clearing when more. A warning is due when those
  advances use 70 % of the prepayment (the threshold is not published; Yibao's choice), and the top-up
  is what brings the prepayment to four months.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from yibao.domain.money import ZERO, fen

PREPAY_MONTHS = 4
HISTORY_MONTHS = 3
WARNING_USED = Decimal("0.70")

SETTLEMENT, REFUND, ADJUSTMENT, LATE = "1", "2", "3", "4"
LINE_NAMES = {SETTLEMENT: "本月结算", REFUND: "本月退费", ADJUSTMENT: "清算后退费调整", LATE: "往月未清算"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger record of a cross-region settlement or refund."""

    setl_id: str
    kind: str  # settle | reversal
    setlym: str  # yyyyMM of its setl_time
    medfee_sumamt: Decimal
    fund_pay_sumamt: Decimal
    orig_cleared_in: str = ""  # a refund record or re-settlement: the clearing that cleared its original


def line_of(e: Entry, setlym: str) -> str:
    if e.orig_cleared_in:
        return ADJUSTMENT
    if e.setlym < setlym:
        return LATE
    return SETTLEMENT if e.kind == "settle" else REFUND


@dataclass(frozen=True, slots=True)
class Line:
    line_type: str
    count: int
    medfee_sumamt: Decimal
    fund_pay_sumamt: Decimal


@dataclass(frozen=True, slots=True)
class Statement:
    setlym: str
    treatment: str  # mdtrtarea_admdvs: receives
    insured: str  # insuplc_admdvs: pays
    lines: tuple[Line, ...]

    @property
    def fund_pay_sumamt(self) -> Decimal:
        """The amount due: what the insured place pays the treatment place for the month."""
        return sum((line.fund_pay_sumamt for line in self.lines), ZERO)

    @property
    def medfee_sumamt(self) -> Decimal:
        return sum((line.medfee_sumamt for line in self.lines), ZERO)

    @property
    def count(self) -> int:
        return sum(line.count for line in self.lines)


def statement(setlym: str, treatment: str, insured: str, entries: Iterable[Entry]) -> Statement:
    by_line: dict[str, list[Entry]] = {}
    for e in entries:
        if e.setlym > setlym:
            raise ValueError(f"entry {e.setl_id} of {e.setlym} is after the month cleared, {setlym}")
        by_line.setdefault(line_of(e, setlym), []).append(e)
    lines = tuple(
        Line(kind, len(es), sum((e.medfee_sumamt for e in es), ZERO), sum((e.fund_pay_sumamt for e in es), ZERO))
        for kind, es in sorted(by_line.items())
    )
    return Statement(setlym, treatment, insured, lines)


def disagreement(figures: Mapping[str, Decimal]) -> str:
    """ "" when every party's figure is the same; else the figures, in words."""
    if len(set(figures.values())) <= 1:
        return ""
    return "，".join(f"{party} {value:.2f}" for party, value in figures.items())


@dataclass(frozen=True, slots=True)
class Prepayment:
    prepaid: Decimal  # what the insured place has prepaid for this treatment place
    outstanding: Decimal  # fund payments advanced since the last clearing (not cleared yet)
    expected_monthly: Decimal
    required: Decimal  # four months of expected payments

    @property
    def available(self) -> Decimal:
        return self.prepaid - self.outstanding

    @property
    def warning(self) -> bool:
        return self.outstanding > 0 and self.outstanding >= fen(self.prepaid * WARNING_USED)

    @property
    def top_up(self) -> Decimal:
        """What the insured place must add now to cover four months (0 when it is enough)."""
        return max(ZERO, self.required - self.prepaid)


def prepayment(prepaid: Decimal, outstanding: Decimal, cleared_months: Sequence[Decimal]) -> Prepayment:
    """`cleared_months`: the amounts of the pair's clearings, latest first."""
    recent = [max(ZERO, m) for m in cleared_months[:HISTORY_MONTHS]]
    average = fen(sum(recent, ZERO) / len(recent)) if recent else ZERO
    expected = max(average, outstanding)
    return Prepayment(prepaid, outstanding, expected, fen(expected * PREPAY_MONTHS))
