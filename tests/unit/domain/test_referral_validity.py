"""A referral holds for one year for repeated treatment [001 item 3.3], a per-region setting
(cross_region.referral_months; docs/world-format.md, docs/seed-rules.md)."""

from datetime import date as D

import pytest

from yibao.domain.filing import validity
from yibao.errors import Refusal
from yibao.world.loader import WorldFormatError, parse_world


def test_a_referral_without_an_end_holds_one_year_less_a_day() -> None:
    today = D(2026, 3, 15)
    # 2026-03-15 + 12 months = 2027-03-15; the last valid day is the day before
    assert validity("22", today, None, today, "input.refmedin") == (today, D(2027, 3, 14))
    # 2028-02-29 (leap day) + 12 months = 2029-02-28 (shorter month); less a day: 2029-02-27
    assert validity("22", D(2028, 2, 29), None, today, "input.refmedin") == (D(2028, 2, 29), D(2029, 2, 27))
    # other temporary types keep the 6-month default: 2026-09-14
    assert validity("23", today, None, today, "input.data") == (today, D(2026, 9, 14))


def test_a_region_setting_shortens_or_lengthens_it_and_a_later_end_is_refused() -> None:
    today = D(2026, 3, 15)
    assert validity("22", today, None, today, "input.refmedin", 6) == (today, D(2026, 9, 14))
    assert validity("22", today, D(2026, 9, 14), today, "input.refmedin", 6)[1] == D(2026, 9, 14)
    assert validity("22", today, None, today, "input.refmedin", 24) == (today, D(2028, 3, 14))
    with pytest.raises(Refusal) as e:
        validity("22", today, D(2027, 3, 15), today, "input.refmedin")  # one day past the year
    assert (e.value.code, e.value.field) == ("FILING_REFERRAL_TOO_LONG", "input.refmedin.enddate")
    assert e.value.params["last"] == D(2027, 3, 14)


def _world(cross_region: dict[str, object]) -> dict[str, object]:
    return {"catalogues": {"c": []}, "institutions": [], "persons": [],
            "regions": [{"admdvs": "370600", "name": "烟台市", "catalogue": "c", "benefits": [],
                         "cross_region": cross_region}]}  # fmt: skip


def test_the_world_file_sets_it_per_region() -> None:
    assert parse_world(_world({})).regions["370600"].cross_region.referral_months == 12
    assert parse_world(_world({"referral_months": 6})).regions["370600"].cross_region.referral_months == 6
    for bad in (0, "12", 1.5, True, 121):
        with pytest.raises(WorldFormatError, match=r"regions\[0\]\.cross_region\.referral_months: .* whole number"):
            parse_world(_world({"referral_months": bad}))
