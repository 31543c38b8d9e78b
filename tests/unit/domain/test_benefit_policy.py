"""Benefit rule matching (src/yibao/domain/benefit_policy.py): first matching rule wins, "*" is a wildcard."""

from decimal import Decimal as D

from yibao.domain.benefit_policy import ANY, BenefitRule, find_rule


def rule(
    insutype: str,
    med_types: tuple[str, ...] = (ANY,),
    psn_types: tuple[str, ...] = (ANY,),
    hosp_lvs: tuple[str, ...] = (ANY,),
    ratio: str = "0.70",
) -> BenefitRule:
    return BenefitRule(
        insutype=insutype,
        med_types=med_types,
        accum_group="outpatient",
        deductible=D("0.00"),
        ratio=D(ratio),
        annual_cap=D("5000.00"),
        psn_types=psn_types,
        hosp_lvs=hosp_lvs,
    )


OUTPATIENT = ("11", "12", "13", "19")
RETIREE = rule("310", OUTPATIENT, psn_types=("1201", "1202", "1203"), ratio="0.80")
EMPLOYEE = rule("310", OUTPATIENT, ratio="0.70")
RESIDENT = rule("390", OUTPATIENT, ratio="0.50")
TABLE = (RETIREE, EMPLOYEE, RESIDENT)


def test_specific_psn_type_rule_listed_first_wins() -> None:
    # 1201 退休 matches both RETIREE and EMPLOYEE (psn_types "*"); the first one listed wins
    assert find_rule(TABLE, "310", "1201", "11", "3") is RETIREE


def test_falls_through_to_the_general_rule() -> None:
    # 1101 在职 is not in RETIREE's psn_types: the next rule, EMPLOYEE, applies
    assert find_rule(TABLE, "310", "1101", "11", "3") is EMPLOYEE


def test_insutype_selects_the_rule() -> None:
    assert find_rule(TABLE, "390", "1501", "13", "1") is RESIDENT


def test_no_rule_for_the_med_type() -> None:
    # 21 普通住院 is not in any rule's med_types
    assert find_rule(TABLE, "310", "1101", "21", "3") is None


def test_no_rule_for_the_insutype() -> None:
    assert find_rule(TABLE, "320", "1101", "11", "3") is None


def test_empty_table() -> None:
    assert find_rule((), "310", "1101", "11", "3") is None


def test_order_matters_general_first_hides_the_specific_rule() -> None:
    # listed the wrong way round, the general rule also catches retirees: first match wins
    assert find_rule((EMPLOYEE, RETIREE), "310", "1201", "11", "3") is EMPLOYEE


def test_first_of_two_identical_matches_wins() -> None:
    a = rule("310", ratio="0.60")
    b = rule("310", ratio="0.90")
    assert find_rule((a, b), "310", "1101", "11", "1") is a


def test_wildcards_match_any_value() -> None:
    everything = rule("310")  # med_types, psn_types and hosp_lvs all "*"
    assert find_rule((everything,), "310", "9999", "99", "9") is everything
    assert find_rule((everything,), "310", "", "", "") is everything  # pharmacies have no hosp_lv


def test_wildcard_among_codes_matches_anything() -> None:
    mixed = rule("310", med_types=("11", ANY))
    assert find_rule((mixed,), "310", "1101", "21", "3") is mixed


def test_insutype_is_never_a_wildcard() -> None:
    # BenefitRule docstring: insutype matches exactly
    assert find_rule((rule(ANY),), "310", "1101", "11", "3") is None


def test_hospital_level_rule_before_general() -> None:
    # Shenzhen-like table: 一级 (community) hospitals 0.90, others 0.70
    community = rule("310", OUTPATIENT, hosp_lvs=("1",), ratio="0.90")
    general = rule("310", OUTPATIENT, ratio="0.70")
    table = (community, general)
    assert find_rule(table, "310", "1101", "11", "1") is community
    assert find_rule(table, "310", "1101", "11", "3") is general
    assert find_rule(table, "310", "1101", "11", "") is general  # pharmacy: no hosp_lv


def test_matches_requires_every_dimension() -> None:
    r = rule("310", ("11",), psn_types=("1201",), hosp_lvs=("3",))
    assert r.matches("310", "1201", "11", "3")
    assert not r.matches("390", "1201", "11", "3")
    assert not r.matches("310", "1101", "11", "3")
    assert not r.matches("310", "1201", "12", "3")
    assert not r.matches("310", "1201", "11", "1")


def test_locality_treats_municipalities_as_one_city() -> None:
    from yibao.domain.benefit_policy import locality

    assert locality("110105", "110000") == "local"  # Beijing districts are one city
    assert locality("210402", "210400") == "local"  # same city, 4 digits
    assert locality("210100", "210400") == "in_province"  # Shenyang vs Fushun
    assert locality("440300", "210400") == "cross_province"
