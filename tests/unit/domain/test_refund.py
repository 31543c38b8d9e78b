"""Refund maths (src/yibao/domain/refund.py): recomputing later settlements (隔笔退费) and folding the difference
into the refund record. The rule: 310 职工, deductible 200.00/year, ratio 0.70, cap 1000.00; all items in scope.
"""

from decimal import Decimal as D

from yibao.domain.benefit_policy import Benefit, FundStack
from yibao.domain.fund_allocation import Accumulated, FeeTotals, PersonFacts, allocate
from yibao.domain.refund import Later, Money, Replayed, accumulator_deltas, fold, replay

KEYS = {"dedc": "dedc", "fund": "fund", "large": "large", "ci_dedc": "ci_dedc", "ci": "ci", "assist": "assist"}
BENEFIT = Benefit(D("200.00"), D("0.70"), D("1000.00"), False, "outpatient", "本地")
FACTS = PersonFacts("310")


def bill(amount: str) -> FeeTotals:
    return FeeTotals(D(amount), D("0.00"), D("0.00"), D("0.00"), D(amount))


def settled(amount: str, acc: Accumulated, balance: str = "0.00", family: str = "0.00"):  # type: ignore[no-untyped-def]
    facts = PersonFacts("310", use_account=True, own_balance=D(balance), family_available=D(family))
    return allocate(bill(amount), BENEFIT, FundStack(), facts, acc)


def later(setl_id: str, s) -> Later:  # type: ignore[no-untyped-def]
    return Later(setl_id, KEYS, s.totals, BENEFIT, FundStack(), FACTS, accumulator_deltas(s, KEYS), Money.of(s))


def test_refunding_the_deductible_settlement_makes_the_later_one_bear_it() -> None:
    s1 = settled("200.00", Accumulated(), balance="500.00")  # all deductible, account 200.00
    s2 = settled("1000.00", Accumulated(D("200.00")), balance="300.00")  # 700.00 fund, account 300.00
    assert (s1.fund_pay_sumamt, s2.fund_pay_sumamt) == (D("0.00"), D("700.00"))
    [r] = replay({}, {"dedc"}, [later("S2", s2)])
    # S2 without S1: (1000.00 − 200.00) × 0.70 = 560.00; the fund paid 140.00 too much
    assert (r.settlement.fund_pay_sumamt, r.take_back, r.moves) == (
        D("560.00"),
        D("140.00"),
        {"dedc": D("200.00"), "fund": D("560.00")},
    )
    f = fold(Money.of(s1), [r])
    # the take-back comes out of S1's refund: no cash to take it from, so the account gets 200.00 − 140.00
    assert (f.record["fund_pay_sumamt"], f.record["acct_pay"], f.record["psn_cash_pay"]) == (
        D("-140.00"),
        D("-60.00"),
        D("0.00"),
    )
    assert (f.own_back, f.family_back) == (D("60.00"), D("0.00"))
    [a] = f.adjustments
    # S2 now stands at fund 560.00 and a person part of 440.00, 140.00 more of it from the account
    assert (a.money["fund_pay_sumamt"], a.money["psn_part_amt"], a.money["acct_pay"], a.own) == (
        D("560.00"),
        D("440.00"),
        D("440.00"),
        D("140.00"),
    )


def test_a_later_settlement_the_changes_do_not_reach_is_left_alone() -> None:
    s2 = settled("100.00", Accumulated(D("200.00")))
    # only the critical-illness accumulator changed: S2 reads it, but recomputing changes nothing
    assert replay({"dedc": D("200.00")}, {"ci"}, [later("S2", s2)]) == []
    # it does not read "other" at all
    assert replay({}, {"other"}, [later("S2", s2)]) == []


def test_a_shift_cascades_through_later_settlements() -> None:
    # S1 300.00 (deductible 200.00, fund 70.00), S2 and S3 700.00 each: S2 490.00, S3 min(490.00, cap left 440.00)
    s1 = settled("300.00", Accumulated())
    s2 = settled("700.00", Accumulated(D("200.00"), D("70.00")))
    s3 = settled("700.00", Accumulated(D("200.00"), D("560.00")))
    assert (s2.fund_pay_sumamt, s3.fund_pay_sumamt) == (D("490.00"), D("440.00"))
    replayed = replay({}, {"dedc", "fund"}, [later("S2", s2), later("S3", s3)])
    # without S1: S2 bears the deductible (700.00 − 200.00) × 0.70 = 350.00; S3 then gets its full 490.00
    assert [(r.later.setl_id, r.settlement.fund_pay_sumamt) for r in replayed] == [
        ("S2", D("350.00")),
        ("S3", D("490.00")),
    ]
    f = fold(Money.of(s1), replayed)
    # fund back: 70.00 (S1) + 140.00 (S2) − 50.00 (S3 gets more) = 160.00; person part back 230.00 − 90.00
    assert (f.record["fund_pay_sumamt"], f.record["psn_part_amt"]) == (D("-160.00"), D("-140.00"))
    assert f.record["medfee_sumamt"] == D("-300.00")


def test_take_back_beyond_the_whole_refund_is_paid_by_the_person_in_cash() -> None:
    refunded = Money(
        {"medfee_sumamt": D("100.00"), "inscp_scp_amt": D("100.00"), "hifp_pay": D("90.00"),
         "fund_pay_sumamt": D("90.00"), "psn_part_amt": D("10.00"), "psn_cash_pay": D("10.00")},
        {"310100": D("90.00")},
    )  # fmt: skip
    s2 = settled("1000.00", Accumulated(D("200.00")))  # deductible met before: 700.00
    old = later("S2", s2)
    worse = allocate(bill("1000.00"), BENEFIT, FundStack(), FACTS, Accumulated())  # bearing it now: 560.00
    f = fold(refunded, [Replayed(old, worse, accumulator_deltas(worse, KEYS))])
    # take-back 700.00 − 560.00 = 140.00 against a refund of 10.00 cash: the person pays 130.00
    assert (f.record["fund_pay_sumamt"], f.record["psn_part_amt"], f.record["psn_cash_pay"]) == (
        D("-230.00"),
        D("130.00"),
        D("130.00"),
    )
    f.record.check()


def test_take_back_reaches_the_family_account_after_the_own() -> None:
    s1 = settled("200.00", Accumulated(), balance="50.00", family="1000.00")  # own 50.00, family 150.00
    assert (s1.acct_pay, s1.acct_mulaid_pay) == (D("200.00"), D("150.00"))
    s2 = settled("1000.00", Accumulated(D("200.00")))
    [r] = replay({}, {"dedc"}, [later("S2", s2)])
    f = fold(Money.of(s1), [r])
    # 140.00 to take back: the own account's 50.00 first, then 90.00 of the family's 150.00
    assert (f.own_back, f.family_back, f.record["acct_mulaid_pay"]) == (D("0.00"), D("60.00"), D("-60.00"))
    assert (f.adjustments[0].own, f.adjustments[0].family) == (D("50.00"), D("90.00"))
