"""Benefits by filing type and chronic-disease settlement, by hand from tests/test_world.json.

P0004 is insured in 440300 (310 outpatient: no deductible, ratio 0.90) and treated at H11000000001 in
110000, whose catalogue splits B02 (乙 10%) 100.00 into preselfpay 10.00 and in scope 90.00.
"""

from __future__ import annotations

import pytest
from lab import Item, LabRefused

from yibao.domain.benefit_policy import FilingKind


def cross_region_outpatient(lab, psn: str = "P0004") -> tuple[str, str]:
    mdtrt_id = lab.register(psn)
    lab.upload(mdtrt_id, [Item("B02", "1", "100.00")], psn=psn)
    out = lab.settle(mdtrt_id, "100.00", psn=psn).output
    return out.setlinfo.hifp_pay, out.setltrace.benefit_basis


@pytest.mark.parametrize(
    ("fil_type", "biz", "fund", "why"),
    [
        ("12", "08", "81.00", "long-term resident: home standard 0.90 → 90 × 0.90"),
        ("13", "08", "81.00", "resident worker: home standard"),
        ("21", "07", "72.00", "emergency rescue: 0.90 − 0.10 = 0.80 → 90 × 0.80"),
        ("23", "07", "63.00", "other temporary outing: 0.90 − 0.20 = 0.70 → 90 × 0.70"),
    ],
)
def test_each_filing_type_sets_the_standard(lab, fil_type: str, biz: str, fund: str, why: str) -> None:
    lab.file_place("P0004", "110000", biz=biz, fil_type=fil_type)
    hifp, basis = cross_region_outpatient(lab)
    assert hifp == fund, why
    assert FilingKind.NAMES[fil_type] in basis


def test_referral_lowers_the_ratio_by_ten_points(lab) -> None:
    lab.refer("P0004", "110000", refl_type="3", reflin="H11000000001")
    hifp, basis = cross_region_outpatient(lab)
    assert hifp == "72.00" and "转诊" in basis  # 0.90 − 0.10 = 0.80 → 90 × 0.80


def test_without_a_filing_general_outpatient_gets_no_fund(lab) -> None:
    hifp, basis = cross_region_outpatient(lab)
    assert hifp == "0.00" and "未备案" in basis


def test_student_filing_keeps_the_home_standard(lab) -> None:
    # P0008: resident (390) university student insured in 210400; home outpatient rule: deductible 50.00, 0.60
    lab.file_place("P0008", "110000", biz="08", fil_type="31")
    mdtrt_id = lab.register("P0008")
    lab.upload(mdtrt_id, [Item("A01", "1", "100.00")], psn="P0008")
    s = lab.settle(mdtrt_id, "100.00", psn="P0008").output.setlinfo
    assert (s.act_pay_dedc, s.hifp_pay) == ("50.00", "30.00")  # (100 − 50) × 0.60


def test_chronic_disease_settles_per_disease_and_general_items_apart(lab) -> None:
    lab.file_chronic("P0001", "M03900", "高血压病")
    mdtrt_id = lab.register("P0001")
    from yibao.v1 import outpatient_pb2

    chronic = lab.fee(mdtrt_id, "P0001", Item("A01", "1", "100.00"), batch="HTN")
    chronic.dise_codg = "M03900"
    lab.call("2204", outpatient_pb2.UploadFeeDetailsInput(feedetail=[chronic]), psn="P0001")
    lab.upload(mdtrt_id, [Item("A01", "1", "300.00")], batch="GEN")
    c = lab.settle(mdtrt_id, "100.00", batch="HTN", med_type="14").output
    # hypertension rule (14:M03900): no deductible, 0.80, cap 3000.00 → 100 × 0.80 = 80.00
    assert (c.setlinfo.act_pay_dedc, c.setlinfo.hifp_pay, c.setlinfo.med_type) == ("0.00", "80.00", "14")
    g = lab.settle(mdtrt_id, "300.00", batch="GEN", med_type="11").output.setlinfo
    # general outpatient apart: deductible 200.00 untouched by the chronic batch; (300 − 200) × 0.70 = 70.00
    assert (g.act_pay_dedc, g.hifp_pay) == ("200.00", "70.00")


def test_chronic_settlement_needs_the_disease_filing(lab) -> None:
    from yibao.v1 import outpatient_pb2

    mdtrt_id = lab.register("P0001")
    item = lab.fee(mdtrt_id, "P0001", Item("A01", "1", "50.00"), batch="DM")
    item.dise_codg = "M01600"
    lab.call("2204", outpatient_pb2.UploadFeeDetailsInput(feedetail=[item]), psn="P0001")
    with pytest.raises(LabRefused) as e:
        lab.settle(mdtrt_id, "50.00", batch="DM", med_type="14")
    assert e.value.code == "SETL_CHRONIC_NOT_FILED" and "M01600" in e.value.detail.header.err_msg
    with pytest.raises(LabRefused) as e:  # a disease batch may not be settled as general outpatient
        lab.settle(mdtrt_id, "50.00", batch="DM", med_type="11")
    assert e.value.code == "SETL_CHRONIC_MED_TYPE"
    mixed = lab.fee(mdtrt_id, "P0001", Item("A01", "1", "5.00"), batch="DM")  # no dise_codg in the DM batch
    with pytest.raises(LabRefused) as e:
        lab.call("2204", outpatient_pb2.UploadFeeDetailsInput(feedetail=[mixed]), psn="P0001")
    assert e.value.code == "FEE_BATCH_DISEASE"


SZ = "H44030000001"  # P0004's home: 440300, catalogue beta (B02 乙 5%: 100.00 → 5.00 preselfpay, 95.00 in scope)


def home_outpatient(lab, psn: str = "P0004") -> object:
    mdtrt_id = lab.register(psn, inst=SZ)
    lab.upload(mdtrt_id, [Item("B02", "1", "100.00")], psn=psn, inst=SZ)
    return lab.settle(mdtrt_id, "100.00", psn=psn, inst=SZ).output


def test_commitment_long_term_filer_gets_no_fund_at_home_until_the_material_is_supplied(lab, clock) -> None:
    """003 art. 20: a long-term filing by commitment gives benefits both ways (双向) only once the material is in."""
    sn = lab.file_place("P0004", "110000", fil_type="12", cmtm="1").output.result.trt_dcla_detl_sn
    hifp, basis = cross_region_outpatient(lab)  # at the filed place: the home standard, 90.00 × 0.90
    assert hifp == "81.00" and "异地长期居住" in basis
    before = home_outpatient(lab)  # back home with the material still awaited: the funds pay nothing
    s = before.setlinfo
    assert (s.hifp_pay, s.fund_pay_sumamt, s.psn_part_amt, s.medfee_sumamt) == ("0.00", "0.00", "100.00", "100.00")
    assert list(before.setldetail) == []
    assert before.setltrace.trt_dcla_detl_sn == sn and before.setltrace.locality == "local"
    assert "承诺制" in before.setltrace.benefit_basis and "第二十条" in before.setltrace.benefit_basis
    clock.advance(days=30)
    lab.review_commitment(sn, "P0004", "1")  # material supplied and confirmed
    after = home_outpatient(lab)  # the home standard at home: 95.00 in scope × 0.90 = 85.50
    assert (after.setlinfo.hifp_pay, after.setlinfo.fund_pay_sumamt) == ("85.50", "85.50")
    assert after.setltrace.trt_dcla_detl_sn == "" and "本地就医" in after.setltrace.benefit_basis


def test_a_filing_with_full_material_keeps_home_benefits(lab) -> None:
    lab.file_place("P0004", "110000", fil_type="13")
    assert home_outpatient(lab).setlinfo.hifp_pay == "85.50"


def test_a_lapsed_commitment_no_longer_withholds_home_benefits(lab, clock) -> None:
    lab.file_place("P0004", "110000", fil_type="13", cmtm="1")  # material due 2026-09-15
    clock.advance(days=184)  # 2026-09-15: still awaited, still in time → withheld
    assert home_outpatient(lab).setlinfo.hifp_pay == "0.00"
    clock.advance(days=1)  # 2026-09-16: lapsed, the filing is cancelled: an ordinary local insured again
    assert home_outpatient(lab).setlinfo.hifp_pay == "85.50"


def test_a_partial_refund_settles_again_on_the_withheld_basis(lab) -> None:
    lab.file_place("P0004", "110000", fil_type="12", cmtm="1")
    mdtrt_id = lab.register("P0004", inst=SZ)
    items = [Item("B02", "1", "100.00"), Item("A01", "1", "50.00"), Item("A01", "1", "20.00")]
    rows = lab.upload(mdtrt_id, items, psn="P0004", inst=SZ).output.result
    first = lab.settle(mdtrt_id, "170.00", psn="P0004", inst=SZ).output
    basis = first.setltrace.benefit_basis
    assert first.setlinfo.fund_pay_sumamt == "0.00" and "第二十条" in basis
    again = lab.refund_items(first.setlinfo.setl_id, mdtrt_id, [rows[2].feedetl_sn], psn="P0004", inst=SZ).newsetl
    assert again.setlinfo.fund_pay_sumamt == "0.00" and again.setlinfo.medfee_sumamt == "150.00"
    assert again.setltrace.benefit_basis == f"部分退费后重新结算（原结算 {first.setlinfo.setl_id}）：{basis}"
    third = lab.refund_items(again.setlinfo.setl_id, mdtrt_id, [rows[1].feedetl_sn], psn="P0004", inst=SZ).newsetl
    assert third.setltrace.benefit_basis == f"部分退费后重新结算（原结算 {again.setlinfo.setl_id}）：{basis}"


def test_a_home_stay_is_withheld_too(lab) -> None:
    # P0003, retired employee insured in 110000, files long-term (11) to 440300 by commitment, then is admitted
    # at home (H11000000001). Without the filing: (10000.00 − 1000.00) × 0.90 = 8100.00 from the pooled fund.
    sn = lab.file_place("P0003", "440300", fil_type="11", cmtm="1").output.result.trt_dcla_detl_sn
    s = lab.stay("P0003", [Item("A01", "1", "10000.00")]).output
    assert (s.setlinfo.fund_pay_sumamt, s.setlinfo.act_pay_dedc, s.setlinfo.hifmi_pay) == ("0.00", "0.00", "0.00")
    assert s.setlinfo.psn_part_amt == "10000.00" and s.setltrace.trt_dcla_detl_sn == sn
    lab.review_commitment(sn, "P0003", "1")
    again = lab.stay("P0003", [Item("A01", "1", "10000.00")]).output.setlinfo  # a new stay, its own deductible
    assert (again.act_pay_dedc, again.hifp_pay) == ("1000.00", "8100.00")
