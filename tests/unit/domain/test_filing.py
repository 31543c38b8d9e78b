"""Cross-region filing rules (src/yibao/domain/filing.py); every date worked out by hand in the test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from yibao.domain.benefit_policy import BenefitRule
from yibao.domain.filing import (
    Ban,
    Filing,
    Material,
    Status,
    add_months,
    applicable_filing,
    area_of,
    ban_from,
    check_lock,
    check_not_banned,
    check_psn_type,
    chronic_diseases,
    conflicting,
    falls_in,
    lapse_day,
    material_due,
    same_city,
    validity,
    withholding_home_benefits,
)
from yibao.errors import Refusal

D = date.fromisoformat


def filing(kind: str = "12", area: str = "440300", begn: str = "2026-03-15", end: str | None = None,
           filed: str | None = None, **kw: object) -> Filing:  # fmt: skip
    return Filing("SN1", "P0003", "310", kind, area, D(begn), D(end) if end else None, D(filed or begn), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-03-15", 6, "2026-09-15"),
        ("2026-08-31", 6, "2027-02-28"),  # February is shorter: its last day
        ("2027-08-31", 6, "2028-02-29"),  # leap year
        ("2026-09-16", 12, "2027-09-16"),
        ("2026-11-30", 3, "2027-02-28"),  # across the year
    ],
)
def test_add_months_keeps_the_day_or_takes_the_month_end(day: str, months: int, expected: str) -> None:
    assert add_months(D(day), months) == D(expected)


@pytest.mark.parametrize(
    ("admdvs", "area"),
    [
        ("440305", "440300"),  # a district of Shenzhen → the city
        ("440300", "440300"),
        ("110105", "110000"),  # a district of Beijing → the municipality
        ("500103", "500000"),  # Chongqing
        ("440000", "440000"),  # a province stays a province [003 art. 15: 就医市(或省)]
    ],
)
def test_a_filing_is_made_to_a_city_or_municipality(admdvs: str, area: str) -> None:
    assert area_of(admdvs) == area


@pytest.mark.parametrize(
    ("treatment", "area", "inside"),
    [
        ("110105", "110000", True),  # municipality: 2 digits
        ("110000", "110000", True),
        ("120101", "110000", False),  # Tianjin is not Beijing
        ("440305", "440300", True),  # city: 4 digits
        ("440105", "440300", False),  # Guangzhou is not Shenzhen
        ("440105", "440000", True),  # province filing: the whole province
        ("210400", "440000", False),
    ],
)
def test_falls_in_by_admdvs_prefix(treatment: str, area: str, inside: bool) -> None:
    assert falls_in(treatment, area) is inside


def test_same_city() -> None:
    assert same_city("110000", "110105") and same_city("440300", "440305")
    assert not same_city("440300", "440100")
    assert not same_city("210000", "210400")  # a province is no city


def test_temporary_validity_defaults_to_six_months_and_long_term_is_open() -> None:
    today = D("2026-03-15")
    # 2026-03-15 + 6 months = 2026-09-15, less one day: the last valid day 2026-09-14
    assert validity("23", today, None, today, "input.data") == (today, D("2026-09-14"))
    assert validity("21", D("2026-04-01"), D("2026-04-10"), today, "input.data") == (D("2026-04-01"), D("2026-04-10"))
    assert validity("12", today, None, today, "input.data") == (today, None)
    assert validity("31", today, D("2029-07-01"), today, "input.data") == (today, D("2029-07-01"))


def test_validity_refusals_name_the_dates() -> None:
    today = D("2026-03-15")
    with pytest.raises(Refusal) as e:
        validity("12", today, D("2027-03-14"), today, "input.data")
    assert e.value.code == "FILING_LONG_TERM_ENDDATE" and "2027-03-14" in e.value.message_zh
    with pytest.raises(Refusal) as e:
        validity("23", D("2026-03-14"), None, today, "input.data")
    assert e.value.code == "FILING_BEGNDATE_PAST" and e.value.field == "input.data.begndate"
    assert "2026-03-14" in e.value.message_zh and "2026-03-15" in e.value.message_zh
    with pytest.raises(Refusal) as e:
        validity("23", D("2026-04-01"), D("2026-03-31"), today, "input.data")
    assert e.value.code == "FILING_DATES"


def test_six_month_lock_on_long_term_filings() -> None:
    f = filing("12", begn="2026-03-15")
    # took effect 2026-03-15; 6 months later 2026-09-15 is the first day a change or cancel is allowed
    with pytest.raises(Refusal) as e:
        check_lock(f, D("2026-09-14"), "撤销", "revoked", "input.data.trt_dcla_detl_sn")
    assert e.value.code == "FILING_LOCKED"
    assert (e.value.params["begndate"], e.value.params["first_allowed"]) == (D("2026-03-15"), D("2026-09-15"))
    assert "2026-03-15 生效" in e.value.message_zh and "最早可于 2026-09-15" in e.value.message_zh
    check_lock(f, D("2026-09-15"), "撤销", "revoked", "")  # allowed from that day
    check_lock(filing("23", end="2026-09-14"), D("2026-03-16"), "撤销", "revoked", "")  # temporary: no lock
    check_lock(filing("31"), D("2026-03-16"), "变更", "changed", "")  # students: no lock
    check_lock(filing("12", begn="2026-04-01"), D("2026-03-20"), "撤销", "revoked", "")  # not in effect yet


def test_lock_from_the_end_of_august_ends_on_the_last_day_of_february() -> None:
    f = filing("11", begn="2026-08-31")
    with pytest.raises(Refusal) as e:
        check_lock(f, D("2027-02-27"), "变更", "changed", "")
    assert e.value.params["first_allowed"] == D("2027-02-28")
    check_lock(f, D("2027-02-28"), "变更", "changed", "")


def test_commitment_lapses_the_day_after_its_due_date_and_bars_for_twelve_months() -> None:
    f = filing("12", begn="2026-03-15", commitment=True, material=Material.AWAITED,
               material_due=material_due(D("2026-03-15")))  # fmt: skip
    assert f.material_due == D("2026-09-15")  # 6 months after taking effect
    assert lapse_day(f, D("2026-09-15")) is None  # the due date itself is still in time
    assert lapse_day(f, D("2026-09-16")) == D("2026-09-16")
    assert lapse_day(f, D("2026-12-01")) == D("2026-09-16")  # noticed late: the same day
    assert lapse_day(replace(f, material=Material.SUPPLIED), D("2026-12-01")) is None
    assert lapse_day(replace(f, status=Status.REVOKED), D("2026-12-01")) is None
    ban = ban_from(f, D("2026-09-16"), Material.LAPSED)
    # 2026-09-16 + 12 months = 2027-09-16 is the first allowed day; the ban's last day 2027-09-15
    assert (ban.begndate, ban.enddate, ban.first_allowed) == (D("2026-09-16"), D("2027-09-15"), D("2027-09-16"))
    with pytest.raises(Refusal) as e:
        check_not_banned([ban], D("2027-09-15"), "input.data.cmtm_flag")
    assert e.value.code == "FILING_COMMITMENT_BANNED"
    assert "2026-09-16 至 2027-09-15" in e.value.message_zh and "最早可于 2027-09-16" in e.value.message_zh
    check_not_banned([ban], D("2027-09-16"), "")


def test_a_false_commitment_bars_from_the_review_day() -> None:
    ban = ban_from(filing("13"), D("2026-05-10"), Material.FALSE)
    assert (ban.begndate, ban.enddate) == (D("2026-05-10"), D("2027-05-09"))
    with pytest.raises(Refusal) as e:
        check_not_banned([Ban("P0003", "SN1", Material.FALSE, D("2026-05-10"), D("2027-05-09"))], D("2026-05-10"), "")
    assert "虚假" in e.value.message_zh


def test_valid_at_every_institution_of_the_filed_city_only() -> None:
    f = filing("12", area="440300", begn="2026-03-15")
    assert applicable_filing([f], "440300", D("2026-05-01"), D("2026-05-10")) == f
    assert applicable_filing([f], "440305", D("2026-05-01"), D("2026-05-10")) == f  # another district, same city
    assert applicable_filing([f], "440105", D("2026-05-01"), D("2026-05-10")) is None  # Guangzhou
    # made on 2026-03-01 to take effect on 2026-03-15: an admission of 2026-03-14 is before it
    ahead = replace(f, filed_on=D("2026-03-01"))
    assert applicable_filing([ahead], "440300", D("2026-03-14"), D("2026-05-10")) is None


def test_admission_inside_validity_counts_whatever_the_discharge() -> None:
    f = filing("23", area="110000", begn="2026-03-15", end="2026-09-14")
    # admitted on the last valid day, discharged and settled in October: covered
    assert applicable_filing([f], "110105", D("2026-09-14"), D("2026-10-02")) == f
    assert applicable_filing([f], "110105", D("2026-09-15"), D("2026-10-02")) is None
    # revoked on 2026-06-01: an admission of 2026-05-31 still counts, one of 2026-06-01 does not
    revoked = replace(f, status=Status.REVOKED, stop_date=D("2026-06-01"))
    assert revoked.last_day == D("2026-05-31")
    assert applicable_filing([revoked], "110000", D("2026-05-31"), D("2026-06-20")) == revoked
    assert applicable_filing([revoked], "110000", D("2026-06-01"), D("2026-06-20")) is None


def test_late_filing_made_after_admission_covers_the_stay() -> None:
    # admitted 2026-03-10 without a filing; filed 2026-03-15 (effective that day); settled 2026-03-20
    late = filing("23", area="440300", begn="2026-03-15", end="2026-09-14", filed="2026-03-15")
    assert applicable_filing([late], "440300", D("2026-03-10"), D("2026-03-20")) == late
    # not known yet on a settlement of 2026-03-14
    assert applicable_filing([late], "440300", D("2026-03-10"), D("2026-03-14")) is None
    # made before the admission but chosen to begin later: the person's choice, no late filing
    ahead = filing("23", area="440300", begn="2026-04-01", end="2026-09-30", filed="2026-03-01")
    assert applicable_filing([ahead], "440300", D("2026-03-10"), D("2026-04-05")) is None


def test_a_change_keeps_earlier_stays_on_the_old_version() -> None:
    old = filing("12", area="440300", begn="2026-03-15", status=Status.CHANGED, stop_date=D("2026-10-01"))
    new = replace(old, trt_dcla_detl_sn="SN2", area="110000", begndate=D("2026-10-01"), filed_on=D("2026-10-01"),
                  status=Status.ACTIVE, stop_date=None)  # fmt: skip
    assert applicable_filing([old, new], "440300", D("2026-09-30"), D("2026-10-05")) == old
    assert applicable_filing([old, new], "110000", D("2026-10-02"), D("2026-10-05")) == new
    assert applicable_filing([old, new], "440300", D("2026-10-02"), D("2026-10-05")) is None


def test_one_cross_region_filing_at_a_time() -> None:
    long_term = filing("12", area="440300", begn="2026-03-15")
    assert conflicting([long_term], "110000", D("2026-12-01"), D("2027-05-31")) == long_term
    temporary = filing("23", area="440300", begn="2026-03-15", end="2026-09-14")
    assert conflicting([temporary], "110000", D("2026-09-14"), None) == temporary  # overlaps on one day
    assert conflicting([temporary], "110000", D("2026-09-15"), None) is None  # begins after it ends
    assert conflicting([replace(long_term, status=Status.REVOKED, stop_date=D("2026-10-01"))], "110000",
                       D("2026-10-01"), None) is None  # fmt: skip
    local_referral = filing("22", area="110000", begn="2026-03-15", end="2026-09-14")
    assert conflicting([local_referral], "110000", D("2026-03-15"), None) is None  # no cross-region filing


def test_types_tied_to_who_the_person_is() -> None:
    check_psn_type("11", "310", "1201", "P0003", "")  # a retired employee may file as relocated retiree
    check_psn_type("31", "390", "1404", "P0008", "")
    with pytest.raises(Refusal) as e:
        check_psn_type("11", "390", "1501", "P0002", "input.data.fil_type")
    assert e.value.code == "FILING_PSN_TYPE" and "1501" in e.value.message_zh
    with pytest.raises(Refusal):
        check_psn_type("31", "390", "1501", "P0002", "")


def test_chronic_diseases_are_the_insured_places_list() -> None:
    rule = BenefitRule("310", ("14:M03900", "14:M01600"), "chronic", Decimal("0"), Decimal("0.8"), Decimal("3000"))
    other = BenefitRule("390", ("14:M00500",), "chronic", Decimal("0"), Decimal("0.6"), Decimal("1000"))
    retirees = BenefitRule("310", ("14:M07800",), "chronic", Decimal("0"), Decimal("0.9"), Decimal("1000"),
                           psn_types=("1201",))  # fmt: skip
    assert chronic_diseases([rule, other, retirees], "310", "1101") == ["M01600", "M03900"]
    assert chronic_diseases([rule, other, retirees], "310", "1201") == ["M01600", "M03900", "M07800"]


def test_home_benefits_wait_for_a_long_term_commitment_filings_material() -> None:
    """003 art. 20; material due 2026-09-15 for a filing taking effect 2026-03-15."""
    awaited = filing("12", commitment=True, material=Material.AWAITED, material_due=D("2026-09-15"))
    mar20, sep15, sep16 = D("2026-03-20"), D("2026-09-15"), D("2026-09-16")
    assert withholding_home_benefits([awaited], mar20, mar20) is awaited
    assert withholding_home_benefits([awaited], sep15, sep15) is awaited  # the due date itself is still in time
    assert withholding_home_benefits([awaited], sep15, sep16) is None  # lapsed by settlement: cancelled
    assert withholding_home_benefits([awaited], D("2026-03-14"), mar20) is None  # admitted before it took effect
    supplied = replace(awaited, material=Material.SUPPLIED)
    full = filing("12")  # filed with full material
    student = filing("31", commitment=True, material=Material.AWAITED, material_due=D("2026-09-15"))
    revoked = replace(awaited, status=Status.REVOKED, stop_date=D("2026-03-18"))
    for f in (supplied, full, student, revoked):  # a student is no long-term resident; a revoked filing is gone
        assert withholding_home_benefits([f], mar20, mar20) is None, f
    later = filing("12", begn="2026-04-01", commitment=True, material=Material.AWAITED, material_due=D("2026-10-01"))
    assert withholding_home_benefits([later], mar20, mar20) is None  # not in force yet
