"""Latency budgets for a load run: `INFNO:PERCENTILE:MS`, e.g. `2207:99:50` (p99 of 2207 under 50 ms).

`*` as INFNO applies to every transaction; without any `*` budget, the default is `*:99:1000`
(the national platform's sub-second target), so every transaction always has a budget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

DEFAULT = "*:99:1000"


@dataclass(frozen=True)
class Budget:
    infno: str  # or "*"
    percentile: float  # 0 < p <= 100
    ms: float

    def __str__(self) -> str:
        return f"{self.infno}:{self.percentile:g}:{self.ms:g}"

    @classmethod
    def parse(cls, text: str) -> Budget:
        parts = text.split(":")
        if len(parts) != 3 or not parts[0]:
            raise ValueError(f"budget {text!r} is not INFNO:PERCENTILE:MS (e.g. 2207:99:50)")
        try:
            percentile, ms = float(parts[1]), float(parts[2])
        except ValueError:
            raise ValueError(f"budget {text!r}: PERCENTILE and MS must be numbers") from None
        if not 0 < percentile <= 100 or ms <= 0:
            raise ValueError(f"budget {text!r}: PERCENTILE must be in (0, 100] and MS positive")
        return cls(parts[0], percentile, ms)


def parse_budgets(texts: Iterable[str]) -> list[Budget]:
    budgets = [Budget.parse(t) for t in texts]
    if not any(b.infno == "*" for b in budgets):
        budgets.insert(0, Budget.parse(DEFAULT))
    return budgets


@dataclass(frozen=True)
class Verdict:
    budget: Budget
    name: str  # the measured entry, e.g. "2207 Settle"
    measured_ms: float | None  # None: the transaction never ran

    @property
    def ok(self) -> bool:
        return self.measured_ms is not None and self.measured_ms < self.budget.ms

    def __str__(self) -> str:
        if self.measured_ms is None:
            return f"budget {self.budget}: {self.budget.infno} was never called"
        verdict = "ok" if self.ok else "BREACHED"
        return f"budget {self.budget}: {self.name} p{self.budget.percentile:g} = {self.measured_ms:.0f} ms — {verdict}"


def check(
    budgets: Iterable[Budget], names: Iterable[str], percentile_ms: Callable[[str, float], float]
) -> list[Verdict]:
    """Judge every measured entry against the budgets for its infno (the entry name's first word).

    `percentile_ms(name, p)` gives the measured p-th percentile of an entry in ms. A budget naming an
    infno that no entry has is a breach: a misspelt budget must not pass silently.
    """
    names = list(names)
    verdicts = []
    for budget in budgets:
        matching = [n for n in names if budget.infno == "*" or n.split(" ", 1)[0] == budget.infno]
        if not matching and budget.infno != "*":
            verdicts.append(Verdict(budget, budget.infno, None))
        verdicts += [Verdict(budget, n, percentile_ms(n, budget.percentile)) for n in matching]
    return verdicts
