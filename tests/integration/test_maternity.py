"""Maternity (生育) [003 art. 3, 19, 22]: a med_type 52 stay settles under the insured place's maternity rule,
paid by the maternity fund (510100); elsewhere in the province with no filing at the local standard (art. 22,
免申即享), across provinces like any stay. P0007: employee (310/1101) insured in 210400, whose maternity rule
here is: no deductible, 100 % of the in-scope amount, 5000.00 a year from 510100. Clock: 2026-03-15."""

from __future__ import annotations

import json

import lab as labmod
import pytest
from lab import Item

from yibao.domain.world import World
from yibao.world.loader import WorldFormatError, parse_world

SHENYANG, BEIJING = "H21010000001", "H11000000001"
MATERNITY = {"insutype": "310", "med_types": ["51", "52"], "accum_group": "maternity", "deductible": "0.00",
             "ratio": "1.00", "annual_cap": "5000.00", "fund": "510100"}  # fmt: skip


def _raw() -> dict:  # type: ignore[type-arg]
    from conftest import TEST_WORLD

    raw = json.loads(TEST_WORLD.read_text("utf-8"))
    fushun = next(r for r in raw["regions"] if r["admdvs"] == "210400")
    fushun["benefits"].insert(0, dict(MATERNITY))
    raw["regions"].append({"admdvs": "210100", "name": "丁市（同省）", "catalogue": "beta", "benefits": []})
    raw["institutions"].append({"fixmedins_code": SHENYANG, "fixmedins_name": "丁市医院", "fixmedins_type": "1",
                                "hosp_lv": "3", "admdvs": "210100"})  # fmt: skip
    return raw


@pytest.fixture
def world() -> World:
    return parse_world(_raw(), "test_world+maternity")


@pytest.fixture(autouse=True)
def _lab_knows_shenyang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(labmod.NAMES, SHENYANG, ("丁市医院", "210100"))


def _maternity_stay(lab, total: str, inst: str):  # type: ignore[no-untyped-def]
    return lab.stay("P0007", [Item("A01", "1", total)], med_type="52", inst=inst).output


def test_a_maternity_stay_in_the_province_is_paid_by_the_maternity_fund_at_the_local_standard(lab) -> None:
    out = _maternity_stay(lab, "6000.00", SHENYANG)
    s = out.setlinfo
    # 6000.00 in scope × 1.00 = 6000.00, capped at 5000.00 a year: 5000.00 from 510100, 1000.00 the person's
    assert (s.med_type, s.act_pay_dedc, s.hifp_pay, s.fund_pay_sumamt, s.psn_part_amt) == (
        "52", "0.00", "5000.00", "5000.00", "1000.00")  # fmt: skip
    assert [(d.fund_pay_type, d.fund_payamt) for d in out.setldetail] == [("510100", "5000.00")]
    assert out.setltrace.trt_dcla_detl_sn == ""  # no filing needed (art. 22)
    # the year's cap is used up: a second stay gets nothing from the fund
    assert _maternity_stay(lab, "1000.00", SHENYANG).setlinfo.hifp_pay == "0.00"


def test_across_provinces_a_maternity_stay_follows_the_temporary_standard_with_the_maternity_fund(lab) -> None:
    out = _maternity_stay(lab, "6000.00", BEIJING)
    # no filing: the automatic temporary filing, Fushun's art. 21 figures: (6000.00 − 3000.00) × 0.60 = 1800.00
    assert (out.setlinfo.act_pay_dedc, out.setlinfo.hifp_pay) == ("3000.00", "1800.00")
    assert [(d.fund_pay_type, d.fund_payamt) for d in out.setldetail] == [("510100", "1800.00")]


def test_a_rule_names_no_other_fund() -> None:
    raw = _raw()
    raw["regions"][2]["benefits"][0]["fund"] = "330100"
    with pytest.raises(WorldFormatError, match=r"regions\[2\]\.benefits\[0\]\.fund: '330100' must be 510100"):
        parse_world(raw, "w")
