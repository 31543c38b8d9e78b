"""Hardship groups in the province [003 art. 21]: a member of a hardship group insured in Fushun
(210400, the test world's Fushun rules) admitted without a filing to a hospital elsewhere in the
province (Shenyang, 210100) keeps the local inpatient standard, with the deductible counted
continuously (once a year across stays); others get the temporary standard. Clock: 2026-03-15."""

from __future__ import annotations

import json

import lab as labmod
import pytest
from lab import Item

from yibao.domain.world import World
from yibao.world.loader import parse_world

SHENYANG = "H21010000001"
POOR, OTHER = "P0101", "P0102"  # residents (390/1501) insured in 210400; POOR has 2301 低保对象


@pytest.fixture
def world() -> World:
    from conftest import TEST_WORLD

    raw = json.loads(TEST_WORLD.read_text("utf-8"))
    fushun = next(r for r in raw["regions"] if r["admdvs"] == "210400")
    fushun["cross_region"]["hardship_idet_types"] = ["2301"]
    raw["regions"].append({"admdvs": "210100", "name": "丁市（同省）", "catalogue": "beta", "benefits": []})
    raw["institutions"].append({"fixmedins_code": SHENYANG, "fixmedins_name": "丁市医院", "fixmedins_type": "1",
                                "hosp_lv": "3", "admdvs": "210100"})  # fmt: skip
    for psn, idet in ((POOR, [{"psn_idet_type": "2301", "memo": "低保对象"}]), (OTHER, [])):
        raw["persons"].append({"psn_no": psn, "psn_name": "困难户" if idet else "普通户", "brdy": "1960-01-01",
                               "certno": f"2104001960010100{psn[-2:]}", "ec_token": f"EC{psn[1:]}",
                               "idetinfo": idet,
                               "insurances": [{"insutype": "390", "psn_type": "1501", "insuplc_admdvs": "210400"}]})
    return parse_world(raw, "test_world+hardship")


@pytest.fixture(autouse=True)
def _lab_knows_them(monkeypatch: pytest.MonkeyPatch) -> None:
    for psn in (POOR, OTHER):
        monkeypatch.setitem(labmod.INSUTYPE, psn, "390")
        monkeypatch.setitem(labmod.CERT, psn, f"EC{psn[1:]}")
        monkeypatch.setitem(labmod.INSURED_PLACE, psn, "210400")
    monkeypatch.setitem(labmod.NAMES, SHENYANG, ("丁市医院", "210100"))


def _paid(lab, psn: str, inst: str) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    s = lab.stay(psn, [Item("A01", "1", "10000.00")], inst=inst).output.setlinfo
    return s.act_pay_dedc, s.hifp_pay, s.psn_part_amt


def test_a_hardship_member_keeps_the_local_standard_and_a_continuous_deductible(lab) -> None:
    # Fushun's local resident inpatient rule: deductible 600.00, ratio 0.75.
    # 1st stay: (10000.00 − 600.00) × 0.75 = 7050.00; the person pays 600.00 + 2350.00 = 2950.00
    assert _paid(lab, POOR, SHENYANG) == ("600.00", "7050.00", "2950.00")
    # 2nd stay, same year: the deductible is already met (counted continuously): 10000.00 × 0.75 = 7500.00
    assert _paid(lab, POOR, SHENYANG) == ("0.00", "7500.00", "2500.00")


def test_others_and_care_outside_the_province_get_the_temporary_standard(lab) -> None:
    # Fushun's temporary inpatient standard (art. 21): 3000.00 a stay, residents 0.50:
    # (10000.00 − 3000.00) × 0.50 = 3500.00, again at each stay
    assert _paid(lab, OTHER, SHENYANG) == ("3000.00", "3500.00", "6500.00")
    assert _paid(lab, OTHER, SHENYANG) == ("3000.00", "3500.00", "6500.00")
    # the hardship member in another province (Beijing): temporary standard too
    assert _paid(lab, POOR, "H11000000001") == ("3000.00", "3500.00", "6500.00")
