"""Fund allocation (src/yibao/domain/fund_allocation.py): deductible, ratio, annual cap, personal account.

Unless a test says otherwise the bill is TOTALS = medfee 1000.00 = fulamt 100.00 + overlmt 50.00
+ preselfpay 30.00 + inscp 820.00, and the rule is 310 职工, deductible 200.00, ratio 0.70, cap 3000.00.
"""

import dataclasses
from decimal import Decimal as D

import pytest

from yibao.domain.benefit_policy import BenefitRule, FundStack, home
from yibao.domain.catalogue_split import CatalogueItem, split_item
from yibao.domain.fund_allocation import Accumulated, FeeTotals, PersonFacts, Settlement, allocate

TOTALS = FeeTotals(
    medfee_sumamt=D("1000.00"),
    fulamt_ownpay_amt=D("100.00"),
    overlmt_selfpay=D("50.00"),
    preselfpay_amt=D("30.00"),
    inscp_scp_amt=D("820.00"),
)


def rule(insutype: str = "310", deductible: str = "200.00", ratio: str = "0.70", cap: str = "3000.00") -> BenefitRule:
    return BenefitRule(
        insutype=insutype,
        med_types=("11",),
        accum_group="outpatient",
        deductible=D(deductible),
        ratio=D(ratio),
        annual_cap=D(cap),
    )


def settle(
    totals: FeeTotals = TOTALS,
    benefit: BenefitRule | None = None,
    accumulated: Accumulated | None = None,
    balance: str = "0.00",
    use_account: bool = False,
) -> Settlement:
    r = benefit or rule()
    person = PersonFacts(r.insutype, use_account=use_account, own_balance=D(balance))
    s = allocate(totals, home(r, "local"), FundStack(), person, accumulated or Accumulated())
    s.check_balances()  # every settlement must balance to the fen
    return s


# -- FeeTotals


def test_fee_totals_sum_the_split_lines() -> None:
    def cat(lv: str, prop: str = "0", cap: str | None = None) -> CatalogueItem:
        return CatalogueItem("X", "x", "101", "09", lv, D(prop), None if cap is None else D(cap))

    lines = [
        # CT 200.00 cap 180 prop 0.08: (0, 20.00, 14.40, 165.60)
        (D("200.00"), split_item(cat("02", "0.08", "180.00"), D("200.00"), D("1"), D("200.00"), "0")),
        # national sample 4.52 prop 0.05: (0, 0, 0.23, 4.29)
        (D("4.52"), split_item(cat("02", "0.05"), D("4.52"), D("1"), D("4.52"), "0")),
        # 甲 25.00: (0, 0, 0, 25.00)
        (D("25.00"), split_item(cat("01"), D("25.00"), D("1"), D("25.00"), "0")),
        # 丙 30.00: (30.00, 0, 0, 0)
        (D("30.00"), split_item(cat("03"), D("30.00"), D("1"), D("30.00"), "0")),
    ]
    t = FeeTotals.of(lines)
    assert t.medfee_sumamt == D("259.52")  # 200.00 + 4.52 + 25.00 + 30.00
    assert t.fulamt_ownpay_amt == D("30.00")
    assert t.overlmt_selfpay == D("20.00")
    assert t.preselfpay_amt == D("14.63")  # 14.40 + 0.23
    assert t.inscp_scp_amt == D("194.89")  # 165.60 + 4.29 + 25.00
    # 30.00 + 20.00 + 14.63 + 194.89 = 259.52
    assert t.fulamt_ownpay_amt + t.overlmt_selfpay + t.preselfpay_amt + t.inscp_scp_amt == t.medfee_sumamt


def test_fee_totals_of_nothing_is_zero() -> None:
    assert FeeTotals.of([]) == FeeTotals(D("0"), D("0"), D("0"), D("0"), D("0"))


# -- deductible


def test_deductible_fully_unused() -> None:
    # deductible left 200.00 - 0 = 200.00; act_pay_dedc = min(820.00, 200.00) = 200.00
    # fund = (820.00 - 200.00) × 0.70 = 620.00 × 0.70 = 434.00 (cap left 3000.00)
    # psn_part = 1000.00 - 434.00 = 566.00, all cash (no account use)
    s = settle(balance="1000.00", use_account=False)
    assert s.act_pay_dedc == D("200.00")
    assert s.hifp_pay == D("434.00")
    assert s.pool_prop_selfpay == D("0.70")
    assert s.fund_pay_sumamt == D("434.00")
    assert s.psn_part_amt == D("566.00")
    assert s.acct_pay == D("0.00")
    assert s.psn_cash_pay == D("566.00")
    assert s.balc == D("1000.00")  # account untouched
    # the national identities, explicitly
    assert s.totals.medfee_sumamt == s.fund_pay_sumamt + s.psn_part_amt  # 1000.00 = 434.00 + 566.00
    assert s.psn_part_amt == s.acct_pay + s.psn_cash_pay  # 566.00 = 0.00 + 566.00


def test_deductible_partly_consumed_by_an_earlier_visit() -> None:
    # 150.00 already paid this year: left 200.00 - 150.00 = 50.00; act_pay_dedc 50.00
    # fund = (820.00 - 50.00) × 0.70 = 770.00 × 0.70 = 539.00; psn_part = 1000.00 - 539.00 = 461.00
    s = settle(accumulated=Accumulated(deductible_paid=D("150.00")))
    assert s.act_pay_dedc == D("50.00")
    assert s.hifp_pay == D("539.00")
    assert s.psn_part_amt == D("461.00")
    assert s.psn_cash_pay == D("461.00")


@pytest.mark.parametrize("paid", ["200.00", "250.00"])
def test_deductible_already_met(paid: str) -> None:
    # left max(0, 200.00 - paid) = 0; fund = 820.00 × 0.70 = 574.00; psn_part = 426.00
    s = settle(accumulated=Accumulated(deductible_paid=D(paid)))
    assert s.act_pay_dedc == D("0")
    assert s.hifp_pay == D("574.00")
    assert s.psn_part_amt == D("426.00")


def test_in_scope_amount_below_the_deductible() -> None:
    # deductible 1800.00 > inscp 820.00: act_pay_dedc = 820.00, nothing above it, fund 0; person pays 1000.00
    s = settle(benefit=rule(deductible="1800.00"))
    assert s.act_pay_dedc == D("820.00")
    assert s.hifp_pay == D("0")
    assert s.fund_pay_sumamt == D("0")
    assert s.psn_part_amt == D("1000.00")


def test_out_of_scope_amounts_do_not_consume_the_deductible() -> None:
    # only a 丙 item: medfee 30.00 = fulamt 30.00, inscp 0 → act_pay_dedc 0, fund 0, person 30.00
    totals = FeeTotals(D("30.00"), D("30.00"), D("0"), D("0"), D("0"))
    s = settle(totals=totals)
    assert s.act_pay_dedc == D("0")
    assert s.hifp_pay == D("0")
    assert s.psn_part_amt == D("30.00")


# -- ratio


def test_ratio_amount_rounds_half_up() -> None:
    # inscp 100.05, deductible 0, ratio 0.50: 100.05 × 0.50 = 50.025 → 50.03 (not 50.02);
    # psn_part = 100.05 - 50.03 = 50.02
    totals = FeeTotals(D("100.05"), D("0"), D("0"), D("0"), D("100.05"))
    s = settle(totals=totals, benefit=rule(deductible="0.00", ratio="0.50"))
    assert s.hifp_pay == D("50.03")
    assert s.psn_part_amt == D("50.02")


# -- personal account (acct_used_flag)


def test_account_pays_the_whole_personal_part_when_the_balance_allows() -> None:
    # psn_part 566.00 (see test_deductible_fully_unused); balance 1000.00 ≥ 566.00:
    # acct_pay 566.00, cash 0, balc = 1000.00 - 566.00 = 434.00
    s = settle(balance="1000.00", use_account=True)
    assert s.acct_pay == D("566.00")
    assert s.psn_cash_pay == D("0.00")
    assert s.balc == D("434.00")
    assert s.psn_part_amt == s.acct_pay + s.psn_cash_pay


def test_account_balance_smaller_than_the_personal_part() -> None:
    # psn_part 566.00, balance 300.00: acct_pay 300.00, cash 566.00 - 300.00 = 266.00, balc 0.00 (never below 0)
    s = settle(balance="300.00", use_account=True)
    assert s.acct_pay == D("300.00")
    assert s.psn_cash_pay == D("266.00")
    assert s.balc == D("0.00")


def test_empty_account() -> None:
    # balance 0.00: acct_pay 0, everything in cash 566.00, balc stays 0.00
    s = settle(balance="0.00", use_account=True)
    assert s.acct_pay == D("0")
    assert s.psn_cash_pay == D("566.00")
    assert s.balc == D("0.00")


def test_account_not_used_without_acct_used_flag() -> None:
    s = settle(balance="5000.00", use_account=False)
    assert s.acct_pay == D("0")
    assert s.psn_cash_pay == D("566.00")
    assert s.balc == D("5000.00")


def test_resident_insurance_has_no_account() -> None:
    # 390: deductible 100.00, ratio 0.50; act_pay_dedc 100.00; fund = (820.00-100.00) × 0.50 = 360.00
    # psn_part = 1000.00 - 360.00 = 640.00; use_account asked, balance 500.00, but 390 has no account → cash 640.00
    s = settle(benefit=rule("390", deductible="100.00", ratio="0.50"), balance="500.00", use_account=True)
    assert s.hifp_pay == D("360.00")
    assert s.acct_pay == D("0")
    assert s.psn_cash_pay == D("640.00")
    assert s.balc == D("500.00")


# -- annual cap


def test_annual_cap_reached_exactly() -> None:
    # cap 3000.00, 2566.00 already paid: left 434.00; by ratio 620.00 × 0.70 = 434.00 → fund 434.00 (all of it)
    s = settle(accumulated=Accumulated(fund_paid=D("2566.00")))
    assert s.hifp_pay == D("434.00")
    assert s.funds[0].crt_payb_lmt_amt == D("434.00")
    assert s.psn_part_amt == D("566.00")


def test_annual_cap_exceeded_pays_only_what_is_left() -> None:
    # cap 3000.00, 2800.00 already paid: left 200.00 < by ratio 434.00 → fund 200.00
    # psn_part = 1000.00 - 200.00 = 800.00; account 1000.00 pays it all: balc = 1000.00 - 800.00 = 200.00
    s = settle(accumulated=Accumulated(fund_paid=D("2800.00")), balance="1000.00", use_account=True)
    assert s.hifp_pay == D("200.00")
    assert s.fund_pay_sumamt == D("200.00")
    assert s.funds[0].crt_payb_lmt_amt == D("200.00")
    assert s.funds[0].fund_payamt == D("200.00")
    assert s.psn_part_amt == D("800.00")
    assert s.acct_pay == D("800.00")
    assert s.psn_cash_pay == D("0.00")
    assert s.balc == D("200.00")


@pytest.mark.parametrize("paid", ["3000.00", "3500.00"])
def test_annual_cap_exhausted_pays_nothing(paid: str) -> None:
    # left max(0, 3000.00 - paid) = 0 → fund 0; the deductible is still counted (200.00); person pays 1000.00
    s = settle(accumulated=Accumulated(deductible_paid=D("0"), fund_paid=D(paid)))
    assert s.act_pay_dedc == D("200.00")
    assert s.hifp_pay == D("0")
    assert s.fund_pay_sumamt == D("0")
    assert s.funds[0].crt_payb_lmt_amt == D("0")
    assert s.funds[0].fund_payamt == D("0")
    assert s.psn_part_amt == D("1000.00")
    assert s.psn_cash_pay == D("1000.00")


# -- setldetail line


def test_setldetail_line_for_employee_insurance() -> None:
    s = settle()
    assert len(s.funds) == 1
    line = s.funds[0]
    assert line.fund_pay_type == "310100"
    assert line.fund_pay_type_name == "城镇职工基本医疗保险统筹基金"
    assert line.inscp_scp_amt == D("820.00")
    assert line.crt_payb_lmt_amt == D("3000.00")  # nothing paid yet: the whole cap is left
    assert line.fund_payamt == D("434.00")


def test_setldetail_line_for_resident_insurance() -> None:
    # 390, cap 3000.00 with 1000.00 paid: left 2000.00; fund = (820.00-100.00) × 0.50 = 360.00
    s = settle(benefit=rule("390", deductible="100.00", ratio="0.50"), accumulated=Accumulated(fund_paid=D("1000.00")))
    line = s.funds[0]
    assert line.fund_pay_type == "390100"
    assert line.fund_pay_type_name == "城乡居民基本医疗保险基金"
    assert line.crt_payb_lmt_amt == D("2000.00")
    assert line.fund_payamt == D("360.00")


# -- check_balances


def test_zero_bill_balances() -> None:
    s = settle(totals=FeeTotals.of([]), balance="100.00", use_account=True)
    assert (s.fund_pay_sumamt, s.psn_part_amt, s.acct_pay, s.psn_cash_pay) == (D("0"), D("0"), D("0"), D("0"))
    assert s.balc == D("100.00")


@pytest.mark.parametrize(
    "change",
    [
        {"acct_pay": D("566.01")},  # psn_part 566.00 ≠ acct 566.01 + cash 0.00
        {"fund_pay_sumamt": D("434.01")},  # 1000.00 ≠ 434.01 + 566.00
        {"psn_cash_pay": D("-0.01"), "acct_pay": D("566.01")},  # adds up, but cash below zero
    ],
)
def test_check_balances_catches_a_fen_off(change: dict[str, D]) -> None:
    good = settle(balance="1000.00", use_account=True)
    with pytest.raises(AssertionError):
        dataclasses.replace(good, **change).check_balances()
