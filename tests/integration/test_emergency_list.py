"""The emergency flag counts as an emergency filing only for a disease on the insured place's emergency list
[003 art. 8] (cross_region.emergency_diseases); a place without a list takes the flag alone. P0004: employee
(310/1101) insured in Shenzhen (440300: inpatient 500.00 a stay, 0.90; emergency 10 points below, other
temporary outings 20), admitted through the emergency department (med_type 24) at a Beijing hospital."""

from __future__ import annotations

import dataclasses
import json

import lab as labmod
import pytest
from lab import Item

from yibao.domain.emergency import EmergencyDisease
from yibao.domain.world import World
from yibao.v1 import inpatient_pb2, outpatient_pb2
from yibao.world.loader import load_world

H1 = "H11000000001"


@pytest.fixture
def world(request: pytest.FixtureRequest) -> World:
    from conftest import TEST_WORLD

    w = load_world(TEST_WORLD)
    if getattr(request, "param", True):
        sz = w.regions["440300"]
        listed = (EmergencyDisease("I21", "急性心肌梗死"), EmergencyDisease("I60", "蛛网膜下腔出血"))
        w.regions["440300"] = dataclasses.replace(
            sz, cross_region=dataclasses.replace(sz.cross_region, emergency_diseases=listed))
    return w


def _emergency_stay(lab, diagnosis: str):  # type: ignore[no-untyped-def]
    info = inpatient_pb2.AdmissionInfo(
        psn_no="P0004", insutype="310", begntime=f"{lab.clock():%Y-%m-%d %H:%M:%S}", mdtrt_cert_type="01",
        mdtrt_cert_no=labmod.CERT["P0004"], med_type="24", ipt_no="ZY-ER-1", atddr_no="D002", chfpdr_name="李主任",
        adm_dept_codg="A01", adm_dept_name="急诊科", dscg_maindiag_code=diagnosis, dscg_maindiag_name="诊断",
    )  # fmt: skip
    mdtrt_id = lab.call("2401", inpatient_pb2.AdmitInput(mdtrtinfo=info), H1, "P0004").output.result.mdtrt_id
    lab.upload_stay(mdtrt_id, "P0004", [Item("A01", "1", "10000.00")], inst=H1)
    lab.discharge(mdtrt_id, "P0004", inst=H1)
    return lab.settle_stay(mdtrt_id, "P0004", "10000.00", inst=H1).output


def test_a_listed_disease_makes_the_flag_an_emergency_filing(lab) -> None:
    s = _emergency_stay(lab, "I21.900")  # acute myocardial infarction: under I21
    # emergency: 0.90 − 0.10 = 0.80; (10000.00 − 500.00) × 0.80 = 7600.00
    assert (s.setlinfo.act_pay_dedc, s.setlinfo.hifp_pay) == ("500.00", "7600.00")
    assert "急诊抢救" in s.setltrace.benefit_basis


def test_an_unlisted_disease_is_a_temporary_outing(lab) -> None:
    s = _emergency_stay(lab, "I10.x00")  # hypertension: not on the list
    # the automatic temporary filing: 0.90 − 0.20 = 0.70; (10000.00 − 500.00) × 0.70 = 6650.00
    assert (s.setlinfo.act_pay_dedc, s.setlinfo.hifp_pay) == ("500.00", "6650.00")
    assert "其他临时外出" in s.setltrace.benefit_basis


@pytest.mark.parametrize("world", [False], indirect=True)
def test_without_a_list_the_flag_alone_counts(lab) -> None:
    assert _emergency_stay(lab, "I10.x00").setlinfo.hifp_pay == "7600.00"


def _stay_with_items(lab, er_flag: str, diagnosis: str = "I21.900"):  # type: ignore[no-untyped-def]
    info = inpatient_pb2.AdmissionInfo(
        psn_no="P0004", insutype="310", begntime=f"{lab.clock():%Y-%m-%d %H:%M:%S}", mdtrt_cert_type="01",
        mdtrt_cert_no=labmod.CERT["P0004"], med_type="21", ipt_no="ZY-ER-2", atddr_no="D002", chfpdr_name="李主任",
        adm_dept_codg="A03", adm_dept_name="内科", dscg_maindiag_code=diagnosis, dscg_maindiag_name="诊断",
    )  # fmt: skip
    mdtrt_id = lab.call("2401", inpatient_pb2.AdmitInput(mdtrtinfo=info), H1, "P0004").output.result.mdtrt_id
    fee = lab.stay_fee(mdtrt_id, "P0004", Item("A01", "1", "10000.00"))
    fee.exp_content = json.dumps({"er_flag": er_flag}) if er_flag else ""
    lab.call("2301", inpatient_pb2.InpatientFeeInput(feedetail=[fee]), H1, "P0004")
    lab.discharge(mdtrt_id, "P0004", inst=H1)
    return lab.settle_stay(mdtrt_id, "P0004", "10000.00", inst=H1).output.setlinfo


def test_an_item_marked_er_flag_1_is_the_emergency_flag_of_a_stay(lab) -> None:
    # admitted as 21 (普通住院), an item carries exp_content {"er_flag": "1"}, diagnosis I21 listed:
    # emergency, (10000.00 − 500.00) × 0.80 = 7600.00
    assert _stay_with_items(lab, "1").hifp_pay == "7600.00"


def test_items_without_the_emergency_mark_leave_a_temporary_outing(lab) -> None:
    assert _stay_with_items(lab, "0").hifp_pay == "6650.00"  # er_flag 0: (10000.00 − 500.00) × 0.70
    assert _stay_with_items(lab, "1", diagnosis="I10.x00").hifp_pay == "6650.00"  # flagged, not listed


def test_an_er_flag_outside_the_code_list_is_refused(lab) -> None:
    with pytest.raises(labmod.LabRefused) as e:
        _stay_with_items(lab, "9")
    assert (e.value.code, e.value.field) == ("ENV_CODE", "input.feedetail[0].exp_content.er_flag")


def _outpatient_with_item(lab, er_flag: str):  # type: ignore[no-untyped-def]
    """P0004 (Shenzhen, 310: no deductible, 0.90) at a Beijing hospital, a general outpatient visit (11), no filing;
    B02 100.00 (乙 10% at the treatment place: inscp 90.00), its line carrying exp_content {"er_flag": …}."""
    mdtrt_id = lab.register("P0004")
    fee = lab.fee(mdtrt_id, "P0004", Item("B02", "1", "100.00"))
    fee.exp_content = json.dumps({"er_flag": er_flag})
    lab.call("2204", outpatient_pb2.UploadFeeDetailsInput(feedetail=[fee]), H1, "P0004")
    return lab.settle(mdtrt_id, "100.00", psn="P0004").output.setlinfo


@pytest.mark.parametrize("world", [False], indirect=True)
def test_an_outpatient_item_marked_er_flag_1_is_the_visits_emergency_flag(lab) -> None:
    # emergency: 0.90 − 0.10 = 0.80 → 90.00 × 0.80 = 72.00 (as med_type 13 would)
    assert _outpatient_with_item(lab, "1").hifp_pay == "72.00"
    # er_flag 0: general outpatient across provinces without a filing, no fund
    assert _outpatient_with_item(lab, "0").hifp_pay == "0.00"


def test_a_flagged_outpatient_item_without_a_listed_diagnosis_has_no_fund(lab) -> None:
    assert _outpatient_with_item(lab, "1").hifp_pay == "0.00"  # Shenzhen lists I21/I60; the visit has none


def test_an_outpatient_er_flag_outside_the_code_list_is_refused(lab) -> None:
    with pytest.raises(labmod.LabRefused) as e:
        _outpatient_with_item(lab, "7")
    assert (e.value.code, e.value.field) == ("ENV_CODE", "input.feedetail[0].exp_content.er_flag")
