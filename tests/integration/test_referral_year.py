"""A referral (2501) holds for the insured place's referral_months: one year by default [001 item 3.3],
six months where a region says so; a later enddate is refused naming the last allowed day. The clock
starts at 2026-03-15 10:00. P0004: employee insured in Shenzhen (440300), referred to Beijing (110000)."""

from __future__ import annotations

import dataclasses

import pytest
from lab import LabRefused

from yibao.domain.world import World
from yibao.world.loader import load_world

H1 = "H11000000001"  # a hospital in 110000


@pytest.fixture
def world(request: pytest.FixtureRequest) -> World:
    from conftest import TEST_WORLD

    w = load_world(TEST_WORLD)
    months = getattr(request, "param", None)
    if months is not None:
        sz = w.regions["440300"]
        policy = dataclasses.replace(sz.cross_region, referral_months=months)
        w.regions["440300"] = dataclasses.replace(sz, cross_region=policy)
    return w


def test_a_referral_holds_one_year_and_no_longer(lab, clock) -> None:
    r = lab.refer("P0004", "110000", "3", reflin=H1).output.result
    assert (r.begndate, r.enddate) == ("2026-03-15", "2027-03-14")  # 2026-03-15 + 12 months − 1 day
    lab.revoke_filing("2502", r.trt_dcla_detl_sn, "P0004")
    with pytest.raises(LabRefused) as e:
        lab.refer("P0004", "110000", "3", reflin=H1, enddate="2027-03-15")
    assert (e.value.code, e.value.field) == ("FILING_REFERRAL_TOO_LONG", "input.refmedin.enddate")
    assert "2027-03-14" in e.value.detail.message_zh and "12 个月" in e.value.detail.message_zh
    # still valid on its last day, for repeated treatment: 2026-03-15 + 364 days = 2027-03-14
    r = lab.refer("P0004", "110000", "3", reflin=H1).output.result
    clock.advance(days=364)
    [row] = [f for f in lab.query_filings("P0004") if f.trt_dcla_detl_sn == r.trt_dcla_detl_sn]
    assert row.vali_flag == "1"
    clock.advance(days=1)
    [row] = [f for f in lab.query_filings("P0004") if f.trt_dcla_detl_sn == r.trt_dcla_detl_sn]
    assert row.vali_flag == "0"


@pytest.mark.parametrize("world", [6], indirect=True)
def test_a_region_may_set_six_months(lab) -> None:
    r = lab.refer("P0004", "110000", "3", reflin=H1).output.result
    assert r.enddate == "2026-09-14"  # 2026-03-15 + 6 months − 1 day
