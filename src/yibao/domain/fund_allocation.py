"""Fund allocation: who pays what of one settlement, step by step, with a trace of every step.

Order (policy.md "Funds paid in one settlement"; seeds 003 art. 19, 23; 004):
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


def allocate(
    totals: FeeTotals, benefit: Benefit | None, stack: FundStack, person: PersonFacts, acc: Accumulated
) -> Settlement:
    """`benefit` None means no fund pays (e.g. cross-region general outpatient without a filing)."""
    steps: list[Step] = []
    lines: list[FundLine] = []
    inscp = totals.inscp_scp_amt
    act_pay_dedc = hifp = hifob = hifmi = cvlserv = maf = ZERO
    ratio = ZERO
    if benefit is not None:
        ratio = benefit.ratio
        dedc_left = max(ZERO, benefit.deductible - acc.deductible_paid)
        act_pay_dedc = min(inscp, dedc_left)
        scope = "本次住院" if benefit.per_stay else "年度"
        steps.append(
            Step(
                "deductible",
                "",
                inscp,
                benefit.deductible,
                None,
                None,
                acc.deductible_paid,
                act_pay_dedc,
                f"起付线 {yuan(benefit.deductible)}（{scope}已付 {yuan(acc.deductible_paid)}）",
            )
        )
        eligible = inscp - act_pay_dedc
        by_ratio = fen(eligible * ratio)
        cap_left = max(ZERO, benefit.annual_cap - acc.fund_paid)
        hifp = min(by_ratio, cap_left)
        # The in-scope amount the cap left uncovered: what the pooled ratio would have needed beyond the cap.
        over_cap = eligible - fen(hifp / ratio) if ratio and by_ratio > cap_left else ZERO
        pooled = POOLED_FUND[person.insutype]
        info = (
            f"{yuan(eligible)} × {ratio} = {yuan(by_ratio)}；年度限额 {yuan(benefit.annual_cap)} "
            f"已付 {yuan(acc.fund_paid)} 可付 {yuan(cap_left)}；{benefit.basis}"
        )
        steps.append(Step("pooled", pooled, eligible, None, ratio, benefit.annual_cap, acc.fund_paid, hifp, info))
        lines.append(FundLine(pooled, inscp, cap_left, hifp, f"支付 {yuan(hifp)}：{info}"))

        la = stack.large_amount
        if la is not None and person.insutype == "310" and over_cap > 0:
            left = max(ZERO, la.annual_cap - acc.large_paid)
            hifob = min(fen(over_cap * la.ratio), left)
            info = (
                f"统筹限额以上 {yuan(over_cap)} × {la.ratio}，"
                f"年度限额 {yuan(la.annual_cap)} 已付 {yuan(acc.large_paid)}"
            )
            steps.append(
                Step("large_amount", LARGE_AMOUNT, over_cap, None, la.ratio, la.annual_cap, acc.large_paid, hifob, info)
            )
            lines.append(FundLine(LARGE_AMOUNT, over_cap, left, hifob, f"支付 {yuan(hifob)}：{info}"))

        ci = stack.critical_illness
        if ci is not None and person.insutype == "390":
            share = inscp - hifp  # the person's in-scope share after the pooled fund
            ci_dedc = min(share, max(ZERO, ci.deductible - acc.ci_deductible_paid))
            base = share - ci_dedc
            left = max(ZERO, ci.annual_cap - acc.ci_paid)
            hifmi = min(fen(base * ci.ratio), left)
            info = (
                f"个人政策范围内 {yuan(share)}，大病起付线 {yuan(ci.deductible)}（已付 {yuan(acc.ci_deductible_paid)}，"
                f"本次 {yuan(ci_dedc)}）；{yuan(base)} × {ci.ratio}；年度限额 {yuan(ci.annual_cap)}"
            )
            steps.append(
                Step(
                    "critical_illness_deductible",
                    "",
                    share,
                    ci.deductible,
                    None,
                    None,
                    acc.ci_deductible_paid,
                    ci_dedc,
                    "大病保险起付线",
                )
            )
            steps.append(
                Step(
                    "critical_illness",
                    CRITICAL_ILLNESS,
                    base,
                    ci.deductible,
                    ci.ratio,
                    ci.annual_cap,
                    acc.ci_paid,
                    hifmi,
                    info,
                )
            )
            if hifmi > 0:  # setldetail lists the funds that paid (the pooled fund's row is always there)
                lines.append(FundLine(CRITICAL_ILLNESS, share, left, hifmi, f"支付 {yuan(hifmi)}：{info}"))

        cs = stack.civil_servant
        remaining = inscp - hifp - hifob - hifmi
        if cs is not None and person.cvlserv_flag == "1" and remaining > 0:
            cvlserv = fen(remaining * cs.ratio)
            info = f"个人剩余政策范围内 {yuan(remaining)} × {cs.ratio}"
            steps.append(Step("civil_servant", CIVIL_SERVANT, remaining, None, cs.ratio, None, ZERO, cvlserv, info))
            lines.append(FundLine(CIVIL_SERVANT, remaining, remaining, cvlserv, f"支付 {yuan(cvlserv)}：{info}"))
            remaining -= cvlserv

        ma = stack.assistance
        hardship = sorted(person.idet_types & set(ma.idet_types)) if ma is not None else []
        if ma is not None and hardship and remaining > 0:
            left = max(ZERO, ma.annual_cap - acc.assistance_paid)
            maf = min(fen(remaining * ma.ratio), left)
            info = (
                f"困难人员（{','.join(hardship)}）剩余政策范围内 {yuan(remaining)} × {ma.ratio}，"
                f"年度限额 {yuan(ma.annual_cap)} 已付 {yuan(acc.assistance_paid)}"
            )
            steps.append(
                Step("assistance", ASSISTANCE, remaining, None, ma.ratio, ma.annual_cap, acc.assistance_paid, maf, info)
            )
            lines.append(FundLine(ASSISTANCE, remaining, left, maf, f"支付 {yuan(maf)}：{info}"))

    fund_pay_sumamt = hifp + hifob + hifmi + cvlserv + maf
    psn_part_amt = totals.medfee_sumamt - fund_pay_sumamt
    own = fam = ZERO
    if person.use_account:
        # Only employees (310) have an own account; family members of any insurance may use the family account.
        if person.insutype in ACCOUNT_INSUTYPES:
            own = min(psn_part_amt, max(ZERO, person.own_balance))
            rule = f"个人账户余额 {yuan(person.own_balance)} 先付"
            steps.append(Step("account", ACCOUNT, psn_part_amt, None, None, None, person.own_balance, -own, rule))
        fam = min(psn_part_amt - own, max(ZERO, person.family_available))
        if person.family_available:
            rule = f"家庭共济账户可用 {yuan(person.family_available)}"
            steps.append(Step("family_account", ACCOUNT, psn_part_amt - own, None, None, None,
                              person.family_available, -fam, rule))  # fmt: skip
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
        acct_pay=own + fam,
        acct_mulaid_pay=fam,
        psn_cash_pay=psn_part_amt - own - fam,
        balc=person.own_balance - own,
        funds=tuple(lines),
        steps=tuple(steps),
    )
