"""Each named step of the fund stack (src/yibao/domain/fund_allocation.py) on its own, every figure by hand.

The stack is region 110000's of tests/test_world.json (tests/integration/test_fund_stack.py uses the same over gRPC):
large-amount 0.90 (cap 300000.00), critical illness deductible 10000.00 / 0.60 / cap 200000.00, civil servant
0.50, assistance (2301) 0.70 / cap 10000.00.
"""

from decimal import Decimal as D

from yibao.domain.benefit_policy import Assistance, Benefit, CivilServant, CriticalIllness, FundStack, LargeAmount
from yibao.domain.fund_allocation import (
    NOTHING,
    AccountPay,
    Accumulated,
    PersonFacts,
    pay_assistance,
    pay_civil_servant,
    pay_critical_illness,
    pay_deductible,
    pay_from_accounts,
    pay_large_amount,
    pay_pooled_fund,
)

STACK = FundStack(
    large_amount=LargeAmount(D("0.90"), D("300000.00")),
    critical_illness=CriticalIllness(D("10000.00"), D("0.60"), D("200000.00")),
    civil_servant=CivilServant(D("0.50")),
    assistance=Assistance(("2301",), D("0.70"), D("10000.00")),
)
NONE = Accumulated()


def benefit(deductible: str = "200.00", ratio: str = "0.70", cap: str = "3000.00", per_stay: bool = False) -> Benefit:
    return Benefit(D(deductible), D(ratio), D(cap), per_stay, "outpatient", "本地就医")


# -- step 1: deductible


def test_deductible_takes_what_is_left_of_it() -> None:
    # 200.00 deductible, 150.00 paid this year: left 50.00; in scope 820.00 → act_pay_dedc 50.00
    paid = pay_deductible(D("820.00"), benefit(), Accumulated(deductible_paid=D("150.00")))
    assert paid.amount == D("50.00")
    assert paid.lines == ()  # the deductible is no fund: no setldetail row
    [step] = paid.steps
    assert (step.step, step.base, step.deductible, step.before, step.amount, step.after) == (
        "deductible",
        D("820.00"),
        D("200.00"),
        D("150.00"),
        D("50.00"),
        D("200.00"),
    )
    assert step.rule == "起付线 200.00（年度已付 150.00）"


def test_deductible_larger_than_the_bill_takes_the_whole_in_scope_amount() -> None:
    # per stay 1000.00, nothing paid: min(300.00, 1000.00) = 300.00
    paid = pay_deductible(D("300.00"), benefit(deductible="1000.00", per_stay=True), NONE)
    assert paid.amount == D("300.00")
    assert paid.steps[0].rule == "起付线 1000.00（本次住院已付 0.00）"


def test_deductible_overpaid_counts_nothing() -> None:
    # paid 250.00 of 200.00: left max(0, −50.00) = 0
    assert pay_deductible(D("820.00"), benefit(), Accumulated(deductible_paid=D("250.00"))).amount == D("0.00")


# -- step 2: pooled fund


def test_pooled_fund_pays_the_ratio_above_the_deductible() -> None:
    # (820.00 − 200.00) × 0.70 = 434.00, cap left 3000.00: paid 434.00; cap not reached → nothing over it
    paid, over_cap = pay_pooled_fund(D("820.00"), D("200.00"), benefit(), "310", NONE)
    assert paid.amount == D("434.00")
    assert over_cap == D("0.00")
    [line] = paid.lines
    assert (line.fund_pay_type, line.inscp_scp_amt, line.crt_payb_lmt_amt, line.fund_payamt) == (
        "310100",
        D("820.00"),
        D("3000.00"),
        D("434.00"),
    )
    [step] = paid.steps
    assert (step.step, step.base, step.ratio, step.cap, step.amount) == (
        "pooled",
        D("620.00"),
        D("0.70"),
        D("3000.00"),
        D("434.00"),
    )


def test_pooled_fund_stops_at_its_cap_and_says_what_the_cap_left() -> None:
    # tests/integration/test_fund_stack.py (multi-batch stay): in scope 60000.00, deductible 1000.00 →
    # eligible 59000.00;
    # 59000.00 × 0.90 = 53100.00 > cap 50000.00 → 50000.00; the cap covers 50000 / 0.90 = 55555.56 of it,
    # leaving 59000.00 − 55555.56 = 3444.44 over the cap
    b = benefit(deductible="1000.00", ratio="0.90", cap="50000.00", per_stay=True)
    paid, over_cap = pay_pooled_fund(D("60000.00"), D("1000.00"), b, "310", NONE)
    assert paid.amount == D("50000.00")
    assert over_cap == D("3444.44")


def test_pooled_fund_of_residents_is_390100() -> None:
    # (820.00 − 100.00) × 0.50 = 360.00; cap 3000.00 with 1000.00 paid: 2000.00 left
    b = benefit(deductible="100.00", ratio="0.50")
    paid, _ = pay_pooled_fund(D("820.00"), D("100.00"), b, "390", Accumulated(fund_paid=D("1000.00")))
    assert (paid.amount, paid.lines[0].fund_pay_type, paid.lines[0].crt_payb_lmt_amt) == (
        D("360.00"),
        "390100",
        D("2000.00"),
    )


# -- step 3: large-amount subsidy


def test_large_amount_pays_the_ratio_of_what_the_cap_left() -> None:
    # 3444.44 × 0.90 = 3099.996 → 3100.00 (tests/integration/test_fund_stack.py)
    paid = pay_large_amount(D("3444.44"), STACK, "310", NONE)
    assert paid.amount == D("3100.00")
    [line] = paid.lines
    assert (line.fund_pay_type, line.inscp_scp_amt, line.crt_payb_lmt_amt) == ("330100", D("3444.44"), D("300000.00"))


def test_large_amount_stops_at_its_own_cap() -> None:
    # 299000.00 paid of 300000.00: left 1000.00 < 3100.00
    assert pay_large_amount(D("3444.44"), STACK, "310", Accumulated(large_paid=D("299000.00"))).amount == D("1000.00")


def test_large_amount_is_for_employees_over_the_cap_only() -> None:
    assert pay_large_amount(D("3444.44"), STACK, "390", NONE) is NOTHING
    assert pay_large_amount(D("0.00"), STACK, "310", NONE) is NOTHING
    assert pay_large_amount(D("3444.44"), FundStack(), "310", NONE) is NOTHING


# -- step 4: critical-illness insurance


def test_critical_illness_pays_above_its_deductible() -> None:
    # tests/integration/test_fund_stack.py (resident stay): share 50000 − 30000 = 20000.00; deductible 10000.00 →
    # (20000.00 − 10000.00) × 0.60 = 6000.00
    paid = pay_critical_illness(D("20000.00"), STACK, "390", NONE)
    assert paid.amount == D("6000.00")
    dedc, pay = paid.steps
    assert (dedc.step, dedc.base, dedc.amount) == ("critical_illness_deductible", D("20000.00"), D("10000.00"))
    assert (pay.step, pay.base, pay.amount) == ("critical_illness", D("10000.00"), D("6000.00"))
    [line] = paid.lines
    assert (line.fund_pay_type, line.inscp_scp_amt, line.fund_payamt) == ("390200", D("20000.00"), D("6000.00"))


def test_critical_illness_inside_its_deductible_has_steps_but_no_row() -> None:
    # share 50.00, all inside the 10000.00 deductible: 0 paid; the trace shows it, setldetail does not
    paid = pay_critical_illness(D("50.00"), STACK, "390", NONE)
    assert paid.amount == D("0.00")
    assert [s.step for s in paid.steps] == ["critical_illness_deductible", "critical_illness"]
    assert paid.lines == ()


def test_critical_illness_after_part_of_its_deductible_was_paid() -> None:
    # 9000.00 of its deductible paid: 1000.00 left; (5000.00 − 1000.00) × 0.60 = 2400.00
    acc = Accumulated(ci_deductible_paid=D("9000.00"))
    assert pay_critical_illness(D("5000.00"), STACK, "390", acc).amount == D("2400.00")


def test_critical_illness_is_for_residents_only() -> None:
    assert pay_critical_illness(D("20000.00"), STACK, "310", NONE) is NOTHING


# -- step 5: civil-servant subsidy


def test_civil_servant_subsidy_is_a_share_of_what_is_left() -> None:
    # tests/integration/test_fund_stack.py: in scope 300.00, fund 70.00 → 230.00 × 0.50 = 115.00
    paid = pay_civil_servant(D("230.00"), STACK, "1")
    assert paid.amount == D("115.00")
    [line] = paid.lines
    assert (line.fund_pay_type, line.inscp_scp_amt, line.crt_payb_lmt_amt) == ("320100", D("230.00"), D("230.00"))


def test_civil_servant_subsidy_rounds_half_up() -> None:
    # 0.05 × 0.50 = 0.025 → 0.03
    assert pay_civil_servant(D("0.05"), STACK, "1").amount == D("0.03")


def test_civil_servant_subsidy_needs_the_flag_and_something_left() -> None:
    assert pay_civil_servant(D("230.00"), STACK, "0") is NOTHING
    assert pay_civil_servant(D("0.00"), STACK, "1") is NOTHING


# -- step 6: medical assistance


def test_assistance_for_a_hardship_group() -> None:
    # tests/integration/test_fund_stack.py: remaining 50.00 × 0.70 = 35.00
    paid = pay_assistance(D("50.00"), STACK, frozenset({"2301"}), NONE)
    assert paid.amount == D("35.00")
    assert paid.lines[0].fund_pay_type == "610100"
    assert "困难人员（2301）" in paid.steps[0].rule


def test_assistance_stops_at_its_cap() -> None:
    # 9990.00 paid of 10000.00: left 10.00 < 35.00
    acc = Accumulated(assistance_paid=D("9990.00"))
    assert pay_assistance(D("50.00"), STACK, frozenset({"2301"}), acc).amount == D("10.00")


def test_assistance_only_for_listed_groups() -> None:
    assert pay_assistance(D("50.00"), STACK, frozenset({"9999"}), NONE) is NOTHING
    assert pay_assistance(D("0.00"), STACK, frozenset({"2301"}), NONE) is NOTHING


# -- then the accounts


def test_own_account_pays_first_then_the_family_account() -> None:
    # person's part 566.00: own balance 300.00 pays 300.00; family 1000.00 available pays the other 266.00
    person = PersonFacts("310", use_account=True, own_balance=D("300.00"), family_available=D("1000.00"))
    paid = pay_from_accounts(D("566.00"), person)
    assert (paid.own, paid.family) == (D("300.00"), D("266.00"))
    own, family = paid.steps
    assert (own.step, own.base, own.before, own.amount, own.after) == (
        "account",
        D("566.00"),
        D("300.00"),
        D("-300.00"),
        D("0.00"),
    )
    assert (family.step, family.base, family.before, family.amount) == (
        "family_account",
        D("266.00"),
        D("1000.00"),
        D("-266.00"),
    )


def test_residents_have_no_own_account_but_may_use_the_family_one() -> None:
    # 390: no own account whatever its balance; family 100.00 available of 640.00 → 100.00, the rest cash
    person = PersonFacts("390", use_account=True, own_balance=D("500.00"), family_available=D("100.00"))
    paid = pay_from_accounts(D("640.00"), person)
    assert (paid.own, paid.family) == (D("0.00"), D("100.00"))
    assert [s.step for s in paid.steps] == ["family_account"]


def test_accounts_pay_nothing_without_acct_used_flag() -> None:
    person = PersonFacts("310", use_account=False, own_balance=D("5000.00"))
    assert pay_from_accounts(D("566.00"), person) == AccountPay()
