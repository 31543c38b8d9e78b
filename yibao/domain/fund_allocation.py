"""Fund allocation: who pays what of one settlement, from the split totals, the insured place's
benefit rule, the person's yearly accumulators and personal account.

Order (policy.md, "Which rules apply"): the in-scope amount first consumes what is left of the
yearly deductible (起付线); the pooled fund pays `ratio` of the rest, up to what is left of the
annual cap (最高支付限额); everything else is the person's part, paid from the personal account
when asked (acct_used_flag = 1) and the balance allows, the remainder in cash.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from yibao.domain.benefit_policy import BenefitRule
from yibao.domain.catalogue_split import Split
from yibao.domain.funds import ACCOUNT_INSUTYPES, FUND_NAMES, POOLED_FUND
from yibao.domain.money import ZERO, fen, yuan


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
    """The person's totals this year in the rule's accum_group, before this settlement."""

    deductible_paid: Decimal = ZERO
    fund_paid: Decimal = ZERO


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
class Settlement:
    totals: FeeTotals
    act_pay_dedc: Decimal
    hifp_pay: Decimal
    pool_prop_selfpay: Decimal
    fund_pay_sumamt: Decimal
    psn_part_amt: Decimal
    acct_pay: Decimal
    psn_cash_pay: Decimal
    balc: Decimal  # account balance after this settlement
    funds: tuple[FundLine, ...]

    def check_balances(self) -> None:
        """The identities every settlement must satisfy to the fen; AssertionError otherwise
        (raised explicitly, so it holds under `python -O` too)."""
        t = self.totals
        broken = [
            name
            for name, ok in (
                (
                    "medfee = split parts",
                    t.medfee_sumamt == t.fulamt_ownpay_amt + t.overlmt_selfpay + t.preselfpay_amt + t.inscp_scp_amt,
                ),
                ("medfee = fund + person", t.medfee_sumamt == self.fund_pay_sumamt + self.psn_part_amt),
                ("person = account + cash", self.psn_part_amt == self.acct_pay + self.psn_cash_pay),
                ("fund = Σ setldetail", self.fund_pay_sumamt == sum((f.fund_payamt for f in self.funds), ZERO)),
                ("no negative payment", min(self.acct_pay, self.psn_cash_pay, self.balc, self.hifp_pay) >= ZERO),
            )
            if not ok
        ]
        if broken:
            raise AssertionError(f"settlement does not balance: {', '.join(broken)}: {self}")


def allocate(
    totals: FeeTotals,
    rule: BenefitRule,
    accumulated: Accumulated,
    account_balance: Decimal,
    use_account: bool,
) -> Settlement:
    dedc_left = max(ZERO, rule.deductible - accumulated.deductible_paid)
    act_pay_dedc = min(totals.inscp_scp_amt, dedc_left)
    above_dedc = totals.inscp_scp_amt - act_pay_dedc
    by_ratio = fen(above_dedc * rule.ratio)
    cap_left = max(ZERO, rule.annual_cap - accumulated.fund_paid)
    hifp_pay = min(by_ratio, cap_left)

    pooled = POOLED_FUND[rule.insutype]
    info = (
        f"起付线 {yuan(rule.deductible)}（年内已付 {yuan(accumulated.deductible_paid)}，本次 {yuan(act_pay_dedc)}）；"
        f"{yuan(above_dedc)} × {rule.ratio:.2f} = {yuan(by_ratio)}；"
        f"年度限额 {yuan(rule.annual_cap)}（已付 {yuan(accumulated.fund_paid)}，可付 {yuan(cap_left)}）；"
        f"支付 {yuan(hifp_pay)}"
    )
    funds = (FundLine(pooled, totals.inscp_scp_amt, cap_left, hifp_pay, info),)

    fund_pay_sumamt = hifp_pay
    psn_part_amt = totals.medfee_sumamt - fund_pay_sumamt
    has_account = rule.insutype in ACCOUNT_INSUTYPES
    acct_pay = min(psn_part_amt, max(ZERO, account_balance)) if use_account and has_account else ZERO
    return Settlement(
        totals=totals,
        act_pay_dedc=act_pay_dedc,
        hifp_pay=hifp_pay,
        pool_prop_selfpay=rule.ratio,
        fund_pay_sumamt=fund_pay_sumamt,
        psn_part_amt=psn_part_amt,
        acct_pay=acct_pay,
        psn_cash_pay=psn_part_amt - acct_pay,
        balc=account_balance - acct_pay,
        funds=funds,
    )
