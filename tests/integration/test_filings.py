"""Filings over gRPC (2501–2506, 5301/5302, Y2505 change, Y2506 commitment review) and what the
settlement engine reads from them. The clock starts at 2026-03-15 10:00; every date is worked out in
the test. People (tests/test_world.json): P0003 retired employee (310/1201) insured in 110000; P0004
employee (310/1101) insured in 440300; P0007 employee (310/1101) insured in 210400 (Fushun rules);
P0008 resident student (390/1404) insured in 210400; P0001 employee and P0002 resident in 110000.
"""

from __future__ import annotations

from datetime import date

import pytest
from lab import Item, LabRefused

from yibao.simulators.core.filings import chronic_filings, filing_for
from yibao.storage import filings as filing_store

H1, H2, SZ = "H11000000001", "H11000000002", "H44030000001"  # two hospitals in 110000, one in 440300
# 2026-03-15 + 184 days = 2026-09-15 (16 days left in March, then 30+31+30+31+31 = 153, then 15)
TO_SEP_15 = 184


def refused(call, *args, **kw) -> LabRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(LabRefused) as e:
        call(*args, **kw)
    return e.value


def test_long_term_filing_is_valid_at_every_institution_of_the_filed_city(lab, served) -> None:
    # P0007 (insured in Fushun 210400) files as a resident worker (13) to a Beijing district: filed to 110000
    r = lab.file_place("P0007", "110105", fil_type="13").output.result
    assert (r.mdtrtarea_admdvs, r.fil_type, r.begndate, r.enddate, r.cmtm_flag) == (
        "110000", "13", "2026-03-15", "", "0")  # fmt: skip
    [row] = lab.query_filings("P0007")
    assert (row.trt_dcla_detl_sn, row.biz_appy_type, row.fil_type_name, row.fil_stas, row.vali_flag) == (
        r.trt_dcla_detl_sn, "08", "常驻异地工作", "1", "1")  # fmt: skip
    # Home (Fushun) inpatient standard at both Beijing hospitals: deductible 800.00/stay, ratio 0.85
    # → (10000.00 − 800.00) × 0.85 = 7820.00
    for inst in (H1, H2):
        s = lab.stay("P0007", [Item("A01", "1", "10000.00")], inst=inst).output
        assert s.setltrace.trt_dcla_detl_sn == r.trt_dcla_detl_sn
        assert (s.setlinfo.act_pay_dedc, s.setlinfo.hifp_pay) == ("800.00", "7820.00")
    # Shenzhen is not in the filed city: no filing, Fushun's temporary standard (3000.00, 0.60) → 4200.00
    s = lab.stay("P0007", [Item("A01", "1", "10000.00")], inst=SZ).output
    assert s.setltrace.trt_dcla_detl_sn == ""
    assert (s.setlinfo.act_pay_dedc, s.setlinfo.hifp_pay) == ("3000.00", "4200.00")
    with served.store.write() as tx:
        today = date(2026, 3, 15)
        assert filing_for(tx, "P0007", "310", "110105", today, today).trt_dcla_detl_sn == r.trt_dcla_detl_sn
        assert filing_for(tx, "P0007", "310", "440300", today, today) is None
        assert filing_for(tx, "P0007", "390", "110000", today, today) is None  # another insutype


def test_long_term_filing_is_valid_until_changed(lab, clock) -> None:
    sn = lab.file_place("P0003", "440300", fil_type="11").output.result.trt_dcla_detl_sn
    clock.advance(days=3 * 365)
    [row] = lab.query_filings("P0003")
    assert (row.trt_dcla_detl_sn, row.enddate, row.vali_flag) == (sn, "", "1")


def test_six_month_lock_names_the_effective_date_and_the_first_allowed_date(lab, clock) -> None:
    sn = lab.file_place("P0003", "440300", fil_type="11").output.result.trt_dcla_detl_sn
    clock.advance(days=TO_SEP_15 - 1)  # 2026-09-14
    e = refused(lab.revoke_filing, "2506", sn, "P0003")
    assert e.code == "FILING_LOCKED" and e.field == "input.data.trt_dcla_detl_sn"
    assert "2026-03-15 生效" in e.detail.message_zh and "最早可于 2026-09-15" in e.detail.message_zh
    assert "not before 2026-09-15" in e.detail.message_en
    e = refused(lab.change_filing, sn, "P0003", mdtrtarea_admdvs="210400")
    assert e.code == "FILING_LOCKED" and "不得变更" in e.detail.message_zh
    clock.advance(days=1)  # 2026-09-15: six months after taking effect
    r = lab.change_filing(sn, "P0003", mdtrtarea_admdvs="210400").output.result
    assert (r.init_trt_dcla_detl_sn, r.mdtrtarea_admdvs, r.begndate, r.enddate) == (sn, "210400", "2026-09-15", "")
    old, new = lab.query_filings("P0003")
    # the old version covered admissions up to the day before the change
    assert (old.trt_dcla_detl_sn, old.fil_stas, old.enddate, old.vali_flag) == (sn, "2", "2026-09-14", "0")
    assert (new.trt_dcla_detl_sn, new.fil_stas, new.init_trt_dcla_detl_sn) == (r.trt_dcla_detl_sn, "1", sn)
    # the change took effect on 2026-09-15: the new version is locked until 2027-03-15
    e = refused(lab.revoke_filing, "2506", r.trt_dcla_detl_sn, "P0003")
    assert e.code == "FILING_LOCKED" and "2026-09-15 生效" in e.detail.message_zh
    assert "最早可于 2027-03-15" in e.detail.message_zh
    clock.advance(days=181)  # 2026-09-15 + 181 days = 2027-03-15 (15 + 31 + 30 + 31 + 31 + 28 + 15)
    out = lab.revoke_filing("2506", r.trt_dcla_detl_sn, "P0003").output.result
    assert (out.fil_stas, out.enddate) == ("3", "2027-03-14")


def test_temporary_filing_revocation_and_one_filing_at_a_time(lab) -> None:
    # P0004 (insured in Shenzhen) registers an emergency stay in Beijing (07 → default type 21)
    r = lab.file_place("P0004", "110000", biz="07").output.result
    assert (r.fil_type, r.begndate, r.enddate) == ("21", "2026-03-15", "2026-09-14")  # 6 months, last day inclusive
    e = refused(lab.file_place, "P0004", "110000", biz="07", fil_type="23")
    assert e.code == "FILING_ACTIVE_EXISTS" and r.trt_dcla_detl_sn in e.detail.message_zh
    assert "2026-03-15 至 2026-09-14" in e.detail.message_zh and "撤销（2506）" in e.detail.message_zh
    # no lock on temporary filings; but a 2505 filing is revoked with 2506, not 2502
    assert refused(lab.revoke_filing, "2502", r.trt_dcla_detl_sn, "P0004").code == "FILING_WRONG_TXN"
    out = lab.revoke_filing("2506", r.trt_dcla_detl_sn, "P0004").output.result
    assert (out.fil_stas, out.enddate) == ("3", "2026-03-14")  # revoked today: nothing from today on
    e = refused(lab.revoke_filing, "2506", r.trt_dcla_detl_sn, "P0004")
    assert e.code == "FILING_NOT_ACTIVE" and "已撤销" in e.detail.message_zh and "2026-03-15" in e.detail.message_zh
    lab.file_place("P0004", "110000", biz="07", fil_type="23", enddate="2026-04-30")  # the slot is free again


def test_temporary_filing_change_keeps_its_end(lab) -> None:
    r = lab.file_place("P0004", "110000", biz="07", fil_type="23").output.result
    c = lab.change_filing(r.trt_dcla_detl_sn, "P0004", mdtrtarea_admdvs="210400").output.result
    assert (c.fil_type, c.mdtrtarea_admdvs, c.begndate, c.enddate) == ("23", "210400", "2026-03-15", "2026-09-14")
    e = refused(lab.change_filing, c.trt_dcla_detl_sn, "P0004", mdtrtarea_admdvs="210400")
    assert e.code == "FILING_NO_CHANGE"
    e = refused(lab.change_filing, r.trt_dcla_detl_sn, "P0004", enddate="2026-05-01")
    assert e.code == "FILING_NOT_ACTIVE" and "已变更" in e.detail.message_zh


def test_referral_gives_a_type_22_filing_seen_by_5302(lab) -> None:
    r = lab.refer("P0004", "110000", "3", reflin=H1).output.result  # Shenzhen → Beijing: 转往省外异地
    assert (r.fil_type, r.mdtrtarea_admdvs, r.enddate) == ("22", "110000", "2027-03-14")  # a year [001]
    [row] = lab.query_filings("P0004", biz="06")
    assert (row.infno, row.refl_type, row.reflin_medins_no, row.fil_type_name) == ("2501", "3", H1, "转诊转院")
    assert lab.query_filings("P0004", biz="08") == []
    e = refused(lab.file_place, "P0004", "110000", fil_type="13")
    assert e.code == "FILING_ACTIVE_EXISTS" and "撤销（2502）" in e.detail.message_zh
    assert refused(lab.revoke_filing, "2506", r.trt_dcla_detl_sn, "P0004").code == "FILING_WRONG_TXN"
    assert lab.revoke_filing("2502", r.trt_dcla_detl_sn, "P0004").output.result.fil_stas == "3"


def test_referral_and_place_checks(lab) -> None:
    e = refused(lab.refer, "P0004", "110000", "2", reflin=H1)  # Shenzhen → Beijing is not in-province
    assert e.code == "FILING_REFL_TYPE" and e.field == "input.refmedin.refl_type"
    e = refused(lab.refer, "P0004", "110000", "3", reflin=SZ)  # the receiving hospital is in Shenzhen
    assert e.code == "FILING_MEDINS_PLACE" and "440300" in e.detail.message_zh
    e = refused(lab.file_place, "P0001", "110105", fil_type="12")  # a Beijing district for a Beijing insured
    assert e.code == "FILING_LOCAL_PLACE"
    # a referral within the insured city is recorded but is no cross-region filing
    lab.refer("P0001", "110000", "1", reflin=H2)
    lab.file_place("P0001", "440300", biz="07", fil_type="23")
    assert [f.fil_type for f in lab.query_filings("P0001")] == ["22", "23"]
    assert refused(lab.file_place, "P0004", "", fixmedins_code="").code == "ENV_REQUIRED"
    # the national 2505 names an institution: the filing goes to its city
    assert lab.file_place("P0004", "", biz="07", fixmedins_code=H2).output.result.mdtrtarea_admdvs == "110000"
    assert refused(lab.file_place, "P0004", "11000", biz="07").code == "ENV_FORMAT"
    assert refused(lab.file_place, "P0004", "110000", biz="03").code == "ENV_CODE"
    assert refused(lab.file_place, "P0004", "110000", biz="08", fil_type="21").code == "FILING_KIND_BIZ"
    e = refused(lab.file_place, "P0004", "110000", biz="07", begndate="2026-03-14")
    assert e.code == "FILING_BEGNDATE_PAST" and "2026-03-14" in e.detail.message_zh
    e = refused(lab.file_place, "P0004", "110000", fil_type="13", enddate="2027-03-14")
    assert e.code == "FILING_LONG_TERM_ENDDATE"


def test_who_may_file_which_type(lab) -> None:
    assert lab.file_place("P0008", "110000", fil_type="31").output.result.enddate == ""  # a student may file
    e = refused(lab.file_place, "P0002", "440300", fil_type="31")
    assert e.code == "FILING_PSN_TYPE" and "1501" in e.detail.message_zh
    assert refused(lab.file_place, "P0004", "110000", fil_type="11").code == "FILING_PSN_TYPE"  # not retired
    assert refused(lab.file_place, "P0004", "110000", biz="07", cmtm="1").code == "FILING_COMMITMENT_KIND"
    e = refused(lab.file_place, "P0004", "110000", biz="07", inst="P11000000001")
    assert e.code == "AUTH_INSTITUTION_TYPE"
    e = refused(lab.call, "5302", _q("P0004"), psn="P0004", insuplc_admdvs="110000")
    assert e.code == "ENV_INSUPLC"
    assert lab.call("5302", _q("P0004"), "P11000000001", "P0004").output.psnfixmedin == []  # pharmacies may query


def _q(psn: str):  # type: ignore[no-untyped-def]
    from yibao.v1 import filing_pb2

    return filing_pb2.DesignationQueryInput(data=filing_pb2.DesignationQueryData(psn_no=psn))


def test_overdue_commitment_lapses_and_bars_commitment_filing_for_twelve_months(lab, clock, served) -> None:
    r = lab.file_place("P0003", "440300", fil_type="11", cmtm="1").output.result
    assert (r.cmtm_flag, r.matl_due_date) == ("1", "2026-09-15")  # material due 6 months after taking effect
    clock.advance(days=TO_SEP_15)  # 2026-09-15: the due date itself is still in time
    [row] = lab.query_filings("P0003")
    assert (row.fil_stas, row.matl_stas, row.vali_flag) == ("1", "0", "1")
    clock.advance(days=1)  # 2026-09-16: lapsed → cancelled from that day, banned 2026-09-16 … 2027-09-15
    [row] = lab.query_filings("P0003")
    assert (row.fil_stas, row.matl_stas, row.enddate, row.vali_flag) == ("4", "3", "2026-09-15", "0")
    e = refused(lab.file_place, "P0003", "440300", fil_type="11", cmtm="1")
    assert e.code == "FILING_COMMITMENT_BANNED" and e.field == "input.data.cmtm_flag"
    assert "逾期未补充于 2026-09-16 被取消" in e.detail.message_zh
    assert "2026-09-16 至 2027-09-15" in e.detail.message_zh and "最早可于 2027-09-16" in e.detail.message_zh
    assert refused(lab.review_commitment, r.trt_dcla_detl_sn, "P0003", "1").code == "FILING_NOT_ACTIVE"
    clock.advance(days=364)  # 2027-09-15: the ban's last day
    assert refused(lab.file_place, "P0003", "440300", fil_type="11", cmtm="1").code == "FILING_COMMITMENT_BANNED"
    clock.advance(days=1)  # 2027-09-16
    again = lab.file_place("P0003", "440300", fil_type="11", cmtm="1").output.result
    assert again.matl_due_date == "2028-03-16"
    with served.store.read() as tx:
        [ban] = filing_store.bans(tx, "P0003")
        assert (ban.trt_dcla_detl_sn, str(ban.begndate), str(ban.enddate)) == (r.trt_dcla_detl_sn, "2026-09-16",
                                                                                "2027-09-15")  # fmt: skip


def test_filing_for_writes_the_lapse_it_notices(lab, clock, served) -> None:
    sn = lab.file_place("P0003", "440300", fil_type="12", cmtm="1").output.result.trt_dcla_detl_sn
    clock.advance(days=TO_SEP_15 + 1)  # 2026-09-16, nobody looked since
    sep = date(2026, 9, 10), date(2026, 9, 16)
    with served.store.write() as tx:
        # admitted 2026-09-10, inside the validity (up to 2026-09-15): still covered when settled after the lapse
        assert filing_for(tx, "P0003", "310", "440305", sep[0], sep[1]).trt_dcla_detl_sn == sn
        assert filing_for(tx, "P0003", "310", "440305", sep[1], sep[1]) is None
    with served.store.read() as tx:
        row = filing_store.filing_row(tx, sn)
        assert (row.fil_stas, row.matl_stas, row.stop_date) == ("4", "3", "2026-09-16")
        assert [str(b.begndate) for b in filing_store.bans(tx, "P0003")] == ["2026-09-16"]


def test_review_confirms_or_cancels_a_commitment_filing(lab, clock) -> None:
    ok = lab.file_place("P0003", "440300", fil_type="12", cmtm="1").output.result.trt_dcla_detl_sn
    clock.advance(days=30)  # 2026-04-14
    res = lab.review_commitment(ok, "P0003", "1").output.result
    assert (res.fil_stas, res.matl_stas, res.ban_begndate) == ("1", "1", "")
    e = refused(lab.review_commitment, ok, "P0003", "1")
    assert e.code == "FILING_MATERIAL_DONE" and "2026-04-14" in e.detail.message_zh
    clock.advance(days=TO_SEP_15)  # long after the due date: confirmed material does not lapse
    assert lab.query_filings("P0003")[0].fil_stas == "1"

    plain = lab.file_place("P0004", "110000", fil_type="13").output.result.trt_dcla_detl_sn
    assert refused(lab.review_commitment, plain, "P0004", "2").code == "FILING_NOT_COMMITMENT"


def test_false_commitment_is_cancelled_at_once_and_bars_for_twelve_months(lab, clock) -> None:
    sn = lab.file_place("P0004", "110000", fil_type="13", cmtm="1").output.result.trt_dcla_detl_sn
    clock.advance(days=10)  # 2026-03-25: the agency finds the material false
    res = lab.review_commitment(sn, "P0004", "2").output.result
    # cancelled from today (last valid day 2026-03-24); no commitment filing 2026-03-25 … 2027-03-24
    assert (res.fil_stas, res.matl_stas, res.enddate) == ("4", "2", "2026-03-24")
    assert (res.ban_begndate, res.ban_enddate) == ("2026-03-25", "2027-03-24")
    e = refused(lab.file_place, "P0004", "110000", fil_type="13", cmtm="1")
    assert e.code == "FILING_COMMITMENT_BANNED" and "虚假" in e.detail.message_zh
    assert "2026-03-25 至 2027-03-24" in e.detail.message_zh and "最早可于 2027-03-25" in e.detail.message_zh
    # a filing with full material is still possible
    assert lab.file_place("P0004", "110000", fil_type="13").output.result.cmtm_flag == "0"


def test_late_filing_made_during_the_stay_applies_at_discharge(lab, clock, served) -> None:
    mdtrt_id = lab.admit("P0007")  # admitted 2026-03-15 in Beijing without a filing
    clock.advance(days=2)
    sn = lab.file_place("P0007", "110000", fil_type="13").output.result.trt_dcla_detl_sn  # 2026-03-17
    with served.store.write() as tx:
        assert filing_for(tx, "P0007", "310", "110000", date(2026, 3, 15), date(2026, 3, 17)).trt_dcla_detl_sn == sn
    up = lab.upload_stay(mdtrt_id, "P0007", [Item("A01", "1", "10000.00")])
    assert up.output.result[0].det_item_fee_sumamt == "10000.00"
    clock.advance(days=3)
    lab.discharge(mdtrt_id, "P0007")
    s = lab.settle_stay(mdtrt_id, "P0007", "10000.00").output
    # settled under the resident-worker filing: home standard 800.00, (10000.00 − 800.00) × 0.85 = 7820.00
    assert s.setltrace.trt_dcla_detl_sn == sn
    assert (s.setlinfo.act_pay_dedc, s.setlinfo.hifp_pay) == ("800.00", "7820.00")


def test_chronic_disease_filing_create_query_revoke(lab, clock, served) -> None:
    r = lab.file_chronic("P0001", "M03900", "高血压").output.result
    assert (r.begndate, r.enddate) == ("2026-03-15", "")
    [row] = lab.query_chronic("P0001")
    assert (row.opsp_dise_code, row.opsp_dise_name, row.begndate, row.enddate, row.vali_flag) == (
        "M03900", "高血压", "2026-03-15", "", "1")  # fmt: skip
    e = refused(lab.file_chronic, "P0001", "M03900", "高血压")
    assert e.code == "FILING_CHRONIC_EXISTS" and r.trt_dcla_detl_sn in e.detail.message_zh
    e = refused(lab.file_chronic, "P0001", "M99999", "未列病种")
    assert e.code == "FILING_CHRONIC_NOT_LISTED" and "M01600、M03900" in e.detail.message_zh
    assert refused(lab.file_chronic, "P0002", "M03900", "高血压").code == "FILING_CHRONIC_NOT_LISTED"  # 390: none
    assert refused(lab.file_chronic, "P0001", "M01600", "糖尿病", insu_optins="440300").code == "FILING_INSU_OPTINS"
    lab.file_chronic("P0001", "M01600", "糖尿病", enddate="2026-06-30")
    with served.store.read() as tx:
        assert chronic_filings(tx, "P0001", "310", date(2026, 3, 15)) == ["M01600", "M03900"]
        assert chronic_filings(tx, "P0001", "310", date(2026, 7, 1)) == ["M03900"]  # M01600 ended 2026-06-30
    clock.advance(days=1)
    out = lab.revoke_filing("2504", r.trt_dcla_detl_sn, "P0001").output.result
    assert (out.fil_stas, out.enddate) == ("3", "2026-03-15")
    by_code = {f.opsp_dise_code: f for f in lab.query_chronic("P0001")}
    assert (by_code["M03900"].fil_stas, by_code["M03900"].vali_flag) == ("3", "0")
    assert refused(lab.revoke_filing, "2504", r.trt_dcla_detl_sn, "P0001").code == "FILING_NOT_ACTIVE"
    assert refused(lab.revoke_filing, "2504", r.trt_dcla_detl_sn, "P0003").code == "FILING_NOT_FOUND"
    with served.store.read() as tx:
        assert chronic_filings(tx, "P0001", "310", date(2026, 3, 16)) == ["M01600"]
