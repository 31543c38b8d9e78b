"""Basic information and person queries over gRPC (docs/queries.md): 1201, 1901, 1312, 2001, 5201, 5202, 5204,
5205, 5206, 5303, 5304, on SQLite and PostgreSQL.

Figures by hand from tests/test_world.json: P0001 is an employee (310, psn_type 1101) insured in 110000, whose
table gives general outpatient (11/13) deductible 200.00 a year, ratio 0.70, cap 1000.00; inpatient per stay
1000.00, 0.90, cap 50000.00; hypertension (14:M03900) 0.00, 0.80, cap 3000.00; diabetes (14:M01600) 0.00, 0.70,
cap 2000.00. Catalogue alpha (110000): A01 甲, C03 丙. The clock stands at 2026-03-15 10:00:00.
"""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf import json_format
from lab import HOSPITAL, Item, Lab, LabRefused

from yibao.v1 import inquiry_pb2 as q
from yibao.v1 import outpatient_pb2

OTHER = "H11000000002"  # another hospital of 110000
DAY = ("2026-03-01", "2026-03-31")


def rows(message: Any) -> list[dict[str, str]]:
    return [json_format.MessageToDict(m, preserving_proto_field_name=True) for m in message]


def ask(lab: Lab, infno: str, inst: str = HOSPITAL, psn: str | None = None, **data: str) -> Any:
    request = {
        "1201": lambda: q.MedinsQueryInput(medinsinfo=q.MedinsQueryData(**data)),
        "1901": lambda: q.DictQueryInput(data=q.DictQueryData(**data)),
        "1312": lambda: q.HilistQueryInput(data=q.HilistQueryData(**data)),
        "2001": lambda: q.TrtCheckInput(data=q.TrtCheckData(**data)),
        "5201": lambda: q.VisitQueryInput(data=q.VisitQueryData(**data)),
        "5202": lambda: q.DiagQueryInput(data=q.DiagQueryData(**data)),
        "5204": lambda: q.FeeListQueryInput(data=q.FeeListQueryData(**data)),
        "5205": lambda: q.OpspDrugQueryInput(data=q.OpspDrugQueryData(**data)),
        "5206": lambda: q.CumQueryInput(data=q.CumQueryData(**data)),
        "5303": lambda: q.InhospQueryInput(data=q.InhospQueryData(**data)),
        "5304": lambda: q.ReflQueryInput(data=q.ReflQueryData(**data)),
    }[infno]()
    return lab.call(infno, request, inst, psn).output


def refused(lab: Lab, infno: str, **kw: Any) -> LabRefused:
    with pytest.raises(LabRefused) as e:
        ask(lab, infno, **kw)
    return e.value


def test_1201_institutions_by_type_and_name(lab: Lab) -> None:
    found = rows(ask(lab, "1201", fixmedins_type="1", fixmedins_name="甲市").medinsinfo)
    assert [(r["fixmedins_code"], r["hosp_lv"], r["vali_flag"]) for r in found] == [
        ("H11000000001", "3", "1"), ("H11000000002", "2", "1"), ("H11000000009", "2", "0")]  # fmt: skip
    assert [r["fixmedins_code"] for r in rows(ask(lab, "1201", fixmedins_type="2").medinsinfo)] == ["P11000000001"]
    assert refused(lab, "1201", fixmedins_type="7").code == "ENV_CODE"


def test_1901_code_lists(lab: Lab) -> None:
    levels = rows(ask(lab, "1901", type="chrgitm_lv", admdvs="110000").list)
    assert [(r["value"], r["label"], r["sort"]) for r in levels] == [("01", "甲类", "1"), ("02", "乙类", "2"),
                                                                     ("03", "丙类", "3")]  # fmt: skip
    assert refused(lab, "1901", type="colour", admdvs="110000").code == "DICT_TYPE_NOT_FOUND"
    assert refused(lab, "1901", type="insutype", admdvs="999999").code == "REGION_NOT_FOUND"


def test_1312_catalogue_page_by_page(lab: Lab) -> None:
    # alpha sorted by code: A01 B02 C03 CT1 NP1 R01 S01 → page 2 of 3-row pages is CT1 NP1 R01; 7 rows, 3 pages
    out = ask(lab, "1312", updt_time="2026-01-01 00:00:00", page_num="2", page_size="3")
    assert [r.hilist_code for r in out.data] == ["CT1", "NP1", "R01"]
    assert (out.recordCounts, out.pages, out.page_num, out.page_size) == ("7", "3", "2", "3")
    ct1, np1, r01 = out.data
    assert (ct1.chrgitm_lv, ct1.selfpay_prop, ct1.pric_uplmt_amt, ct1.insu_admdvs) == ("02", "0.08", "180.00", "110000")
    assert (np1.payable_flag, r01.lmt_used_flag, r01.lmt_dscr) == ("0", "1", "限二线用药")
    services = ask(lab, "1312", updt_time="2026-01-01 00:00:00", page_num="1", page_size="100", list_type="201")
    assert [r.hilist_code for r in services.data] == ["CT1", "S01"]
    beta = ask(lab, "1312", updt_time="2026-01-01 00:00:00", page_num="1", page_size="10", insu_admdvs="440300")
    assert [(r.hilist_code, r.selfpay_prop) for r in beta.data] == [("A01", "0"), ("B02", "0.05")]
    too_big = refused(lab, "1312", updt_time="2026-01-01 00:00:00", page_num="1", page_size="101")
    assert (too_big.code, too_big.field) == ("ENV_FORMAT", "input.data.page_size")


def check(lab: Lab, psn: str, med_type: str, inst: str = HOSPITAL, **data: str) -> list[tuple[str, str, str]]:
    from lab import INSUTYPE

    out = ask(lab, "2001", inst, psn, psn_no=psn, insutype=INSUTYPE[psn], med_type=med_type,
              begntime="2026-03-15 09:00:00", **data)  # fmt: skip
    return [(r.trt_chk_type, r.trt_enjymnt_flag, r.trt_chk_rslt) for r in out.trtinfo]


def test_2001_local_employee_enjoys_the_home_standard(lab: Lab) -> None:
    assert check(lab, "P0001", "11") == [
        ("01", "1", "参保状态正常"),
        ("02", "1", "参保地待遇：起付线 200.00，支付比例 0.70，年度限额 1000.00（年度起付，累计组 outpatient）"),
        ("04", "1", "本地就医：参保地本地待遇"),
    ]


def test_2001_says_why_not(lab: Lab) -> None:
    # P0005's insurance is suspended (psn_insu_stas 2): nothing else is checked
    assert check(lab, "P0005", "11") == [("01", "0", "参保状态 2（暂停或终止参保）：不享受待遇")]
    # P0002 (resident, 390): the table has no chronic-disease rule for 390
    (_, (kind, flag, why)) = check(lab, "P0002", "14", dise_codg="M03900")
    assert (kind, flag) == ("02", "0") and "14:M03900" in why
    # P0001 hypertension without its 2503 filing, then with it
    assert check(lab, "P0001", "14", dise_codg="M03900")[2][:2] == ("03", "0")
    lab.file_chronic("P0001", "M03900", "高血压病")
    assert check(lab, "P0001", "14", dise_codg="M03900")[2][:2] == ("03", "1")


def test_2001_across_regions_follows_the_filing_rules(lab: Lab) -> None:
    # P0004 is insured in 440300 and treated in 110000 (cross-province) with no filing: outpatient care has no fund
    # benefit (account only), a stay is covered by the automatic temporary filing
    outpatient = check(lab, "P0004", "11")[-1]
    assert outpatient == ("04", "0", "未备案或无统筹待遇：基金不予支付，个人账户可支付")
    assert check(lab, "P0004", "21")[-1][:2] == ("04", "1")
    unknown = refused(lab, "2001", psn="P0004", psn_no="P0004", insutype="310", med_type="11",
                      begntime="2026-03-15 09:00:00", fixmedins_code="H00000000000")  # fmt: skip
    assert (unknown.code, unknown.field) == ("QUERY_INSTITUTION_NOT_FOUND", "input.data.fixmedins_code")


def visit_with_diagnoses(lab: Lab) -> tuple[str, str]:
    """P0001 at HOSPITAL: 2203 with two diagnoses, A01 2 × 50.00 and C03 30.00, settled: 130.00."""
    mdtrt_id = lab.register("P0001")
    info = outpatient_pb2.MdtrtInfo(mdtrt_id=mdtrt_id, psn_no="P0001", med_type="11", begntime="2026-03-15 10:00:00",
                                    dise_codg="J06.900", dise_name="急性上呼吸道感染")  # fmt: skip
    doctor = {"diag_type": "1", "diag_dept": "内科", "dise_dor_no": "D001", "dise_dor_name": "张医生",
              "diag_time": "2026-03-15 10:00:00", "vali_flag": "1"}  # fmt: skip
    first = outpatient_pb2.DiseInfo(diag_srt_no="1", diag_code="J06.900", diag_name="急性上呼吸道感染", **doctor)
    second = outpatient_pb2.DiseInfo(diag_srt_no="2", diag_code="I10.x00", diag_name="高血压", **doctor)
    diseases = [first, second]
    lab.call("2203", outpatient_pb2.UploadVisitInfoInput(mdtrtinfo=info, diseinfo=diseases), psn="P0001")
    lab.upload(mdtrt_id, [Item("A01", "2", "50.00"), Item("C03", "1", "30.00")])
    setl_id = lab.settle(mdtrt_id, "130.00").output.setlinfo.setl_id
    return mdtrt_id, setl_id


def test_5201_5202_5204_answer_the_calling_institution_its_own(lab: Lab) -> None:
    mdtrt_id, setl_id = visit_with_diagnoses(lab)
    (visit,) = ask(lab, "5201", psn="P0001", psn_no="P0001", begntime=DAY[0], endtime=DAY[1]).mdtrtinfo
    assert (visit.mdtrt_id, visit.med_type, visit.psn_type, visit.insu_optins, visit.dise_codg, visit.vali_flag) == (
        mdtrt_id, "11", "1101", "110000", "J06.900", "1")  # fmt: skip
    assert len(ask(lab, "5201", OTHER, "P0001", psn_no="P0001", begntime=DAY[0], endtime=DAY[1]).mdtrtinfo) == 0
    assert len(ask(lab, "5201", psn="P0001", psn_no="P0001", begntime=DAY[0], endtime=DAY[1], med_type="21")
               .mdtrtinfo) == 0  # fmt: skip

    diseases = ask(lab, "5202", psn="P0001", psn_no="P0001", mdtrt_id=mdtrt_id).diseinfo
    assert [(d.diag_srt_no, d.diag_code, d.maindiag_flag) for d in diseases] == [("1", "J06.900", "1"),
                                                                                 ("2", "I10.x00", "0")]  # fmt: skip
    assert refused(lab, "5202", inst=OTHER, psn="P0001", psn_no="P0001", mdtrt_id=mdtrt_id).code == "MDTRT_NOT_FOUND"

    fees = ask(lab, "5204", psn="P0001", psn_no="P0001", mdtrt_id=mdtrt_id, setl_id=setl_id).feedetail
    # A01 甲: 100.00 all in scope; C03 丙: 30.00 all self-paid
    assert [(f.med_list_codg, f.det_item_fee_sumamt, f.inscp_scp_amt, f.fulamt_ownpay_amt, f.chrgitm_lv, f.setl_id)
            for f in fees] == [("A01", "100.00", "100.00", "0.00", "01", setl_id),
                               ("C03", "30.00", "0.00", "30.00", "03", setl_id)]  # fmt: skip
    assert refused(lab, "5204", inst=OTHER, psn="P0001", psn_no="P0001", mdtrt_id=mdtrt_id).code == "MDTRT_NOT_FOUND"
    wrong = refused(lab, "5204", psn="P0001", psn_no="P0001", mdtrt_id=mdtrt_id, setl_id="S-NONE")
    assert (wrong.code, wrong.field) == ("SETL_NOT_FOUND", "input.data.setl_id")


def test_5206_accumulations_of_the_year_per_group(lab: Lab) -> None:
    visit_with_diagnoses(lab)  # in scope 100.00, all to the deductible of 200.00: 100.00 used, 100.00 left
    out = rows(ask(lab, "5206", psn="P0001", psn_no="P0001", cum_ym="202603").cuminfo)
    table = [(r["accum_group"], r["cum_type_code"], r["cum"], r.get("lmt_amt", ""), r.get("rema_amt", ""))
             for r in out]  # fmt: skip
    assert table[:6] == [
        ("outpatient", "D", "100.00", "200.00", "100.00"),
        ("outpatient", "F", "0.00", "1000.00", "1000.00"),
        ("inpatient", "F", "0.00", "50000.00", "50000.00"),  # its deductible is per stay, not a year's
        ("chronic:M03900", "D", "0.00", "0.00", "0.00"),
        ("chronic:M03900", "F", "0.00", "3000.00", "3000.00"),
        ("chronic:M01600", "D", "0.00", "0.00", "0.00"),
    ]
    assert {r["year"] for r in out} == {"2026"} and {r["insutype"] for r in out[:7]} == {"310"}
    # the year before: nothing used
    last_year = rows(ask(lab, "5206", psn="P0001", psn_no="P0001", cum_ym="202512").cuminfo)
    assert {r["cum"] for r in last_year} == {"0.00"}
    assert refused(lab, "5206", psn="P0001", psn_no="P0001", cum_ym="2026-03").code == "ENV_FORMAT"


def test_5205_chronic_medication_from_every_institution(lab: Lab) -> None:
    lab.file_chronic("P0001", "M03900", "高血压病")
    mdtrt_id = lab.register("P0001")
    item = lab.fee(mdtrt_id, "P0001", Item("A01", "3", "20.00"), batch="HTN")
    item.dise_codg = "M03900"
    lab.call("2204", outpatient_pb2.UploadFeeDetailsInput(feedetail=[item]), psn="P0001")
    setl_id = lab.settle(mdtrt_id, "60.00", batch="HTN", med_type="14").output.setlinfo.setl_id
    (drug,) = ask(lab, "5205", OTHER, "P0001", psn_no="P0001", begntime=DAY[0], endtime=DAY[1]).feedetail
    assert (drug.setl_id, drug.fixmedins_code, drug.fixmedins_name, drug.opsp_dise_code, drug.med_list_codg,
            drug.hilist_name, drug.cnt, drug.det_item_fee_sumamt, drug.list_type) == (
        setl_id, HOSPITAL, "甲市第一医院", "M03900", "A01", "甲类药", "3", "60.00", "101")  # fmt: skip
    lab.cancel_settlement(setl_id, mdtrt_id)  # no longer in force: no longer a medication record
    assert len(ask(lab, "5205", OTHER, "P0001", psn_no="P0001", begntime=DAY[0], endtime=DAY[1]).feedetail) == 0


def test_5303_stays_and_5304_referrals_from_every_institution(lab: Lab) -> None:
    mdtrt_id = lab.admit("P0001")
    (stay,) = ask(lab, "5303", OTHER, "P0001", psn_no="P0001", begntime=DAY[0], endtime=DAY[1]).data
    assert (stay.mdtrt_id, stay.fixmedins_name, stay.inhosp_stas, stay.med_type, stay.dise_codg, stay.endtime) == (
        mdtrt_id, "甲市第一医院", "1", "21", "I10.x00", "")  # fmt: skip
    sn = lab.refer("P0001", "440300", "3").output.result.trt_dcla_detl_sn
    (referral,) = ask(lab, "5304", OTHER, "P0001", psn_no="P0001", begntime=DAY[0], endtime=DAY[1]).refmedin
    assert (referral.trt_dcla_detl_sn, referral.reflin_medins_no, referral.mdtrtarea_admdvs, referral.refl_type,
            referral.fil_stas, referral.filed_by) == (sn, "H44030000001", "440300", "3", "1", HOSPITAL)  # fmt: skip
    assert len(ask(lab, "5304", psn="P0001", psn_no="P0001", begntime="2025-01-01", endtime="2025-12-31").refmedin) == 0


def test_time_ranges_are_bounded(lab: Lab) -> None:
    backwards = refused(lab, "5201", psn="P0001", psn_no="P0001", begntime="2026-03-02", endtime="2026-03-01")
    assert (backwards.code, backwards.field) == ("QUERY_RANGE", "input.data.endtime")
    too_long = refused(lab, "5303", psn="P0001", psn_no="P0001", begntime="2024-01-01", endtime="2025-06-30")
    assert too_long.code == "QUERY_RANGE"
    assert refused(lab, "5205", psn="P0001", psn_no="P0001", begntime="2026/03/01", endtime=DAY[1]).code == "ENV_FORMAT"
    # the envelope must name the person's insured place, as for every call carrying psn_no
    assert refused(lab, "5303", psn="P0004", psn_no="P0001", begntime=DAY[0], endtime=DAY[1]).code == "ENV_INSUPLC"
