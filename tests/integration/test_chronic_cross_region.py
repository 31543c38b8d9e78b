"""Chronic-disease care across regions needs its own filing [003 art. 12]: a long-term filing opens
inpatient and general outpatient care at the filed place, not chronic and special diseases; those need
the chronic-disease cross-region filing (2505 biz_appy_type 01), which in turn needs the disease filed
(2503). P0001: employee (310/1101) insured in 110000 (hypertension rule 14:M03900: no deductible, 0.80),
living in 440300. Clock: 2026-03-15."""

from __future__ import annotations

import pytest
from lab import Item, LabRefused

from yibao.v1 import outpatient_pb2

SZ = "H44030000001"  # a hospital in 440300 (catalogue beta: A01 wholly in scope)


def chronic_visit(lab, psn: str = "P0001") -> object:  # type: ignore[no-untyped-def]
    mdtrt_id = lab.register(psn, inst=SZ)
    fee = lab.fee(mdtrt_id, psn, Item("A01", "1", "100.00"), batch="HTN")
    fee.dise_codg = "M03900"
    lab.call("2204", outpatient_pb2.UploadFeeDetailsInput(feedetail=[fee]), SZ, psn)
    return lab.settle(mdtrt_id, "100.00", psn=psn, inst=SZ, batch="HTN", med_type="14").output.setlinfo


def test_a_long_term_filing_does_not_open_chronic_care_its_own_filing_does(lab) -> None:
    long_term = lab.file_place("P0001", "440300", fil_type="12").output.result
    lab.file_chronic("P0001", "M03900", "高血压病")
    s = chronic_visit(lab)
    # only the long-term filing: no fund payment; the personal account pays the 100.00
    assert (s.hifp_pay, s.acct_pay, s.psn_cash_pay) == ("0.00", "100.00", "0.00")
    chronic = lab.file_place("P0001", "440300", biz="01").output.result  # beside the long-term filing
    assert (chronic.fil_type, chronic.mdtrtarea_admdvs) == ("12", "440300")
    s = chronic_visit(lab)
    # the home chronic standard: 100.00 × 0.80 = 80.00 from the pooled fund, 20.00 from the account
    assert (s.act_pay_dedc, s.hifp_pay, s.acct_pay) == ("0.00", "80.00", "20.00")
    [row] = lab.query_filings("P0001", biz="01")
    assert (row.trt_dcla_detl_sn, row.biz_appy_type, row.fil_stas) == (chronic.trt_dcla_detl_sn, "01", "1")
    assert [r.trt_dcla_detl_sn for r in lab.query_filings("P0001", biz="08")] == [long_term.trt_dcla_detl_sn]
    with pytest.raises(LabRefused) as e:  # one chronic cross-region filing at a time
        lab.file_place("P0001", "440300", biz="01")
    assert e.value.code == "FILING_ACTIVE_EXISTS"
    # and it is no lock of 6 months: it may be revoked at once
    assert lab.revoke_filing("2506", chronic.trt_dcla_detl_sn, "P0001").output.result.fil_stas == "3"


def test_the_chronic_cross_region_filing_needs_a_disease_filed_first(lab) -> None:
    with pytest.raises(LabRefused) as e:
        lab.file_place("P0001", "440300", biz="01")
    assert (e.value.code, e.value.field) == ("FILING_CHRONIC_CROSS_NO_DISEASE", "input.data.biz_appy_type")
    with pytest.raises(LabRefused) as e:  # a temporary type is no chronic cross-region filing
        lab.file_chronic("P0001", "M03900", "高血压病")
        lab.file_place("P0001", "440300", biz="01", fil_type="23")
    assert e.value.code == "FILING_KIND_BIZ"


def test_general_outpatient_and_stays_keep_following_the_long_term_filing(lab) -> None:
    lab.file_place("P0001", "440300", fil_type="12")
    lab.file_chronic("P0001", "M03900", "高血压病")
    lab.file_place("P0001", "440300", biz="01")
    s = lab.stay("P0001", [Item("A01", "1", "10000.00")], inst=SZ).output
    # home inpatient rule (310): deductible 1000.00/stay, 0.90 → (10000.00 − 1000.00) × 0.90 = 8100.00, under
    # the long-term filing, not the chronic one
    assert (s.setlinfo.act_pay_dedc, s.setlinfo.hifp_pay) == ("1000.00", "8100.00")
    [long_term] = lab.query_filings("P0001", biz="08")
    assert s.setltrace.trt_dcla_detl_sn == long_term.trt_dcla_detl_sn
