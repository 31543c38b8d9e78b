"""The national ceiling on temporary-outing ratios [002], checked when a world file is loaded
(docs/world-format.md, `cross_region`; docs/seed-rules.md): at most 10 points below the local ratio
for emergency (21) and referral (22), at most 20 for other temporary outings (23)."""

import copy
from decimal import Decimal as D
from typing import Any

import pytest

from yibao.domain.benefit_policy import FilingKind, cross_region_benefit, find_rule
from yibao.world.loader import WorldFormatError, load_world, parse_world

FUSHUN_INPATIENT_310 = {"insutype": "310", "med_types": ["21"], "accum_group": "inpatient",
                        "deductible": "800.00", "ratio": "0.85", "annual_cap": "150000.00", "per_stay": True}


def world(cross_region: dict[str, Any]) -> dict[str, Any]:
    return {
        "catalogues": {"c": []},
        "regions": [{"admdvs": "210400", "name": "抚顺市", "catalogue": "c",
                     "benefits": [copy.deepcopy(FUSHUN_INPATIENT_310)], "cross_region": cross_region}],
        "institutions": [], "persons": [],
    }  # fmt: skip


def test_a_ratio_cut_within_the_ceilings_loads_without_warning() -> None:
    w = parse_world(world({"ratio_cut": {"21": "0.10", "22": "0.05", "23": "0.20"}}))
    assert w.warnings == []
    assert w.regions["210400"].cross_region.ratio_cut == {"21": D("0.10"), "22": D("0.05"), "23": D("0.20")}


@pytest.mark.parametrize(("kind", "cut", "ceiling"), [("21", "0.11", "0.10"), ("22", "0.15", "0.10"),
                                                      ("23", "0.25", "0.20")])  # fmt: skip
def test_a_ratio_cut_above_the_ceiling_is_refused_naming_the_path(kind: str, cut: str, ceiling: str) -> None:
    with pytest.raises(WorldFormatError) as e:
        parse_world(world({"ratio_cut": {kind: cut}}), "w.json")
    assert str(e.value).startswith(f"w.json: regions[0].cross_region.ratio_cut.{kind}: {cut} is above the national "
                                   f"ceiling of {ceiling}")  # fmt: skip


def test_an_override_further_below_local_than_the_ceiling_loads_with_a_warning() -> None:
    # Fushun art. 21 as the test world has it: 60 % for every temporary type against a local 85 %:
    # 85 − 60 = 25 points, above 10 (21, 22) and above 20 (23): three warnings, the world still loads.
    override = {"filing_kinds": ["21", "22", "23"], "category": "inpatient", "deductible": "3000.00",
                "per_stay": True, "ratios": {"310": "0.60"}}
    w = parse_world(world({"overrides": [override]}), "w.json")
    assert w.warnings == [
        f"w.json: regions[0].cross_region.overrides[0]: filing type {k} ({FilingKind.NAMES[k]}), insutype 310: "
        f"ratio 0.60 is 25 points below the local ratio 0.85 of benefits[0]; the national ceiling for {who} is "
        f"{points} points"
        for k, who, points in (("21", "referral and emergency", "10"), ("22", "referral and emergency", "10"),
                               ("23", "other temporary outings", "20"))
    ]  # fmt: skip


def test_an_override_at_the_ceiling_or_of_another_category_gives_no_warning() -> None:
    at_ceiling = {"filing_kinds": ["23"], "category": "inpatient", "deductible": "3000.00", "ratios": {"310": "0.65"}}
    outpatient = {"filing_kinds": ["21"], "category": "outpatient", "deductible": "0.00", "ratios": {"310": "0.10"}}
    assert parse_world(world({"overrides": [at_ceiling, outpatient]})).warnings == []  # 85 − 65 = 20


def test_the_demo_worlds_fushun_keeps_art_21_within_the_ceilings() -> None:
    w = load_world()
    assert w.warnings == []
    fushun = w.regions["210400"]

    def standard(kind: str, insutype: str) -> tuple[D, D, bool]:
        rule = find_rule(fushun.benefits, insutype, "1101" if insutype == "310" else "1501", "21", "3")
        assert rule is not None
        b = cross_region_benefit(rule, fushun.cross_region, kind, "inpatient", insutype)
        return b.deductible, b.ratio, b.per_stay

    # local inpatient: employees 80 %, residents 70 %. Other temporary outings: art. 21's 3000/stay, 60 % / 50 %
    # (20 points below); emergency and referral: 3000/stay, 70 % / 60 % (10 points below, the national ceiling).
    assert standard("23", "310") == (D("3000.00"), D("0.60"), True)
    assert standard("23", "390") == (D("3000.00"), D("0.50"), True)
    for kind in ("21", "22"):
        assert standard(kind, "310") == (D("3000.00"), D("0.70"), True)
        assert standard(kind, "390") == (D("3000.00"), D("0.60"), True)
