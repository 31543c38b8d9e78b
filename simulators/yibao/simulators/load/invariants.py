"""Business invariants a load run checks on what the platform answered: every settlement balances,
and nothing is paid twice. Cheap enough to run on every reply; mergeable across load processes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from yibao.v1.settlement_pb2 import SetlInfo

MAX_EXAMPLES = 20  # problems kept verbatim; the rest are counted


def balance_problems(info: SetlInfo, billed: Decimal | None = None) -> list[str]:
    """medfee_sumamt = fund_pay_sumamt + psn_part_amt and psn_part_amt = acct_pay + psn_cash_pay."""
    try:
        medfee, fund, person = (Decimal(info.medfee_sumamt), Decimal(info.fund_pay_sumamt), Decimal(info.psn_part_amt))
        acct, cash = Decimal(info.acct_pay), Decimal(info.psn_cash_pay)
    except InvalidOperation:
        return [f"{info.setl_id}: an amount is not a decimal"]
    problems = []
    if billed is not None and medfee != billed:
        problems.append(f"{info.setl_id}: medfee_sumamt {medfee} ≠ billed {billed}")
    if medfee != fund + person:
        problems.append(f"{info.setl_id}: medfee_sumamt {medfee} ≠ fund_pay_sumamt {fund} + psn_part_amt {person}")
    if person != acct + cash:
        problems.append(f"{info.setl_id}: psn_part_amt {person} ≠ acct_pay {acct} + psn_cash_pay {cash}")
    return problems


@dataclass
class Ledger:
    """Settlements seen by one load process (or merged from several).

    A Locust worker forwards what it saw (`forwarding`) and leaves the duplicate check to the
    master, which sees every worker's settlements.
    """

    forwarding: bool = False
    settlements: int = 0
    # setl_id -> mdtrt_id/chrg_bchno: a setl_id seen twice, or a batch settled twice, was paid twice
    paid: dict[str, str] = field(default_factory=dict)
    batches: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    _unsent: list[tuple[str, str, bool]] = field(default_factory=list)

    def settled(self, setl_id: str, batch: str, problems: Iterable[str] = (), *, cancels: bool = False) -> None:
        """Record one settlement; `batch` names what it paid for (mdtrt_id, plus chrg_bchno outpatient).
        With `cancels`, `setl_id` is a refund record (2208, 2305, 2103, 2601, Y2208) giving `batch` back: it may
        be settled again afterwards."""
        if self.forwarding:
            self._unsent.append((setl_id, batch, cancels))
        else:
            self._add(setl_id, batch, cancels)
        for problem in problems:
            self.problem(problem)

    def problem(self, text: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_EXAMPLES:
            self.problems.append(text)

    def _add(self, setl_id: str, batch: str, cancels: bool = False) -> None:
        self.settlements += 1
        if setl_id in self.paid:
            self.problem(f"setl_id {setl_id} returned twice (for {self.paid[setl_id]} and {batch})")
        self.paid[setl_id] = batch
        if cancels:
            if self.batches[batch] < 1:
                self.problem(f"{setl_id} gives back {batch}, which is not settled")
            self.batches[batch] -= 1
            return
        self.batches[batch] += 1
        if self.batches[batch] == 2:
            self.problem(f"{batch} settled twice")

    # -- across processes: workers send what is new, the master merges
    def take_report(self) -> dict[str, Any]:
        sent, self._unsent = self._unsent, []
        problems, self.problems = self.problems, []
        count, self.problem_count = self.problem_count, 0
        return {"paid": sent, "problems": problems, "problem_count": count}

    def merge(self, report: dict[str, Any]) -> None:
        for setl_id, batch, *cancels in report["paid"]:  # (setl_id, batch, cancels); older workers send pairs
            self._add(setl_id, batch, bool(cancels and cancels[0]))
        self.problem_count += report["problem_count"]
        self.problems.extend(report["problems"][: max(0, MAX_EXAMPLES - len(self.problems))])

    def violations(self) -> list[str]:
        if not self.problem_count:
            return []
        more = self.problem_count - len(self.problems)
        return self.problems + ([f"… and {more} more"] if more > 0 else [])
