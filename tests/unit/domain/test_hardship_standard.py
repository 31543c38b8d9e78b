"""Hardship groups in the province [003 art. 21]: who counts, and the standard they keep."""

from datetime import date
from decimal import Decimal as D

from yibao.domain.benefit_policy import (
    BenefitRule,
    CrossRegionPolicy,
    hardship_benefit,
    keeps_local_standard_in_province,
)
from yibao.domain.world import IdetInfo, Person
from yibao.world.loader import load_world

POLICY = CrossRegionPolicy(hardship_idet_types=("2301", "2302"))


def test_only_temporary_inpatient_care_of_a_listed_identity_keeps_the_local_standard() -> None:
    assert keeps_local_standard_in_province(POLICY, "23", "inpatient", {"2301"})
    assert keeps_local_standard_in_province(POLICY, "21", "inpatient", {"2101", "2302"})
    assert not keeps_local_standard_in_province(POLICY, "23", "outpatient", {"2301"})  # art. 21 speaks of stays
    assert not keeps_local_standard_in_province(POLICY, "12", "inpatient", {"2301"})  # long-term: home anyway
    assert not keeps_local_standard_in_province(POLICY, "23", "inpatient", {"2101"})
    assert not keeps_local_standard_in_province(CrossRegionPolicy(), "23", "inpatient", {"2301"})


def test_the_local_rule_with_its_deductible_counted_yearly() -> None:
    rule = BenefitRule("390", ("21",), "inpatient", D("600.00"), D("0.75"), D("150000.00"), per_stay=True)
    b = hardship_benefit(rule, "23")
    assert (b.deductible, b.ratio, b.annual_cap, b.per_stay, b.accum_group) == (
        D("600.00"), D("0.75"), D("150000.00"), False, "inpatient")  # fmt: skip


def test_identities_count_within_their_dates() -> None:
    p = Person("P", "甲", "1", "01", date(1960, 1, 1), "01", "X", (), idetinfo=(
        IdetInfo("2301", begntime="2026-01-01 00:00:00", endtime="2026-06-30 23:59:59"), IdetInfo("2302")))  # fmt: skip
    assert p.identities_on(date(2025, 12, 31)) == {"2302"}
    assert p.identities_on(date(2026, 6, 30)) == {"2301", "2302"}
    assert p.identities_on(date(2026, 7, 1)) == {"2302"}


def test_the_demo_world_takes_fushuns_hardship_groups_from_its_assistance_fund() -> None:
    assert load_world().regions["210400"].cross_region.hardship_idet_types == ("2301",)
