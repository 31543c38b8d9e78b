"""A settled cross-region case is not refunded to change the benefit standard [003 art. 26], detected from
what the HIS does: a refund, then the same items settled again under another filing. P0007: employee insured
in 210400 (the test world's Fushun rules: temporary inpatient 3000.00 a stay, 0.60; home 800.00, 0.85),
treated at a Beijing hospital (110000). Clock: 2026-03-15."""

from __future__ import annotations

import pytest
from lab import Item, LabRefused

H1 = "H11000000001"
ITEMS = [Item("A01", "1", "10000.00")]


def settled_stay(lab) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    mdtrt_id = lab.admit("P0007", inst=H1)
    lab.upload_stay(mdtrt_id, "P0007", ITEMS, inst=H1)
    lab.discharge(mdtrt_id, "P0007", inst=H1)
    s = lab.settle_stay(mdtrt_id, "P0007", "10000.00", inst=H1).output.setlinfo
    # no filing: the automatic temporary filing, (10000.00 − 3000.00) × 0.60 = 4200.00
    assert s.hifp_pay == "4200.00"
    return mdtrt_id, s.setl_id


def test_refunded_then_settled_again_under_a_new_filing_is_refused(lab) -> None:
    mdtrt_id, setl_id = settled_stay(lab)
    lab.cancel_stay_settlement(setl_id, mdtrt_id, "P0007", inst=H1)  # no refd_rea: the HIS does not say why
    sn = lab.file_place("P0007", "110000", fil_type="13").output.result.trt_dcla_detl_sn  # home standard
    with pytest.raises(LabRefused) as e:
        lab.settle_stay(mdtrt_id, "P0007", "10000.00", inst=H1)
    assert (e.value.code, e.value.field) == ("SETL_RESETTLE_BENEFIT_CHANGE", "input.data.mdtrt_id")
    assert setl_id in e.value.detail.message_zh and sn in e.value.detail.message_zh
    # the same items in a new stay of the same hospital: refused alike (same codes and line totals)
    again = lab.admit("P0007", inst=H1)
    lab.upload_stay(again, "P0007", ITEMS, inst=H1)
    lab.discharge(again, "P0007", inst=H1)
    with pytest.raises(LabRefused) as e:
        lab.settle_stay(again, "P0007", "10000.00", inst=H1)
    assert e.value.code == "SETL_RESETTLE_BENEFIT_CHANGE"


def test_settled_again_under_the_same_standard_or_other_items_is_allowed(lab) -> None:
    mdtrt_id, setl_id = settled_stay(lab)
    lab.cancel_stay_settlement(setl_id, mdtrt_id, "P0007", inst=H1)  # e.g. a correction (结算有误)
    assert lab.settle_stay(mdtrt_id, "P0007", "10000.00", inst=H1).output.setlinfo.hifp_pay == "4200.00"
    # other items under the new filing: the home standard, (5000.00 − 800.00) × 0.85 = 3570.00
    lab.file_place("P0007", "110000", fil_type="13")
    s = lab.stay("P0007", [Item("A01", "1", "5000.00")], inst=H1).output.setlinfo
    assert (s.act_pay_dedc, s.hifp_pay) == ("800.00", "3570.00")
