"""Fund allocation: who pays what of one settlement, step by step, with a trace of every step.

Order (docs/reference/policy.md "Funds paid in one settlement"; seeds 003 art. 19, 23; 004):
1. deductible (起付线): the in-scope amount first consumes what is left of it (per year, or per stay);
2. pooled fund (统筹基金): `ratio` of the rest, up to what is left of its annual cap;
3. large-amount subsidy (职工大额, employees): `ratio` of the in-scope amount left over by the cap;
4. critical-illness insurance (居民大病, residents): on the person's in-scope share above its own deductible;
5. civil-servant subsidy (公务员补助): a share of the person's remaining in-scope amount, for cvlserv_flag 1;
6. medical assistance (医疗救助): a share of what is still left in scope, for hardship groups;
then the person's part is paid from the own personal account, then the family mutual-aid account
(the family holder's balance above the floor), when acct_used_flag = 1; the rest in cash.
Each fund stops at what is left of its yearly cap; nothing is ever negative.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from yibao.domain.benefit_policy import Benefit, FundStack
from yibao.domain.catalogue_split import Split
from yibao.domain.funds import ACCOUNT_INSUTYPES, FUND_NAMES, POOLED_FUND
from yibao.domain.money import ZERO, fen, yuan

LARGE_AMOUNT, CRITICAL_ILLNESS, CIVIL_SERVANT, ASSISTANCE, ACCOUNT = "330100", "390200", "320100", "610100", "310200"


@dataclass(frozen=True, slots=True)
class FeeTotals:
    medfee_sumamt: Decimal
    fulamt_ownpay_amt: Decimal
    overlmt_selfpay: Decimal
    preselfpay_amt: Decimal
    inscp_scp_amt: Decimal

    @classmethod
    def of(cls, lines: Iterable[tuple[Decimal, Split]]) -> FeeTotals:
        """Sum (line total, split) pairs."""
        med = ful = over = pre = inscp = ZERO
        for total, s in lines:
            med += total
            ful += s.fulamt_ownpay_amt
            over += s.overlmt_amt
            pre += s.preselfpay_amt
            inscp += s.inscp_scp_amt
        return cls(med, ful, over, pre, inscp)


@dataclass(frozen=True, slots=True)
class Accumulated:
    """The person's totals before this settlement: this year (deductible: this stay when per_stay)."""

    deductible_paid: Decimal = ZERO
    fund_paid: Decimal = ZERO
    large_paid: Decimal = ZERO
    ci_deductible_paid: Decimal = ZERO
    ci_paid: Decimal = ZERO
    assistance_paid: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class PersonFacts:
    insutype: str
    cvlserv_flag: str = "0"
    idet_types: frozenset[str] = frozenset()
    use_account: bool = False
    own_balance: Decimal = ZERO
    family_available: Decimal = ZERO  # the family holder's balance above the floor; 0 when no family account


@dataclass(frozen=True, slots=True)
class FundLine:
    fund_pay_type: str
    inscp_scp_amt: Decimal
    crt_payb_lmt_amt: Decimal
    fund_payamt: Decimal
    setl_proc_info: str

    @property
    def fund_pay_type_name(self) -> str:
        return FUND_NAMES[self.fund_pay_type]


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the trace (mirrors yibao.v1.TraceStep)."""

    step: str
    fund_pay_type: str
    base: Decimal
    deductible: Decimal | None
    ratio: Decimal | None
    cap: Decimal | None
    before: Decimal
    amount: Decimal
    rule: str

    @property
    def after(self) -> Decimal:
        return self.before + self.amount


@dataclass(frozen=True, slots=True)
class Settlement:
    totals: FeeTotals
    act_pay_dedc: Decimal
    hifp_pay: Decimal
    pool_prop_selfpay: Decimal
    hifob_pay: Decimal
    hifmi_pay: Decimal
    cvlserv_pay: Decimal
    maf_pay: Decimal
    fund_pay_sumamt: Decimal
    psn_part_amt: Decimal
    acct_pay: Decimal  # own account + family mutual-aid account
    acct_mulaid_pay: Decimal  # of which from the family account
    psn_cash_pay: Decimal
    balc: Decimal  # own account balance after this settlement
    funds: tuple[FundLine, ...]
    steps: tuple[Step, ...] = field(default=())

    def check_balances(self) -> None:
        """The identities every settlement must satisfy to the fen; AssertionError otherwise
        (raised explicitly, so it holds under `python -O` too)."""
        t = self.totals
        parts = t.fulamt_ownpay_amt + t.overlmt_selfpay + t.preselfpay_amt + t.inscp_scp_amt
        fund_parts = self.hifp_pay + self.hifob_pay + self.hifmi_pay + self.cvlserv_pay + self.maf_pay
        checks = (
            ("medfee = split parts", t.medfee_sumamt == parts),
            ("medfee = fund + person", t.medfee_sumamt == self.fund_pay_sumamt + self.psn_part_amt),
            ("person = account + cash", self.psn_part_amt == self.acct_pay + self.psn_cash_pay),
            ("fund = Σ setldetail", self.fund_pay_sumamt == sum((f.fund_payamt for f in self.funds), ZERO)),
            ("fund = Σ fund fields", self.fund_pay_sumamt == fund_parts),
            ("family ≤ account", self.acct_mulaid_pay <= self.acct_pay),
            ("no negative payment", min(self.acct_pay, self.psn_cash_pay, self.balc, fund_parts) >= ZERO),
        )
        broken = [name for name, ok in checks if not ok]
        if broken:
            raise AssertionError(f"settlement does not balance: {', '.join(broken)}: {self}")


@dataclass(frozen=True, slots=True)
class Paid:
    """What one step of the stack decided: the amount it pays (or counts, for a deductible), its lines of the
    trace, and its setldetail row when it has one."""

    amount: Decimal = ZERO
    steps: tuple[Step, ...] = ()
    lines: tuple[FundLine, ...] = ()


NOTHING = Paid()


@dataclass(frozen=True, slots=True)
class AccountPay:
    """What the accounts pay of the person's part: the own account, then the family mutual-aid account."""

    own: Decimal = ZERO
    family: Decimal = ZERO
    steps: tuple[Step, ...] = ()


def allocate(
    totals: FeeTotals, benefit: Benefit | None, stack: FundStack, person: PersonFacts, acc: Accumulated
) -> Settlement:
    """Who pays what of `totals`, in the order of the module's docstring. `benefit` None means no fund pays (e.g.
    cross-region general outpatient without a filing): the person's part is the whole bill."""
    inscp = totals.inscp_scp_amt
    paid: list[Paid] = []
    act_pay_dedc = hifp = hifob = hifmi = cvlserv = maf = ZERO
    ratio = ZERO
    if benefit is not None:
        ratio = benefit.ratio
        dedc = pay_deductible(inscp, benefit, acc)
        pooled, over_cap = pay_pooled_fund(inscp, dedc.amount, benefit, person.insutype, acc)
        large = pay_large_amount(over_cap, stack, person.insutype, acc)
        ci = pay_critical_illness(inscp - pooled.amount, stack, person.insutype, acc)
        remaining = inscp - pooled.amount - large.amount - ci.amount
        cs = pay_civil_servant(remaining, stack, person.cvlserv_flag)
        ma = pay_assistance(remaining - cs.amount, stack, person.idet_types, acc)
        paid = [dedc, pooled, large, ci, cs, ma]
        act_pay_dedc, hifp, hifob, hifmi, cvlserv, maf = (p.amount for p in paid)
    fund_pay_sumamt = hifp + hifob + hifmi + cvlserv + maf
    psn_part_amt = totals.medfee_sumamt - fund_pay_sumamt
    accounts = pay_from_accounts(psn_part_amt, person)
    return Settlement(
        totals=totals,
        act_pay_dedc=act_pay_dedc,
        hifp_pay=hifp,
        pool_prop_selfpay=ratio,
        hifob_pay=hifob,
        hifmi_pay=hifmi,
        cvlserv_pay=cvlserv,
        maf_pay=maf,
        fund_pay_sumamt=fund_pay_sumamt,
        psn_part_amt=psn_part_amt,
        acct_pay=accounts.own + accounts.family,
        acct_mulaid_pay=accounts.family,
        psn_cash_pay=psn_part_amt - accounts.own - accounts.family,
        balc=person.own_balance - accounts.own,
        funds=tuple(line for p in paid for line in p.lines),
        steps=tuple(step for p in paid for step in p.steps) + accounts.steps,
    )


def pay_deductible(inscp: Decimal, benefit: Benefit, acc: Accumulated) -> Paid:
    """Step 1, the deductible (起付线, 003 art. 19): the in-scope amount first consumes what is left of it this year
    (this stay when the standard is per stay); the fund pays nothing of that part. The amount is act_pay_dedc."""
    act_pay_dedc = min(inscp, max(ZERO, benefit.deductible - acc.deductible_paid))
    scope = "本次住院" if benefit.per_stay else "年度"
    rule = f"起付线 {yuan(benefit.deductible)}（{scope}已付 {yuan(acc.deductible_paid)}）"
    step = Step("deductible", "", inscp, benefit.deductible, None, None, acc.deductible_paid, act_pay_dedc, rule)
    return Paid(act_pay_dedc, (step,))


def pay_pooled_fund(
    inscp: Decimal, act_pay_dedc: Decimal, benefit: Benefit, insutype: str, acc: Accumulated
) -> tuple[Paid, Decimal]:
    """Step 2, the pooled fund (统筹基金 310100 / 390100, 003 art. 19): `ratio` of the in-scope amount above the
    deductible, rounded to the fen, up to what is left of its annual cap. Its setldetail row is always there.
    Also returns the in-scope amount the cap left uncovered (what the ratio would have needed beyond the cap,
    the base of the large-amount subsidy); 0 when the cap was not reached."""
    ratio = benefit.ratio
    eligible = inscp - act_pay_dedc
    by_ratio = fen(eligible * ratio)
    cap_left = max(ZERO, benefit.annual_cap - acc.fund_paid)
    hifp = min(by_ratio, cap_left)
    over_cap = eligible - fen(hifp / ratio) if ratio and by_ratio > cap_left else ZERO
    pooled = benefit.fund or POOLED_FUND[insutype]
    info = (
        f"{yuan(eligible)} × {ratio} = {yuan(by_ratio)}；年度限额 {yuan(benefit.annual_cap)} "
        f"已付 {yuan(acc.fund_paid)} 可付 {yuan(cap_left)}；{benefit.basis}"
    )
    step = Step("pooled", pooled, eligible, None, ratio, benefit.annual_cap, acc.fund_paid, hifp, info)
    line = FundLine(pooled, inscp, cap_left, hifp, f"支付 {yuan(hifp)}：{info}")
    return Paid(hifp, (step,), (line,)), over_cap


def pay_large_amount(over_cap: Decimal, stack: FundStack, insutype: str, acc: Accumulated) -> Paid:
    """Step 3, the large-amount subsidy (职工大额 330100, employees only, 004): `ratio` of the in-scope amount the
    pooled fund's cap left uncovered, up to what is left of its own annual cap. Nothing when the cap was not
    reached or the region has no such subsidy."""
    la = stack.large_amount
    if la is None or insutype != "310" or over_cap <= 0:
        return NOTHING
    left = max(ZERO, la.annual_cap - acc.large_paid)
    hifob = min(fen(over_cap * la.ratio), left)
    info = f"统筹限额以上 {yuan(over_cap)} × {la.ratio}，年度限额 {yuan(la.annual_cap)} 已付 {yuan(acc.large_paid)}"
    step = Step("large_amount", LARGE_AMOUNT, over_cap, None, la.ratio, la.annual_cap, acc.large_paid, hifob, info)
    return Paid(hifob, (step,), (FundLine(LARGE_AMOUNT, over_cap, left, hifob, f"支付 {yuan(hifob)}：{info}"),))


def pay_critical_illness(share: Decimal, stack: FundStack, insutype: str, acc: Accumulated) -> Paid:
    """Step 4, critical-illness insurance (居民大病 390200, residents only, 004): `share` is the person's in-scope
    share after the pooled fund; it first consumes what is left of the insurance's own yearly deductible, then
    `ratio` of the rest is paid, up to what is left of its annual cap. Two trace steps (its deductible, then the
    payment); a setldetail row only when it paid something."""
    ci = stack.critical_illness
    if ci is None or insutype != "390":
        return NOTHING
    ci_dedc = min(share, max(ZERO, ci.deductible - acc.ci_deductible_paid))
    base = share - ci_dedc
    left = max(ZERO, ci.annual_cap - acc.ci_paid)
    hifmi = min(fen(base * ci.ratio), left)
    info = (
        f"个人政策范围内 {yuan(share)}，大病起付线 {yuan(ci.deductible)}（已付 {yuan(acc.ci_deductible_paid)}，"
        f"本次 {yuan(ci_dedc)}）；{yuan(base)} × {ci.ratio}；年度限额 {yuan(ci.annual_cap)}"
    )
    steps = (
        Step("critical_illness_deductible", "", share, ci.deductible, None, None, acc.ci_deductible_paid, ci_dedc,
             "大病保险起付线"),
        Step("critical_illness", CRITICAL_ILLNESS, base, ci.deductible, ci.ratio, ci.annual_cap, acc.ci_paid, hifmi,
             info),
    )  # fmt: skip
    # setldetail lists the funds that paid (the pooled fund's row is always there)
    lines = (FundLine(CRITICAL_ILLNESS, share, left, hifmi, f"支付 {yuan(hifmi)}：{info}"),) if hifmi > 0 else ()
    return Paid(hifmi, steps, lines)


def pay_civil_servant(remaining: Decimal, stack: FundStack, cvlserv_flag: str) -> Paid:
    """Step 5, the civil-servant subsidy (公务员补助 320100, cvlserv_flag 1): `ratio` of the person's in-scope amount
    still left after the pooled fund, the large-amount subsidy and critical-illness insurance; no annual cap."""
    cs = stack.civil_servant
    if cs is None or cvlserv_flag != "1" or remaining <= 0:
        return NOTHING
    cvlserv = fen(remaining * cs.ratio)
    info = f"个人剩余政策范围内 {yuan(remaining)} × {cs.ratio}"
    step = Step("civil_servant", CIVIL_SERVANT, remaining, None, cs.ratio, None, ZERO, cvlserv, info)
    return Paid(
        cvlserv, (step,), (FundLine(CIVIL_SERVANT, remaining, remaining, cvlserv, f"支付 {yuan(cvlserv)}：{info}"),)
    )


def pay_assistance(remaining: Decimal, stack: FundStack, idet_types: frozenset[str], acc: Accumulated) -> Paid:
    """Step 6, medical assistance (医疗救助 610100), for a person of a hardship group the region lists (idetinfo):
    `ratio` of the in-scope amount still left after every fund before it, up to what is left of its annual cap."""
    ma = stack.assistance
    hardship = sorted(idet_types & set(ma.idet_types)) if ma is not None else []
    if ma is None or not hardship or remaining <= 0:
        return NOTHING
    left = max(ZERO, ma.annual_cap - acc.assistance_paid)
    maf = min(fen(remaining * ma.ratio), left)
    info = (
        f"困难人员（{','.join(hardship)}）剩余政策范围内 {yuan(remaining)} × {ma.ratio}，"
        f"年度限额 {yuan(ma.annual_cap)} 已付 {yuan(acc.assistance_paid)}"
    )
    step = Step("assistance", ASSISTANCE, remaining, None, ma.ratio, ma.annual_cap, acc.assistance_paid, maf, info)
    return Paid(maf, (step,), (FundLine(ASSISTANCE, remaining, left, maf, f"支付 {yuan(maf)}：{info}"),))


def pay_from_accounts(psn_part_amt: Decimal, person: PersonFacts) -> AccountPay:
    """Then the person's part (acct_used_flag 1 only, 003 art. 23): the own personal account first (employees,
    310, are the only ones with one), never below zero; then the family mutual-aid account (家庭共济), up to the
    family holder's balance above the floor, for family members of any insurance. The rest is cash."""
    if not person.use_account:
        return AccountPay()
    own, steps = ZERO, []
    if person.insutype in ACCOUNT_INSUTYPES:
        own = min(psn_part_amt, max(ZERO, person.own_balance))
        rule = f"个人账户余额 {yuan(person.own_balance)} 先付"
        steps.append(Step("account", ACCOUNT, psn_part_amt, None, None, None, person.own_balance, -own, rule))
    fam = min(psn_part_amt - own, max(ZERO, person.family_available))
    if person.family_available:
        rule = f"家庭共济账户可用 {yuan(person.family_available)}"
        steps.append(Step("family_account", ACCOUNT, psn_part_amt - own, None, None, None, person.family_available,
                          -fam, rule))  # fmt: skip
    return AccountPay(own, fam, tuple(steps))
