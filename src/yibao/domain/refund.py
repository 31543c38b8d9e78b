"""Refund maths (退费; docs/reference/policy.md "Refunds", seed 003 art. 26): a settlement's money as it stands, the
recomputation of the person's later settlements when an earlier one is refunded (隔笔退费), and how
the difference is folded into the refund record.

Why recompute: the deductible and the annual caps are consumed in order. Refunding settlement S1
that consumed the deductible means a later S2 should have borne it: S2's fund payment shrinks, and
the fund takes that back out of S1's refund (the person gets back less), so the accumulators end
exactly where they would be had S1 never happened, and S2's setl_id and reply stay as the HIS knows
them. A later settlement that the refund leaves more cap room gets more from the fund instead, and
the person gets that back with the refund.

Every amount here is fen-exact Decimal; nothing does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from yibao.domain.benefit_policy import Benefit, FundStack
from yibao.domain.fund_allocation import Accumulated, FeeTotals, PersonFacts, Settlement, allocate
from yibao.domain.money import ZERO

# The accumulators a settlement reads and moves, by role (the storage key of each role depends on the case).
ROLES = ("dedc", "fund", "large", "ci_dedc", "ci", "assist")
TOTALS = ("medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt")
FUND_FIELDS = ("hifp_pay", "hifob_pay", "hifmi_pay", "cvlserv_pay", "maf_pay")
AMOUNTS = (
    *TOTALS,
    "act_pay_dedc",
    *FUND_FIELDS,
    "fund_pay_sumamt",
    "psn_part_amt",
    "acct_pay",
    "acct_mulaid_pay",
    "psn_cash_pay",
)


@dataclass(frozen=True, slots=True)
class Money:
    """What one settlement (or refund record) amounts to: every AMOUNTS field and the fund rows by fund_pay_type."""

    values: Mapping[str, Decimal]
    funds: Mapping[str, Decimal] = field(default_factory=dict)

    @classmethod
    def of(cls, s: Settlement) -> Money:
        t = s.totals
        values = {
            "medfee_sumamt": t.medfee_sumamt,
            "fulamt_ownpay_amt": t.fulamt_ownpay_amt,
            "overlmt_selfpay": t.overlmt_selfpay,
            "preselfpay_amt": t.preselfpay_amt,
            "inscp_scp_amt": t.inscp_scp_amt,
            "act_pay_dedc": s.act_pay_dedc,
            "hifp_pay": s.hifp_pay,
            "hifob_pay": s.hifob_pay,
            "hifmi_pay": s.hifmi_pay,
            "cvlserv_pay": s.cvlserv_pay,
            "maf_pay": s.maf_pay,
            "fund_pay_sumamt": s.fund_pay_sumamt,
            "psn_part_amt": s.psn_part_amt,
            "acct_pay": s.acct_pay,
            "acct_mulaid_pay": s.acct_mulaid_pay,
            "psn_cash_pay": s.psn_cash_pay,
        }
        funds: dict[str, Decimal] = {}
        for f in s.funds:
            funds[f.fund_pay_type] = funds.get(f.fund_pay_type, ZERO) + f.fund_payamt
        return cls(values, funds)

    def __getitem__(self, name: str) -> Decimal:
        return self.values.get(name, ZERO)

    def __add__(self, other: Money) -> Money:
        return Money(_sum(self.values, other.values), _sum(self.funds, other.funds))

    def __neg__(self) -> Money:
        return Money({k: -v for k, v in self.values.items()}, {k: -v for k, v in self.funds.items()})

    def __sub__(self, other: Money) -> Money:
        return self + -other

    def with_values(self, **values: Decimal) -> Money:
        return replace(self, values={**self.values, **values})

    @property
    def own_account(self) -> Decimal:
        return self["acct_pay"] - self["acct_mulaid_pay"]

    def check(self) -> None:
        """The identities of docs/behaviour.md "Money" (docs/reference/interface.md §5.3), to the fen
        (AssertionError otherwise)."""
        parts = sum((self[n] for n in TOTALS[1:]), ZERO)
        fund_parts = sum((self[n] for n in FUND_FIELDS), ZERO)
        checks = (
            ("medfee = split parts", self["medfee_sumamt"] == parts),
            ("medfee = fund + person", self["medfee_sumamt"] == self["fund_pay_sumamt"] + self["psn_part_amt"]),
            ("person = account + cash", self["psn_part_amt"] == self["acct_pay"] + self["psn_cash_pay"]),
            ("fund = Σ fund rows", self["fund_pay_sumamt"] == sum(self.funds.values(), ZERO)),
            ("fund = Σ fund fields", self["fund_pay_sumamt"] == fund_parts),
        )
        broken = [name for name, ok in checks if not ok]
        if broken:
            raise AssertionError(f"refund does not balance: {', '.join(broken)}: {self}")


def _sum(a: Mapping[str, Decimal], b: Mapping[str, Decimal]) -> dict[str, Decimal]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, ZERO) + v
    return {k: v for k, v in out.items() if v or k in a}


def accumulator_deltas(s: Settlement, keys: Mapping[str, str]) -> dict[str, Decimal]:
    """What a settlement adds to each accumulator (by storage key); zero moves are left out."""
    by_step = {st.step: st.amount for st in s.steps}
    by_role = {
        "dedc": s.act_pay_dedc,
        "fund": s.hifp_pay,
        "large": s.hifob_pay,
        "ci_dedc": by_step.get("critical_illness_deductible", ZERO),
        "ci": s.hifmi_pay,
        "assist": s.maf_pay,
    }
    return {keys[role]: v for role, v in by_role.items() if v}


def accumulated(acc: Mapping[str, Decimal], keys: Mapping[str, str]) -> Accumulated:
    return Accumulated(*(acc.get(keys[role], ZERO) for role in ROLES))


@dataclass(frozen=True, slots=True)
class Later:
    """A later settlement of the person, as stored: enough to compute it again."""

    setl_id: str
    keys: Mapping[str, str]  # role → accumulator key
    totals: FeeTotals
    benefit: Benefit | None
    stack: FundStack
    facts: PersonFacts  # use_account is irrelevant: the account payment made at the counter stays
    moves: Mapping[str, Decimal]  # its accumulator deltas as they stand
    money: Money  # its amounts as they stand


@dataclass(frozen=True, slots=True)
class Replayed:
    later: Later
    settlement: Settlement  # computed again, fund side
    moves: dict[str, Decimal]

    @property
    def take_back(self) -> Decimal:
        """What the fund paid too much (negative: what it now pays more)."""
        return self.later.money["fund_pay_sumamt"] - self.settlement.fund_pay_sumamt


def replay(start: Mapping[str, Decimal], changed: set[str], later: Sequence[Later]) -> list[Replayed]:
    """Compute again, in order, the later settlements that read an accumulator that changed.

    `start`: every accumulator as it would stand just before the first later settlement, had the
    refunded settlement never happened (or been replaced by what is left of it); `changed`: the keys
    that differ from history. A settlement that reads none of the changed keys keeps its figures; one
    that does is computed again with `allocate`, and the keys its new figures move differently join
    `changed` (a deductible shift can push a later settlement past a cap, and so on)."""
    acc = dict(start)
    dirty = set(changed)
    out: list[Replayed] = []
    for s in later:
        if dirty.isdisjoint(s.keys.values()):
            _add(acc, s.moves)
            continue
        new = allocate(s.totals, s.benefit, s.stack, replace(s.facts, use_account=False), accumulated(acc, s.keys))
        moves = accumulator_deltas(new, s.keys)
        dirty |= {k for k in set(moves) | set(s.moves) if moves.get(k, ZERO) != s.moves.get(k, ZERO)}
        _add(acc, moves)
        if moves != dict(s.moves) or _fund_side(Money.of(new)) != _fund_side(s.money):
            out.append(Replayed(s, new, moves))
    return out


def _add(acc: dict[str, Decimal], moves: Mapping[str, Decimal]) -> None:
    for k, v in moves.items():
        acc[k] = acc.get(k, ZERO) + v


def _fund_side(m: Money) -> tuple[object, ...]:
    return (m["act_pay_dedc"], *(m[n] for n in FUND_FIELDS), tuple(sorted((k, v) for k, v in m.funds.items() if v)))


@dataclass(frozen=True, slots=True)
class Adjustment:
    """How one later settlement changes: its new amounts and what its payer channels take over."""

    setl_id: str
    money: Money  # its amounts after the refund
    moves: dict[str, Decimal]  # its accumulator deltas after the refund
    own: Decimal  # more paid from the person's own account (negative: paid back into it)
    family: Decimal  # more paid from the family account


@dataclass(frozen=True, slots=True)
class Fold:
    record: Money  # the refund record: negative amounts
    own_back: Decimal  # what goes back into the person's own account
    family_back: Decimal  # what goes back into the family holder's account
    adjustments: tuple[Adjustment, ...]


def fold(refunded: Money, replayed: Sequence[Replayed]) -> Fold:
    """The refund record of `refunded` with the later settlements' differences folded in.

    A take-back (the fund paid a later settlement too much) comes out of the person's refund: the
    cash first, then what goes back to the own account, then to the family account; beyond the whole
    refund the person pays the rest in cash (the record's psn_cash_pay turns positive). A later
    settlement the fund now pays more is refunded along the channels that settlement was paid with:
    its cash, then its own account, then the family account. Each later settlement takes over what
    its person part grew (or shrank) by, channel by channel, so refunding it in turn is exact too.
    """
    cash, own, fam = refunded["psn_cash_pay"], refunded.own_account, refunded["acct_mulaid_pay"]
    record = -refunded
    adjustments = []
    for r in replayed:
        old, new = r.later.money, Money.of(r.settlement)
        x = r.take_back
        if x >= 0:
            c = min(x, max(ZERO, cash))
            o = min(x - c, max(ZERO, own))
            f = min(x - c - o, max(ZERO, fam))
            c += x - c - o - f  # beyond the refund: the person pays it in cash
        else:  # the fund now pays more: back along the channels the later settlement was paid with
            y = -x
            c = -min(y, old["psn_cash_pay"])
            o = -min(y + c, old.own_account)
            f = -(y + c + o)
        cash, own, fam = cash - c, own - o, fam - f
        fund_delta = Money(
            {n: new[n] - old[n] for n in ("act_pay_dedc", *FUND_FIELDS, "fund_pay_sumamt")},
            _sum(new.funds, {k: -v for k, v in old.funds.items()}),
        )
        record = record + fund_delta  # the fund's take-back (negative delta) comes back with the refund
        adjusted = (old + fund_delta).with_values(
            psn_part_amt=old["psn_part_amt"] + x,
            psn_cash_pay=old["psn_cash_pay"] + c,
            acct_pay=old["acct_pay"] + o + f,
            acct_mulaid_pay=old["acct_mulaid_pay"] + f,
        )
        adjusted.check()
        adjustments.append(Adjustment(r.later.setl_id, _clean(adjusted), r.moves, o, f))
    record = record.with_values(
        psn_part_amt=-(cash + own + fam), psn_cash_pay=-cash, acct_pay=-(own + fam), acct_mulaid_pay=-fam
    )
    record = _clean(record)
    record.check()
    return Fold(record, own, fam, tuple(adjustments))


def _clean(m: Money) -> Money:
    """Drop fund rows that came to nothing."""
    return Money(dict(m.values), {k: v for k, v in m.funds.items() if v})
