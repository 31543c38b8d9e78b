"""The run's ledger of receipts and the business invariants checked over all of them when it ends:
nothing paid twice, every settlement balances, cancellations mirror what they cancel, and the fund
totals add up across all receipts."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from yibao.simulators.his.receipt import Receipt, check_receipt, check_reversal

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class Totals:
    receipts: int
    medfee: Decimal
    fund: Decimal
    psn_part: Decimal


class Ledger:
    """Every settlement and cancellation receipt of the run, in the order each desk issued them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.receipts: list[Receipt] = []
        # what the desks kept that is no settlement: paid claims (claim_round.ClaimPaid) and family transfers
        # (family_round.FamilyMoved), for the closing's checks
        self.notes: list[object] = []

    def add(self, receipts: Iterable[object]) -> None:
        with self._lock:
            for r in receipts:
                (self.receipts if isinstance(r, Receipt) else self.notes).append(r)  # type: ignore[arg-type]

    def totals(self) -> Totals:
        rs = self.receipts
        return Totals(
            len(rs),
            sum((r.medfee_sumamt for r in rs), ZERO),
            sum((r.fund_pay_sumamt for r in rs), ZERO),
            sum((r.psn_part_amt for r in rs), ZERO),
        )

    def checks(self) -> list[Check]:
        return [self._distinct(), self._paid_once(), self._balanced(), self._mirrored(), self._fund_totals()]

    def _distinct(self) -> Check:
        ids = Counter(r.setl_id for r in self.receipts)
        twice = sorted(i for i, n in ids.items() if n > 1)
        detail = f"{len(self.receipts)} receipts, {len(ids)} distinct setl_ids"
        problems = [f"repeated {i}" for i in twice]
        return Check("nothing paid twice: distinct setl_ids", not twice, _with(detail, problems))

    def _paid_once(self) -> Check:
        """Each billed item is covered by at most one settlement in force; each cancellation cancels a
        settlement of the run once."""
        in_force: dict[tuple[str, str], str] = {}  # (mdtrt_id, feedetl_sn) -> setl_id
        covers: dict[str, list[tuple[str, str]]] = {}
        cancelled: set[str] = set()
        problems = []
        for r in self.receipts:
            if r.reverses:
                if r.reverses not in covers or r.reverses in cancelled:
                    problems.append(f"{r.setl_id} cancels {r.reverses}, which is not a settlement in force")
                cancelled.add(r.reverses)
                for key in covers.get(r.reverses, []):
                    in_force.pop(key, None)
                continue
            keys = [(r.mdtrt_id, i.feedetl_sn) for i in r.items]
            for key in keys:
                if key in in_force:
                    problems.append(f"item {key[1]} of {key[0]} settled by {in_force[key]} and {r.setl_id}")
                in_force[key] = r.setl_id
            covers[r.setl_id] = keys
        items = sum(len(v) for v in covers.values())
        detail = f"{items} items in {len(covers)} settlements, {len(cancelled)} cancelled"
        return Check("nothing paid twice: each item settled once", not problems, _with(detail, problems))

    def _balanced(self) -> Check:
        problems = [f"{r.setl_id}: {p}" for r in self.receipts for p in check_receipt(r)]
        detail = "medfee = fund + person, person = account + cash, setldetail Σ = fund, split Σ = medfee"
        return Check("each settlement's identities hold", not problems, _with(detail, problems))

    def _mirrored(self) -> Check:
        """Each cancellation against its settlement: every amount negated when nothing of the person was
        settled or cancelled in between, else the bill negated (receipt.check_reversal)."""
        by_id: dict[str, tuple[int, Receipt]] = {}
        last_of: dict[str, int] = {}  # psn_no -> position of their latest receipt
        problems, exact, earlier = [], 0, 0
        for n, r in enumerate(self.receipts):
            if r.reverses in by_id:
                at, orig = by_id[r.reverses]
                latest = last_of.get(r.psn_no) == at
                exact, earlier = exact + latest, earlier + (not latest)
                problems += [f"{r.setl_id}: {p}" for p in check_reversal(orig, r, latest=latest)]
            elif not r.reverses:
                by_id[r.setl_id] = (n, r)
            last_of[r.psn_no] = n
        detail = (
            f"{exact} cancellations of the latest settlement mirror it, {earlier} of an earlier one give the bill back"
        )
        return Check("cancellations give back what was paid", not problems, _with(detail, problems))

    def _fund_totals(self) -> Check:
        rs, t = self.receipts, self.totals()
        acct = sum((r.acct_pay for r in rs), ZERO)
        cash = sum((r.psn_cash_pay for r in rs), ZERO)
        rows: Counter[str] = Counter()
        for r in rs:
            for f in r.setldetail:
                rows[f.fund_pay_type] += f.fund_payamt  # type: ignore[assignment]
        rows_total = sum(rows.values(), ZERO)
        problems = []
        if t.medfee != t.fund + t.psn_part:
            problems.append(f"Σ medfee {t.medfee} ≠ Σ fund {t.fund} + Σ person {t.psn_part}")
        if t.psn_part != acct + cash:
            problems.append(f"Σ person {t.psn_part} ≠ Σ account {acct} + Σ cash {cash}")
        if rows_total != t.fund:
            problems.append(f"Σ setldetail {rows_total} ≠ Σ fund_pay_sumamt {t.fund}")
        funds = ", ".join(f"{k} {v:.2f}" for k, v in sorted(rows.items()))
        detail = (f"Σ medfee {t.medfee:.2f} = fund {t.fund:.2f} + person {t.psn_part:.2f} (account {acct:.2f}, "
                  f"cash {cash:.2f}); by fund: {funds or 'none'}")  # fmt: skip
        return Check("fund totals add up across all receipts", not problems, _with(detail, problems))


def _with(detail: str, problems: list[str]) -> str:
    if not problems:
        return detail
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"{detail}; " + "; ".join(problems[:3]) + more
